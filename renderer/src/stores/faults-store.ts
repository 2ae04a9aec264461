// The running lab's faults (Break/Fix): which each node can take, which are on, and the last
// break or fix with its outcome. The list is read again after every change, since the core's
// record (kept with the lab's progress, shared with the CLI) is the truth.
import { create } from 'zustand';
import type { FaultInfo, FaultRunResult } from '../../../shared/results.js';
import { getApi } from '../api/index.js';
import { toErrorInfo, type ErrorInfo } from '../api/errors.js';

export interface FaultsState {
  labId: string | null;
  faults: FaultInfo[];
  error: ErrorInfo | null;
  /** "node/fault" while its break or fix runs; one at a time. */
  busy: string | null;
  /** The last break or fix, so the menu can say what happened and what to look for. */
  last: FaultRunResult | null;
  load: (labId: string) => Promise<void>;
  breakFault: (labId: string, node: string, fault: string) => Promise<void>;
  fixFault: (labId: string, node: string, fault: string) => Promise<void>;
  clear: () => void;
}

export const useFaultsStore = create<FaultsState>()((set, get) => {
  async function change(labId: string, node: string, fault: string, action: 'break' | 'fix') {
    if (get().busy !== null) return;
    set({ busy: `${node}/${fault}`, error: null, last: null });
    try {
      const result =
        action === 'break'
          ? await getApi().request('fault.break', labId, node, fault)
          : ((await getApi().request('fault.fix', labId, node, fault))[0] ?? null);
      set({ last: result });
    } catch (error) {
      set({ error: toErrorInfo(error) });
    } finally {
      set({ busy: null });
    }
    await get().load(labId);
  }

  return {
    labId: null,
    faults: [],
    error: null,
    busy: null,
    last: null,

    async load(labId) {
      if (get().labId !== labId) set({ labId, faults: [], last: null, error: null });
      try {
        const faults = await getApi().request('fault.list', labId);
        if (get().labId === labId) set({ faults });
      } catch (error) {
        if (get().labId === labId) set({ error: toErrorInfo(error) });
      }
    },

    breakFault: (labId, node, fault) => change(labId, node, fault, 'break'),
    fixFault: (labId, node, fault) => change(labId, node, fault, 'fix'),

    clear() {
      set({ labId: null, faults: [], error: null, busy: null, last: null });
    },
  };
});
