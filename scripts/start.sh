#!/usr/bin/env bash
# `npm start` opens the desktop app (Electron) on the default lab; `npm run start:browser` opens
# the same app in the browser. Both start the Docker Engine if it is installed but not running,
# and make the base image offline when no registry can be reached.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE="${1:-electron}"
LAB="${LVS_LAB_DEFAULT:-tun-arptables}"

if [ "$MODE" = electron ] && ! node -e "require('electron')" >/dev/null 2>&1; then
  echo "The Electron binary is not installed here (npm could not download it, or installs were run"
  echo "with ELECTRON_SKIP_BINARY_DOWNLOAD). Open the same app in your browser instead:"
  echo
  echo "    npm run start:browser"
  exit 1
fi

bash scripts/ensure-dockerd.sh
# The base images: pulled where a registry answers, else made offline from the Debian mirror.
for base in debian:bookworm-slim debian:trixie-slim; do
  if ! docker image inspect "$base" >/dev/null 2>&1; then
    docker pull "$base" 2>/dev/null || bash lab-images/bootstrap-base.sh "$base"
  fi
done
npm run --silent build

if [ "$MODE" = electron ]; then
  exec env LVS_LAB_DEFAULT="$LAB" npx electron .
fi
# Browser mode: starts the lab if it is not running, prints the address (with its access token)
# and serves until Ctrl-C. The lab keeps running afterwards: `node bin/lvs-lab.js down` stops it.
exec node bin/lvs-lab.js serve --lab "$LAB" "${@:2}"
