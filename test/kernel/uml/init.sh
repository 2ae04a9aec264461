#!/bin/sh
# PID 1 inside the User-mode Linux guest (copied by boot.sh to /lvs-lab/init.sh
# in the root file system). Mounts the basics, loads the LVS modules, brings up
# the tap link, runs dockerd, then waits for a halt request from the host.
#
# Parameters arrive from the kernel command line as environment variables:
#   lvs_ctl    host directory (mounted with hostfs) shared with the host:
#              init writes status / dockerd.log there, the host drops halt-request
#   lvs_addr   guest address with prefix on vec0, e.g. 169.254.77.2/30
#   lvs_port   dockerd TCP port (default 2375)
#   lvs_mods   host directory with the UML modules, used only when
#              /lib/modules/$(uname -r) is missing in the root file system
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LC_ALL=C
umask 022

CTL=/run/lvs-lab
PORT="${lvs_port:-2375}"
ADDR="${lvs_addr:-169.254.77.2/30}"
IP="${ADDR%/*}"

say() { echo "lvs-uml-init: $*" >/dev/console 2>/dev/null || echo "lvs-uml-init: $*"; }
status() {
  say "$*"
  [ -d "$CTL/." ] && echo "$(date +%s) $*" >>"$CTL/status" 2>/dev/null
  return 0
}
poweroff_now() {
  sync
  status "poweroff"
  echo o >/proc/sysrq-trigger
  # Poweroff is asynchronous; PID 1 must not exit (that would panic).
  i=0
  while [ $i -lt 30 ]; do sleep 1; i=$((i + 1)); done
  # Not reached unless sysrq failed; halt.sh falls back to SIGTERM/SIGKILL.
  status "poweroff did not happen"
  exec sleep 600
}

# --- file systems ---------------------------------------------------------------
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts -o newinstance,ptmxmode=0666,gid=5,mode=620 devpts /dev/pts 2>/dev/null ||
  mount -t devpts devpts /dev/pts
[ -e /dev/ptmx ] || ln -s pts/ptmx /dev/ptmx
mount -t tmpfs -o mode=1777 shm /dev/shm
mount -t tmpfs -o mode=755 run /run
mount -t tmpfs -o mode=1777 tmp /tmp
# Everything dockerd writes lives in memory: overlay2 cannot sit on hostfs, and
# several guests may share one root file system.
for d in /var/lib/docker /var/lib/containerd /etc/docker /var/log /root; do
  mkdir -p "$d" 2>/dev/null
  mount -t tmpfs -o mode=700 tmpfs "$d"
done
chmod 755 /var/log /etc/docker

mkdir -p "$CTL"
if [ -n "${lvs_ctl:-}" ]; then
  mount -t hostfs -o "$lvs_ctl" hostfs "$CTL" || say "cannot mount hostfs $lvs_ctl"
fi
hostname lvs-uml 2>/dev/null
status "booting $(uname -r)"
uname -a >"$CTL/uname" 2>/dev/null

# cgroup v1 hierarchies, as dockerd 20.10 with the cgroupfs driver expects.
mount -t tmpfs -o mode=755 cgroup /sys/fs/cgroup
awk '!/^#/ && $4 == 1 { print $1 }' /proc/cgroups | while read -r c; do
  mkdir -p "/sys/fs/cgroup/$c"
  mount -t cgroup -o "$c" cgroup "/sys/fs/cgroup/$c" || say "cgroup $c not mounted"
done
mkdir -p /sys/fs/cgroup/systemd
mount -t cgroup -o none,name=systemd cgroup /sys/fs/cgroup/systemd 2>/dev/null || true

# --- kernel modules ---------------------------------------------------------------
if [ ! -d "/lib/modules/$(uname -r)" ] && [ -n "${lvs_mods:-}" ]; then
  mount -t hostfs -o "$lvs_mods" hostfs /lib/modules || say "cannot mount modules from $lvs_mods"
fi
MODULES="ip_vs ip_vs_rr ip_vs_wrr ip_vs_wlc ip_vs_lc ip_vs_sh ip_vs_dh ip_vs_sed ip_vs_nq
  ip_vs_lblc ip_vs_lblcr ip_vs_fo ip_vs_ovf ip_vs_mh ipip
  arp_tables arptable_filter arpt_mangle veth bridge br_netfilter overlay
  nf_conntrack nf_nat ip_tables iptable_filter iptable_nat iptable_mangle
  xt_conntrack xt_addrtype xt_MASQUERADE"
loaded="" missing=""
for m in $MODULES; do
  if modprobe "$m" 2>>"$CTL/modprobe.err"; then loaded="$loaded $m"; else missing="$missing $m"; fi
done
status "modules loaded:$loaded"
[ -n "$missing" ] && status "modules MISSING:$missing"

# --- network ----------------------------------------------------------------------
ip link set lo up
IFACE=vec0
if [ ! -e "/sys/class/net/$IFACE" ]; then
  for n in /sys/class/net/*; do
    case "${n##*/}" in lo) ;; *) IFACE="${n##*/}" && break ;; esac
  done
fi
ip addr add "$ADDR" dev "$IFACE"
ip link set "$IFACE" up
status "network $IFACE $ADDR"

# --- dockerd ------------------------------------------------------------------------
dockerd \
  -H unix:///run/docker.sock -H "tcp://$IP:$PORT" \
  --tls=false --iptables=false --ip6tables=false --ip-masq=false --userland-proxy=false \
  --storage-driver=overlay2 --data-root=/var/lib/docker --exec-root=/run/docker \
  --pidfile=/run/docker.pid --shutdown-timeout=3 --log-level=warn \
  >>"$CTL/dockerd.log" 2>&1 &
DOCKERD=$!
status "dockerd started pid $DOCKERD"

# --- wait for a halt request --------------------------------------------------------
HALT=0
trap 'HALT=1' INT TERM USR1
while [ "$HALT" = 0 ]; do
  [ -e "$CTL/halt-request" ] && break
  if [ -n "$DOCKERD" ] && ! kill -0 "$DOCKERD" 2>/dev/null; then
    wait "$DOCKERD"
    status "dockerd exited unexpectedly (status $?)"
    DOCKERD=""
    # Stay up so the host can read the logs; halt.sh still works.
  fi
  sleep 1
done

status "halt requested"
if [ -n "$DOCKERD" ] && kill -0 "$DOCKERD" 2>/dev/null; then
  kill -TERM "$DOCKERD"
  i=0
  while kill -0 "$DOCKERD" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.2; i=$((i + 1)); done
  kill -0 "$DOCKERD" 2>/dev/null && { status "dockerd did not stop, killing"; kill -KILL "$DOCKERD"; }
  status "dockerd stopped"
fi
poweroff_now
