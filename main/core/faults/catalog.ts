// The LVS-TUN faults LVS Lab ships: each breaks one thing that a working lab depends on, shows a
// symptom a learner or a developer can see in the live panel or the IPVS table, and puts back
// exactly what it changed (the `break` commands save the old state under $STATE first). The
// variables the commands use are described at faultSchema in shared/lab-schema.ts.
import { faultSchema, type LabFault } from '../../../shared/lab-schema.js';

/** The directory where a fault's saved state lives on the node that ran its `break`. */
export const FAULT_STATE_ROOT = '/run/lvs-lab/faults';

const BUILTIN: readonly LabFault[] = [
  {
    id: 'rp-filter',
    title: 'rp_filter strict on tunl0 and all',
    symptom:
      "Requests the director sends to this real server get no answer: a tunnelled request arrives on tunl0 from the client's address, the route back to the client leaves by another interface, and strict reverse-path filtering drops it.",
    roles: ['realserver'],
    runOn: 'node',
    break: [
      'for k in all tunl0; do sysctl -n net.ipv4.conf.$k.rp_filter >"$STATE/rp_filter.$k" || exit 1; done',
      'sysctl -w net.ipv4.conf.all.rp_filter=1 net.ipv4.conf.tunl0.rp_filter=1',
    ],
    fix: [
      'for k in all tunl0; do sysctl -w net.ipv4.conf.$k.rp_filter="$(cat "$STATE/rp_filter.$k")" || exit 1; done',
    ],
  },
  {
    id: 'vip-removed',
    title: 'the VIP removed from tunl0',
    symptom:
      'Requests the director sends to this real server get no answer: the inner packet is addressed to the VIP, which the real server no longer holds, so it drops it after taking off the outer header.',
    roles: ['realserver'],
    runOn: 'node',
    break: [
      'ip -o -4 addr show dev tunl0 | awk -v vip="$VIP" \'{ split($4, a, "/"); if (a[1] == vip) print $4 }\' >"$STATE/vip"; [ -s "$STATE/vip" ] || { echo "$VIP is not on tunl0 of $NODE: there is nothing to remove" >&2; exit 1; }',
      'ip addr del "$(cat "$STATE/vip")" dev tunl0',
    ],
    fix: ['ip addr add "$(cat "$STATE/vip")" dev tunl0'],
  },
  {
    id: 'tunl0-down',
    title: 'tunl0 down',
    symptom:
      'Requests the director sends to this real server get no answer: with tunl0 down, the kernel has no interface to take the IPIP packets off, and the VIP is no longer a local address.',
    roles: ['realserver'],
    runOn: 'node',
    break: [
      'ip -o link show tunl0 >/dev/null || exit 1; ip -o link show tunl0 | grep -q "[<,]UP[,>]" && echo up >"$STATE/link" || echo down >"$STATE/link"',
      'ip link set tunl0 down',
    ],
    fix: ['ip link set tunl0 "$(cat "$STATE/link")"'],
  },
  {
    id: 'arp-flux',
    title: 'ARP suppression removed (ARP flux)',
    symptom:
      "This real server answers ARP requests for the VIP. A client or router that asks for the VIP may take this server's MAC address and then send every request straight to it, past the director: the live panel shows one server answering, and the director's counters stop.",
    roles: ['realserver'],
    runOn: 'node',
    break: [
      'arptables-save >"$STATE/arptables" 2>/dev/null || : >"$STATE/arptables"',
      'for f in /proc/sys/net/ipv4/conf/*/arp_ignore /proc/sys/net/ipv4/conf/*/arp_announce; do echo "$f $(cat "$f")"; done >"$STATE/arp-sysctls"',
      'arptables -F 2>/dev/null || :; while read -r f v; do echo 0 >"$f"; done <"$STATE/arp-sysctls"',
    ],
    fix: [
      '[ -s "$STATE/arptables" ] && arptables-restore <"$STATE/arptables" || :',
      'while read -r f v; do [ -e "$f" ] && echo "$v" >"$f"; done <"$STATE/arp-sysctls"',
    ],
  },
  {
    id: 'mtu-lowered',
    title: "the director's path MTU to this real server lowered to 1000",
    symptom:
      'Small requests still balance, but a packet larger than the tunnel can carry (an upload through the VIP) no longer fits once the director adds the 20-byte outer header: the director answers the client with ICMP "fragmentation needed" (MTU 980), and the client sends smaller packets from then on (see `ip route get VIP` on the client).',
    roles: ['realserver'],
    runOn: 'director',
    // A route of its own to the real server, with an MTU: the interface's MTU stays as it was,
    // so that what the director receives is untouched and only the tunnel's packets are limited.
    break: [
      'ip route show exact "$RIP/32" >"$STATE/route"; ip -o route get "$RIP" >"$STATE/path" || { echo "the director has no route to $RIP" >&2; exit 1; }',
      'word() { awk -v w="$1" \'{ for (i = 1; i < NF; i++) if ($i == w) { print $(i + 1); exit } }\' "$STATE/path"; }; via=$(word via); dev=$(word dev); ip route replace "$RIP/32" ${via:+via "$via"} dev "$dev" mtu 1000',
    ],
    fix: [
      'if [ -s "$STATE/route" ]; then ip route replace $(cat "$STATE/route"); else ip route del "$RIP/32"; fi',
    ],
  },
  {
    id: 'web-stopped',
    title: 'the web server stopped',
    symptom:
      "The director still sends this real server its share of the requests, but nothing listens on the port: those requests are refused, in turn with the other servers' answers.",
    roles: ['realserver'],
    runOn: 'node',
    break: [
      'pid=$(pgrep -x httpd | head -n 1); [ -n "$pid" ] || { echo "no web server runs on $NODE" >&2; exit 1; }; tr "\\0" " " </proc/$pid/cmdline >"$STATE/cmdline"',
      'pkill -x httpd; i=0; while pgrep -x httpd >/dev/null && [ $i -lt 20 ]; do sleep 0.1; i=$((i + 1)); done; ! pgrep -x httpd >/dev/null',
    ],
    fix: [
      'pgrep -x httpd >/dev/null || { nohup $(cat "$STATE/cmdline") </dev/null >/dev/null 2>&1 & }; i=0; while ! pgrep -x httpd >/dev/null && [ $i -lt 20 ]; do sleep 0.1; i=$((i + 1)); done; pgrep -x httpd >/dev/null',
    ],
  },
  {
    id: 'weight-zero',
    title: "this real server's weight set to 0",
    symptom:
      'The director stops sending this real server new connections: every answer comes from the other servers, and its IPVS counters stop growing. (Weight 0 is how an operator drains a server.)',
    roles: ['realserver'],
    runOn: 'director',
    break: [
      'ipvsadm -Sn | grep -E -- "^-a $IPVS_SERVICE -r $RIP:" | head -n 1 >"$STATE/dest"; [ -s "$STATE/dest" ] || { echo "$NODE ($RIP) is not a real server of $VIP:$PORT on the director" >&2; exit 1; }',
      'ipvsadm $(sed "s/^-a /-e /; s/ -w [0-9]*/ -w 0/" "$STATE/dest")',
    ],
    fix: ['ipvsadm $(sed "s/^-a /-e /" "$STATE/dest")'],
  },
  {
    id: 'persistence',
    title: 'persistence turned on (300 s)',
    symptom:
      'Every request from one client goes to the same real server for 300 s: the live panel shows one server answering instead of the alternation.',
    roles: ['director'],
    runOn: 'node',
    break: [
      'ipvsadm -Sn | grep -E -- "^-A $IPVS_SERVICE( |$)" | head -n 1 >"$STATE/service"; [ -s "$STATE/service" ] || { echo "the director has no IPVS service $VIP:$PORT" >&2; exit 1; }',
      'ipvsadm $(sed "s/^-A /-E /; s/ -p [0-9]*//" "$STATE/service") -p 300',
    ],
    // ipvsadm -E without -p turns persistence off; the saved line has -p only if it was on.
    fix: ['ipvsadm $(sed "s/^-A /-E /" "$STATE/service")'],
  },
];

/** The shipped faults, checked against the same schema as a lab's own. */
export const BUILTIN_FAULTS: readonly LabFault[] = BUILTIN.map((fault) => faultSchema.parse(fault));

export const BUILTIN_FAULT_IDS: ReadonlySet<string> = new Set(BUILTIN_FAULTS.map((f) => f.id));
