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
  /** Asked again while running (the engine changed meanwhile): runs once more after. */
  again: boolean;
  run: () => Promise<void>;
}

export const usePreflightStore = create<PreflightState>()((set, get) => ({
  report: null,
  loading: false,
  error: null,
  again: false,
  async run() {
    if (get().loading) {
      set({ again: true });
      return;
    }
    set({ loading: true, error: null, again: false });
    try {
      const report = await getApi().request('engine.preflight');
      set({ report, loading: false });
    } catch (error) {
      set({ loading: false, error: toErrorInfo(error) });
    }
    // The report in hand may be about the engine used before a switch.
    if (get().again) await get().run();
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
