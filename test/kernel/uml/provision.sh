#!/usr/bin/env bash
# Provision the host for the kernel test tier: install User-mode Linux and
# build the UML root file system (Debian bookworm + Docker Engine) in a cache
# directory. Idempotent: a second run only checks the stamp and returns.
#
# Usage (as root on Debian 12):  bash test/kernel/uml/provision.sh
#
# Environment:
#   LVS_UML_ROOTFS   root file system dir (default /var/cache/lvs-lab/uml-rootfs)
#   LVS_UML_MIRROR   Debian mirror (default: taken from /etc/apt/sources.list*)
#   LVS_UML_XSTATE_SHIM  where to build xstate-shim.so (default: beside the rootfs)
#   LVS_UML_FORCE=1  rebuild the root file system even if the stamp matches
set -euo pipefail

ROOTFS="${LVS_UML_ROOTFS:-/var/cache/lvs-lab/uml-rootfs}"
SUITE=bookworm
HOST_PKGS=(user-mode-linux debootstrap iproute2 curl procps gcc libc6-dev)
# Packages inside the UML root file system.
GUEST_PKGS=(docker.io containerd runc tini iproute2 kmod procps iptables
  arptables ipvsadm curl iputils-ping ca-certificates)
# Bump when the recipe below changes: a different stamp forces a rebuild.
RECIPE_VERSION=1

