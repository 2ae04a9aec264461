#!/usr/bin/env bash
# End-to-end LVS-TUN check against a Docker Engine (normally the UML one from
# boot.sh): one --internal network 172.25.88.0/24, a director (.1), two real
# servers (.2, .3) and a client (.250); VIP 172.25.88.100 round-robin over
# IPIP tunnels. Six requests from the client must alternate server2/server3 and
# the director must have sent no packet back (OutPkts 0: replies go direct).
#
# Usage: DOCKER_HOST=tcp://169.254.77.2:2375 bash smoke-lab.sh [CAPTURE_DIR]
# With CAPTURE_DIR, the raw outputs of ipvsadm / ip / arptables are saved there,
# one file per command, exactly as printed.
# Environment: LVS_LAB_IMAGE (default lvs-lab/node:dev), LVS_SMOKE_KEEP=1 keeps
# the containers and network afterwards.
set -euo pipefail

IMAGE="${LVS_LAB_IMAGE:-lvs-lab/node:dev}"
CAPTURE="${1:-}"
NET=lvs-smoke
P=lvs-smoke
VIP=172.25.88.100
T0=$(date +%s.%N)
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }
log() { printf '[smoke +%ss] %s\n' "$(elapsed "$T0")" "$*" >&2; }

[ -n "${DOCKER_HOST:-}" ] || { echo "set DOCKER_HOST (see boot.sh)" >&2; exit 2; }
docker image inspect "$IMAGE" >/dev/null 2>&1 || { echo "image $IMAGE not loaded in $DOCKER_HOST" >&2; exit 2; }

cleanup() {
  [ "${LVS_SMOKE_KEEP:-0}" = 1 ] && return 0
  docker rm -f "$P-director" "$P-rs2" "$P-rs3" "$P-client" >/dev/null 2>&1 || true
  docker network rm "$NET" >/dev/null 2>&1 || true
}
cleanup
trap cleanup EXIT

docker network create --internal --subnet 172.25.88.0/24 --gateway 172.25.88.254 "$NET" >/dev/null
log "network $NET created"

run() { # name ip [env...]
  local name=$1 ip=$2
  shift 2
  local t
  t=$(date +%s.%N)
  docker run -d --name "$P-$name" --hostname "$name" --network "$NET" --ip "$ip" \
    --cap-add NET_ADMIN --cap-add NET_RAW --security-opt systempaths=unconfined \
    "$@" "$IMAGE" >/dev/null
  log "started $name ($ip) in $(elapsed "$t")s"
}
run director 172.25.88.1
run rs2 172.25.88.2 -e 'LVS_LAB_PAGE=<h1>server2</h1>'
run rs3 172.25.88.3 -e 'LVS_LAB_PAGE=<h1>server3</h1>'
run client 172.25.88.250

t=$(date +%s.%N)
docker exec "$P-director" sh -ec "
  ip link set up tunl0
  ip addr add $VIP/32 dev tunl0
  ipvsadm -A -t $VIP:80 -s rr
  ipvsadm -a -t $VIP:80 -r 172.25.88.2:80 -i
  ipvsadm -a -t $VIP:80 -r 172.25.88.3:80 -i"
log "director configured in $(elapsed "$t")s"
for rs in 2 3; do
  t=$(date +%s.%N)
  docker exec "$P-rs$rs" sh -ec "
    ip link set up tunl0
    ip addr add $VIP/32 dev tunl0
    arptables -A INPUT -d $VIP -j DROP
    arptables -A OUTPUT -s $VIP -j mangle --mangle-ip-s 172.25.88.$rs
    sysctl -w net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.tunl0.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0 >/dev/null"
  log "rs$rs configured in $(elapsed "$t")s"
done

t=$(date +%s.%N)
out=$(docker exec "$P-client" sh -c "for i in 1 2 3 4 5 6; do curl -s -m 3 http://$VIP/; echo; done")
log "6 requests in $(elapsed "$t")s"
echo "$out"

# IPVS 6.1 folds its per-CPU counters into the numbers that ipvsadm --stats
# shows only in the rate estimator, every 2 s: right after the requests they
# can still read 0. Poll (bounded) until the service shows the 6 connections.
svc_field() { awk -v vip="$VIP:80" -v f="$2" '$1 == "TCP" && $2 == vip { print $f }' <<<"$1"; }
t=$(date +%s.%N)
for _ in 1 2 3 4 5 6 7 8 9 10; do
  exact=$(docker exec "$P-director" ipvsadm -Ln --stats --exact)
  [ "$(svc_field "$exact" 3)" = 6 ] && break
  sleep 1
done
log "stats settled after $(elapsed "$t")s"
echo "$exact"

if [ -n "$CAPTURE" ]; then
  mkdir -p "$CAPTURE"
  docker exec "$P-director" ipvsadm -Ln >"$CAPTURE/ipvsadm-Ln.txt"
  printf '%s\n' "$exact" >"$CAPTURE/ipvsadm-Ln-stats-exact.txt"
  docker exec "$P-director" ipvsadm -Ln --stats >"$CAPTURE/ipvsadm-Ln-stats.txt"
  docker exec "$P-director" ipvsadm -Ln --rate >"$CAPTURE/ipvsadm-Ln-rate.txt"
  docker exec "$P-rs2" ip -j addr >"$CAPTURE/ip-j-addr-rs2.json"
  docker exec "$P-rs2" arptables -L -n >"$CAPTURE/arptables-L-n-rs2.txt"
  log "captures written to $CAPTURE"
fi

# Verdict: alternation and no director reply traffic.
mapfile -t lines <<<"$out"
ok=1
[ "${#lines[@]}" -eq 6 ] || ok=0
for i in 0 1 2 3 4 5; do
  l="${lines[$i]:-}"
  case "$l" in '<h1>server2</h1>' | '<h1>server3</h1>') ;; *) ok=0 ;; esac
  if [ "$i" -gt 0 ] && [ "$l" = "${lines[$((i - 1))]}" ]; then ok=0; fi
done
# Service line: "TCP  172.25.88.100:80  Conns InPkts OutPkts InBytes OutBytes"
conns=$(svc_field "$exact" 3)
inpkts=$(svc_field "$exact" 4)
outpkts=$(svc_field "$exact" 5)
[ "$conns" = 6 ] && [ "${inpkts:-0}" -gt 0 ] && [ "$outpkts" = 0 ] || ok=0
if [ "$ok" = 1 ]; then
  log "PASS: round robin server2/server3 alternates; director Conns=$conns InPkts=$inpkts OutPkts=$outpkts"
else
  log "FAIL: responses or stats not as expected (Conns=$conns InPkts=$inpkts OutPkts=$outpkts)"
  exit 1
fi
