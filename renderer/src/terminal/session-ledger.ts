// The terminal sessions this tab has open, kept in sessionStorage (per tab, survives a reload).
// After a reload the page closes the sessions its previous life left: Electron's main does that
// by itself when a window navigates, but the browser-mode server keeps a tab's sessions until
// every tab has been gone for a while, so a reloaded tab would otherwise leak its shells.

export interface SessionLedger {
  load(): string[];
  save(sessionIds: string[]): void;
}

const KEY = 'lvs-lab.terminal-sessions';

export const memoryLedger = (): SessionLedger => {
  let ids: string[] = [];
  return {
    load: () => ids,
    save: (next) => {
      ids = [...next];
    },
  };
};

export function sessionStorageLedger(): SessionLedger {
  return {
    load() {
      try {
        const value: unknown = JSON.parse(sessionStorage.getItem(KEY) ?? '[]');
        return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
      } catch {
        return [];
      }
    },
    save(sessionIds) {
      try {
        if (sessionIds.length === 0) sessionStorage.removeItem(KEY);
        else sessionStorage.setItem(KEY, JSON.stringify(sessionIds));
      } catch {
        // Storage disabled: a reload then leaves its sessions to the server's own cleanup.
      }
    },
  };
}
