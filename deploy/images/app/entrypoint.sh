#!/bin/sh
# The image's entry point, behind tini. The app is the first argument or, without arguments,
# $APP: `meter-gateway kiosk-gateway` runs `node dist/apps/kiosk-gateway/main.js` (the same
# entry point as `npm run start:app -- kiosk-gateway`); `ctl db migrate` runs the command line.
# Anything else runs as given (`node dist/apps/<app>/main.js`, as the Kubernetes manifests say).
set -eu
if [ "$#" -eq 0 ]; then
  if [ -z "${APP:-}" ]; then
    echo 'name the app: an argument (e.g. kiosk-gateway) or APP=<app>' >&2
    exit 2
  fi
  set -- "$APP"
fi
if [ -f "dist/apps/$1/main.js" ]; then
  app="$1"
  shift
  exec node "dist/apps/$app/main.js" "$@"
fi
exec "$@"
