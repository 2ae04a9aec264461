import { createHash } from 'node:crypto';

// Every Docker resource the app creates carries these labels. `down` and `cleanup` select by
// them and never touch anything without them.

export const LABEL = {
  managed: 'org.lvslab.managed',
  lab: 'org.lvslab.lab',
  instance: 'org.lvslab.instance',
  node: 'org.lvslab.node',
  role: 'org.lvslab.role',
  network: 'org.lvslab.network',
  source: 'org.lvslab.source',
  sourceHash: 'org.lvslab.source-hash',
  topologyHash: 'org.lvslab.topology-hash',
  startedAt: 'org.lvslab.started-at',
  contextHash: 'org.lvslab.context-hash',
} as const;

const PREFIX = 'lvslab';

export function networkName(labId: string, network: string): string {
  return `${PREFIX}-${labId}-${network}`;
}

export function containerName(labId: string, node: string): string {
  return `${PREFIX}-${labId}-${node}`;
}

/** Host bridges of lab networks all start with this, for host rules that match `lvslab+`. */
export const BRIDGE_PREFIX = 'lvslab';

/** A Linux interface name (at most 15 characters) unique to the lab's network. */
export function bridgeName(labId: string, network: string): string {
  return `${BRIDGE_PREFIX}${createHash('sha256').update(`${labId}/${network}`).digest('hex').slice(0, 9)}`;
}

/** Label filter for dockerode list calls: `{ label: ['a=b', ...] }`. */
export function labelFilter(labels: Record<string, string>): { label: string[] } {
  return { label: Object.entries(labels).map(([key, value]) => `${key}=${value}`) };
}
