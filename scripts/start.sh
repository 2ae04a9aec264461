#!/usr/bin/env bash
# `npm start`: bring up the default lab (tun-arptables) and show where to go next.
# Starts the Docker Engine if it is installed but not running, and makes the base image
# offline when no registry can be reached.
set -euo pipefail
cd "$(dirname "$0")/.."
LAB="${1:-tun-arptables}"

bash scripts/ensure-dockerd.sh
if ! docker image inspect debian:bookworm-slim >/dev/null 2>&1; then
  docker pull debian:bookworm-slim 2>/dev/null || bash lab-images/bootstrap-base.sh
fi
npm run --silent build
if node bin/lvs-lab.js status --json | grep -q "\"labId\": \"$LAB\""; then
  echo "lab $LAB is already running"
else
  node bin/lvs-lab.js up "$LAB"
fi
node bin/lvs-lab.js preflight || true
node bin/lvs-lab.js steps
