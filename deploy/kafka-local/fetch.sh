#!/usr/bin/env bash
# Download the pinned Apache Kafka broker jars (+ log4j2 backend) from Maven
# Central into <root>/.cache/kafka/<version>/libs. Idempotent: does nothing
# when the cache is complete (marker file matches the current pom.xml).
#
# env: KAFKA_VERSION   override the version pinned in pom.xml (<kafka.version>)
#      KAFKA_CACHE_DIR override <root>/.cache/kafka/<version>
#      KAFKA_MVN_ARGS  extra maven args (e.g. -o, -Dmaven.repo.local=...)
#      FORCE=1         refetch even if the cache looks complete
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
POM="$HERE/pom.xml"
PINNED="$(sed -n 's:.*<kafka\.version>\(.*\)</kafka\.version>.*:\1:p' "$POM" | head -n1)"
KAFKA_VERSION="${KAFKA_VERSION:-$PINNED}"
CACHE_DIR="${KAFKA_CACHE_DIR:-$ROOT/.cache/kafka/$KAFKA_VERSION}"
LIBS="$CACHE_DIR/libs"
MARKER="$CACHE_DIR/.fetch-complete"

log() { echo "[kafka-local/fetch] $*" >&2; }

[[ -n "$KAFKA_VERSION" ]] || { log "cannot read <kafka.version> from $POM"; exit 1; }

# The marker records which pom/version produced the cache, so editing pom.xml
# (e.g. bumping log4j) triggers a refetch.
fingerprint() { { echo "kafka=$KAFKA_VERSION"; cat "$POM"; } | sha256sum | cut -d' ' -f1; }

is_complete() {
  [[ -f "$MARKER" ]] \
    && [[ "$(cat "$MARKER")" == "$(fingerprint)" ]] \
    && [[ -f "$LIBS/kafka_2.13-$KAFKA_VERSION.jar" ]] \
    && [[ -f "$LIBS/kafka-clients-$KAFKA_VERSION.jar" ]] \
    && compgen -G "$LIBS/log4j-core-*.jar" >/dev/null
}

if [[ "${FORCE:-0}" != 1 ]] && is_complete; then
  exit 0
fi

command -v mvn >/dev/null || { log "mvn not found on PATH (need Maven 3.8+ and Java 17+)"; exit 1; }
mkdir -p "$CACHE_DIR"

# Serialise concurrent fetches of the same version.
exec 8>"$CACHE_DIR/.fetch.lock"
flock 8
if [[ "${FORCE:-0}" != 1 ]] && is_complete; then
  exit 0   # another process finished the fetch while we waited
fi

log "fetching Apache Kafka $KAFKA_VERSION (kafka_2.13) from Maven Central into $LIBS ..."
t0=$SECONDS
TMP="$CACHE_DIR/libs.tmp.$$"
rm -rf "$TMP" "$MARKER"
trap 'rm -rf "$TMP"' EXIT
# shellcheck disable=SC2086
mvn -B -q -Dstyle.color=never -f "$POM" package \
  -Dkafka.version="$KAFKA_VERSION" \
  -Dkafka.libs.dir="$TMP" \
  ${KAFKA_MVN_ARGS:-} 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >&2   # strip stray ANSI resets

[[ -f "$TMP/kafka_2.13-$KAFKA_VERSION.jar" ]] || { log "maven finished but kafka_2.13-$KAFKA_VERSION.jar is missing in $TMP"; exit 1; }
rm -rf "$LIBS"
mv "$TMP" "$LIBS"
fingerprint >"$MARKER"
log "done: $(find "$LIBS" -name "*.jar" | wc -l) jars in $((SECONDS - t0))s"
