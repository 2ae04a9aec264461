// The director's IPVS table with its counters, beside the interface counters of the director
// and the real servers, for the live panel: in LVS-TUN the director counts the requests (InPkts)
// but sends no replies (OutPkts 0), while the real servers' tx counters grow.
//
// One exec on the director (`ipvsadm -Ln --exact`, `ipvsadm -Ln --stats --exact` and its
// /proc/net/dev), one exec per real server (/proc/net/dev), all at once. The kernel folds the
// IPVS counters in every 2 s (the rate estimator), so they lag the traffic by up to 2 s: poll.
import type { InterfaceCountersView, IpvsView, NodeCountersView } from '../../../shared/api.js';
import { director, nodesWithRole, type Lab } from '../lab/model.js';
import {
  detectIpvsUnavailable,
  parseIpvsList,
  parseIpvsStats,
  type IpvsCounters,
  type IpvsProtocol,
} from '../parsers/index.js';
import type { ExecResult } from '../docker/exec.js';
import { parseSections, section, type Section } from '../docker/sections.js';
import { errorText } from '../errors.js';
import type { LabRuntime } from '../runtime/lab-runtime.js';

const MARK = '@@lvslab-ipvs-view';
const SECTIONS = {
  list: 'ipvsadm -Ln --exact',
  stats: 'ipvsadm -Ln --stats --exact',
  netdev: 'cat /proc/net/dev',
} as const;
type SectionName = keyof typeof SECTIONS;

/** The director's script: each command's output between markers, with its exit status. */
export function directorScript(): string {
  return (Object.keys(SECTIONS) as SectionName[])
    .map((name) => section(MARK, name, SECTIONS[name]))
    .join('\n');
}

/** A real server's script. */
export function countersScript(): string {
  return section(MARK, 'netdev', SECTIONS.netdev);
}

/** Splits a script's output into its sections: name → { text, rc }. */
export function splitSections(output: string): Map<string, Section> {
  return parseSections(output, MARK);
}

/**
 * Parses /proc/net/dev: per interface, the receive columns (bytes packets errs drop fifo frame
 * compressed multicast) then the transmit ones (bytes packets ...). Never throws; skips what it
 * does not understand.
 */
export function parseNetDev(text: string): InterfaceCountersView[] {
  const out: InterfaceCountersView[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*([^\s:]+):\s*(.*)$/.exec(line);
    if (!m) continue;
    const nums = (m[2] ?? '').trim().split(/\s+/).map(Number);
    if (nums.length < 16 || nums.some((n) => !Number.isFinite(n))) continue;
    out.push({
      device: m[1] ?? '',
      rxBytes: nums[0] ?? 0,
      rxPackets: nums[1] ?? 0,
      txBytes: nums[8] ?? 0,
      txPackets: nums[9] ?? 0,
    });
  }
  return out;
}

const ZERO: IpvsCounters = { conns: 0, inPkts: 0, outPkts: 0, inBytes: 0, outBytes: 0 };

/** Every address of every node of the lab, to name the real servers IPVS lists. */
function nodeByAddress(lab: Lab): Map<string, string> {
  const map = new Map<string, string>();
  for (const node of lab.nodes)
    for (const iface of node.interfaces) {
      if (!map.has(iface.ip)) map.set(iface.ip, node.name);
      for (const extra of iface.extra) if (!map.has(extra.ip)) map.set(extra.ip, node.name);
    }
  return map;
}

export interface ViewInput {
  lab: Lab;
  at: string;
  /** The director's script output, or why it could not run. */
  director: ExecResult | { error: string };
  /** Per real server, its script output or why it could not run. */
  realServers: Map<string, ExecResult | { error: string }>;
}

function countersOf(
  node: string,
  role: string,
  result: ExecResult | { error: string } | undefined,
): NodeCountersView {
  if (result === undefined) return { node, role, error: 'not read', interfaces: [] };
  if ('error' in result) return { node, role, error: result.error, interfaces: [] };
  const section = splitSections(result.stdout).get('netdev');
  if (!section || section.rc !== 0) {
    const why = (section?.text ?? (result.stderr || result.stdout)).trim().split('\n').slice(-1)[0] ?? '';
    return {
      node,
      role,
      error: `could not read /proc/net/dev: ${why || `exit ${result.exitCode}`}`,
      interfaces: [],
    };
  }
  return { node, role, error: null, interfaces: parseNetDev(section.text) };
}

