// Which engine runs the labs (the host's Docker Engine or LVS Lab's built-in kernel), switching
// between them, and the progress of starting the built-in kernel. That progress may belong to a
// switch this page did not ask for: the desktop app chooses its engine as it starts, and another
// window can switch too; the page then learns of it only through the progress events.
import { create } from 'zustand';
import type { EngineChoice, EngineInfo } from '../../../shared/engine.js';
import type { ProgressEvent } from '../../../shared/progress.js';
import { getApi } from '../api/index.js';
import { toErrorInfo, type ErrorInfo } from '../api/errors.js';
import { emptyProgress, reduceProgress, type ProgressEntry, type ProgressLog } from './progress-log.js';

export type EngineAction = 'use' | 'stop';

/** The built-in kernel's start, in the order the core reports it (progress names). */
export type EnginePhaseName = 'provision' | 'boot' | 'image';

export const ENGINE_PHASES: readonly { name: EnginePhaseName; label: string }[] = [
  { name: 'provision', label: 'Provisioning' },
  { name: 'boot', label: 'Boot' },
  { name: 'image', label: 'Lab image' },
];

/**
 * A switch started elsewhere reports no failure when it fails (no event follows its last
 * progress); after this long without news the page stops showing it as under way.
 */
export const ENGINE_QUIET_MS = 180_000;

export interface EngineState {
  info: EngineInfo | null;
  /** An engine request this page made and is waiting for. */
  busy: EngineAction | null;
  /** The choice of the use() under way, so that views can say what is starting. */
  pendingChoice: EngineChoice | null;
  /**
   * The last choice this page made, for the setting. Null until it makes one, or when another
   * window switched since: the API says which engine is in use, not what was chosen.
   */
  setting: EngineChoice | null;
  /** A switch another caller started is under way (seen through its progress only). */
  elsewhere: boolean;
  /** The latest event of each phase of the built-in kernel's start. */
  progress: ProgressLog;
  /** Why the last use() or stopBuiltin() of this page failed. */
  error: { action: EngineAction; error: ErrorInfo } | null;
  /** Why engine.info could not be read. */
  infoError: ErrorInfo | null;
  logs: string | null;
  logsLoading: boolean;
  logsError: ErrorInfo | null;
  /** When info was last read or received (epoch ms): refreshIfStale() asks at most this often. */
  refreshedAt: number;
  /** An engine.info request is under way. */
  refreshing: boolean;
  /**
   * Bumped whenever a switch sets info, so that an engine.info answer asked for before the switch
   * does not overwrite what the switch reported.
   */
  infoVersion: number;

  /** Asks engine.info; while a request is under way, answers what is known. */
  refresh: () => Promise<EngineInfo | null>;
  /** refresh(), unless info is younger than maxAgeMs or a request is under way. */
  refreshIfStale: (maxAgeMs: number) => Promise<void>;
  /**
   * refresh() now, or once info is minGapMs old: news (a lab changed) is never dropped, and a
   * burst of it costs one request.
   */
  refreshSoon: (minGapMs: number) => void;
  use: (choice: EngineChoice) => Promise<boolean>;
  stopBuiltin: () => Promise<boolean>;
  loadLogs: () => Promise<void>;
  /** engine.changed: the engine in use changed (by this page's request or another's). */
  applyInfo: (info: EngineInfo) => void;
  /** A progress event of ENGINE_PROGRESS_ID. */
  applyProgress: (event: ProgressEvent) => void;
  dismissError: () => void;
}

let quietTimer: ReturnType<typeof setTimeout> | undefined;
let soonTimer: ReturnType<typeof setTimeout> | undefined;

/** Phases still working when the switch failed: the failure is theirs. */
function failWorking(log: ProgressLog, message: string): ProgressLog {
  const entries: Record<string, ProgressEntry> = {};
  for (const [key, entry] of Object.entries(log.entries)) {
    entries[key] = entry.state === 'working' ? { ...entry, state: 'failed', message } : entry;
  }
  return { ...log, entries, failed: true };
}

function allPhasesDone(log: ProgressLog): boolean {
  return ENGINE_PHASES.every((phase) => log.entries[`engine:${phase.name}`]?.state === 'done');
}

/**
 * The state that goes with an engine info the core just pushed or answered: newer than any
 * engine.info still on its way (whose answer `refresh` then drops).
 */
function freshInfo(info: EngineInfo, infoVersion: number) {
  return { info, infoVersion: infoVersion + 1, infoError: null, refreshedAt: Date.now() };
}

