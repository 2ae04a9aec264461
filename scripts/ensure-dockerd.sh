#!/usr/bin/env bash
# ensure-dockerd.sh — make sure a Docker daemon is answering on this machine.
#
# Idempotent:
#   * if `docker info` (or the socket /var/run/docker.sock) already answers, exit 0;
#   * otherwise install docker.io with apt-get if dockerd is missing, start dockerd
#     in the background (detached with setsid + nohup, so it survives the calling
#     shell), and wait (at most 60 s, polling every 0.5 s) until it answers.
#
# Works as root on a fresh Debian 12 machine and in CI (no TTY, no stdin).
# Environment overrides (optional):
#   LVS_LAB_DOCKERD_LOG      log file          (default /var/log/lvs-lab-dockerd.log)
#   LVS_LAB_DOCKERD_TIMEOUT  seconds to wait   (default 60)
set -euo pipefail

LOG="${LVS_LAB_DOCKERD_LOG:-/var/log/lvs-lab-dockerd.log}"
TIMEOUT="${LVS_LAB_DOCKERD_TIMEOUT:-60}"
SOCK=/var/run/docker.sock

say() { printf 'ensure-dockerd: %s\n' "$*"; }
die() { printf 'ensure-dockerd: ERROR: %s\n' "$*" >&2; exit 1; }

# Does a daemon answer? Prefer the docker CLI; fall back to curl on the socket
# (useful when the CLI is not installed but the daemon is).
daemon_answers() {
  if command -v docker >/dev/null 2>&1; then
    if timeout 10 docker info >/dev/null 2>&1 </dev/null; then
      return 0
    fi
  fi
  if [ -S "$SOCK" ] && command -v curl >/dev/null 2>&1; then
    if timeout 5 curl -fsS --unix-socket "$SOCK" http://localhost/_ping >/dev/null 2>&1 </dev/null; then
      return 0
    fi
  fi
  return 1
}

if daemon_answers; then
  say "Docker daemon already answers; nothing to do."
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  die "no Docker daemon answers and starting one needs root (run: sudo bash $0)."
fi

export DEBIAN_FRONTEND=noninteractive

if ! command -v dockerd >/dev/null 2>&1; then
  say "dockerd not found; installing docker.io with apt-get ..."
  apt-get update </dev/null || die "apt-get update failed."
  apt-get install -y --no-install-recommends docker.io </dev/null \
    || die "apt-get install docker.io failed."
  command -v dockerd >/dev/null 2>&1 || die "docker.io installed but dockerd is still not on PATH."
fi

# If a dockerd process is already running (e.g. just starting up, or started by
# someone else), do not start a second one; just wait for it below.
existing_pid=""
if command -v pgrep >/dev/null 2>&1; then
  existing_pid="$(pgrep -x dockerd 2>/dev/null | head -n1 || true)"
fi

if [ -n "$existing_pid" ]; then
  say "dockerd is already running (pid $existing_pid) but not answering yet; waiting ..."
else
  # A stale pid file or socket left by a killed daemon makes dockerd refuse to start.
  if [ -f /var/run/docker.pid ]; then
    old="$(cat /var/run/docker.pid 2>/dev/null || true)"
    if [ -z "$old" ] || ! kill -0 "$old" 2>/dev/null; then
      rm -f /var/run/docker.pid
    fi
  fi
  mkdir -p "$(dirname "$LOG")"
  say "starting dockerd in the background (log: $LOG) ..."
  {
    printf '\n===== %s ensure-dockerd: starting dockerd =====\n' "$(date -Is)"
  } >>"$LOG"
  if command -v setsid >/dev/null 2>&1; then
    setsid nohup dockerd >>"$LOG" 2>&1 </dev/null &
  else
    nohup dockerd >>"$LOG" 2>&1 </dev/null &
  fi
  say "dockerd started (pid $!)."
fi

# Poll every 0.5 s, bounded by TIMEOUT seconds.
max_polls=$((TIMEOUT * 2))
i=0
while [ "$i" -lt "$max_polls" ]; do
  if daemon_answers; then
    say "Docker daemon answers after ~$((i / 2)) s."
    exit 0
  fi
  sleep 0.5
  i=$((i + 1))
done

{
  printf 'ensure-dockerd: ERROR: dockerd did not answer within %s s.\n' "$TIMEOUT"
  printf 'ensure-dockerd: last 30 lines of %s:\n' "$LOG"
  tail -n 30 "$LOG" 2>/dev/null || printf '(log file not readable)\n'
} >&2
exit 1
