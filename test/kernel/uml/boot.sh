#!/usr/bin/env bash
# Boot the User-mode Linux kernel (Debian's linux.uml, with IPVS and IPIP) with
# a Docker Engine inside, reachable from the host over a tap device. Leaves UML
# running in the background and prints DOCKER_HOST=tcp://ADDR:PORT on stdout.
#
# Usage (as root):  eval "export $(bash test/kernel/uml/boot.sh)"
#
# Environment (all optional):
#   LVS_UML_ROOTFS        root file system (default /var/cache/lvs-lab/uml-rootfs)
#   LVS_UML_TAP           tap device name (default lvsuml0); also names the instance
#   LVS_UML_HOST_ADDR     host end of the tap (default 169.254.77.1/30)
#   LVS_UML_ADDR          guest end, where dockerd listens (default 169.254.77.2/30)
#   LVS_UML_PORT          dockerd TCP port (default 2375)
#   LVS_UML_MEM           guest memory (default 3G)
#   LVS_UML_STATE         state base dir (default /run/lvs-lab-uml); the instance
#                         keeps pid, console.log, ctl/ in $LVS_UML_STATE/$LVS_UML_TAP
#   LVS_UML_BOOT_TIMEOUT  seconds to wait for dockerd (default 90)
#   LVS_UML_XSTATE_SHIM   path of the built xstate-shim.so (default: beside the
#                         root file system); "0" runs linux.uml without it
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOTFS="${LVS_UML_ROOTFS:-/var/cache/lvs-lab/uml-rootfs}"
TAP="${LVS_UML_TAP:-lvsuml0}"
HOST_ADDR="${LVS_UML_HOST_ADDR:-169.254.77.1/30}"
GUEST_ADDR="${LVS_UML_ADDR:-169.254.77.2/30}"
PORT="${LVS_UML_PORT:-2375}"
MEM="${LVS_UML_MEM:-3G}"
STATE="${LVS_UML_STATE:-/run/lvs-lab-uml}/$TAP"
TIMEOUT="${LVS_UML_BOOT_TIMEOUT:-90}"
UML_BIN="${LVS_UML_BIN:-/usr/bin/linux.uml}"
GUEST_IP="${GUEST_ADDR%/*}"
DOCKER_HOST_URL="tcp://$GUEST_IP:$PORT"