export const useEngineStore = create<EngineState>()((set, get) => ({
  info: null,
  busy: null,
  pendingChoice: null,
  setting: null,
  elsewhere: false,
  progress: emptyProgress,
  error: null,
  infoError: null,
  logs: null,
  logsLoading: false,
  logsError: null,
  refreshedAt: 0,
  refreshing: false,
  infoVersion: 0,

  async refresh() {
    if (get().refreshing) return get().info;
    const version = get().infoVersion;
    set({ refreshing: true });
    try {
      const info = await getApi().request('engine.info');
      const current = get().infoVersion === version;
      set({ refreshing: false, refreshedAt: Date.now(), ...(current ? { info, infoError: null } : {}) });
      return get().info;
    } catch (error) {
      set({ refreshing: false, refreshedAt: Date.now(), infoError: toErrorInfo(error) });
      return null;
    }
  },

  async refreshIfStale(maxAgeMs) {
    if (get().refreshing || get().busy !== null || Date.now() - get().refreshedAt < maxAgeMs) return;
    await get().refresh();
  },

  refreshSoon(minGapMs) {
    if (soonTimer !== undefined) return;
    const wait = Math.max(0, get().refreshedAt + minGapMs - Date.now());
    soonTimer = setTimeout(() => {
      soonTimer = undefined;
      void get().refresh();
    }, wait);
  },

  async use(choice) {
    if (get().busy !== null) return false;
    set({ busy: 'use', pendingChoice: choice, error: null, progress: emptyProgress, elsewhere: false });
    try {
      const info = await getApi().request('engine.use', choice);
      set({ ...freshInfo(info, get().infoVersion), busy: null, pendingChoice: null, setting: choice });
      return true;
    } catch (error) {
      const info = toErrorInfo(error);
      set({
        busy: null,
        pendingChoice: null,
        error: { action: 'use', error: info },
        progress: failWorking(get().progress, info.message),
      });
      // The old engine may be gone or the new one half started: show what there is now.
      void get().refresh();
      return false;
    }
  },

  async stopBuiltin() {
    if (get().busy !== null) return false;
    set({ busy: 'stop', error: null });
    try {
      const info = await getApi().request('engine.stopBuiltin');
      set({ ...freshInfo(info, get().infoVersion), busy: null, setting: null });
      return true;
    } catch (error) {
      set({ busy: null, error: { action: 'stop', error: toErrorInfo(error) } });
      void get().refresh();
      return false;
    }
  },

  async loadLogs() {
    if (get().logsLoading) return;
    set({ logsLoading: true, logsError: null });
    try {
      const logs = await getApi().request('engine.logs');
      set({ logs, logsLoading: false });
    } catch (error) {
      set({ logsLoading: false, logsError: toErrorInfo(error) });
    }
  },

  applyInfo(info) {
    clearTimeout(quietTimer);
    const mine = get().busy !== null;
    set({
      ...freshInfo(info, get().infoVersion),
      elsewhere: false,
      // A switch by another window makes this page's last choice stale.
      ...(mine ? {} : { setting: null }),
    });
  },

  applyProgress(event) {
    const { busy, elsewhere } = get();
    if (busy === 'use') {
      set({ progress: reduceProgress(get().progress, event) });
      return;
    }
    // Someone else's switch: a new one starts a new log.
    const progress = reduceProgress(elsewhere ? get().progress : emptyProgress, event);
    const over = event.state === 'failed' || allPhasesDone(progress);
    set({ progress, elsewhere: !over, error: null });
    clearTimeout(quietTimer);
    if (!over) {
      quietTimer = setTimeout(() => {
        set({ elsewhere: false });
        void get().refresh();
      }, ENGINE_QUIET_MS);
    }
  },

  dismissError() {
    set({ error: null });
  },
}));

/** Cancels the pending refresh and the quiet timeout (a fresh page in tests). */
export function cancelEngineTimers(): void {
  clearTimeout(quietTimer);
  clearTimeout(soonTimer);
  quietTimer = undefined;
  soonTimer = undefined;
}

/** A switch is under way, this page's or another's. */
export function engineSwitching(state: Pick<EngineState, 'busy' | 'elsewhere'>): boolean {
  return state.busy === 'use' || state.elsewhere;
}

/** The built-in kernel the labs run on is gone (crashed, killed, or removed). */
export function builtinDied(info: EngineInfo | null): boolean {
  if (info?.kind !== 'builtin') return false;
  const state = info.builtin.state;
  return state === 'failed' || state === 'stopped' || state === 'absent';
}

/** Each phase of the start with its latest event, null before it began. */
export function enginePhases(
  log: ProgressLog,
): { name: EnginePhaseName; label: string; entry: ProgressEntry | null }[] {
  return ENGINE_PHASES.map((phase) => ({ ...phase, entry: log.entries[`engine:${phase.name}`] ?? null }));
}
