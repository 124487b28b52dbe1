#!/usr/bin/env bash
# Builds, where no container registry is reachable, the base images that the Dockerfile and
# deploy/compose name, and tags them with the official names, so those files stay exactly what
# runs with the official images. An image that already exists is left alone (FORCE=1 rebuilds).
#
#   debian:bookworm-slim     Debian bookworm minbase from this machine's apt sources (mmdebstrap)
#   node:20-bookworm-slim    that, with this machine's Node 20, npm and corepack
#   apache/kafka:<version>   that, with Debian's OpenJDK 17 and the jars deploy/kafka-local fetches
#   postgres:15-bookworm     that, with Debian's PostgreSQL 15
#   prom/prometheus:v2.42.0  that, with Debian's Prometheus
#
# usage: build-base.sh            build what is missing
#        build-base.sh --list     print the image names, one a line
# env:   DOCKER (docker)  FORCE=1  + what deploy/kafka-local/fetch.sh reads
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DOCKER="${DOCKER:-docker}"
KAFKA_VERSION="$(sed -n 's:.*<kafka\.version>\(.*\)</kafka\.version>.*:\1:p' "$ROOT/deploy/kafka-local/pom.xml" | head -n1)"
DEBIAN=debian:bookworm-slim
NODE=node:20-bookworm-slim
KAFKA="apache/kafka:$KAFKA_VERSION"
POSTGRES=postgres:15-bookworm
PROMETHEUS=prom/prometheus:v2.42.0

log() { echo "[images/build-base] $*" >&2; }

if [[ "${1:-}" == --list ]]; then
  printf '%s\n' "$DEBIAN" "$NODE" "$KAFKA" "$POSTGRES" "$PROMETHEUS"
  exit 0
fi

exists() { [[ "${FORCE:-0}" != 1 ]] && "$DOCKER" image inspect "$1" >/dev/null 2>&1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Builds <image> from <dir>'s Dockerfile with <dir>'s files plus what the caller staged in $WORK/ctx.
# Host networking: apt inside the build reaches the same package mirror as this machine.
build() {
  local image="$1" dir="$2" t0=$SECONDS
  mkdir -p "$WORK/ctx"
  cp -a "$dir"/. "$WORK/ctx/"
  "$DOCKER" build --quiet --network host -t "$image" "$WORK/ctx" >/dev/null
  rm -rf "$WORK/ctx"
  log "$image built in $((SECONDS - t0)) s"
}

if exists "$DEBIAN"; then
  log "$DEBIAN present"
else
  command -v mmdebstrap >/dev/null || { log 'mmdebstrap is missing: apt-get install mmdebstrap'; exit 1; }
  t0=$SECONDS
  sources=(/etc/apt/sources.list.d/debian.sources)
  [[ -f "${sources[0]}" ]] || sources=(/etc/apt/sources.list)
  aptopts=()
  # The machine's own apt settings (e.g. a pinned snapshot mirror whose Release files are old).
  for f in /etc/apt/apt.conf.d/*; do
    grep -q 'Check-Valid-Until\|Proxy' "$f" 2>/dev/null && aptopts+=(--aptopt="$f")
  done
  # Like the official slim images: no manuals, documentation but the copyright files, or locales.
  mmdebstrap --quiet --variant=minbase --mode=root --format=tar "${aptopts[@]}" \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    bookworm "$WORK/rootfs.tar" "${sources[0]}"
  "$DOCKER" import --change 'CMD ["bash"]' "$WORK/rootfs.tar" "$DEBIAN" >/dev/null
  rm -f "$WORK/rootfs.tar"
  log "$DEBIAN built in $((SECONDS - t0)) s"
fi

if exists "$NODE"; then
  log "$NODE present"
else
  node_bin="$(readlink -f "$(command -v node)")"
  [[ "$("$node_bin" --version)" == v20.* ]] || { log "this machine's node is not Node 20"; exit 1; }
  npm_dir="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
  mkdir -p "$WORK/ctx/node_modules"
  cp "$node_bin" "$WORK/ctx/node"
  cp -a "$npm_dir" "$WORK/ctx/node_modules/npm"
  corepack_dir="$(dirname "$npm_dir")/corepack"
  [[ -d "$corepack_dir" ]] && cp -a "$corepack_dir" "$WORK/ctx/node_modules/corepack"
  # This machine's CA bundle and npm's global settings (e.g. an egress proxy's CA), so npm in a
  # build reaches the registry as it does here. The official image needs neither.
  mkdir -p "$WORK/ctx/overlay/usr/local/etc"
  if [[ -f /etc/ssl/certs/ca-certificates.crt ]]; then
    mkdir -p "$WORK/ctx/overlay/etc/ssl/certs"
    cp /etc/ssl/certs/ca-certificates.crt "$WORK/ctx/overlay/etc/ssl/certs/"
  fi
  npm_global="$(npm config get globalconfig 2>/dev/null || true)"
  [[ -f "$npm_global" ]] && cp "$npm_global" "$WORK/ctx/overlay/usr/local/etc/npmrc"
  build "$NODE" "$HERE/node"
fi

if exists "$KAFKA"; then
  log "$KAFKA present"
else
  "$ROOT/deploy/kafka-local/fetch.sh"
  mkdir -p "$WORK/ctx"
  cp -a "${KAFKA_CACHE_DIR:-$ROOT/.cache/kafka/$KAFKA_VERSION}/libs" "$WORK/ctx/libs"
  build "$KAFKA" "$HERE/kafka"
fi

if exists "$POSTGRES"; then log "$POSTGRES present"; else build "$POSTGRES" "$HERE/postgres"; fi
if exists "$PROMETHEUS"; then log "$PROMETHEUS present"; else build "$PROMETHEUS" "$HERE/prometheus"; fi