T0=$(date +%s.%N)
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }
log() { printf '[boot +%ss] %s\n' "$(elapsed "$T0")" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (tap device)"
[ -x "$UML_BIN" ] || die "$UML_BIN missing: run provision.sh"
[ -f "$ROOTFS/.lvs-lab-uml-stamp" ] || die "no root file system at $ROOTFS: run provision.sh"
[ "${#TAP}" -le 15 ] || die "tap name too long: $TAP"
command -v curl >/dev/null || die "curl missing: run provision.sh"

ping_ok() { [ "$(curl -s -m 2 "http://$GUEST_IP:$PORT/_ping" 2>/dev/null)" = OK ]; }
uml_alive() { # $1 = pid: alive (not a zombie) and really our linux.uml
  [ -n "${1:-}" ] && [ -r "/proc/$1/stat" ] &&
    [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" != Z ] &&
    tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline" | grep -q "umid=lvs-lab-$TAP "
}

# Already running? Then this is a no-op.
if [ -f "$STATE/pid" ] && uml_alive "$(cat "$STATE/pid")"; then
  if ping_ok; then
    log "already running (pid $(cat "$STATE/pid"))"
    echo "DOCKER_HOST=$DOCKER_HOST_URL"
    exit 0
  fi
  die "UML already running (pid $(cat "$STATE/pid")) but dockerd does not answer: run halt.sh"
fi

# --- state dir and tap ------------------------------------------------------------------
rm -rf "$STATE"
mkdir -p "$STATE/ctl" "$STATE/uml"
if ip link show "$TAP" >/dev/null 2>&1; then
  log "removing stale $TAP"
  ip link del "$TAP"
fi
ip tuntap add dev "$TAP" mode tap
ip addr add "$HOST_ADDR" dev "$TAP"
ip link set "$TAP" up
echo "$TAP" >"$STATE/tap"
echo "$DOCKER_HOST_URL" >"$STATE/docker_host"

# init.sh always comes from the checkout, so editing it needs no re-provision.
mkdir -p "$ROOTFS/lvs-lab"
install -m 0755 "$HERE/init.sh" "$ROOTFS/lvs-lab/init.sh.$$"
mv -f "$ROOTFS/lvs-lab/init.sh.$$" "$ROOTFS/lvs-lab/init.sh"

# UML 6.1 cannot save/restore the FPU state on hosts with a large XSAVE area
# (AVX-512, PKU, AMX): see xstate-shim.c. The shim is a no-op elsewhere, so it
# is always preloaded; rebuilt here when its source is newer.
SHIM="${LVS_UML_XSTATE_SHIM:-$(dirname "$ROOTFS")/uml-xstate-shim.so}"
if [ "$SHIM" != 0 ]; then
  if [ ! -f "$SHIM" ] || [ "$HERE/xstate-shim.c" -nt "$SHIM" ]; then
    command -v gcc >/dev/null || die "gcc missing (needed for $SHIM): run provision.sh"
    gcc -O2 -shared -fPIC -o "$SHIM.$$" "$HERE/xstate-shim.c" -ldl && mv -f "$SHIM.$$" "$SHIM"
    log "built $SHIM"
  fi
fi

MODS=""
if [ ! -d "$ROOTFS/lib/modules" ] || [ -z "$(ls -A "$ROOTFS/lib/modules" 2>/dev/null)" ]; then
  MODS="lvs_mods=/usr/lib/uml/modules"
fi

# --- boot ----------------------------------------------------------------------------
log "booting $UML_BIN (tap $TAP $HOST_ADDR, guest $GUEST_ADDR, mem $MEM)"
PRELOAD=""
[ "$SHIM" != 0 ] && PRELOAD="$SHIM"
# rootflags (not hostfs=) names the root dir, so that hostfs can also mount the
# control dir. Guest memory is a sparse file in TMPDIR: keep it on tmpfs.
# setsid: own process group, so halt.sh can end all UML helper processes.
TMPDIR=/dev/shm LD_PRELOAD="$PRELOAD" setsid "$UML_BIN" \
  umid="lvs-lab-$TAP" uml_dir="$STATE/uml" \
  mem="$MEM" rootfstype=hostfs rootflags="$ROOTFS" root=/dev/root rw \
  init=/lvs-lab/init.sh \
  con=null con0=null,fd:1 ssl=null \
  "vec0:transport=tap,ifname=$TAP" \
  lvs_ctl="$STATE/ctl" lvs_addr="$GUEST_ADDR" lvs_port="$PORT" $MODS \
  </dev/null >"$STATE/console.log" 2>&1 &
PID=$!
echo "$PID" >"$STATE/pid"
log "UML pid $PID, console log $STATE/console.log"

fail() {
  set +e
  log "ERROR: $*"
  {
    echo "---- console log tail ($STATE/console.log) ----"
    tail -n 40 "$STATE/console.log" 2>/dev/null
    echo "---- init status ($STATE/ctl/status) ----"
    cat "$STATE/ctl/status" 2>/dev/null
    echo "---- dockerd log tail ($STATE/ctl/dockerd.log) ----"
    tail -n 20 "$STATE/ctl/dockerd.log" 2>/dev/null
  } >&2
  LVS_UML_HALT_TIMEOUT=5 bash "$HERE/halt.sh" >&2 || true
  exit 1
}

# Bounded wait: at most TIMEOUT seconds, polling twice a second.
deadline=$(($(date +%s) + TIMEOUT))
tries=0
while :; do
  tries=$((tries + 1))
  # Our own child: dead means gone or a zombie (its command line may still be
  # the forked shell's for a moment, so no uml_alive here).
  if [ ! -r "/proc/$PID/stat" ] || [ "$(awk '{ print $3 }' "/proc/$PID/stat" 2>/dev/null)" = Z ]; then
    grep -q 'ptrace set fp regs failed' "$STATE/console.log" &&
      log "hint: host FPU state too large for UML 6.1; is xstate-shim.so preloaded?"
    fail "UML exited during boot"
  fi
  grep -q 'dockerd exited' "$STATE/ctl/status" 2>/dev/null && fail "dockerd exited during boot"
  if ping_ok; then break; fi
  if [ "$(date +%s)" -ge "$deadline" ] || [ $tries -ge $((TIMEOUT * 4)) ]; then
    fail "dockerd not answering on $DOCKER_HOST_URL after ${TIMEOUT}s"
  fi
  sleep 0.5
done

log "dockerd ready at $DOCKER_HOST_URL"
log "kernel: $(cat "$STATE/ctl/uname" 2>/dev/null)"
grep -h 'MISSING' "$STATE/ctl/status" 2>/dev/null | sed 's/^/[boot] /' >&2 || true
echo "DOCKER_HOST=$DOCKER_HOST_URL"
