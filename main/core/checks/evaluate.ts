// Decides each declarative check from the facts read off the nodes. Pure: every LVS rule the
// app knows about lives here and is unit-tested on real command output.
import type { Check } from '../../../shared/lab-schema.js';
import type { CheckResult } from '../../../shared/results.js';
import { normalizeDestination } from '../lab/ipv4.js';
import { director, nodeByName, primaryAddress, serviceUrl, type Lab } from '../lab/model.js';
import {
  effectiveConfValue,
  findAddress,
  findAddresses,
  findArpRule,
  routeFor,
  type AttributedSample,
  type IpvsService,
} from '../parsers/index.js';
import type { Fact, NodeFacts } from './facts.js';
import type { ReplyCapture } from './reply-capture.js';

type FactsByNode = ReadonlyMap<string, NodeFacts>;

const pass = (check: Check, label: string): CheckResult => ({ kind: check.kind, label, ok: true });
const fail = (check: Check, label: string, reason: string): CheckResult => ({
  kind: check.kind,
  label,
  ok: false,
  reason,
});

function factOf<T>(facts: FactsByNode, node: string, pick: (f: NodeFacts) => Fact<T> | undefined): Fact<T> {
  return pick(facts.get(node) ?? {}) ?? { ok: false, error: `nothing was read from ${node}` };
}

/** Evaluates every check that reads node state (all kinds except http and command). */
export function evaluateStateCheck(
  check: Check,
  lab: Lab,
  facts: FactsByNode,
  captures: ReadonlyMap<Check, CaptureOutcome> = new Map(),
): CheckResult {
  switch (check.kind) {
    case 'address':
      return checkAddress(check, lab, facts);
    case 'link':
      return checkLink(check, facts);
    case 'ipvs-service':
      return checkIpvsService(check, lab, facts);
    case 'ipvs-realserver':
      return checkRealServer(check, lab, facts);
    case 'sysctl':
      return checkSysctl(check, facts);
    case 'arptables':
      return checkArptables(check, facts);
    case 'route':
      return checkRoute(check, facts);
    case 'neighbour':
      return checkNeighbour(check, lab, facts);
    case 'replies-bypass-director':
      return checkBypass(check, lab, facts, captures.get(check));
    case 'http':
    case 'command':
      return fail(check, check.kind, `${check.kind} checks run commands; they are not evaluated from facts`);
  }
}

function checkAddress(check: Extract<Check, { kind: 'address' }>, lab: Lab, facts: FactsByNode): CheckResult {
  const address = check.address ?? lab.service.vip;
  const what = address === lab.service.vip ? `the VIP ${address}` : address;
  const label = `${check.node} has ${what}${check.prefix === undefined ? '' : `/${check.prefix}`} on ${check.device}`;
  const ifaces = factOf(facts, check.node, (f) => f.addr);
  if (!ifaces.ok) return fail(check, label, ifaces.error);
  const device = ifaces.value.find((i) => i.name === check.device);
  if (!device) return fail(check, label, missingDevice(check.device, check.node));
  // The VIP may also sit on lo or eth0; the hit on the checked device is the one that matters.
  const found =
    findAddresses(ifaces.value, address).find((hit) => hit.iface.name === check.device) ??
    findAddress(ifaces.value, address);
  if (!found) return fail(check, label, `${address} is on no interface of ${check.node}`);
  if (found.iface.name !== check.device) {
    return fail(
      check,
      label,
      `${address} is on ${found.iface.name} of ${check.node}, not on ${check.device}`,
    );
  }
  if (check.prefix !== undefined && found.address.prefixlen !== check.prefix) {
    return fail(
      check,
      label,
      `${address} on ${check.device} of ${check.node} is /${found.address.prefixlen}, expected /${check.prefix}`,
    );
  }
  if (!device.up) return fail(check, label, `${check.device} on ${check.node} is down`);
  return pass(check, label);
}

function checkLink(check: Extract<Check, { kind: 'link' }>, facts: FactsByNode): CheckResult {
  const label = `${check.device} on ${check.node} is ${check.up ? 'up' : 'down'}`;
  const ifaces = factOf(facts, check.node, (f) => f.addr);
  if (!ifaces.ok) return fail(check, label, ifaces.error);
  const device = ifaces.value.find((i) => i.name === check.device);
  if (!device) return fail(check, label, missingDevice(check.device, check.node));
  if (device.up !== check.up)
    return fail(check, label, `${check.device} on ${check.node} is ${device.up ? 'up' : 'down'}`);
  return pass(check, label);
}

