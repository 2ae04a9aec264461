// @vitest-environment jsdom
/// <reference lib="dom" />
import { beforeEach, describe, expect, it } from 'vitest';
import { setApi } from '../../../renderer/src/api/index.js';
import { firstOpenStep, stepState, useStepsStore } from '../../../renderer/src/stores/steps-store.js';
import type { StepInfo } from '../../../shared/api.js';
import { FakeLabApi } from './helpers/fake-api.js';
import { step, steps } from './helpers/fixtures.js';
import { resetStores } from './helpers/stores.js';

let api: FakeLabApi;
let current: StepInfo[];

beforeEach(() => {
  resetStores();
  current = steps;
  api = new FakeLabApi().handle('lab.steps', () => current);
  setApi(api);
});

describe('step state', () => {
  it('reads done, failed, applied and to do from the recorded progress', () => {
    expect(stepState(step('a', 'A', { checksOk: true, checkedAt: 't' }))).toBe('done');
    expect(stepState(step('a', 'A', { checksOk: false, checkedAt: 't', appliedAt: 't' }))).toBe('failed');
    expect(stepState(step('a', 'A', { appliedAt: 't' }))).toBe('applied');
    expect(stepState(step('a', 'A'))).toBe('pending');
    expect(firstOpenStep(steps)).toBe('director-ipvs');
  });
});

describe('steps store', () => {
  it('loads the steps and selects the first one not done', async () => {
    await useStepsStore.getState().load('tun-arptables');
    expect(useStepsStore.getState().steps).toHaveLength(3);
    expect(useStepsStore.getState().selectedStepId).toBe('director-ipvs');
  });

  it('moves the selection within bounds', async () => {
    await useStepsStore.getState().load('tun-arptables');
    useStepsStore.getState().move(1);
    expect(useStepsStore.getState().selectedStepId).toBe('realserver-arp');
    useStepsStore.getState().move(5);
    expect(useStepsStore.getState().selectedStepId).toBe('realserver-arp');
    useStepsStore.getState().move(-9);
    expect(useStepsStore.getState().selectedStepId).toBe('director-tunnel');
  });

  it('runs a step, keeps the run and check results, and refreshes progress', async () => {
    await useStepsStore.getState().load('tun-arptables');
    api.handle('step.run', (_labId, stepId) => {
      current = steps.map((s) =>
        s.id === stepId ? { ...s, progress: { appliedAt: 'now', checksOk: true, checkedAt: 'now' } } : s,
      );
      return {
        run: { stepId, ok: true, commands: [], skipped: [] },
        check: { stepId, ok: true, checks: [{ kind: 'link', label: 'tunl0 on server1 is up', ok: true }] },
      };
    });
    await useStepsStore.getState().run('director-ipvs');
    const state = useStepsStore.getState();
    expect(state.activity['director-ipvs']?.check?.ok).toBe(true);
    expect(state.activity['director-ipvs']?.busy).toBeNull();
    expect(state.steps?.find((s) => s.id === 'director-ipvs')?.progress.checksOk).toBe(true);
  });

  it('keeps the error of a check that could not run', async () => {
    await useStepsStore.getState().load('tun-arptables');
    api.handle('step.check', () => {
      throw new Error('lab tun-arptables is not running');
    });
    await useStepsStore.getState().check('director-ipvs');
    expect(useStepsStore.getState().activity['director-ipvs']?.error?.message).toBe(
      'lab tun-arptables is not running',
    );
  });

  it('resets progress to what the core answers', async () => {
    await useStepsStore.getState().load('tun-arptables');
    const fresh = steps.map((s) => ({ ...s, progress: {} }));
    api.handle('lab.resetProgress', () => fresh);
    await useStepsStore.getState().resetProgress();
    expect(useStepsStore.getState().steps).toEqual(fresh);
    expect(useStepsStore.getState().selectedStepId).toBe('director-tunnel');
  });
});
