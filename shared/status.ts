// What the core reports about labs present on the engine: used by `lvs-lab status`, the
// desktop app's lab view, and the tests.

export interface NodeStatus {
  name: string;
  role: string;
  containerId: string;
  /** Docker's container state: running, exited, created, ... */
  state: string;
  /** Docker's human status, e.g. "Up 3 minutes" or "Exited (137) 5 seconds ago". */
  status: string;
  /** Docker network name to IPv4 address. */
  addresses: Record<string, string>;
}

export interface NetworkStatus {
  name: string;
  dockerName: string;
  subnet: string;
}

export type LabHealth = 'running' | 'degraded' | 'orphaned';

export interface LabInstanceStatus {
  labId: string;
  instance: string;
  source: string;
  sourceHash: string;
  /** What the lab was created from (networks, nodes, service): steps can change, this cannot. */
  topologyHash: string;
  /** The lab file's networks, nodes or service changed since the lab started: a restart applies them. */
  topologyChanged?: boolean;
  startedAt: string;
  nodes: NodeStatus[];
  networks: NetworkStatus[];
  health: LabHealth;
  problems: string[];
}
