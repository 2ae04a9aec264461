// Connects the API's events to the stores and the terminal registry, once per page:
// progress and lab changes to the lab store, the engine's changes and progress to the engine
// store, probe samples to the probe store, the user's labs folder to the labs store (and the open
// lab's steps), the active lab's status to the registry (auto-reconnect), and a restored
// connection to a resync.
import type { LabApi, LabSummary } from '../../../shared/api.js';
import { ENGINE_PROGRESS_ID } from '../../../shared/engine.js';
import type { ConnectionSource } from '../api/connection.js';
import { useConnectionStore } from '../stores/connection-store.js';
import { cancelEngineTimers, useEngineStore } from '../stores/engine-store.js';
import { instanceOf, useLabStore } from '../stores/lab-store.js';
import { sameSummary, useLabsStore } from '../stores/labs-store.js';
import { usePreflightStore } from '../stores/preflight-store.js';
import { useCaptureStore } from '../stores/capture-store.js';
import { useProbeStore } from '../stores/probe-store.js';
import { useStepsStore } from '../stores/steps-store.js';
import { useUiStore } from '../stores/ui-store.js';
import type { TerminalRegistry } from '../terminal/terminal-registry.js';

/** Fallback for missed lab.changed events (a dropped socket, a container dying quietly). */
export const STATUS_POLL_MS = 15_000;
/**
 * How often, at most, the engine is asked about while a lab on the built-in kernel is open: the
 * kernel can die under the lab (killed, out of memory) and nothing else would say so.
 */
export const ENGINE_POLL_MS = 5_000;
/** A lab.changed asks about the engine too, but not more often than this. */
const ENGINE_ON_CHANGE_MS = 1_000;

/**
 * Whether a labs.changed touched the lab on screen. A user lab is read again on every change: the
 * event does not say which file changed, and an edit to a step's text or commands leaves the
 * summary as it was. A shipped lab only when its summary differs.
 */
function openLabChanged(before: readonly LabSummary[] | null, after: readonly LabSummary[], labId: string) {
  const now = after.find((lab) => lab.id === labId);
  // Gone from the list (its file removed or renamed): keep what is on screen rather than fail.
  if (now === undefined) return false;
  if (now.source === 'user') return true;
  const was = before?.find((lab) => lab.id === labId);
  return was === undefined || !sameSummary(was, now);
}

/** The open lab's detail and steps read again, keeping the selected step and what it showed. */
function reloadOpenLab(labId: string): void {
  void useLabsStore.getState().loadDetail(labId, true);
  if (useStepsStore.getState().labId === labId) void useStepsStore.getState().load(labId);
}

export function wireApp(
  api: LabApi,
  connection: ConnectionSource,
  registry: () => TerminalRegistry,
): () => void {
  const offs: (() => void)[] = [
    api.on('progress', (labId, event) => {
      if (labId === ENGINE_PROGRESS_ID) useEngineStore.getState().applyProgress(event);
      else useLabStore.getState().applyProgress(labId, event);
    }),
    api.on('lab.changed', (status) => {
      useLabStore.getState().applyStatus(status);
      useEngineStore.getState().refreshSoon(ENGINE_ON_CHANGE_MS);
    }),
    api.on('labs.changed', (labs) => {
      const before = useLabsStore.getState().labs;
      useLabsStore.getState().applyLabs(labs);
      const openLab = useLabStore.getState().activeLabId;
      if (openLab !== null && openLabChanged(before, labs, openLab)) reloadOpenLab(openLab);
    }),
    api.on('engine.changed', (info) => {
      useEngineStore.getState().applyInfo(info);
    }),
    api.on('probe.samples', (batch) => {
      useProbeStore.getState().ingest(batch);
    }),
    api.on('probe.end', (probeId, reason) => {
      useProbeStore.getState().end(probeId, reason);
    }),
    api.on('capture.done', (result) => {
      useCaptureStore.getState().finish(result);
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

  // The preflight reports on the engine in use: after a switch, ask it again.
  offs.push(
    useEngineStore.subscribe((state, previous) => {
      const before = previous.info;
      const now = state.info;
      if (before === null || now === null) return;
      if (before.kind !== now.kind || before.endpoint !== now.endpoint)
        void usePreflightStore.getState().run();
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
      void useEngineStore.getState().refresh();
      void useLabsStore.getState().load();
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

  const enginePoll = window.setInterval(() => {
    const engine = useEngineStore.getState();
    if (
      useLabStore.getState().activeLabId !== null &&
      engine.info?.kind === 'builtin' &&
      document.visibilityState !== 'hidden'
    ) {
      // Half the period: a refresh that answered just under one period ago does not skip a turn.
      void engine.refreshIfStale(ENGINE_POLL_MS / 2);
    }
  }, ENGINE_POLL_MS);
  offs.push(() => {
    window.clearInterval(enginePoll);
    cancelEngineTimers();
  });

  return () => {
    for (const off of offs) off();
  };
}
