#!/usr/bin/env bash
# Makes a Debian machine ready for the container build and the staging stack: Debian's docker.io,
# docker-compose and mmdebstrap when missing (as root), and the Docker daemon started when it does
# not answer (in the background, its log in /var/log/dockerd.log). Does nothing on a ready machine.
set -euo pipefail
log() { echo "[images/ensure-docker] $*" >&2; }

missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v docker-compose >/dev/null || docker compose version >/dev/null 2>&1 || missing+=(docker-compose)
command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
if ((${#missing[@]} > 0)); then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  log 'starting dockerd'
  nohup dockerd >>/var/log/dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || { log 'dockerd did not answer within 60 s (see /var/log/dockerd.log)'; exit 1; }
fi
