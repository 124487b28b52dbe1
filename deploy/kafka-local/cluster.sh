#!/usr/bin/env bash
# A local three-node Apache Kafka cluster (KRaft; each node is broker and controller), for
# trying replication and broker failures on one machine. Next to the single broker of start.sh,
# on other ports and in another data dir.
#
# usage: cluster.sh start          start the nodes that are not running; wait until all are ready
#        cluster.sh stop           stop every node cleanly (SIGTERM, SIGKILL after the timeout)
#        cluster.sh kill <n>       SIGKILL node n (1..3), as a crash would
#        cluster.sh restart <n>    stop node n cleanly if it runs, start it, wait until ready
#        cluster.sh status         one line per node: pid, port, ready / starting / stopped
#        cluster.sh brokers        the bootstrap list (KAFKA_BROKERS) of the cluster
#        cluster.sh reset          stop every node and wipe the cluster's data
#
# env: KAFKA_CLUSTER_DIR (<root>/.data/kafka-cluster)
#      KAFKA_CLUSTER_PORT_BASE (19090): node n listens on base+n, its controller on base+100+n
#      KAFKA_CLUSTER_HEAP_OPTS ("-Xms128m -Xmx384m")   KAFKA_READY_TIMEOUT (90)
#      + what fetch.sh reads (KAFKA_VERSION, KAFKA_CACHE_DIR, ...)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PINNED="$(sed -n 's:.*<kafka\.version>\(.*\)</kafka\.version>.*:\1:p' "$HERE/pom.xml" | head -n1)"
KAFKA_VERSION="${KAFKA_VERSION:-$PINNED}"
CACHE_DIR="${KAFKA_CACHE_DIR:-$ROOT/.cache/kafka/$KAFKA_VERSION}"
LIBS="$CACHE_DIR/libs"
CLUSTER_DIR="${KAFKA_CLUSTER_DIR:-$ROOT/.data/kafka-cluster}"
BASE="${KAFKA_CLUSTER_PORT_BASE:-19090}"
HEAP_OPTS="${KAFKA_CLUSTER_HEAP_OPTS:--Xms128m -Xmx384m}"
PERF_OPTS="-server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true"
READY_TIMEOUT="${KAFKA_READY_TIMEOUT:-90}"
NODES=(1 2 3)
if [[ -n "${JAVA:-}" ]]; then :; elif [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi
# shutdownHookEnabled=false: keep logging alive until Kafka's own shutdown hook has finished.
LOG4J=(-Dlog4j2.configurationFile="$HERE/log4j2.properties" -Dlog4j2.shutdownHookEnabled=false)

log() { echo "[kafka-local/cluster] $*" >&2; }

broker_port() { echo $((BASE + $1)); }
controller_port() { echo $((BASE + 100 + $1)); }
node_dir() { echo "$CLUSTER_DIR/node-$1"; }
voters() {
  local n list=()
  for n in "${NODES[@]}"; do list+=("$n@127.0.0.1:$(controller_port "$n")"); done
  (IFS=,; echo "${list[*]}")
}
brokers() {
  local n list=()
  for n in "${NODES[@]}"; do list+=("127.0.0.1:$(broker_port "$n")"); done
  (IFS=,; echo "${list[*]}")
}

check_node() {
  [[ "${1:-}" =~ ^[1-3]$ ]] || { log "a node is 1, 2 or 3 (got '${1:-}')"; exit 2; }
}

# The node's pid when it runs (and is a Kafka broker: pids get recycled).
running_pid() {
  local file pid
  file="$(node_dir "$1")/kafka.pid"
  [[ -f "$file" ]] || return 1
  pid="$(cat "$file" 2>/dev/null)"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null \
    && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka' \
    && echo "$pid"
}

# Per-node view for the single-broker scripts, which read these variables.
node_env() { echo "KAFKA_DATA_DIR=$(node_dir "$1") KAFKA_PORT=$(broker_port "$1")"; }

cluster_id() {
  local file="$CLUSTER_DIR/cluster.id" id=-
  if [[ ! -s "$file" ]]; then
    # 16 random bytes, url-safe base64 without padding, not starting with '-' (as Uuid does)
    while [[ "$id" == -* ]]; do
      id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    done
    echo "$id" >"$file"
  fi
  cat "$file"
}

launch() {
  local n="$1" dir props
  dir="$(node_dir "$n")"
  props="$dir/server.properties"
  if running_pid "$n" >/dev/null; then
    log "node $n already runs (pid $(running_pid "$n"))"
    return 0
  fi
  mkdir -p "$dir"
  sed -e "s#@NODE_ID@#$n#g" \
      -e "s#@BROKER_PORT@#$(broker_port "$n")#g" \
      -e "s#@CONTROLLER_PORT@#$(controller_port "$n")#g" \
      -e "s#@QUORUM_VOTERS@#$(voters)#g" \
      -e "s#@NODE_DIR@#$dir#g" \
      "$HERE/cluster.properties" >"$props"
  if [[ ! -f "$dir/kraft-logs/meta.properties" ]]; then
    log "formatting node $n (cluster id $(cluster_id))"
    "$JAVA" -Xmx256m "${LOG4J[@]}" -Dkafka.logs.dir="$dir/format-logs" \
      -cp "$LIBS/*" kafka.tools.StorageTool format \
      --config "$props" --cluster-id "$(cluster_id)" --ignore-formatted >&2
  fi
  for f in "$dir/server.log" "$dir/kafka.out"; do
    [[ -f "$f" ]] && mv -f "$f" "$f.prev"
  done
  rm -f "$dir/kafka.pid"
  # shellcheck disable=SC2086,SC2016  # word-split JVM opts; $$/$@ expand in the child
  setsid nohup bash -c 'echo $$ >"$0"; exec "$@"' "$dir/kafka.pid" \
    "$JAVA" $HEAP_OPTS $PERF_OPTS "${LOG4J[@]}" -Dkafka.logs.dir="$dir" ${KAFKA_OPTS:-} \
    -cp "$LIBS/*" kafka.Kafka "$props" \
    </dev/null >>"$dir/kafka.out" 2>&1 &
  for _ in $(seq 1 50); do [[ -s "$dir/kafka.pid" ]] && break; sleep 0.1; done
  log "node $n launched (pid $(cat "$dir/kafka.pid" 2>/dev/null || echo '?'), 127.0.0.1:$(broker_port "$n"), logs $dir/server.log)"
}

wait_ready() {
  # shellcheck disable=SC2046
  env $(node_env "$1") "$HERE/wait-ready.sh" "$READY_TIMEOUT"
}

stop_node() {
  # shellcheck disable=SC2046
  env $(node_env "$1") "$HERE/stop.sh"
}

kill_node() {
  local pid
  if ! pid="$(running_pid "$1")"; then
    log "node $1 is not running"
    return 0
  fi
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  log "node $1 killed (pid $pid)"
}

status() {
  local n pid state
  for n in "${NODES[@]}"; do
    if pid="$(running_pid "$n")"; then
      # shellcheck disable=SC2046
      if env $(node_env "$n") "$HERE/wait-ready.sh" --probe; then state=ready; else state=starting; fi
    else
      pid=-; state=stopped
    fi
    echo "node $n  pid $pid  127.0.0.1:$(broker_port "$n")  $state"
  done
}

mkdir -p "$CLUSTER_DIR"
CLUSTER_DIR="$(cd "$CLUSTER_DIR" && pwd)"
command="${1:-}"
case "$command" in
  start)
    "$HERE/fetch.sh"
    for n in "${NODES[@]}"; do launch "$n"; done
    # A node alone cannot elect a controller, so all are launched before any is awaited.
    for n in "${NODES[@]}"; do wait_ready "$n"; done
    log "ready: KAFKA_BROKERS=$(brokers)"
    ;;
  stop)
    for n in "${NODES[@]}"; do stop_node "$n"; done
    ;;
  kill)
    check_node "${2:-}"
    kill_node "$2"
    ;;
  restart)
    check_node "${2:-}"
    "$HERE/fetch.sh"
    stop_node "$2"
    launch "$2"
    wait_ready "$2"
    ;;
  status) status ;;
  brokers) brokers ;;
  reset)
    for n in "${NODES[@]}"; do stop_node "$n"; done
    case "$CLUSTER_DIR" in
      /|"$ROOT"|"$HOME") log "refusing to delete $CLUSTER_DIR"; exit 1 ;;
    esac
    rm -rf "$CLUSTER_DIR"
    log "wiped $CLUSTER_DIR"
    ;;
  *)
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
