// Reads the state a step's checks need from each node: one exec per node, whatever the number
// of checks, because an exec costs seconds on a slow engine.
import { randomBytes } from 'node:crypto';
import type { Check } from '../../../shared/lab-schema.js';
import type { ExecResult } from '../docker/exec.js';
import {
  detectIpvsUnavailable,
  parseArptables,
  parseIpAddr,
  parseIpNeigh,
  parseIpRoute,
  parseIpvsList,
  parseIpvsStats,
  parseSysctl,
  type ArpTable,
  type IpvsStatsTable,
  type IpvsTable,
  type Neighbour,
  type NetInterface,
  type Route,
  type SysctlResult,
  MAX_CONF_PARAMS,
} from '../parsers/index.js';
import { director, type Lab } from '../lab/model.js';

/** A parsed probe, or why it could not be read. */
export type Fact<T> = { ok: true; value: T } | { ok: false; error: string };

export interface NodeFacts {
  addr?: Fact<NetInterface[]>;
  route?: Fact<Route[]>;
  neigh?: Fact<Neighbour[]>;
  ipvs?: Fact<IpvsTable>;
  ipvsStats?: Fact<IpvsStatsTable>;
  arptables?: Fact<ArpTable>;
  sysctl?: Fact<SysctlResult>;
}

type ProbeName = Exclude<keyof NodeFacts, 'sysctl'>;

const PROBE_COMMANDS: Record<ProbeName, string> = {
  addr: 'ip -j addr show',
  route: 'ip -j route show',
  neigh: 'ip -j neigh show',
  ipvs: 'ipvsadm -Ln',
  ipvsStats: 'ipvsadm -Ln --stats --exact',
  arptables: 'arptables -L -n',
};

export interface ProbePlan {
  probes: Set<ProbeName>;
  sysctlKeys: Set<string>;
}

/** Which probes each node needs for these checks. */
export function planProbes(lab: Lab, checks: readonly Check[]): Map<string, ProbePlan> {
  const plans = new Map<string, ProbePlan>();
  const plan = (node: string) => {
    let p = plans.get(node);
    if (!p) {
      p = { probes: new Set(), sysctlKeys: new Set() };
      plans.set(node, p);
    }
    return p;
  };
  const directorName = director(lab).name;
  for (const check of checks) {
    switch (check.kind) {
      case 'address':
      case 'link':
        plan(check.node).probes.add('addr');
        break;
      case 'route':
        plan(check.node).probes.add('route');
        break;
      case 'neighbour':
        plan(check.node).probes.add('neigh');
        // Every node's MACs, so that a wrong entry can name the node it points to.
        for (const node of lab.nodes) plan(node.name).probes.add('addr');
        break;
      case 'ipvs-service':
      case 'ipvs-realserver':
        plan(check.node ?? directorName).probes.add('ipvs');
        break;
      case 'replies-bypass-director':
        plan(check.node ?? directorName).probes.add('ipvsStats');
        break;
      case 'arptables':
        plan(check.node).probes.add('arptables');
        break;
      case 'sysctl':
        for (const key of sysctlKeysFor(check.key)) plan(check.node).sysctlKeys.add(key);
        break;
      case 'http':
      case 'command':
        break;
    }
  }
  return plans;
}

/** The keys needed to compute a value: for max(all, iface) parameters, `all` too. */
export function sysctlKeysFor(key: string): string[] {
  const match = /^net\.ipv4\.conf\.([^.]+)\.([a-z_]+)$/.exec(key);
  if (match && MAX_CONF_PARAMS.includes(match[2] ?? '') && match[1] !== 'all' && match[1] !== 'default') {
    return [key, `net.ipv4.conf.all.${match[2] ?? ''}`];
  }
  return [key];
}

export function probeScript(plan: ProbePlan, marker: string): string {
  const sections: string[] = [];
  for (const probe of plan.probes) {
    sections.push(`echo '${marker} ${probe}'; ${PROBE_COMMANDS[probe]} 2>&1; echo "${marker}-rc $?"`);
  }
  if (plan.sysctlKeys.size > 0) {
    sections.push(
      `echo '${marker} sysctl'; sysctl ${[...plan.sysctlKeys].join(' ')} 2>&1; echo "${marker}-rc $?"`,
    );
  }
  return sections.join('\n');
}