function missingDevice(device: string, node: string): string {
  if (device === 'tunl0') {
    return `${node} has no tunl0 device: the Docker host's kernel has not loaded the ipip module (see lvs-lab preflight)`;
  }
  return `${node} has no device ${device}`;
}

function findService(lab: Lab, services: IpvsService[]): IpvsService | undefined {
  const { vip, port, protocol } = lab.service;
  return services.find((s) => s.address === vip && s.port === port && s.protocol === protocol.toUpperCase());
}

function serviceName(lab: Lab): string {
  return `${lab.service.protocol.toUpperCase()} ${lab.service.vip}:${lab.service.port}`;
}

function checkIpvsService(
  check: Extract<Check, { kind: 'ipvs-service' }>,
  lab: Lab,
  facts: FactsByNode,
): CheckResult {
  const node = check.node ?? director(lab).name;
  const scheduler = check.scheduler ?? lab.service.scheduler;
  const label = `${node} has the virtual service ${serviceName(lab)} with scheduler ${scheduler}`;
  const table = factOf(facts, node, (f) => f.ipvs);
  if (!table.ok) return fail(check, label, `IPVS on ${node}: ${table.error}`);
  const service = findService(lab, table.value.services);
  if (!service) {
    const present =
      table.value.services.map((s) => `${s.protocol} ${s.address}:${s.port}`).join(', ') || 'none';
    return fail(check, label, `${node} has no virtual service ${serviceName(lab)} (services: ${present})`);
  }
  if (service.scheduler !== scheduler) {
    return fail(
      check,
      label,
      `${serviceName(lab)} on ${node} uses scheduler ${service.scheduler}, expected ${scheduler}`,
    );
  }
  return pass(check, label);
}

const FORWARD_NAMES = { tunnel: 'Tunnel', route: 'Route', masq: 'Masq' } as const;
const FORWARD_FLAGS = { tunnel: '-i', route: '-g', masq: '-m' } as const;

function checkRealServer(
  check: Extract<Check, { kind: 'ipvs-realserver' }>,
  lab: Lab,
  facts: FactsByNode,
): CheckResult {
  const node = check.node ?? director(lab).name;
  const serverNode = nodeByName(lab, check.server);
  const address = serverNode ? primaryAddress(serverNode) : check.server;
  const port = check.port ?? lab.service.port;
  const forward = FORWARD_NAMES[check.forward];
  const target = `${address}:${port}`;
  const label = check.absent
    ? `${target} is not a real server of ${serviceName(lab)}`
    : `${node} forwards ${serviceName(lab)} to ${target} by ${forward}${check.weight === undefined ? '' : ` with weight ${check.weight}`}`;
  const table = factOf(facts, node, (f) => f.ipvs);
  if (!table.ok) return fail(check, label, `IPVS on ${node}: ${table.error}`);
  const service = findService(lab, table.value.services);
  if (!service) {
    return check.absent
      ? pass(check, label)
      : fail(check, label, `${node} has no virtual service ${serviceName(lab)} yet`);
  }
  const rs = service.realServers.find((r) => r.address === address && r.port === port);
  if (check.absent)
    return rs
      ? fail(check, label, `${target} is still a real server of ${serviceName(lab)}`)
      : pass(check, label);
  if (!rs) {
    const present = service.realServers.map((r) => `${r.address}:${r.port}`).join(', ') || 'none';
    return fail(
      check,
      label,
      `${target} is not a real server of ${serviceName(lab)} (real servers: ${present})`,
    );
  }
  if (rs.forward !== forward) {
    return fail(
      check,
      label,
      `${target} is forwarded by ${rs.forward}, expected ${forward} (add it with ${FORWARD_FLAGS[check.forward]})`,
    );
  }
  if (check.weight !== undefined && rs.weight !== check.weight) {
    return fail(check, label, `${target} has weight ${rs.weight}, expected ${check.weight}`);
  }
  return pass(check, label);
}

