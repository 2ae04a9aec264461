// Packet counters of every node, for the live path on the topology, read from the engine's own
// container statistics rather than from inside the nodes: no process starts in any node, so that
// reading once a second costs the lab (on the built-in kernel's one CPU) next to nothing, and the
// round robin it watches keeps its timing.
import type { FlowCounters } from '../../../shared/api.js';
import { errorText } from '../errors.js';
import type { Lab } from '../lab/model.js';
import type { LabRuntime } from '../runtime/lab-runtime.js';

interface NetworkStats {
  rx_packets?: number;
  tx_packets?: number;
}

export async function readFlowCounters(runtime: LabRuntime, lab: Lab): Promise<FlowCounters> {
  const at = new Date().toISOString();
  const nodes = await Promise.all(
    lab.nodes.map(async (node) => {
      try {
        const container = await runtime.nodeContainer(lab.id, node.name);
        // one-shot: the counters now, without waiting for a second sample (CPU figures we skip).
        const stats = (await container.stats({ stream: false, 'one-shot': true } as { stream: false })) as {
          networks?: Record<string, NetworkStats>;
        };
        const networks = Object.values(stats.networks ?? {});
        return {
          node: node.name,
          role: node.role,
          error: null,
          rxPackets: networks.reduce((sum, n) => sum + (n.rx_packets ?? 0), 0),
          txPackets: networks.reduce((sum, n) => sum + (n.tx_packets ?? 0), 0),
        };
      } catch (error) {
        return { node: node.name, role: node.role, error: errorText(error), rxPackets: 0, txPackets: 0 };
      }
    }),
  );
  return { labId: lab.id, at, nodes };
}
