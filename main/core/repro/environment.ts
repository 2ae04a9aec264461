// Where a lab ran: the engine, the kernel and its LVS modules, the tools' versions, and the
// sysctls that decide LVS-TUN's fate on each node. Read from inside the lab's own nodes, so that
// it describes the kernel the lab really ran on (the built-in kernel's, not the host's).
import type Docker from 'dockerode';
import type { ReproEnvironment } from '../../../shared/repro.js';
import { director, type Lab } from '../lab/model.js';
import type { NodeExec } from '../engine/step-runner.js';
import { parseSysctl } from '../parsers/sysctl.js';

const SYSCTLS = [
  'net.ipv4.ip_forward',
  'net.ipv4.conf.all.rp_filter',
  'net.ipv4.conf.all.arp_ignore',
  'net.ipv4.conf.all.arp_announce',
  'net.ipv4.conf.tunl0.rp_filter',
  'net.ipv4.conf.eth0.rp_filter',
];

export async function readEnvironment(
  docker: Docker,
  lab: Lab,
  exec: NodeExec,
  engineName: string,
): Promise<ReproEnvironment> {
  const version = await docker.version().catch(() => ({ Version: 'unknown' }));
  const tools = await exec(
    director(lab).name,
    [
      'uname -r',
      'ipvsadm --version 2>&1 | head -n 1',
      'arptables --version 2>&1 | head -n 1',
      "awk '$1 ~ /^(ip_vs|ipip|tunnel4|arp_tables|arptable_filter|arpt_mangle)/ { print $1 }' /proc/modules | sort | tr '\\n' ' '",
    ].join('; '),
    30_000,
  );
  const [kernel = '', ipvsadm = '', arptables = '', modules = ''] = tools.stdout.split('\n');
  const sysctls: ReproEnvironment['sysctls'] = {};
  await Promise.all(
    lab.nodes.map(async (node) => {
      // A key the node lacks (no tunl0 yet) is simply left out.
      const read = await exec(node.name, `sysctl -e ${SYSCTLS.join(' ')} 2>/dev/null`, 30_000);
      sysctls[node.name] = Object.fromEntries(parseSysctl(read.stdout).values);
    }),
  );
  return {
    engine: engineName,
    dockerVersion: version.Version,
    kernel: kernel.trim(),
    ipvsadm: ipvsadm.trim(),
    arptables: arptables.trim(),
    modules: modules.trim().split(/\s+/).filter(Boolean),
    sysctls: Object.fromEntries(Object.entries(sysctls).sort(([a], [b]) => a.localeCompare(b))),
  };
}

/** What differs between two environments: said beside the outcome, never judged as one. */
export function compareEnvironments(before: ReproEnvironment, now: ReproEnvironment): string[] {
  const out: string[] = [];
  for (const key of ['engine', 'dockerVersion', 'kernel', 'ipvsadm', 'arptables'] as const) {
    if (before[key] !== now[key]) out.push(`${key}: ${before[key]} then, ${now[key]} now`);
  }
  const missing = before.modules.filter((m) => !now.modules.includes(m));
  if (missing.length > 0) out.push(`modules loaded then and not now: ${missing.join(', ')}`);
  for (const [node, values] of Object.entries(before.sysctls)) {
    for (const [key, value] of Object.entries(values)) {
      const current = now.sysctls[node]?.[key];
      if (current !== value) out.push(`${node}: ${key} was ${value}, now ${current ?? 'absent'}`);
    }
  }
  return out;
}
