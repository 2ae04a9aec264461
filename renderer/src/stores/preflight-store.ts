// Can this Docker Engine run LVS-TUN? Checked once per session (it starts a short-lived
// container), again on demand.
import { create } from 'zustand';
import type { Platform, PreflightFix, PreflightItem, PreflightReport } from '../../../shared/preflight.js';
import { getApi } from '../api/index.js';
import { toErrorInfo, type ErrorInfo } from '../api/errors.js';

export interface PreflightState {
  report: PreflightReport | null;
  loading: boolean;
  error: ErrorInfo | null;
  run: () => Promise<void>;
}

export const usePreflightStore = create<PreflightState>()((set, get) => ({
  report: null,
  loading: false,
  error: null,
  async run() {
    if (get().loading) return;
    set({ loading: true, error: null });
    try {
      const report = await getApi().request('engine.preflight');
      set({ report, loading: false });
    } catch (error) {
      set({ loading: false, error: toErrorInfo(error) });
    }
  },
}));

/** An item's fixes for the engine's platform, and the others (shown on demand). Unknown platform: all. */
export function splitFixes(
  item: PreflightItem,
  platform: Platform | null,
): { mine: PreflightFix[]; others: PreflightFix[] } {
  if (platform === null) return { mine: item.fixes, others: [] };
  return {
    mine: item.fixes.filter((f) => f.platform === platform),
    others: item.fixes.filter((f) => f.platform !== platform),
  };
}
