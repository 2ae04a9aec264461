#!/usr/bin/env bash
# bootstrap-base.sh [IMAGE...] — create the local base images OFFLINE (no registry pull), so that
# `FROM debian:<suite>-slim` Dockerfiles build unchanged. IMAGE is `debian:<suite>-slim`; without
# one, every base LVS Lab's Dockerfiles use: debian:bookworm-slim (the lab nodes) and
# debian:trixie-slim (the built-in kernel, whose Docker Engine 26 starts containers about twice as
# fast on user-mode Linux as bookworm's 20.10).
#
# Idempotent: an image that already exists locally is left alone.
# Otherwise, for each image:
#   1. debootstrap --variant=minbase <suite> into a temp dir, from the Debian
#      mirror this host already uses (auto-detected from /etc/apt/sources.list*);
#   2. slim it the way the official debian:*-slim images do (debuerreotype-slimify):
#      drop /usr/share/doc (except copyright), man, info, locales, apt lists and
#      caches, and install dpkg `path-exclude` rules so later apt installs stay slim;
#   3. point /etc/apt/sources.list at the same mirror;
#   4. tar | docker import - debian:<suite>-slim, delete the temp dir.
#
# Environment overrides (optional):
#   LVS_LAB_DEBIAN_MIRROR           e.g. http://deb.debian.org/debian
#   LVS_LAB_DEBIAN_SECURITY_MIRROR  e.g. http://deb.debian.org/debian-security ("none" to skip)
#   LVS_LAB_DEBOOTSTRAP_TIMEOUT     seconds (default 900)
set -euo pipefail

# One image per run of this script: several (or none, meaning all) run it once for each.
if [ $# -ne 1 ]; then
  images=("$@")
  [ ${#images[@]} -gt 0 ] || images=(debian:bookworm-slim debian:trixie-slim)
  for image in "${images[@]}"; do bash "$0" "$image" || exit 1; done
  exit 0
fi

IMAGE="$1"
DEBOOTSTRAP_TIMEOUT="${LVS_LAB_DEBOOTSTRAP_TIMEOUT:-900}"

say() { printf 'bootstrap-base: %s\n' "$*"; }
die() { printf 'bootstrap-base: ERROR: %s\n' "$*" >&2; exit 1; }

case "$IMAGE" in
  debian:*-slim) SUITE="${IMAGE#debian:}" && SUITE="${SUITE%-slim}" ;;
  *) die "$IMAGE is not a Debian base image name (expected debian:<suite>-slim, e.g. debian:trixie-slim)." ;;
esac

command -v docker >/dev/null 2>&1 || die "docker CLI not found (run scripts/ensure-dockerd.sh first)."
timeout 20 docker info >/dev/null 2>&1 </dev/null \
  || die "the Docker daemon does not answer (run scripts/ensure-dockerd.sh first)."

if docker image inspect "$IMAGE" >/dev/null 2>&1 </dev/null; then
  say "image $IMAGE already exists locally; nothing to do."
  exit 0
fi

[ "$(id -u)" -eq 0 ] || die "debootstrap needs root (run: sudo bash $0)."

# --- pick the mirror -----------------------------------------------------------
# First Debian (non-security) URI found in the host's apt sources, in either the
# one-line (.list) or deb822 (.sources) format. Disabled files are ignored.
detect_mirror() {
  local f uri
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    case "$f" in
      *.sources)
        uri="$(awk 'tolower($1)=="uris:" { for (i = 2; i <= NF; i++) print $i }' "$f")" ;;
      *)
        uri="$(awk '$1=="deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }' "$f")" ;;
    esac
    printf '%s\n' "$uri" | grep -E '^(https?|file)://' | grep -v -- '-security' \
      | grep -E '/debian/?$' | head -n1 && return 0
  done
  return 1
}

MIRROR="${LVS_LAB_DEBIAN_MIRROR:-}"
if [ -z "$MIRROR" ]; then
  MIRROR="$(detect_mirror || true)"