function checkSysctl(check: Extract<Check, { kind: 'sysctl' }>, facts: FactsByNode): CheckResult {
  const label = `${check.key} on ${check.node} is ${check.equals}`;
  const sysctl = factOf(facts, check.node, (f) => f.sysctl);
  if (!sysctl.ok) return fail(check, label, sysctl.error);
  if (sysctl.value.missing.includes(check.key)) {
    const device = /^net\.ipv4\.conf\.([^.]+)\./.exec(check.key)?.[1];
    return fail(
      check,
      label,
      device ? missingDevice(device, check.node) : `${check.node} has no ${check.key}`,
    );
  }
  const conf = /^net\.ipv4\.conf\.([^.]+)\.([a-z_]+)$/.exec(check.key);
  // `all` and `default` are read as they are; only a real interface combines with `all`.
  if (conf && conf[1] !== 'all' && conf[1] !== 'default') {
    const effective = effectiveConfValue(sysctl.value.values, conf[2] ?? '', conf[1] ?? '');
    if (String(effective.value) !== String(check.equals)) {
      return fail(
        check,
        label,
        `${check.key} on ${check.node} is effectively ${effective.value ?? 'unknown'}: ${effective.rule}`,
      );
    }
    return pass(check, label);
  }
  const value = sysctl.value.values.get(check.key);
  if (value === undefined) return fail(check, label, `${check.node} did not report ${check.key}`);
  if (value.trim() !== String(check.equals))
    return fail(check, label, `${check.key} on ${check.node} is ${value.trim()}`);
  return pass(check, label);
}

function checkArptables(check: Extract<Check, { kind: 'arptables' }>, facts: FactsByNode): CheckResult {
  const parts = [
    check.source && `-s ${check.source}`,
    check.destination && `-d ${check.destination}`,
    `-j ${check.target}`,
    check.mangleIpSource && `--mangle-ip-s ${check.mangleIpSource}`,
  ].filter(Boolean);
  const label = `${check.node} has the arptables rule ${check.chain} ${parts.join(' ')}`;
  const table = factOf(facts, check.node, (f) => f.arptables);
  if (!table.ok) return fail(check, label, table.error);
  const rule = findArpRule(table.value, {
    chain: check.chain,
    target: check.target,
    source: check.source,
    destination: check.destination,
    mangleIpSource: check.mangleIpSource,
  });
  if (rule) return pass(check, label);
  const rules = table.value.chains.find((c) => c.name === check.chain)?.rules.map((r) => r.raw) ?? [];
  return fail(
    check,
    label,
    `${check.node} has no such rule in ${check.chain} (rules there: ${rules.join('; ') || 'none'})`,
  );
}

function checkRoute(check: Extract<Check, { kind: 'route' }>, facts: FactsByNode): CheckResult {
  const destination = normalizeDestination(check.destination);
  const label = `${check.node} has a route to ${check.destination}${check.via ? ` via ${check.via}` : ''}${check.device ? ` dev ${check.device}` : ''}`;
  const routes = factOf(facts, check.node, (f) => f.route);
  if (!routes.ok) return fail(check, label, routes.error);
  const route = routeFor(routes.value, destination);
  if (!route) {
    const present = routes.value.map(
      (r) => `${r.dst}${r.gateway ? ` via ${r.gateway}` : ''}${r.dev ? ` dev ${r.dev}` : ''}`,
    );
    return fail(
      check,
      label,
      `${check.node} has no route to ${check.destination} (routes: ${present.join('; ') || 'none'})`,
    );
  }
  if (check.via !== undefined && route.gateway !== check.via) {
    return fail(
      check,
      label,
      `the route to ${check.destination} on ${check.node} goes ${route.gateway ? `via ${route.gateway}` : 'directly'}, expected via ${check.via}`,
    );
  }
  if (check.device !== undefined && route.dev !== check.device) {
    return fail(
      check,
      label,
      `the route to ${check.destination} on ${check.node} uses ${route.dev ?? 'no device'}, expected ${check.device}`,
    );
  }
  return pass(check, label);
}

