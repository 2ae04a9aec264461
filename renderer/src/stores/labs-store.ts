// The labs the core offers (with the ones that fail to load), and each lab's detail once fetched.
import { create } from 'zustand';
import type { LabDetail, LabSummary } from '../../../shared/api.js';
import { getApi } from '../api/index.js';
import { toErrorInfo, type ErrorInfo } from '../api/errors.js';

export interface LabsState {
  labs: LabSummary[] | null;
  loading: boolean;
  error: ErrorInfo | null;
  details: Record<string, LabDetail>;
  detailErrors: Record<string, ErrorInfo>;
  load: () => Promise<void>;
  loadDetail: (labId: string, force?: boolean) => Promise<LabDetail | null>;
}

export const useLabsStore = create<LabsState>()((set, get) => ({
  labs: null,
  loading: false,
  error: null,
  details: {},
  detailErrors: {},

  async load() {
    set({ loading: true, error: null });
    try {
      const labs = await getApi().request('labs.list');
      set({ labs, loading: false });
    } catch (error) {
      set({ loading: false, error: toErrorInfo(error) });
    }
  },

  async loadDetail(labId, force = false) {
    const cached = get().details[labId];
    if (cached && !force) return cached;
    try {
      const detail = await getApi().request('labs.get', labId);
      const { [labId]: _dropped, ...detailErrors } = get().detailErrors;
      set({ details: { ...get().details, [labId]: detail }, detailErrors });
      return detail;
    } catch (error) {
      set({ detailErrors: { ...get().detailErrors, [labId]: toErrorInfo(error) } });
      return null;
    }
  },
}));

/** Labs first, then reproductions and variations (those with a base lab). */
export function groupLabs(labs: readonly LabSummary[]): { labs: LabSummary[]; reproductions: LabSummary[] } {
  return {
    labs: labs.filter((l) => l.base === undefined),
    reproductions: labs.filter((l) => l.base !== undefined),
  };
}