export function newMarker(): string {
  return `@@lvslab-${randomBytes(6).toString('hex')}`;
}

/** Splits the probe script's output into sections and parses each. */
export function parseProbeOutput(output: string, marker: string): NodeFacts {
  const facts: NodeFacts = {};
  const pattern = new RegExp(`^${marker} (\\w+)\\n([\\s\\S]*?)^${marker}-rc (\\d+)$`, 'gm');
  for (const match of output.matchAll(pattern)) {
    const [, name = '', body = '', rcText = '0'] = match;
    const rc = Number(rcText);
    setFact(facts, name, body, rc);
  }
  return facts;
}

function setFact(facts: NodeFacts, name: string, body: string, rc: number): void {
  const failed = (command: string): Fact<never> => ({
    ok: false,
    error: `\`${command}\` failed (exit ${rc}): ${body.trim().split('\n').slice(-3).join(' ') || 'no output'}`,
  });
  const attempt = <T>(command: string, parse: () => T): Fact<T> => {
    try {
      return { ok: true, value: parse() };
    } catch (error) {
      return { ok: false, error: `could not read \`${command}\`: ${(error as Error).message}` };
    }
  };
  switch (name) {
    case 'addr':
      facts.addr =
        rc === 0 ? attempt(PROBE_COMMANDS.addr, () => parseIpAddr(body)) : failed(PROBE_COMMANDS.addr);
      break;
    case 'route':
      facts.route =
        rc === 0 ? attempt(PROBE_COMMANDS.route, () => parseIpRoute(body)) : failed(PROBE_COMMANDS.route);
      break;
    case 'neigh':
      facts.neigh =
        rc === 0 ? attempt(PROBE_COMMANDS.neigh, () => parseIpNeigh(body)) : failed(PROBE_COMMANDS.neigh);
      break;
    case 'ipvs': {
      const unavailable = detectIpvsUnavailable(body);
      facts.ipvs = unavailable
        ? { ok: false, error: unavailable }
        : rc === 0
          ? attempt(PROBE_COMMANDS.ipvs, () => parseIpvsList(body))
          : failed(PROBE_COMMANDS.ipvs);
      break;
    }
    case 'ipvsStats': {
      const unavailable = detectIpvsUnavailable(body);
      facts.ipvsStats = unavailable
        ? { ok: false, error: unavailable }
        : rc === 0
          ? attempt(PROBE_COMMANDS.ipvsStats, () => parseIpvsStats(body))
          : failed(PROBE_COMMANDS.ipvsStats);
      break;
    }
    case 'arptables':
      facts.arptables =
        rc === 0
          ? attempt(PROBE_COMMANDS.arptables, () => parseArptables(body))
          : failed(PROBE_COMMANDS.arptables);
      break;
    case 'sysctl':
      // sysctl exits non-zero when one key is missing but still prints the others.
      facts.sysctl = attempt('sysctl', () => parseSysctl(body));
      break;
    default:
      break;
  }
}

export async function gatherFacts(
  lab: Lab,
  checks: readonly Check[],
  exec: (node: string, script: string) => Promise<ExecResult>,
): Promise<Map<string, NodeFacts>> {
  const plans = planProbes(lab, checks);
  const facts = new Map<string, NodeFacts>();
  await Promise.all(
    [...plans].map(async ([node, plan]) => {
      const marker = newMarker();
      try {
        const result = await exec(node, probeScript(plan, marker));
        facts.set(node, parseProbeOutput(result.stdout, marker));
      } catch (error) {
        // The node is gone or stopped: every fact about it carries that reason.
        const fact: Fact<never> = { ok: false, error: (error as Error).message };
        const all: NodeFacts = {};
        for (const probe of plan.probes) all[probe] = fact;
        if (plan.sysctlKeys.size > 0) all.sysctl = fact;
        facts.set(node, all);
      }
    }),
  );
  return facts;
}
