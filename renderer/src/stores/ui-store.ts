// Page-level state: theme (persisted), which panel is shown beside the guide, the help overlay,
// and toasts for errors that belong to no view.
import { create } from 'zustand';
import type { ErrorInfo } from '../api/errors.js';

export type Theme = 'light' | 'dark';
export type Panel = 'terminals' | 'probe' | 'ipvs' | 'capture';

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  message: string;
  hint?: string;
}

export interface UiState {
  theme: Theme;
  panel: Panel;
  helpOpen: boolean;
  topologyOpen: boolean;
  toasts: Toast[];
  setTheme: (theme: Theme) => void;
  toggleTheme: () => void;
  setPanel: (panel: Panel) => void;
  setHelpOpen: (open: boolean) => void;
  setTopologyOpen: (open: boolean) => void;
  toast: (kind: Toast['kind'], info: ErrorInfo | string) => void;
  dismissToast: (id: number) => void;
}

export const THEME_KEY = 'lvs-lab.theme';
const TOAST_LIMIT = 5;

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    // Storage can be disabled (privacy settings); the theme then just is not remembered.
    return null;
  }
}

export function initialTheme(): Theme {
  const saved = storage()?.getItem(THEME_KEY);
  if (saved === 'light' || saved === 'dark') return saved;
  const prefersDark =
    typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches;
  return prefersDark ? 'dark' : 'light';
}

let nextToastId = 1;

export const useUiStore = create<UiState>()((set, get) => ({
  theme: initialTheme(),
  panel: 'terminals',
  helpOpen: false,
  topologyOpen: true,
  toasts: [],

  setTheme(theme) {
    storage()?.setItem(THEME_KEY, theme);
    set({ theme });
  },
  toggleTheme() {
    get().setTheme(get().theme === 'dark' ? 'light' : 'dark');
  },
  setPanel(panel) {
    set({ panel });
  },
  setHelpOpen(open) {
    set({ helpOpen: open });
  },
  setTopologyOpen(open) {
    set({ topologyOpen: open });
  },
  toast(kind, info) {
    const base = typeof info === 'string' ? { message: info } : info;
    const toast: Toast = { id: nextToastId++, kind, message: base.message };
    if (typeof info !== 'string' && info.hint !== undefined) toast.hint = info.hint;
    set({ toasts: [...get().toasts, toast].slice(-TOAST_LIMIT) });
  },
  dismissToast(id) {
    set({ toasts: get().toasts.filter((t) => t.id !== id) });
  },
}));
