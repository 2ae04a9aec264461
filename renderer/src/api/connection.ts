// Whether the page can hear the lab server. Electron's IPC is always there; the browser client's
// WebSocket can drop and reconnect, and the page shows a banner meanwhile.

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Failed attempts since the socket was last open. */
  attempt: number;
  /** When the next attempt starts (epoch ms), while reconnecting. */
  retryAt: number | null;
}

export interface ConnectionSource {
  get(): ConnectionState;
  subscribe(listener: (state: ConnectionState) => void): () => void;
  /** Try now instead of waiting for the backoff. */
  retryNow(): void;
}

/** For shells whose channel cannot drop (Electron IPC). */
export const alwaysOpen: ConnectionSource = {
  get: () => ({ status: 'open', attempt: 0, retryAt: null }),
  subscribe: () => () => undefined,
  retryNow: () => undefined,
};
