// Terminal metadata only: which node (or the host) has a session, in what state, and which tab
// is shown. The bytes never pass through here (they go straight from the API to xterm), nor do
// the xterm instances: a store update per chunk would re-render the page at the terminal's data
// rate.
import { create } from 'zustand';
import type { ErrorInfo } from '../api/errors.js';

export type TerminalStatus = 'idle' | 'connecting' | 'open' | 'exited' | 'error';

export interface TerminalMeta {
  labId: string;
  node: string;
  sessionId: string | null;
  status: TerminalStatus;
  exitCode: number | null;
  reason: string | null;
  error: ErrorInfo | null;
}

export interface TerminalsState {
  /** By node, for the lab the registry serves. */
  sessions: Record<string, TerminalMeta>;
  activeNode: string | null;
  searchOpen: boolean;
  update: (labId: string, node: string, change: Partial<Omit<TerminalMeta, 'labId' | 'node'>>) => void;
  setActive: (node: string | null) => void;
  setSearchOpen: (open: boolean) => void;
  /** Forgets every terminal but those in `keep` (the host's, when a lab's are closed). */
  clear: (keep?: string[]) => void;
}

export const useTerminalsStore = create<TerminalsState>()((set, get) => ({
  sessions: {},
  activeNode: null,
  searchOpen: false,

  update(labId, node, change) {
    const current: TerminalMeta = get().sessions[node] ?? {
      labId,
      node,
      sessionId: null,
      status: 'idle',
      exitCode: null,
      reason: null,
      error: null,
    };
    set({ sessions: { ...get().sessions, [node]: { ...current, ...change, labId, node } } });
  },

  setActive(node) {
    set({ activeNode: node, searchOpen: false });
  },

  setSearchOpen(open) {
    set({ searchOpen: open });
  },

  clear(keep = []) {
    const { sessions, activeNode } = get();
    set({
      sessions: Object.fromEntries(Object.entries(sessions).filter(([node]) => keep.includes(node))),
      activeNode: activeNode !== null && keep.includes(activeNode) ? activeNode : null,
      searchOpen: false,
    });
  },
}));
