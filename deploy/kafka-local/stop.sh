#!/usr/bin/env bash
# Stop the broker started by start.sh: SIGTERM (clean shutdown, flushes logs),
# wait up to $KAFKA_STOP_TIMEOUT (30) s, then SIGKILL. Idempotent.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DATA="${KAFKA_DATA_DIR:-$ROOT/.data/kafka}"
PID_FILE="$DATA/kafka.pid"
STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"

log() { echo "[kafka-local/stop] $*" >&2; }

if [[ ! -f "$PID_FILE" ]]; then
  log "not running (no pid file $PID_FILE)"
  exit 0
fi
pid="$(cat "$PID_FILE" 2>/dev/null || true)"
if ! [[ "$pid" =~ ^[0-9]+$ ]] || ! kill -0 "$pid" 2>/dev/null; then
  log "not running (stale pid file, pid '${pid}')"
  rm -f "$PID_FILE"
  exit 0
fi
# Never signal a recycled pid that is not our broker.
if ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka'; then
  log "pid $pid is not a Kafka broker; removing stale pid file"
  rm -f "$PID_FILE"
  exit 0
fi

log "stopping Kafka broker (pid $pid, SIGTERM, up to ${STOP_TIMEOUT}s)"
kill -TERM "$pid" 2>/dev/null || true
deadline=$((SECONDS + STOP_TIMEOUT))
while kill -0 "$pid" 2>/dev/null; do
  if (( SECONDS >= deadline )); then
    log "still running after ${STOP_TIMEOUT}s - sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
    break
  fi
  sleep 0.2
done
rm -f "$PID_FILE"
log "stopped"
