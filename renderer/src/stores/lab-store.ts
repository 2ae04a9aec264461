// Labs present on the engine (from lab.status and lab.changed), the lab the page shows, and
// starting, stopping and cleaning up, with their progress.
import { create } from 'zustand';
import { ENGINE_PROGRESS_ID } from '../../../shared/engine.js';
import type { LabInstanceStatus } from '../../../shared/status.js';
import type { ProgressEvent } from '../../../shared/progress.js';
import { getApi } from '../api/index.js';
import { toErrorInfo, type ErrorInfo } from '../api/errors.js';
import { emptyProgress, reduceProgress, type ProgressLog } from './progress-log.js';

export type OperationKind = 'up' | 'down' | 'cleanup';

export interface LabState {
  instances: LabInstanceStatus[] | null;
  statusError: ErrorInfo | null;
  /** The lab the page shows (running or not); null shows the picker. */
  activeLabId: string | null;
  operation: { kind: OperationKind; labId: string | null } | null;
  operationError: { kind: OperationKind; labId: string | null; error: ErrorInfo } | null;
  progress: Record<string, ProgressLog>;
  /** init() has asked lab.status once. */
  initialized: boolean;

  init: () => Promise<void>;
  refreshStatus: () => Promise<LabInstanceStatus[] | null>;
  applyStatus: (instances: LabInstanceStatus[]) => void;
  applyProgress: (labId: string, event: ProgressEvent) => void;
  open: (labId: string) => void;
  close: () => void;
  up: (labId: string) => Promise<boolean>;
  down: (labId: string) => Promise<boolean>;
  cleanup: (instances: string[]) => Promise<boolean>;
  dismissOperationError: () => void;
}

/** The lab to show after a reload: a running one first, else a degraded one; never an orphan. */
export function pickReattach(instances: readonly LabInstanceStatus[]): LabInstanceStatus | null {
  return (
    instances.find((i) => i.health === 'running') ?? instances.find((i) => i.health === 'degraded') ?? null
  );
}

/** The instance of a lab, preferring one that is not orphaned. */
export function instanceOf(instances: readonly LabInstanceStatus[] | null, labId: string | null) {
  if (!instances || labId === null) return null;
  const mine = instances.filter((i) => i.labId === labId);
  return mine.find((i) => i.health !== 'orphaned') ?? mine[0] ?? null;
}

export const useLabStore = create<LabState>()((set, get) => ({
  instances: null,
  statusError: null,
  activeLabId: null,
  operation: null,
  operationError: null,
  progress: {},
  initialized: false,

  async init() {
    const instances = await get().refreshStatus();
    set({ initialized: true });
    // After a reload, go back to the lab that is running, unless the user already chose one.
    if (instances && get().activeLabId === null) {
      const running = pickReattach(instances);
      if (running) set({ activeLabId: running.labId });
    }
  },

  async refreshStatus() {
    try {
      const instances = await getApi().request('lab.status');
      set({ instances, statusError: null });
      return instances;
    } catch (error) {
      set({ statusError: toErrorInfo(error) });
      return null;
    }
  },

  applyStatus(instances) {
    set({ instances, statusError: null });
  },

  applyProgress(labId, event) {
    // The engine's own progress is the engine store's; it is no lab.
    if (labId === ENGINE_PROGRESS_ID) return;
    const progress = get().progress;
    set({ progress: { ...progress, [labId]: reduceProgress(progress[labId] ?? emptyProgress, event) } });
  },

  open(labId) {
    set({ activeLabId: labId });
  },

  close() {
    set({ activeLabId: null });
  },

  async up(labId) {
    if (get().operation) return false;
    set({
      activeLabId: labId,
      operation: { kind: 'up', labId },
      operationError: null,
      progress: { ...get().progress, [labId]: emptyProgress },
    });
    try {
      const status = await getApi().request('lab.up', labId);
      const others = (get().instances ?? []).filter((i) => i.instance !== status.instance);
      set({ instances: [...others, status], operation: null });
      return true;
    } catch (error) {
      set({ operation: null, operationError: { kind: 'up', labId, error: toErrorInfo(error) } });
      await get().refreshStatus();
      return false;
    }
  },

  async down(labId) {
    if (get().operation) return false;
    set({
      operation: { kind: 'down', labId },
      operationError: null,
      progress: { ...get().progress, [labId]: emptyProgress },
    });
    try {
      await getApi().request('lab.down', labId);
      set({ operation: null });
      await get().refreshStatus();
      return true;
    } catch (error) {
      set({ operation: null, operationError: { kind: 'down', labId, error: toErrorInfo(error) } });
      await get().refreshStatus();
      return false;
    }
  },

  async cleanup(instances) {
    if (get().operation || instances.length === 0) return false;
    set({ operation: { kind: 'cleanup', labId: null }, operationError: null });
    try {
      await getApi().request('lab.cleanup', instances);
      set({ operation: null });
      await get().refreshStatus();
      return true;
    } catch (error) {
      set({ operation: null, operationError: { kind: 'cleanup', labId: null, error: toErrorInfo(error) } });
      await get().refreshStatus();
      return false;
    }
  },

  dismissOperationError() {
    set({ operationError: null });
  },
}));