function checkNeighbour(
  check: Extract<Check, { kind: 'neighbour' }>,
  lab: Lab,
  facts: FactsByNode,
): CheckResult {
  const address = check.address ?? lab.service.vip;
  const label = `${check.node} reaches ${address} at ${check.owner}'s MAC address`;
  const neigh = factOf(facts, check.node, (f) => f.neigh);
  if (!neigh.ok) return fail(check, label, neigh.error);
  const ownerIfaces = factOf(facts, check.owner, (f) => f.addr);
  if (!ownerIfaces.ok) return fail(check, label, ownerIfaces.error);
  const entry = neigh.value.find((n) => n.dst === address && n.lladdr !== null);
  if (!entry) return fail(check, label, `${check.node} has no neighbour entry for ${address}`);
  // Name whoever holds the entry's MAC: that is the symptom of ARP flux.
  const owners = macOwners(facts);
  const ownerMacs = ownerIfaces.value.map((i) => i.mac).filter((m): m is string => m !== null);
  if (entry.lladdr && ownerMacs.includes(entry.lladdr)) return pass(check, label);
  const holder = entry.lladdr ? owners.get(entry.lladdr) : undefined;
  return fail(
    check,
    label,
    `${check.node}'s neighbour entry for ${address} holds ${entry.lladdr ?? 'no address'}${holder ? ` (${holder}'s MAC)` : ''}, not ${check.owner}'s`,
  );
}

/** What the reply capture of a bypass check found, or why it could not be made. */
export type CaptureOutcome = { ok: true; capture: ReplyCapture } | { ok: false; error: string };

function checkBypass(
  check: Extract<Check, { kind: 'replies-bypass-director' }>,
  lab: Lab,
  facts: FactsByNode,
  outcome: CaptureOutcome | undefined,
): CheckResult {
  const node = check.node ?? director(lab).name;
  const bypass = bypassResult(check, node, lab, facts, outcome);
  if (!check.viaDirector) return bypass.result;
  // A reproduction's symptom: the same capture, read the other way round. Any other failure
  // (no service, no traffic, no capture) is still a failure.
  const label = `replies go back through ${node}`;
  if (bypass.throughDirector) return pass(check, `${label}: ${bypass.result.reason ?? ''}`);
  if (bypass.result.ok)
    return fail(
      check,
      label,
      `${bypass.result.label.replace(/^replies bypass [^:]*: /, '')}: the replies bypass ${node}`,
    );
  return fail(check, label, bypass.result.reason ?? 'the replies could not be told');
}

/** The bypass check's result, and whether it failed because the replies went through the director. */
function bypassResult(
  check: Extract<Check, { kind: 'replies-bypass-director' }>,
  node: string,
  lab: Lab,
  facts: FactsByNode,
  outcome: CaptureOutcome | undefined,
): { result: CheckResult; throughDirector: boolean } {
  const result = (r: CheckResult, throughDirector = false) => ({ result: r, throughDirector });
  const label = `replies bypass ${node}`;
  const stats = factOf(facts, node, (f) => f.ipvsStats);
  if (!stats.ok) return result(fail(check, label, `IPVS on ${node}: ${stats.error}`));
  const { vip, port, protocol } = lab.service;
  const service = stats.value.services.find(
    (s) => s.address === vip && s.port === port && s.protocol === protocol.toUpperCase(),
  );
  if (!service) return result(fail(check, label, `${node} has no virtual service ${serviceName(lab)}`));
  if (service.values.inPkts === 0)
    return result(fail(check, label, `no packet has reached ${serviceName(lab)} on ${node} yet (InPkts 0)`));
  if (!outcome) return result(fail(check, label, 'the replies were not captured'));
  if (!outcome.ok) return result(fail(check, label, `the replies could not be captured: ${outcome.error}`));
  const { client, atClient, fromDirector, requests, answered } = outcome.capture;
  if (fromDirector.length > 0) {
    const example = fromDirector[0];
    return result(
      fail(
        check,
        label,
        `${node} sent ${fromDirector.length} reply packets from port ${port}${example ? ` (${example.source} > ${example.destination})` : ''}: the replies go back through the director`,
      ),
      true,
    );
  }
  if (atClient.length === 0)
    return result(
      fail(check, label, `${client} received no reply (${answered} of ${requests} requests answered)`),
    );
  const owners = macOwners(facts);
  const directorMacs = new Set([...owners].filter(([, owner]) => owner === node).map(([mac]) => mac));
  const viaDirector = atClient.filter((f) => f.mac !== null && directorMacs.has(f.mac));
  if (viaDirector.length > 0) {
    return result(
      fail(
        check,
        label,
        `${viaDirector.length} of ${atClient.length} reply frames reached ${client} from ${node}'s MAC address: the replies go back through the director`,
      ),
      true,
    );
  }
  const senders = [
    ...new Set(atClient.map((f) => (f.mac === null ? 'unknown' : (owners.get(f.mac) ?? f.mac)))),
  ];
  return result(
    pass(
      check,
      `${label}: it sent no reply; ${client} got ${atClient.length} reply frames from ${senders.sort().join(', ')}`,
    ),
  );
}

