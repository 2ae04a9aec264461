#!/usr/bin/env bash
# Halt the UML guest started by boot.sh: ask init for a clean shutdown (it stops
# dockerd and powers off), wait a bounded time, fall back to SIGTERM and then
# SIGKILL of the UML process group, and remove the tap. Idempotent.
#
# Environment: LVS_UML_TAP, LVS_UML_STATE (as for boot.sh),
#              LVS_UML_HALT_TIMEOUT seconds for the clean path (default 30)
set -uo pipefail

TAP="${LVS_UML_TAP:-lvsuml0}"
STATE="${LVS_UML_STATE:-/run/lvs-lab-uml}/$TAP"
TIMEOUT="${LVS_UML_HALT_TIMEOUT:-30}"

T0=$(date +%s.%N)
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }
log() { printf '[halt +%ss] %s\n' "$(elapsed "$T0")" "$*" >&2; }

uml_alive() { # $1 = pid: alive (not a zombie) and really our linux.uml
  [ -n "${1:-}" ] && [ -r "/proc/$1/stat" ] &&
    [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" != Z ] &&
    tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline" | grep -q "umid=lvs-lab-$TAP "
}
wait_gone() { # $1 = pid, $2 = seconds; polls 5 times a second, bounded
  local i=0 n=$(($2 * 5))
  while uml_alive "$1" && [ $i -lt $n ]; do sleep 0.2; i=$((i + 1)); done
  ! uml_alive "$1"
}

PID=""
[ -f "$STATE/pid" ] && PID="$(cat "$STATE/pid")"

if uml_alive "$PID"; then
  log "requesting clean shutdown of UML pid $PID"
  : >"$STATE/ctl/halt-request"
  if wait_gone "$PID" "$TIMEOUT"; then
    log "UML powered off cleanly"
  else
    log "no clean shutdown after ${TIMEOUT}s: SIGTERM"
    kill -TERM "$PID" 2>/dev/null
    if ! wait_gone "$PID" 5; then
      log "SIGKILL to UML pid $PID"
      kill -KILL "$PID" 2>/dev/null
      wait_gone "$PID" 5 || log "WARNING: pid $PID still alive"
    fi
  fi
else
  log "no running UML for $TAP"
fi

# UML helper processes left behind (same process group, same command line).
if [ -n "$PID" ]; then
  for p in $(ps -e -o pid=,pgid= | awk -v g="$PID" '$2 == g { print $1 }'); do
    if uml_alive "$p"; then
      log "killing leftover UML helper $p"
      kill -KILL "$p" 2>/dev/null || true
    fi
  done
fi

if ip link show "$TAP" >/dev/null 2>&1; then
  ip link del "$TAP" && log "removed tap $TAP"
fi
rm -f "$STATE/pid" "$STATE/ctl/halt-request"
rm -rf "$STATE/uml"
[ -d "$STATE" ] && log "logs kept in $STATE (console.log, ctl/status, ctl/dockerd.log)"
log "done"
exit 0
