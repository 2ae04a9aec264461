// Reads the state a step's checks need from each node: one exec per node, whatever the number
// of checks, because an exec costs seconds on a slow engine.
import type { Check } from '../../../shared/lab-schema.js';
import type { ExecResult } from '../docker/exec.js';
import { newMarker, parseSections, section } from '../docker/sections.js';
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

/** What each probe runs and how its output is read; `ipvs` probes first look for a kernel without IPVS. */
const PROBES: Record<ProbeName, { command: string; parse: (text: string) => unknown; ipvs?: boolean }> = {
  addr: { command: 'ip -j addr show', parse: parseIpAddr },
  route: { command: 'ip -j route show', parse: parseIpRoute },
  neigh: { command: 'ip -j neigh show', parse: parseIpNeigh },
  ipvs: { command: 'ipvsadm -Ln', parse: parseIpvsList, ipvs: true },
  ipvsStats: { command: 'ipvsadm -Ln --stats --exact', parse: parseIpvsStats, ipvs: true },
  arptables: { command: 'arptables -L -n', parse: parseArptables },
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
        // Every node's MACs, to name who sent the reply frames the client received.
        for (const node of lab.nodes) plan(node.name).probes.add('addr');
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
  const sections = [...plan.probes].map((probe) => section(marker, probe, PROBES[probe].command));
  if (plan.sysctlKeys.size > 0)
    sections.push(section(marker, 'sysctl', `sysctl ${[...plan.sysctlKeys].join(' ')}`));
  return sections.join('\n');
}

/** Splits the probe script's output into sections and parses each. */
export function parseProbeOutput(output: string, marker: string): NodeFacts {
  const facts: NodeFacts = {};
  for (const [name, { rc, text }] of parseSections(output, marker)) {
    // sysctl exits non-zero when one key is missing but still prints the others.
    if (name === 'sysctl') facts.sysctl = attempt('sysctl', () => parseSysctl(text));
    else if (Object.hasOwn(PROBES, name))
      (facts as Record<string, Fact<unknown>>)[name] = readProbe(name as ProbeName, text, rc);
  }
  return facts;
}

function readProbe(name: ProbeName, text: string, rc: number): Fact<unknown> {
  const { command, parse, ipvs } = PROBES[name];
  const unavailable = ipvs ? detectIpvsUnavailable(text) : null;
  if (unavailable) return { ok: false, error: unavailable };
  if (rc !== 0)
    return {
      ok: false,
      error: `\`${command}\` failed (exit ${rc}): ${text.trim().split('\n').slice(-3).join(' ') || 'no output'}`,
    };
  return attempt(command, () => parse(text));
}

function attempt<T>(command: string, parse: () => T): Fact<T> {
  try {
    return { ok: true, value: parse() };
  } catch (error) {
    return { ok: false, error: `could not read \`${command}\`: ${(error as Error).message}` };
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
