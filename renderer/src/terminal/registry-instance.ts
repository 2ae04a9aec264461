// The page's one terminal registry. The widget factory is installed by main.tsx, so that only
// the real page loads xterm; tests install a fake.
import { getApi } from '../api/index.js';
import { useTerminalsStore } from '../stores/terminals-store.js';
import { sessionStorageLedger } from './session-ledger.js';
import { TerminalRegistry } from './terminal-registry.js';
import type { TerminalViewFactory } from './terminal-view.js';

let factory: TerminalViewFactory | null = null;
let registry: TerminalRegistry | null = null;
let stop: (() => void) | null = null;

export function setTerminalViewFactory(next: TerminalViewFactory): void {
  factory = next;
}

export function getTerminalRegistry(): TerminalRegistry {
  if (!registry) {
    registry = new TerminalRegistry(
      getApi(),
      (node) => {
        if (!factory) throw new Error('no terminal widget factory installed');
        return factory(node);
      },
      useTerminalsStore,
      () => Date.now(),
      sessionStorageLedger(),
    );
    stop = registry.start();
  }
  return registry;
}

/** Drops the registry (tests; a new API). */
export function resetTerminalRegistry(): void {
  registry?.closeAll();
  stop?.();
  registry = null;
  stop = null;
}
