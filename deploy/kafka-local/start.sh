#!/usr/bin/env bash
# Start a single-node Apache Kafka broker (KRaft, broker+controller in one JVM)
# on 127.0.0.1:$KAFKA_PORT and wait until it is ready. Idempotent: exits 0 at
# once when a broker already answers on the port.
#
# env: KAFKA_PORT (9092)  KAFKA_CONTROLLER_PORT (9093)
#      KAFKA_DATA_DIR (<root>/.data/kafka)     KAFKA_READY_TIMEOUT (90)
#      KAFKA_HEAP_OPTS ("-Xms256m -Xmx1g")      KAFKA_OPTS (extra JVM args)
#      KAFKA_JVM_PERFORMANCE_OPTS (G1 defaults as in kafka-run-class.sh)
#      JAVA (java on PATH / $JAVA_HOME/bin/java)
#      + everything fetch.sh reads (KAFKA_VERSION, KAFKA_CACHE_DIR, ...)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PINNED="$(sed -n 's:.*<kafka\.version>\(.*\)</kafka\.version>.*:\1:p' "$HERE/pom.xml" | head -n1)"
KAFKA_VERSION="${KAFKA_VERSION:-$PINNED}"
CACHE_DIR="${KAFKA_CACHE_DIR:-$ROOT/.cache/kafka/$KAFKA_VERSION}"
LIBS="$CACHE_DIR/libs"
export KAFKA_DATA_DIR="${KAFKA_DATA_DIR:-$ROOT/.data/kafka}"
mkdir -p "$KAFKA_DATA_DIR"
DATA="$(cd "$KAFKA_DATA_DIR" && pwd)"   # absolute, for server.properties
export KAFKA_DATA_DIR="$DATA"
export KAFKA_PORT="${KAFKA_PORT:-9092}"
export KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
READY_TIMEOUT="${KAFKA_READY_TIMEOUT:-90}"
HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx1g}"
PERF_OPTS="${KAFKA_JVM_PERFORMANCE_OPTS:--server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true}"
if [[ -n "${JAVA:-}" ]]; then :; elif [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi

PID_FILE="$DATA/kafka.pid"
PROPS="$DATA/server.properties"
LOG_DIRS="$DATA/kraft-logs"
META="$LOG_DIRS/meta.properties"
CLUSTER_ID_FILE="$DATA/cluster.id"
SERVER_LOG="$DATA/server.log"
OUT_LOG="$DATA/kafka.out"

log() { echo "[kafka-local/start] $*" >&2; }
t0=$SECONDS

# 1. jars
"$HERE/fetch.sh"

# 2. one start at a time per data dir
exec 9>"$DATA/.start.lock"
flock 9

# 3. already up?
if "$HERE/wait-ready.sh" --probe; then
  log "a Kafka broker already answers on 127.0.0.1:$KAFKA_PORT - nothing to do"
  exit 0
fi

# 4. launched by us and still booting? just wait for it
if [[ -f "$PID_FILE" ]]; then
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null \
     && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka'; then
    log "broker (pid $pid) is already starting - waiting for it"
    exec "$HERE/wait-ready.sh" "$READY_TIMEOUT"
  fi
  log "removing stale pid file ($pid)"
  rm -f "$PID_FILE"
fi

# 5. render config
sed -e "s#@KAFKA_PORT@#$KAFKA_PORT#g" \
    -e "s#@KAFKA_CONTROLLER_PORT@#$KAFKA_CONTROLLER_PORT#g" \
    -e "s#@KAFKA_DATA_DIR@#$DATA#g" \
    "$HERE/server.properties" >"$PROPS"

# shutdownHookEnabled=false: keep logging alive until Kafka's own shutdown hook
# has finished (appenders flush on every write, nothing is lost).
LOG4J=(-Dlog4j2.configurationFile="$HERE/log4j2.properties" -Dlog4j2.shutdownHookEnabled=false)

# 6. format KRaft storage exactly once
if [[ ! -f "$META" ]]; then
  if [[ -s "$CLUSTER_ID_FILE" ]]; then
    cluster_id="$(cat "$CLUSTER_ID_FILE")"
  else
    # Kafka cluster ids are 16 random bytes, url-safe base64 without padding;
    # like Uuid.randomUuid() avoid a leading '-' (confuses CLI parsing).
    cluster_id=-
    while [[ "$cluster_id" == -* ]]; do
      cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    done
    echo "$cluster_id" >"$CLUSTER_ID_FILE"
  fi
  log "formatting KRaft storage in $LOG_DIRS (cluster id $cluster_id)"
  # Static single-voter quorum (controller.quorum.voters in server.properties),
  # so no --standalone / --initial-controllers flag.
  "$JAVA" -Xmx256m "${LOG4J[@]}" -Dkafka.logs.dir="$DATA/format-logs" \
    -cp "$LIBS/*" kafka.tools.StorageTool format \
    --config "$PROPS" --cluster-id "$cluster_id" --ignore-formatted >&2
else
  log "KRaft storage already formatted ($META)"
fi

# 7. keep the previous run's logs, start fresh ones (wait-ready greps server.log)
for f in "$SERVER_LOG" "$OUT_LOG"; do
  [[ -f "$f" ]] && mv -f "$f" "$f.prev"
done

# 8. launch in the background, detached from this shell's session
log "launching Kafka $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT (controller :$KAFKA_CONTROLLER_PORT, data $DATA)"
# shellcheck disable=SC2086,SC2016  # word-split JVM opts; $$/$@ expand in the child
setsid nohup bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
  "$JAVA" $HEAP_OPTS $PERF_OPTS "${LOG4J[@]}" -Dkafka.logs.dir="$DATA" ${KAFKA_OPTS:-} \
  -cp "$LIBS/*" kafka.Kafka "$PROPS" \
  </dev/null >>"$OUT_LOG" 2>&1 9>&- &   # 9>&-: the broker must not inherit the start lock
for _ in $(seq 1 50); do [[ -s "$PID_FILE" ]] && break; sleep 0.1; done
log "broker pid $(cat "$PID_FILE" 2>/dev/null || echo '?'), logs: $SERVER_LOG"

# 9. wait
exec 9>&-   # release the lock before the (long) wait
if "$HERE/wait-ready.sh" "$READY_TIMEOUT"; then
  log "ready after $((SECONDS - t0))s"
else
  log "broker did not become ready; see $SERVER_LOG (stop it with $HERE/stop.sh)"
  exit 1
fi
