// Connects the API's events to the stores and the terminal registry, once per page:
// progress and lab changes to the lab store, probe samples to the probe store, the active lab's
// status to the registry (auto-reconnect), and a restored connection to a resync.
import type { LabApi } from '../../../shared/api.js';
import type { ConnectionSource } from '../api/connection.js';
import { useConnectionStore } from '../stores/connection-store.js';
import { instanceOf, useLabStore } from '../stores/lab-store.js';
import { useProbeStore } from '../stores/probe-store.js';
import { useStepsStore } from '../stores/steps-store.js';
import { useUiStore } from '../stores/ui-store.js';
import type { TerminalRegistry } from '../terminal/terminal-registry.js';

/** Fallback for missed lab.changed events (a dropped socket, a container dying quietly). */
export const STATUS_POLL_MS = 15_000;

export function wireApp(
  api: LabApi,
  connection: ConnectionSource,
  registry: () => TerminalRegistry,
): () => void {
  const offs: (() => void)[] = [
    api.on('progress', (labId, event) => {
      useLabStore.getState().applyProgress(labId, event);
    }),
    api.on('lab.changed', (status) => {
      useLabStore.getState().applyStatus(status);
    }),
    api.on('probe.samples', (batch) => {
      useProbeStore.getState().ingest(batch);
    }),
    api.on('probe.end', (probeId, reason) => {
      useProbeStore.getState().end(probeId, reason);
    }),
  ];

  // The registry serves the lab on screen and hears about its nodes' state.
  offs.push(
    useLabStore.subscribe((state, previous) => {
      if (state.activeLabId !== previous.activeLabId && state.activeLabId !== null) {
        registry().useLab(state.activeLabId);
      }
      if (state.instances !== previous.instances || state.activeLabId !== previous.activeLabId) {
        const terminals = registry();
        terminals.onStatus(instanceOf(state.instances, terminals.currentLab));
      }
    }),
  );

  // The lab view has no place for a failed background refresh: say it in a toast, once.
  offs.push(
    useLabStore.subscribe((state, previous) => {
      const error = state.statusError;
      if (error && !previous.statusError && state.activeLabId !== null) {
        useUiStore
          .getState()
          .toast('error', { ...error, message: `Lab status could not be read: ${error.message}` });
      }
    }),
  );

  offs.push(
    useUiStore.subscribe((state, previous) => {
      if (state.theme !== previous.theme) registry().applyTheme(state.theme);
    }),
  );

  offs.push(useConnectionStore.getState().bind(connection));
  offs.push(
    useConnectionStore.subscribe((state, previous) => {
      if (state.restored === previous.restored) return;
      // Events were missed while the socket was down: ask again, and give terminals new sessions.
      registry().onConnectionRestored();
      void useLabStore.getState().refreshStatus();
      const stepsLab = useStepsStore.getState().labId;
      if (stepsLab !== null) void useStepsStore.getState().load(stepsLab);
    }),
  );

  const poll = window.setInterval(() => {
    if (useLabStore.getState().activeLabId !== null && document.visibilityState !== 'hidden') {
      void useLabStore.getState().refreshStatus();
    }
  }, STATUS_POLL_MS);
  offs.push(() => {
    window.clearInterval(poll);
  });

  return () => {
    for (const off of offs) off();
  };
}
