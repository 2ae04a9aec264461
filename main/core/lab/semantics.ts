// Checks a lab against itself: every reference names something that exists, the address plan
// is consistent, and the lab has the roles LVS-TUN needs. The schema checks shapes; this checks
// meaning. Each issue carries the field path so the loader can point at the line.
import type { Check, LabFile } from '../../../shared/lab-schema.js';
import { BUILTIN_FAULT_IDS } from '../faults/catalog.js';
import {
  ipToNumber,
  isUsableHost,
  splitAddress,
  highestFreeHost,
  formatCidr,
  numberToIp,
  parseCidr,
  subnetContains,
  subnetsOverlap,
  type Subnet,
} from './ipv4.js';

export interface SemanticIssue {
  path: (string | number)[];
  message: string;
}

/** Whether a step adds a route to this address (a routed VIP). */
function routesTo(lab: LabFile, address: string): boolean {
  const escaped = address.replace(/\./g, '\\.');
  const route = new RegExp(`\\broute\\s+(add|replace|append)\\s+${escaped}(/32)?(\\s|$)`);
  return lab.steps.some((step) =>
    Object.values(step.commands).some((list) => list.some((c) => route.test(c))),
  );
}

export function validateLabSemantics(lab: LabFile): SemanticIssue[] {
  const issues: SemanticIssue[] = [];
  const add = (path: (string | number)[], message: string) => issues.push({ path, message });

  const subnets = new Map<string, Subnet>();
  lab.networks.forEach((network, i) => {
    if (subnets.has(network.name)) {
      // Checking the second copy against the first would only add contradicting issues.
      add(['networks', i, 'name'], `network "${network.name}" is declared twice`);
      return;
    }
    const subnet = parseCidr(network.subnet);
    if (subnet.network !== ipToNumber(network.subnet.split('/')[0] ?? '')) {
      add(
        ['networks', i, 'subnet'],
        `${network.subnet} has host bits set; did you mean ${numberToIp(subnet.network)}/${subnet.prefix}?`,
      );
    }
    lab.networks.slice(0, i).forEach((other) => {
      if (subnetsOverlap(subnet, parseCidr(other.subnet))) {
        add(
          ['networks', i, 'subnet'],
          `${network.subnet} overlaps network "${other.name}" (${other.subnet})`,
        );
      }
    });
    if (network.gateway !== undefined && !isUsableHost(subnet, network.gateway)) {
      add(
        ['networks', i, 'gateway'],
        `gateway ${network.gateway} is not a host address of ${network.subnet}`,
      );
    }
    subnets.set(network.name, subnet);
  });

  const nodeNames = new Set<string>();
  const owners = new Map<string, string>(); // address -> "node on network"
  lab.nodes.forEach((node, i) => {
    if (nodeNames.has(node.name)) add(['nodes', i, 'name'], `node "${node.name}" is declared twice`);
    nodeNames.add(node.name);
    for (const [networkName, address] of Object.entries(node.addresses)) {
      const where = ['nodes', i, 'addresses', networkName];
      const subnet = subnets.get(networkName);
      if (!subnet) {
        add(where, `no network named "${networkName}" (networks: ${[...subnets.keys()].join(', ')})`);
        continue;
      }
      const list = Array.isArray(address) ? address : [address];
      list.forEach((text, k) => {
        const at = Array.isArray(address) ? [...where, k] : where;
        const { ip, prefix } = splitAddress(text, subnet.prefix);
        if (!isUsableHost(subnet, ip)) {
          add(
            at,
            `${ip} is not a host address of network "${networkName}" (${formatSubnet(lab, networkName)})`,
          );
          return;
        }
        if (prefix < subnet.prefix) {
          add(
            at,
            `/${prefix} is wider than network "${networkName}" (${formatSubnet(lab, networkName)}); a node's prefix may only narrow it`,
          );
        }
        const own = parseCidr(`${ip}/${prefix}`);
        if (prefix > subnet.prefix && !isUsableHost(own, ip)) {
          add(at, `${ip} is not a host address of its own subnet ${formatCidr(own)}`);
        }
        const owner = owners.get(ip);
        if (owner) add(at, `${ip} is already the address of ${owner}`);
        owners.set(ip, `node "${node.name}"`);
        const gateway = lab.networks.find((n) => n.name === networkName)?.gateway;
        if (gateway === ip) {
          add(
            at,
            `${ip} is the Docker gateway of network "${networkName}"; pick another gateway for the network`,
          );
        }
      });
    }
    if (node.page !== undefined && node.role !== 'realserver') {
      add(['nodes', i, 'page'], `only real servers serve a page; "${node.name}" is a ${node.role}`);
    }
  });

  const countRole = (role: string) => lab.nodes.filter((n) => n.role === role).length;
  if (countRole('director') !== 1)
    add(['nodes'], `a lab needs exactly one director (found ${countRole('director')})`);
  if (countRole('realserver') < 1) add(['nodes'], 'a lab needs at least one real server');
  if (countRole('client') < 1) add(['nodes'], 'a lab needs at least one client');
  lab.nodes.forEach((node, i) => {
    if (node.role === 'realserver' && node.page === undefined) {
      add(['nodes', i], `real server "${node.name}" needs a page, so that answers can be told apart`);
    }
  });

  // Docker needs one free address per network for its bridge when the lab names none.
  lab.networks.forEach((network, i) => {
    const subnet = subnets.get(network.name);
    if (network.gateway !== undefined || !subnet) return;
    const used = new Set([...owners.keys(), lab.service.vip].map(ipToNumber));
    if (highestFreeHost(subnet, used) === null) {
      add(
        ['networks', i, 'subnet'],
        `${network.subnet} has no address left for Docker's gateway; use a larger subnet`,
      );
    }
  });

  const vipOwner = owners.get(lab.service.vip);
  if (vipOwner) add(['service', 'vip'], `the VIP ${lab.service.vip} is also the address of ${vipOwner}`);
  const gatewayOf = lab.networks.find((n) => n.gateway === lab.service.vip);
  if (gatewayOf) {
    // Docker would give the VIP to its own bridge, which would then answer ARP for it.
    add(
      ['service', 'vip'],
      `the VIP ${lab.service.vip} is the Docker gateway of network "${gatewayOf.name}"`,
    );
  }
  // A VIP outside every subnet is a routed VIP (as in the kernel's own IPVS selftest): clients
  // reach it through a route, which a step must then add. Without one it is most likely a typo.
  if (
    ![...subnets.values()].some((s) => subnetContains(s, lab.service.vip)) &&
    !routesTo(lab, lab.service.vip)
  ) {
    add(
      ['service', 'vip'],
      `the VIP ${lab.service.vip} is in none of the lab's networks, and no step adds a route to it; ` +
        `for a routed VIP, add the clients' route as a step (ip route add ${lab.service.vip}/32 via <director>)`,
    );
  }

  const stepIds = new Set<string>();
  lab.steps.forEach((step, s) => {
    if (stepIds.has(step.id)) add(['steps', s, 'id'], `step id "${step.id}" is used twice`);
    stepIds.add(step.id);
    for (const nodeName of Object.keys(step.commands)) {
      if (!nodeNames.has(nodeName)) add(['steps', s, 'commands', nodeName], unknownNode(nodeName, nodeNames));
    }
    step.checks.forEach((check, c) => {
      if (check.kind === 'http' && check.expect.rotation) {
        const rotation = check.expect.rotation;
        const repeated = rotation.find((n, k) => rotation.indexOf(n) !== k);
        if (repeated)
          add(
            ['steps', s, 'checks', c, 'expect', 'rotation'],
            `${repeated} appears twice; a rotation names each server once`,
          );
      }
      for (const [field, nodeName] of nodeReferences(check)) {
        if (!nodeNames.has(nodeName))
          add(['steps', s, 'checks', c, ...field], unknownNode(nodeName, nodeNames));
      }
    });
  });

  const faultIds = new Set<string>();
  lab.faults.forEach((fault, i) => {
    if (BUILTIN_FAULT_IDS.has(fault.id)) {
      add(['faults', i, 'id'], `"${fault.id}" is the id of a fault LVS Lab ships; give this one another id`);
    } else if (faultIds.has(fault.id)) {
      add(['faults', i, 'id'], `fault "${fault.id}" is declared twice`);
    }
    faultIds.add(fault.id);
    const roles = new Set(lab.nodes.map((n) => n.role));
    if (!fault.roles.some((role) => roles.has(role))) {
      add(['faults', i, 'roles'], `no node of this lab is a ${fault.roles.join(' or ')}`);
    }
  });
  return issues;
}

/** Every node name a check refers to, with the field that holds it. */
function nodeReferences(check: Check): [(string | number)[], string][] {
  const refs: [(string | number)[], string][] = [];
  if ('node' in check && check.node !== undefined) refs.push([['node'], check.node]);
  switch (check.kind) {
    case 'http':
      refs.push([['from'], check.from]);
      check.expect.rotation?.forEach((n, i) => refs.push([['expect', 'rotation', i], n]));
      for (const n of Object.keys(check.expect.counts ?? {})) refs.push([['expect', 'counts', n], n]);
      break;
    case 'neighbour':
      refs.push([['owner'], check.owner]);
      break;
    case 'replies-bypass-director':
      if (check.from !== undefined) refs.push([['from'], check.from]);
      break;
    case 'ipvs-realserver':
      if (!/^\d/.test(check.server)) refs.push([['server'], check.server]);
      break;
    default:
      break;
  }
  return refs;
}

function unknownNode(nodeName: string, known: Set<string>): string {
  return `no node named "${nodeName}" (nodes: ${[...known].join(', ')})`;
}

function formatSubnet(lab: LabFile, networkName: string): string {
  return lab.networks.find((n) => n.name === networkName)?.subnet ?? '?';
}
