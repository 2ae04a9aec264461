// The active lab's steps, their recorded progress, and what the last run or check said.
import { create } from 'zustand';
import type { StepInfo } from '../../../shared/api.js';
import type { StepCheckResult, StepRunResult } from '../../../shared/results.js';
import { getApi } from '../api/index.js';
import { toErrorInfo, type ErrorInfo } from '../api/errors.js';

export interface StepActivity {
  busy: 'run' | 'check' | null;
  run?: StepRunResult;
  check?: StepCheckResult;
  error?: ErrorInfo;
}

export interface StepsState {
  labId: string | null;
  steps: StepInfo[] | null;
  loading: boolean;
  error: ErrorInfo | null;
  selectedStepId: string | null;
  activity: Record<string, StepActivity>;
  resetting: boolean;

  load: (labId: string) => Promise<void>;
  select: (stepId: string) => void;
  /** Moves the selection by delta steps (keyboard). */
  move: (delta: number) => void;
  run: (stepId: string) => Promise<void>;
  check: (stepId: string) => Promise<void>;
  resetProgress: () => Promise<void>;
}

export type StepState = 'done' | 'failed' | 'applied' | 'pending';

/** done: its checks passed; failed: checked and not passing; applied: run but not checked. */
export function stepState(step: StepInfo): StepState {
  const { checksOk, checkedAt, appliedAt } = step.progress;
  if (checksOk === true) return 'done';
  if (checkedAt !== undefined && checksOk === false) return 'failed';
  if (appliedAt !== undefined) return 'applied';
  return 'pending';
}

/** The step to show first: the first not done, else the last. */
export function firstOpenStep(steps: readonly StepInfo[]): string | null {
  return (steps.find((s) => stepState(s) !== 'done') ?? steps[steps.length - 1])?.id ?? null;
}

export const useStepsStore = create<StepsState>()((set, get) => {
  function patch(stepId: string, change: Partial<StepActivity>): void {
    const activity = get().activity;
    const current: StepActivity = activity[stepId] ?? { busy: null };
    set({ activity: { ...activity, [stepId]: { ...current, ...change } } });
  }

  async function refresh(labId: string): Promise<void> {
    try {
      const steps = await getApi().request('lab.steps', labId);
      if (get().labId === labId) set({ steps, error: null });
    } catch (error) {
      if (get().labId === labId) set({ error: toErrorInfo(error) });
    }
  }

  return {
    labId: null,
    steps: null,
    loading: false,
    error: null,
    selectedStepId: null,
    activity: {},
    resetting: false,

    async load(labId) {
      if (get().labId !== labId) {
        set({ labId, steps: null, selectedStepId: null, activity: {}, error: null });
      }
      set({ loading: true });
      await refresh(labId);
      if (get().labId !== labId) return;
      set({ loading: false });
      // Loaded again (the lab's file changed): keep the selected step unless it is gone.
      const steps = get().steps;
      const selected = get().selectedStepId;
      if (steps && (selected === null || !steps.some((s) => s.id === selected))) {
        set({ selectedStepId: firstOpenStep(steps) });
      }
    },

    select(stepId) {
      set({ selectedStepId: stepId });
    },

    move(delta) {
      const { steps, selectedStepId } = get();
      if (!steps || steps.length === 0) return;
      const index = steps.findIndex((s) => s.id === selectedStepId);
      const next = Math.min(steps.length - 1, Math.max(0, (index < 0 ? 0 : index) + delta));
      set({ selectedStepId: steps[next]?.id ?? null });
    },

    async run(stepId) {
      const labId = get().labId;
      if (labId === null || get().activity[stepId]?.busy) return;
      patch(stepId, { busy: 'run', error: undefined });
      try {
        const result = await getApi().request('step.run', labId, stepId);
        patch(stepId, { busy: null, run: result.run, check: result.check });
      } catch (error) {
        patch(stepId, { busy: null, error: toErrorInfo(error) });
      }
      await refresh(labId);
    },

    async check(stepId) {
      const labId = get().labId;
      if (labId === null || get().activity[stepId]?.busy) return;
      patch(stepId, { busy: 'check', error: undefined });
      try {
        const check = await getApi().request('step.check', labId, stepId);
        patch(stepId, { busy: null, check });
      } catch (error) {
        patch(stepId, { busy: null, error: toErrorInfo(error) });
      }
      await refresh(labId);
    },

    async resetProgress() {
      const labId = get().labId;
      if (labId === null || get().resetting) return;
      set({ resetting: true });
      try {
        const steps = await getApi().request('lab.resetProgress', labId);
        set({ steps, activity: {}, resetting: false, error: null, selectedStepId: firstOpenStep(steps) });
      } catch (error) {
        set({ resetting: false, error: toErrorInfo(error) });
      }
    },
  };
});
