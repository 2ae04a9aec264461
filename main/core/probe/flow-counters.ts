// Packet counters of every node, for the live path on the topology, read from the engine's own
// container statistics rather than from inside the nodes: no process starts in any node, so that
// reading once a second costs the lab (on the built-in kernel's one CPU) next to nothing, and the
// round robin it watches keeps its timing.
import type Docker from 'dockerode';
import type { FlowCounters } from '../../../shared/api.js';
import { errorText } from '../errors.js';
import type { RunningLab } from '../lab-service.js';

interface NetworkStats {
  rx_packets?: number;
  tx_packets?: number;
}

/**
 * `running` is the lab as LabService.running found it: its status already names each node's
 * container and state, so a read lists no containers again, once a second.
 */
export async function readFlowCounters(docker: Docker, { lab, status }: RunningLab): Promise<FlowCounters> {
  const at = new Date().toISOString();
  const nodes = await Promise.all(
    lab.nodes.map(async (node) => {
      const counted = { node: node.name, role: node.role };
      const found = status.nodes.find((n) => n.name === node.name);
      if (!found)
        return { ...counted, error: `lab ${lab.id} has no node "${node.name}"`, rxPackets: 0, txPackets: 0 };
      if (found.state !== 'running') {
        const error = `node ${node.name} of lab ${lab.id} is ${found.state} (${found.status})`;
        return { ...counted, error, rxPackets: 0, txPackets: 0 };
      }
      try {
        // one-shot: the counters now, without waiting for a second sample (CPU figures we skip).
        const stats = (await docker
          .getContainer(found.containerId)
          .stats({ stream: false, 'one-shot': true } as { stream: false })) as {
          networks?: Record<string, NetworkStats>;
        };
        const networks = Object.values(stats.networks ?? {});
        return {
          ...counted,
          error: null,
          rxPackets: networks.reduce((sum, n) => sum + (n.rx_packets ?? 0), 0),
          txPackets: networks.reduce((sum, n) => sum + (n.tx_packets ?? 0), 0),
        };
      } catch (error) {
        return { ...counted, error: errorText(error), rxPackets: 0, txPackets: 0 };
      }
    }),
  );
  return { labId: lab.id, at, nodes };
}
