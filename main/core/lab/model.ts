// The lab as the engine uses it: the validated file plus what can be derived from it once
// (interfaces per node, the director, the real servers), so that no caller derives them again.
import type { LabFile, LabNetwork, LabNode, Role } from '../../../shared/lab-schema.js';
import type { LabIssue } from './loader.js';

export interface InterfaceAddress {
  ip: string;
  prefix: number;
}

export interface NodeInterface {
  network: string;
  /** Interface name inside the container: eth0 for the first network, eth1 for the next. */
  device: string;
  /** The address Docker assigns on this network, with the prefix the lab gives it. */
  ip: string;
  prefix: number;
  /** The network's own prefix, which Docker gives the address. */
  networkPrefix: number;
  /** Further addresses on the same segment, added when the node starts. */
  extra: InterfaceAddress[];
}

/** A file the lab places in a node (`files:`), its source resolved against the file that names it. */
export interface NodeAsset {
  /** Absolute path on this machine. */
  path: string;
  /** Absolute path in the node. */
  target: string;
  mode: number;
}

export interface LabNodeModel extends LabNode {
  interfaces: NodeInterface[];
  assets: NodeAsset[];
}

export interface Lab extends Omit<LabFile, 'nodes'> {
  nodes: LabNodeModel[];
  /** Absolute path of the file the lab was read from. */
  source: string;
  /** sha256 of the file's bytes: tells a running lab whether its file changed since `up`. */
  sourceHash: string;
  /**
   * sha256 of what the lab is created from (networks, nodes, service): a change to these needs
   * a restart, while steps, checks and faults apply to the running lab at once.
   */
  topologyHash: string;
  /** For a derived lab (a bug reproduction), the id of the lab it extends. */
  base?: string;
  /** LVS lint: likely mistakes that do not stop the lab from loading. */
  warnings: LabIssue[];
}

export function nodeByName(lab: Lab, nodeName: string): LabNodeModel | undefined {
  return lab.nodes.find((n) => n.name === nodeName);
}

export function nodesWithRole(lab: Lab, role: Role): LabNodeModel[] {
  return lab.nodes.filter((n) => n.role === role);
}

export function director(lab: Lab): LabNodeModel {
  const found = nodesWithRole(lab, 'director')[0];
  // The validator guarantees exactly one director; this keeps the type honest.
  if (!found) throw new Error(`lab ${lab.id} has no director`);
  return found;
}

/** The address a real server is known by in `ipvsadm -a -r`: its first address. */
export function primaryAddress(node: LabNodeModel): string {
  const iface = node.interfaces[0];
  if (!iface) throw new Error(`node ${node.name} has no interface`);
  return iface.ip;
}

/** Each real server's page, by node: how an answer is told apart from another. */
export function realServerPages(lab: Lab): Record<string, string> {
  return Object.fromEntries(nodesWithRole(lab, 'realserver').map((n) => [n.name, n.page ?? '']));
}

export function serviceUrl(lab: Lab): string {
  return lab.service.url ?? `http://${lab.service.vip}:${lab.service.port}/`;
}

export function networkByName(lab: Lab, networkName: string): LabNetwork | undefined {
  return lab.networks.find((n) => n.name === networkName);
}
