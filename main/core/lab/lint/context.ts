// What the rules share: the commands, cut into simple commands, and each node's end state, worked
// out once per lab so that each rule only reads it.
import type { LabFile, LabNode } from '../../../../shared/lab-schema.js';
import { parseCidr, type Subnet } from '../ipv4.js';
import { applyArpOperation, arpOperation, type ArpRule } from './arp-rules.js';
import { addressPlaced, bringsTunnelUp } from './ip-commands.js';
import { simpleCommands } from './shell-words.js';
import { sysctlWrites } from './sysctl-writes.js';

export type Path = (string | number)[];

export interface CommandLine {
  step: number;
  node: string;
  /** The command list the line is in: where a warning about the line points. */
  path: Path;
  text: string;
  simple: string[][];
}

interface Setting {
  value: number;
  /** Where the value was set: the node's `sysctls:` entry or a step's command list. */
  path: Path;
}

export interface NodeFacts {
  node: LabNode;
  /** eth0, eth1, … in the order of `addresses`, as the runtime names them. */
  interfaces: { device: string; network: string }[];
  /** Where the steps put the VIP on this node. */
  vip: { device: string; path: Path }[];
  tunnelUp: boolean;
  /** Every sysctl the lab sets on the node, with its value once all steps have run. */
  sysctls: Map<string, Setting>;
  /** The node's arptables rules once all steps have run. */
  arpRules: ArpRule[];
}

export interface LintContext {
  lab: LabFile;
  lines: CommandLine[];
  nodes: NodeFacts[];
  subnets: { name: string; subnet: Subnet; text: string }[];
}

export function lintContext(lab: LabFile): LintContext {
  const lines = lab.steps.flatMap((step, s) =>
    Object.entries(step.commands).flatMap(([node, list]) =>
      list.map((text) => ({
        step: s,
        node,
        path: ['steps', s, 'commands', node],
        text,
        simple: simpleCommands(text),
      })),
    ),
  );
  return {
    lab,
    lines,
    nodes: lab.nodes.map((node, index) => nodeFacts(lab, node, index, lines)),
    subnets: lab.networks.map((n) => ({ name: n.name, subnet: parseCidr(n.subnet), text: n.subnet })),
  };
}

/** Replays the node's commands in step order, keeping only what the rules ask about. */
function nodeFacts(lab: LabFile, node: LabNode, index: number, lines: CommandLine[]): NodeFacts {
  const facts: NodeFacts = {
    node,
    interfaces: Object.keys(node.addresses).map((network, k) => ({ device: `eth${k}`, network })),
    vip: [],
    tunnelUp: false,
    sysctls: new Map(
      Object.entries(node.sysctls ?? {}).map(([key, value]) => [
        key,
        { value: Number(value), path: ['nodes', index, 'sysctls', key] },
      ]),
    ),
    arpRules: [],
  };
  for (const line of lines.filter((l) => l.node === node.name)) {
    for (const { key, value } of sysctlWrites(line)) facts.sysctls.set(key, { value, path: line.path });
    for (const argv of line.simple) {
      const placed = addressPlaced(argv);
      if (placed?.ip === lab.service.vip) facts.vip.push({ device: placed.device, path: line.path });
      if (bringsTunnelUp(argv)) facts.tunnelUp = true;
      applyArpOperation(facts.arpRules, arpOperation(argv));
    }
  }
  return facts;
}

/**
 * The value the kernel applies on a device: for rp_filter, arp_ignore and arp_announce that is
 * the larger of `all` and the device's own. A value the lab never sets counts as 0, the kernel's
 * default: the lint warns about what the lab does, not about the Docker host.
 */
export function effective(facts: NodeFacts, name: string, device: string): number {
  const value = (key: string) => facts.sysctls.get(`net.ipv4.conf.${key}.${name}`)?.value ?? 0;
  return Math.max(value('all'), value(device));
}