/** Every MAC address of the lab's nodes, and whose it is. */
function macOwners(facts: FactsByNode): Map<string, string> {
  const owners = new Map<string, string>();
  for (const [name, nodeFacts] of facts) {
    if (nodeFacts.addr?.ok)
      for (const iface of nodeFacts.addr.value) if (iface.mac) owners.set(iface.mac, name);
  }
  return owners;
}

/** Decides an http check from the attributed samples the client collected. */
export function evaluateHttp(
  check: Extract<Check, { kind: 'http' }>,
  lab: Lab,
  samples: AttributedSample[],
): CheckResult {
  const url = check.url ?? serviceUrl(lab);
  const { rotation, counts, failuresAtLeast } = check.expect;
  const expectation = rotation
    ? `alternate ${rotation.join(', ')}`
    : counts
      ? `are answered ${Object.entries(counts)
          .map(([n, c]) => `${c}x by ${n}`)
          .join(', ')}`
      : `fail at least ${failuresAtLeast ?? 0} times`;
  const label = `${check.requests} requests from ${check.from} to ${url} ${expectation}`;
  const failures = samples.filter((s) => s.status === null || s.curlExit !== 0);
  const answered = samples.filter((s) => s.status !== null && s.curlExit === 0);
  const sequence = samples.map((s) =>
    s.curlExit !== 0 || s.status === null ? `failed(${curlError(s.curlExit)})` : (s.node ?? 'unknown'),
  );
  const seen = `answers: ${sequence.join(', ')}`;

  if (samples.length !== check.requests) {
    return fail(check, label, `${samples.length} of ${check.requests} requests were made (${seen})`);
  }
  if (failuresAtLeast !== undefined && failures.length < failuresAtLeast) {
    return fail(
      check,
      label,
      `only ${failures.length} requests failed, expected at least ${failuresAtLeast} (${seen})`,
    );
  }
  const allowedFailures = check.expect.failuresAtMost ?? (failuresAtLeast === undefined ? 0 : check.requests);
  if (failures.length > allowedFailures) {
    return fail(check, label, `${failures.length} of ${check.requests} requests failed (${seen})`);
  }
  const unknown = answered.filter((s) => s.node === null);
  if (unknown.length > 0 && (rotation || counts)) {
    return fail(
      check,
      label,
      `${unknown.length} answers came from no known real server (first body: ${JSON.stringify(unknown[0]?.body.slice(0, 80))})`,
    );
  }
  if (rotation) {
    // Round robin: the answers cycle through the servers in a fixed order, each once per round.
    // The order itself is the scheduler's (rr starts from the real server added last).
    const order = answered.map((s) => s.node ?? '');
    const round = order.slice(0, rotation.length);
    const strict =
      new Set(round).size === rotation.length &&
      rotation.every((n) => round.includes(n)) &&
      order.every((n, i) => n === round[i % rotation.length]);
    if (!strict)
      return fail(check, label, `the answers do not cycle strictly through ${rotation.join(', ')} (${seen})`);
  }
  if (counts) {
    for (const [node, expected] of Object.entries(counts)) {
      const got = answered.filter((s) => s.node === node).length;
      if (got !== expected)
        return fail(check, label, `${node} answered ${got} times, expected ${expected} (${seen})`);
    }
  }
  return pass(check, label);
}

function curlError(exit: number): string {
  const names: Record<number, string> = { 7: 'refused', 28: 'timeout', 52: 'empty reply', 56: 'reset' };
  return names[exit] ?? `curl exit ${exit}`;
}
