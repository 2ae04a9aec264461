// The director's IPVS table as last read. The IPVS view polls while it is visible; the
// round-robin panel reads it once per probe for the weights.
import { create } from 'zustand';
import type { IpvsView } from '../../../shared/api.js';
import { getApi } from '../api/index.js';
import { toErrorInfo, type ErrorInfo } from '../api/errors.js';

export interface IpvsState {
  labId: string | null;
  view: IpvsView | null;
  /** The request failed (as opposed to view.error: the table could not be read on the node). */
  error: ErrorInfo | null;
  loading: boolean;
  read: (labId: string) => Promise<void>;
  clear: () => void;
}

export const useIpvsStore = create<IpvsState>()((set, get) => ({
  labId: null,
  view: null,
  error: null,
  loading: false,

  async read(labId) {
    // Polling must not pile up requests behind a slow engine.
    if (get().loading && get().labId === labId) return;
    if (get().labId !== labId) set({ view: null, error: null });
    set({ labId, loading: true });
    try {
      const view = await getApi().request('ipvs.read', labId);
      if (get().labId === labId) set({ view, error: null, loading: false });
    } catch (error) {
      if (get().labId === labId) set({ error: toErrorInfo(error), loading: false });
    }
  },

  clear() {
    set({ labId: null, view: null, error: null, loading: false });
  },
}));
