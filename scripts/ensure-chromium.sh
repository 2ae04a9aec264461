#!/usr/bin/env bash
# ensure-chromium.sh — make sure the browser the end-to-end tier drives is installed.
#
# playwright-core cannot download a browser on these machines, so the tier uses Debian's
# chromium. Idempotent: exits 0 at once when the browser is there ($CHROMIUM_PATH, default
# /usr/bin/chromium); otherwise installs Debian's chromium (and a font, so that screenshots show
# text) with apt-get, which needs root. Works in CI (no TTY, no stdin).
set -euo pipefail

BROWSER="${CHROMIUM_PATH:-/usr/bin/chromium}"
say() { printf 'ensure-chromium: %s\n' "$*"; }
die() { printf 'ensure-chromium: ERROR: %s\n' "$*" >&2; exit 1; }

if [ -x "$BROWSER" ]; then
  exit 0
fi
[ "$(id -u)" -eq 0 ] || die "$BROWSER is missing and installing it needs root (run: sudo apt-get install chromium fonts-dejavu-core)."
command -v apt-get >/dev/null 2>&1 || die "$BROWSER is missing and this is not a Debian-like system: install Chromium and set CHROMIUM_PATH."

export DEBIAN_FRONTEND=noninteractive
say "$BROWSER is missing; installing Debian's chromium with apt-get ..."
apt-get update -qq </dev/null || die "apt-get update failed."
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core </dev/null >/dev/null \
  || die "apt-get install chromium failed."
[ -x "$BROWSER" ] || die "chromium installed but $BROWSER is still missing: set CHROMIUM_PATH."
say "installed $("$BROWSER" --version 2>/dev/null || echo chromium)."
