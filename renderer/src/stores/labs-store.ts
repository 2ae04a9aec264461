// The labs the core offers (shipped and the user's, with the ones that fail to load), and each
// lab's detail once fetched. Copying, importing, exporting and removing are in lab-files-store.
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
  /** The list as labs.changed sent it (a file in the user's labs folder changed). */
  applyLabs: (labs: LabSummary[]) => void;
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

  applyLabs(labs) {
    set({ labs, error: null });
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

export interface LabGroups {
  /** Shipped labs that stand alone. */
  labs: LabSummary[];
  /** Shipped bug reproductions and variations (those with a base lab). */
  reproductions: LabSummary[];
  /** The user's labs folder: their own, imported or copied (reproductions among them too). */
  user: LabSummary[];
}

/** Shipped labs, then shipped reproductions and variations, then the user's labs. */
export function groupLabs(labs: readonly LabSummary[]): LabGroups {
  const shipped = labs.filter((l) => l.source !== 'user');
  return {
    labs: shipped.filter((l) => l.base === undefined),
    reproductions: shipped.filter((l) => l.base !== undefined),
    user: labs.filter((l) => l.source === 'user'),
  };
}

/**
 * Whether two summaries of a lab say the same (labs.changed sends every lab, changed or not). Both
 * come from the core's one serializer; were their keys ever in another order, the lab would only
 * be read again for nothing.
 */
export function sameSummary(a: LabSummary, b: LabSummary): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