fi
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
MIRROR="${MIRROR%/}"

SECURITY_MIRROR="${LVS_LAB_DEBIAN_SECURITY_MIRROR:-}"
if [ -z "$SECURITY_MIRROR" ]; then
  # deb.debian.org/debian -> deb.debian.org/debian-security; keep it only if it answers.
  candidate="${MIRROR}-security"
  if command -v curl >/dev/null 2>&1 \
    && curl -fsS -o /dev/null --max-time 15 "$candidate/dists/${SUITE}-security/InRelease" 2>/dev/null; then
    SECURITY_MIRROR="$candidate"
  else
    SECURITY_MIRROR=none
  fi
fi
say "mirror: $MIRROR (security: $SECURITY_MIRROR)"

# --- debootstrap -----------------------------------------------------------------
export DEBIAN_FRONTEND=noninteractive
if ! command -v debootstrap >/dev/null 2>&1; then
  say "debootstrap not found; installing it with apt-get ..."
  apt-get update </dev/null || die "apt-get update failed."
  apt-get install -y --no-install-recommends debootstrap debian-archive-keyring </dev/null \
    || die "apt-get install debootstrap failed."
fi

WORK="$(mktemp -d /var/tmp/lvs-lab-rootfs.XXXXXX)"
cleanup() {
  # Never leave a half-built rootfs behind (it can contain mounted /proc on failure).
  for m in proc sys dev/pts dev; do
    if mountpoint -q "$WORK/rootfs/$m" 2>/dev/null; then umount -l "$WORK/rootfs/$m" || true; fi
  done
  rm -rf --one-file-system "$WORK"
}
trap cleanup EXIT
ROOTFS="$WORK/rootfs"

keyring_args=()
if [ -f /usr/share/keyrings/debian-archive-keyring.gpg ]; then
  keyring_args=(--keyring=/usr/share/keyrings/debian-archive-keyring.gpg)
fi

start=$(date +%s)
say "debootstrap --variant=minbase $SUITE into $ROOTFS (this takes ~30 s) ..."
if ! timeout "$DEBOOTSTRAP_TIMEOUT" debootstrap --variant=minbase "${keyring_args[@]}" \
  "$SUITE" "$ROOTFS" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 </dev/null; then
  {
    printf 'bootstrap-base: ERROR: debootstrap failed (mirror %s, limit %s s). Last 30 lines:\n' \
      "$MIRROR" "$DEBOOTSTRAP_TIMEOUT"
    tail -n 30 "$WORK/debootstrap.log" 2>/dev/null || true
    if [ -f "$ROOTFS/debootstrap/debootstrap.log" ]; then
      printf -- '--- %s (last 30 lines) ---\n' "debootstrap/debootstrap.log"
      tail -n 30 "$ROOTFS/debootstrap/debootstrap.log" || true
    fi
  } >&2
  exit 1
fi
say "debootstrap done in $(($(date +%s) - start)) s."

# --- slimify (like debuerreotype-slimify for the official *-slim images) -----------
say "slimming the root filesystem ..."
mkdir -p "$ROOTFS/etc/dpkg/dpkg.cfg.d"
cat >"$ROOTFS/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
# Keep the image slim: do not install documentation, manuals or translations.
# Same rules as the official debian:*-slim images (debuerreotype-slimify).
path-exclude /usr/share/doc/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
path-exclude /usr/share/doc/kde/HTML/*/*
path-exclude /usr/share/gnome/help/*/*
path-exclude /usr/share/omf/*/*-*.emf
# ...but keep the licences and the C / locale metadata files.
path-include /usr/share/doc/*/copyright
path-include /usr/share/doc/kde/HTML/C/*
path-include /usr/share/gnome/help/*/C/*
path-include /usr/share/locale/all_languages
path-include /usr/share/locale/currency/*
path-include /usr/share/locale/l10n/*
path-include /usr/share/locale/languages
path-include /usr/share/locale/locale.alias
path-include /usr/share/omf/*/*-C.emf
EOF

