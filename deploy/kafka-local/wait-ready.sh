#!/usr/bin/env bash
# Wait until the local Kafka broker really answers.
#
# usage: wait-ready.sh [TIMEOUT_SECONDS]   (default $KAFKA_READY_TIMEOUT or 90)
#        wait-ready.sh --probe             one-shot check, no waiting, no output
#
# "Ready" means: a Kafka ApiVersions request sent to 127.0.0.1:$KAFKA_PORT gets a
# well-formed, error-free Kafka response, AND - when the broker was launched by
# start.sh (pid file present) - its server.log says "Kafka Server started".
# If the launched process dies while we wait, fail fast with the log tail.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DATA="${KAFKA_DATA_DIR:-$ROOT/.data/kafka}"
PORT="${KAFKA_PORT:-9092}"
HOST=127.0.0.1
PID_FILE="$DATA/kafka.pid"
SERVER_LOG="$DATA/server.log"
OUT_LOG="$DATA/kafka.out"

log() { echo "[kafka-local/wait-ready] $*" >&2; }

# Raw Kafka protocol probe: ApiVersions v0 (api_key 18), correlation id 1,
# client id "probe". Response = int32 size, int32 correlation id, int16 error.
probe() {
  local hex
  # shellcheck disable=SC2016  # $0/$1 are expanded by the inner bash
  hex="$(timeout 5 bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit 1
    printf "\x00\x00\x00\x0f\x00\x12\x00\x00\x00\x00\x00\x01\x00\x05probe" >&3
    head -c 10 <&3 | od -An -tx1 | tr -d " \n"
  ' "$HOST" "$PORT" 2>/dev/null)" || return 1
  # bytes 4..9: correlation id 00000001, error code 0000
  [[ ${#hex} -eq 20 && "${hex:8:12}" == "000000010000" ]]
}

our_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid; pid="$(cat "$PID_FILE" 2>/dev/null)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  echo "$pid"
}

alive() { kill -0 "$1" 2>/dev/null && [[ "$(ps -o stat= -p "$1" 2>/dev/null)" != Z* ]]; }

started_in_log() { [[ -f "$SERVER_LOG" ]] && grep -q "Kafka Server started" "$SERVER_LOG"; }

is_ready() {
  local pid
  if pid="$(our_pid)" && alive "$pid"; then
    started_in_log && probe
  else
    probe
  fi
}

show_tail() {
  for f in "$SERVER_LOG" "$OUT_LOG"; do
    [[ -s "$f" ]] || continue
    echo "----- last 40 lines of $f -----" >&2
    tail -n 40 "$f" >&2
  done
}

if [[ "${1:-}" == "--probe" ]]; then
  is_ready
  exit $?
fi

TIMEOUT="${1:-${KAFKA_READY_TIMEOUT:-90}}"
deadline=$((SECONDS + TIMEOUT))
had_pid=0; our_pid >/dev/null && had_pid=1

while :; do
  if is_ready; then
    log "Kafka broker is ready on $HOST:$PORT"
    exit 0
  fi
  if [[ $had_pid == 1 ]]; then
    if ! pid="$(our_pid)" || ! alive "$pid"; then
      log "ERROR: the broker process (pid file $PID_FILE) is not running any more"
      show_tail
      exit 1
    fi
  fi
  if (( SECONDS >= deadline )); then
    log "ERROR: broker not ready on $HOST:$PORT after ${TIMEOUT}s"
    show_tail
    exit 1
  fi
  sleep 0.5
done