T0=$(date +%s.%N)
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }
log() { printf '[provision +%ss] %s\n' "$(elapsed "$T0")" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root"

# --- 1. host packages ---------------------------------------------------------
missing=()
for p in "${HOST_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing host packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/lvs-uml-apt.$$.log 2>&1 ||
    { tail -n 30 /tmp/lvs-uml-apt.$$.log >&2; die "apt-get install failed"; }
  rm -f /tmp/lvs-uml-apt.$$.log
else
  log "host packages present: ${HOST_PKGS[*]}"
fi

# --- 2. kernel and modules ----------------------------------------------------
UML_BIN=/usr/bin/linux.uml
[ -x "$UML_BIN" ] || die "$UML_BIN missing after install"
mapfile -t moddirs < <(find /usr/lib/uml/modules -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -V)
[ ${#moddirs[@]} -gt 0 ] || die "no module dir under /usr/lib/uml/modules"
KVER="${moddirs[-1]}"
UML_PKG_VER=$(dpkg-query -W -f='${Version}' user-mode-linux)
log "UML kernel modules: /usr/lib/uml/modules/$KVER (user-mode-linux $UML_PKG_VER)"

# FPU-state shim for linux.uml (see xstate-shim.c); cheap, so always refreshed.
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SHIM="${LVS_UML_XSTATE_SHIM:-$(dirname "$ROOTFS")/uml-xstate-shim.so}"
if [ "$SHIM" != 0 ]; then
  mkdir -p "$(dirname "$SHIM")"
  if [ ! -f "$SHIM" ] || [ "$HERE/xstate-shim.c" -nt "$SHIM" ]; then
    gcc -O2 -Wall -shared -fPIC -o "$SHIM.$$" "$HERE/xstate-shim.c" -ldl
    mv -f "$SHIM.$$" "$SHIM"
    log "built $SHIM"
  else
    log "shim up to date: $SHIM"
  fi
fi

STAMP_WANT="recipe=$RECIPE_VERSION suite=$SUITE uml=$UML_PKG_VER kver=$KVER pkgs=${GUEST_PKGS[*]}"
STAMP="$ROOTFS/.lvs-lab-uml-stamp"
if [ "${LVS_UML_FORCE:-0}" != 1 ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$STAMP_WANT" ]; then
  log "root file system up to date: $ROOTFS"
  log "done in $(elapsed "$T0")s (cached)"
  exit 0
fi

# --- 3. mirror ----------------------------------------------------------------
find_uri() { # $1 = regex the URI must match, $2 = regex it must not match
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources \
    2>/dev/null | grep -v '^[[:space:]]*#' | grep -oE 'https?://[^ ]+' |
    sed 's:/*$::' | grep -E "$1" | grep -vE "${2:-^$}" | head -n1 || true
}
MIRROR="${LVS_UML_MIRROR:-$(find_uri '/debian$' 'security')}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
SECURITY="$(find_uri '/debian-security$')"
log "mirror: $MIRROR${SECURITY:+ (security: $SECURITY)}"

# --- 4. root file system --------------------------------------------------------
mkdir -p "$(dirname "$ROOTFS")"
BUILD="$ROOTFS.build.$$"
cleanup() {
  for m in proc sys dev/pts; do
    if mountpoint -q "$BUILD/$m" 2>/dev/null; then umount -l "$BUILD/$m" || true; fi
  done
  if [ -d "$BUILD" ]; then rm -rf --one-file-system "$BUILD" || true; fi
}
trap cleanup EXIT
rm -rf --one-file-system "$ROOTFS".build.* 2>/dev/null || true

log "debootstrap --variant=minbase $SUITE"
debootstrap --variant=minbase "$SUITE" "$BUILD" "$MIRROR" >"$BUILD.debootstrap.log" 2>&1 ||
  { tail -n 30 "$BUILD.debootstrap.log" >&2; die "debootstrap failed"; }
rm -f "$BUILD.debootstrap.log"
log "debootstrap finished"

{
  echo "deb $MIRROR $SUITE main"
  echo "deb $MIRROR $SUITE-updates main"
  [ -n "$SECURITY" ] && echo "deb $SECURITY $SUITE-security main"
} >"$BUILD/etc/apt/sources.list"
cp /etc/resolv.conf "$BUILD/etc/resolv.conf" 2>/dev/null || true
# No service may start inside the chroot.
printf '#!/bin/sh\nexit 101\n' >"$BUILD/usr/sbin/policy-rc.d"
chmod +x "$BUILD/usr/sbin/policy-rc.d"
# Keep the tree small.
cat >"$BUILD/etc/dpkg/dpkg.cfg.d/01-lvs-lab-nodoc" <<'EOF'
path-exclude /usr/share/doc/*
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
EOF

mount -t proc proc "$BUILD/proc"
log "chroot apt-get install ${GUEST_PKGS[*]}"
chroot "$BUILD" /usr/bin/env DEBIAN_FRONTEND=noninteractive LC_ALL=C \
  bash -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@" && apt-get clean' \
  _ "${GUEST_PKGS[@]}" >"$BUILD.apt.log" 2>&1 ||
  { tail -n 40 "$BUILD.apt.log" >&2; die "apt-get inside the root file system failed"; }
rm -f "$BUILD.apt.log"
log "guest packages installed"

# Legacy (x_tables) variants: nft-based arptables does not work inside UML.
for alt in iptables ip6tables arptables ebtables; do
  if [ -x "$BUILD/usr/sbin/$alt-legacy" ]; then
    chroot "$BUILD" update-alternatives --set "$alt" "/usr/sbin/$alt-legacy" >/dev/null
  fi
done
umount "$BUILD/proc"

rm -rf "$BUILD"/var/lib/apt/lists/* "$BUILD"/var/cache/apt/*.bin
# Empty mount points used by init.sh.
mkdir -p "$BUILD/var/lib/docker" "$BUILD/var/lib/containerd" "$BUILD/etc/docker" \
  "$BUILD/sys/fs/cgroup" "$BUILD/lvs-lab" "$BUILD/opt/containerd/bin" "$BUILD/opt/containerd/lib"
echo "lvs-uml" >"$BUILD/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 lvs-uml\n' >"$BUILD/etc/hosts"
: >"$BUILD/etc/resolv.conf"

# Kernel modules, visible inside at /lib/modules/$KVER (lib -> usr/lib on merged /usr).
log "copying modules $KVER"
mkdir -p "$BUILD/lib/modules"
rm -rf "$BUILD/lib/modules/$KVER"
cp -a "/usr/lib/uml/modules/$KVER" "$BUILD/lib/modules/$KVER"

echo "$STAMP_WANT" >"$BUILD/.lvs-lab-uml-stamp"

# Swap in atomically-ish.
if [ -d "$ROOTFS" ]; then
  rm -rf --one-file-system "$ROOTFS.old"
  mv "$ROOTFS" "$ROOTFS.old"
fi
mv "$BUILD" "$ROOTFS"
rm -rf --one-file-system "$ROOTFS.old"
trap - EXIT

log "root file system ready: $ROOTFS ($(du -sh "$ROOTFS" | cut -f1))"
log "done in $(elapsed "$T0")s"
