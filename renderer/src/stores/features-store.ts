// What the core offers beyond the labs (the host terminal), asked once per page. Until the
// answer comes, and when asking fails, the extras are shown as unavailable.
import { create } from 'zustand';
import type { AppFeatures } from '../../../shared/api.js';
import { getApi } from '../api/index.js';
import { toErrorInfo, type ErrorInfo } from '../api/errors.js';

export interface FeaturesState {
  features: AppFeatures | null;
  error: ErrorInfo | null;
  loading: boolean;
  /** Asks the core, unless it already answered or is answering. */
  load: () => Promise<void>;
}

export const useFeaturesStore = create<FeaturesState>()((set, get) => ({
  features: null,
  error: null,
  loading: false,

  async load() {
    if (get().features !== null || get().loading) return;
    set({ loading: true });
    try {
      const features = await getApi().request('app.features');
      set({ features, error: null, loading: false });
    } catch (error) {
      set({ error: toErrorInfo(error), loading: false });
    }
  },
}));
