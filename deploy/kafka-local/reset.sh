#!/usr/bin/env bash
# Stop the local broker and wipe its data dir (topics, offsets, KRaft metadata).
# The next start.sh formats fresh storage with a new cluster id.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DATA="${KAFKA_DATA_DIR:-$ROOT/.data/kafka}"

"$HERE/stop.sh"
if [[ -d "$DATA" ]]; then
  DATA="$(cd "$DATA" && pwd)"
  case "$DATA" in
    /|"$ROOT"|"$HOME") echo "[kafka-local/reset] refusing to delete $DATA" >&2; exit 1 ;;
  esac
  rm -rf "$DATA"
  echo "[kafka-local/reset] wiped $DATA" >&2
else
  echo "[kafka-local/reset] nothing to wipe ($DATA does not exist)" >&2
fi
