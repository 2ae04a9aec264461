// The live path: how many packets per second go where, from two reads of every node's packet
// counters (as the engine counts them, without entering the nodes). Read while the probe or a
// capture runs, so that the topology shows the traffic that really flows: requests into the
// director, the tunnel into each real server, and the replies that leave the real servers (and
// not the director).
import { create } from 'zustand';
import type { FlowCounters, LabDetail } from '../../../shared/api.js';
import { getApi } from '../api/index.js';

export interface LiveFlow {
  /** Packets per second into the director. */
  intoDirector: number;
  /** Packets per second out of the director: in LVS-TUN the tunnel, nothing more. */
  outOfDirector: number;
  /** Packets per second into each real server: the IPIP packets the director sends it. */
  tunnel: Record<string, number>;
  /** Packets per second each real server sends: its replies to the client. */
  replies: Record<string, number>;
}

const rate = (now: number, before: number, seconds: number) =>
  Math.max(0, Math.round((now - before) / seconds));

/** The flow between two reads; null when they cannot be compared (no time between them). */
export function flowBetween(before: FlowCounters, after: FlowCounters, detail: LabDetail): LiveFlow | null {
  const seconds = (Date.parse(after.at) - Date.parse(before.at)) / 1000;
  if (!(seconds > 0)) return null;
  const per = (name: string, key: 'rxPackets' | 'txPackets') => {
    const then = before.nodes.find((n) => n.node === name);
    const now = after.nodes.find((n) => n.node === name);
    // A node that could not be read in either counts nothing, rather than a jump.
    if (!then || !now || then.error !== null || now.error !== null) return 0;
    return rate(now[key], then[key], seconds);
  };
  const director = detail.nodes.find((n) => n.role === 'director')?.name ?? '';
  const servers = detail.nodes.filter((n) => n.role === 'realserver').map((n) => n.name);
  return {
    intoDirector: per(director, 'rxPackets'),
    outOfDirector: per(director, 'txPackets'),
    tunnel: Object.fromEntries(servers.map((s) => [s, per(s, 'rxPackets')])),
    replies: Object.fromEntries(servers.map((s) => [s, per(s, 'txPackets')])),
  };
}

/** One read a second, while it is on. */
export const FLOW_INTERVAL_MS = 1000;

export interface FlowState {
  labId: string | null;
  last: FlowCounters | null;
  flow: LiveFlow | null;
  /** A read is under way: the next tick waits for it. */
  reading: boolean;
  /** Reads the counters once more and updates the flow. */
  sample: (labId: string, detail: LabDetail) => Promise<void>;
  clear: () => void;
}

export const useFlowStore = create<FlowState>()((set, get) => ({
  labId: null,
  last: null,
  flow: null,
  reading: false,

  async sample(labId, detail) {
    if (get().labId !== labId) set({ labId, last: null, flow: null, reading: false });
    // A read can take a second on a busy engine: reads that piled up behind each other would
    // never catch up. The rate is per second of the reads' own times.
    if (get().reading) return;
    set({ reading: true });
    let view: FlowCounters;
    try {
      view = await getApi().request('flow.read', labId);
    } catch {
      return; // The next tick tries again; the lab's status says why a lab cannot be read.
    } finally {
      if (get().labId === labId) set({ reading: false });
    }
    if (get().labId !== labId) return;
    const last = get().last;
    set({ last: view, flow: last === null ? get().flow : flowBetween(last, view, detail) });
  },

  clear() {
    set({ labId: null, last: null, flow: null, reading: false });
  },
}));