mkdir -p "$ROOTFS/etc/apt/apt.conf.d"
cat >"$ROOTFS/etc/apt/apt.conf.d/docker-clean" <<'EOF'
// Remove downloaded .debs and the binary caches after every apt run (as the official images do).
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
cat >"$ROOTFS/etc/apt/apt.conf.d/docker-no-languages" <<'EOF'
Acquire::Languages "none";
EOF
cat >"$ROOTFS/etc/apt/apt.conf.d/docker-autoremove-suggests" <<'EOF'
Apt::AutoRemove::SuggestsImportant "false";
EOF

# Files already installed by debootstrap: apply the same rules after the fact.
find "$ROOTFS/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
find "$ROOTFS/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
rm -rf "$ROOTFS/usr/share/man/"* "$ROOTFS/usr/share/info/"* "$ROOTFS/usr/share/groff/"* \
  "$ROOTFS/usr/share/linda/"* "$ROOTFS/usr/share/lintian/overrides/"*
if [ -d "$ROOTFS/usr/share/locale" ]; then
  find "$ROOTFS/usr/share/locale" -mindepth 1 -maxdepth 1 \
    -not -name locale.alias -not -name all_languages -not -name currency \
    -not -name l10n -not -name languages -exec rm -rf {} +
fi
rm -rf "$ROOTFS/var/lib/apt/lists/"* "$ROOTFS/var/cache/apt/"*.bin \
  "$ROOTFS/var/cache/apt/archives/"*.deb "$ROOTFS/var/cache/apt/archives/partial/"* \
  "$ROOTFS/var/cache/debconf/"*-old "$ROOTFS/var/lib/dpkg/"*-old \
  "$ROOTFS/var/log/"*.log "$ROOTFS/var/log/apt/"* "$ROOTFS/debootstrap" \
  "$ROOTFS/tmp/"* "$ROOTFS/var/tmp/"* "$ROOTFS/root/.bash_history"

# Services must never start during `apt-get install` in a container build.
cat >"$ROOTFS/usr/sbin/policy-rc.d" <<'EOF'
#!/bin/sh
# Prevent services from starting during package installation in a container.
exit 101
EOF
chmod 0755 "$ROOTFS/usr/sbin/policy-rc.d"

# Docker provides these at run time; do not bake the build host's values in.
: >"$ROOTFS/etc/resolv.conf"
printf 'localhost\n' >"$ROOTFS/etc/hostname"
: >"$ROOTFS/etc/machine-id"
rm -f "$ROOTFS/var/lib/dbus/machine-id"

# --- apt sources: same mirror ---------------------------------------------------------
{
  printf 'deb %s %s main\n' "$MIRROR" "$SUITE"
  printf 'deb %s %s-updates main\n' "$MIRROR" "$SUITE"
  if [ "$SECURITY_MIRROR" != none ]; then
    printf 'deb %s %s-security main\n' "${SECURITY_MIRROR%/}" "$SUITE"
  fi
} >"$ROOTFS/etc/apt/sources.list"
rm -f "$ROOTFS/etc/apt/sources.list.d/"*

say "root filesystem is $(du -sh --one-file-system "$ROOTFS" | cut -f1); importing as $IMAGE ..."

# --- import --------------------------------------------------------------------------
timeout 600 tar --numeric-owner --xattrs -C "$ROOTFS" \
  --exclude='./proc/*' --exclude='./sys/*' --exclude='./dev/*' -c . \
  | timeout 600 docker import \
    -c 'CMD ["bash"]' \
    -m "debootstrap --variant=minbase $SUITE from $MIRROR, slimmed (lvs-lab bootstrap-base.sh)" \
    - "$IMAGE" >/dev/null \
  || die "docker import failed."

size_bytes="$(docker image inspect -f '{{.Size}}' "$IMAGE")"
say "created $IMAGE ($((size_bytes / 1000000)) MB) in $(($(date +%s) - start)) s."