/** Builds the view from the scripts' outputs. Pure. */
export function buildIpvsView(input: ViewInput): IpvsView {
  const { lab } = input;
  const directorNode = director(lab);
  const names = nodeByAddress(lab);
  const nodes: NodeCountersView[] = [
    countersOf(directorNode.name, 'director', input.director),
    ...nodesWithRole(lab, 'realserver').map((n) =>
      countersOf(n.name, 'realserver', input.realServers.get(n.name)),
    ),
  ];
  const view: IpvsView = { labId: lab.id, at: input.at, error: null, services: [], nodes };
  if ('error' in input.director) return { ...view, error: input.director.error };

  const sections = splitSections(input.director.stdout);
  const list = sections.get('list');
  const stats = sections.get('stats');
  const unavailable = detectIpvsUnavailable(`${list?.text ?? ''}\n${stats?.text ?? ''}`);
  if (unavailable) return { ...view, error: unavailable };
  if (!list || !stats) {
    const text = (input.director.stderr || input.director.stdout).trim();
    return {
      ...view,
      error: `could not read the IPVS table on ${directorNode.name}: ${text || 'no output'}`,
    };
  }
  if (list.rc !== 0 || stats.rc !== 0) {
    const failed = list.rc !== 0 ? list : stats;
    return {
      ...view,
      error: `\`${list.rc !== 0 ? SECTIONS.list : SECTIONS.stats}\` failed (exit ${failed.rc}): ${failed.text.trim().split('\n').slice(-2).join(' ')}`,
    };
  }
  const table = parseIpvsList(list.text);
  const counters = parseIpvsStats(stats.text);
  const key = (protocol: IpvsProtocol, address: string, port: number, fwmark: number | null) =>
    `${protocol} ${fwmark ?? ''} ${address} ${port}`;
  const statsByService = new Map(
    counters.services.map((s) => [key(s.protocol, s.address, s.port, s.fwmark), s]),
  );
  view.services = table.services.map((svc) => {
    const st = statsByService.get(key(svc.protocol, svc.address, svc.port, svc.fwmark));
    return {
      protocol: svc.protocol,
      address: svc.address,
      port: svc.port,
      scheduler: svc.scheduler,
      persistentSeconds: svc.persistentSeconds,
      stats: st?.values ?? ZERO,
      realServers: svc.realServers.map((rs) => ({
        address: rs.address,
        port: rs.port,
        forward: rs.forward,
        weight: rs.weight,
        node: names.get(rs.address) ?? null,
        activeConn: rs.activeConn,
        inactConn: rs.inactConn,
        stats: st?.realServers.find((r) => r.address === rs.address && r.port === rs.port)?.values ?? ZERO,
      })),
    };
  });
  return view;
}

/**
 * Reads the view of a running lab: the director's exec and the real servers' execs run at the
 * same time, each bounded by `timeoutMs`. Never throws for a stopped or missing node: the view
 * says what could not be read. For the API: `readIpvs: (lab) => readIpvsView(runtime, lab)`.
 */
export async function readIpvsView(
  runtime: Pick<LabRuntime, 'exec'>,
  lab: Lab,
  options: { timeoutMs?: number; now?: () => Date } = {},
): Promise<IpvsView> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const attempt = async (node: string, script: string): Promise<ExecResult | { error: string }> => {
    try {
      return await runtime.exec(lab.id, node, script, { timeoutMs });
    } catch (error) {
      return { error: errorText(error) };
    }
  };
  const realServers = nodesWithRole(lab, 'realserver');
  const at = (options.now ?? (() => new Date()))().toISOString();
  const [dir, ...rs] = await Promise.all([
    attempt(director(lab).name, directorScript()),
    ...realServers.map((n) => attempt(n.name, countersScript())),
  ]);
  return buildIpvsView({
    lab,
    at,
    director: dir,
    realServers: new Map(realServers.map((n, i) => [n.name, rs[i] ?? { error: 'not read' }])),
  });
}
