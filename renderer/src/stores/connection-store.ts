// The connection to the lab server, for the banner and for resyncing after a reconnect.
import { create } from 'zustand';
import type { ConnectionSource, ConnectionState } from '../api/connection.js';

export interface ConnectionStoreState {
  state: ConnectionState;
  /** Times the channel came back after being lost; views resync when it changes. */
  restored: number;
  source: ConnectionSource | null;
  bind: (source: ConnectionSource) => () => void;
}

export const useConnectionStore = create<ConnectionStoreState>()((set, get) => ({
  state: { status: 'open', attempt: 0, retryAt: null },
  restored: 0,
  source: null,

  bind(source) {
    let wasLost = false;
    const apply = (state: ConnectionState) => {
      if (state.status === 'reconnecting') wasLost = true;
      const restored = wasLost && state.status === 'open';
      if (restored) wasLost = false;
      set({ state, restored: get().restored + (restored ? 1 : 0) });
    };
    set({ source });
    apply(source.get());
    return source.subscribe(apply);
  },
}));
