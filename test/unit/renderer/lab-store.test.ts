// @vitest-environment jsdom
/// <reference lib="dom" />
import { beforeEach, describe, expect, it } from 'vitest';
import { setApi } from '../../../renderer/src/api/index.js';
import { instanceOf, pickReattach, useLabStore } from '../../../renderer/src/stores/lab-store.js';
import { FakeLabApi } from './helpers/fake-api.js';
import { instance } from './helpers/fixtures.js';
import { resetStores } from './helpers/stores.js';

let api: FakeLabApi;

beforeEach(() => {
  resetStores();
  api = new FakeLabApi();
  setApi(api);
});

describe('reattach after a reload', () => {
  it('opens the running lab', async () => {
    api.handle('lab.status', () => [instance('tun-arptables')]);
    await useLabStore.getState().init();
    expect(useLabStore.getState().initialized).toBe(true);
    expect(useLabStore.getState().activeLabId).toBe('tun-arptables');
  });

  it('prefers a running lab to a degraded one and never opens an orphan', () => {
    const orphan = instance('tun-sysctl', 'orphaned', { instance: 'aaaaaaaa' });
    const degraded = instance('tun-cross-subnet', 'degraded', { instance: 'bbbbbbbb' });
    const running = instance('tun-arptables', 'running', { instance: 'cccccccc' });
    expect(pickReattach([orphan, degraded, running])?.labId).toBe('tun-arptables');
    expect(pickReattach([orphan, degraded])?.labId).toBe('tun-cross-subnet');
    expect(pickReattach([orphan])).toBeNull();
  });

  it('stays on the picker when nothing runs, and shows a status error', async () => {
    api.handle('lab.status', () => []);
    await useLabStore.getState().init();
    expect(useLabStore.getState().activeLabId).toBeNull();

    resetStores();
    api.handle('lab.status', () => {
      throw new Error('Cannot connect to the Docker daemon');
    });
    await useLabStore.getState().init();
    expect(useLabStore.getState().statusError?.message).toBe('Cannot connect to the Docker daemon');
    expect(useLabStore.getState().initialized).toBe(true);
  });

  it('keeps a lab the user opened meanwhile', async () => {
    api.handle('lab.status', () => [instance('tun-arptables')]);
    const init = useLabStore.getState().init();
    useLabStore.getState().open('tun-sysctl');
    await init;
    expect(useLabStore.getState().activeLabId).toBe('tun-sysctl');
  });
});

describe('start, stop, cleanup', () => {
  it('opens the lab, collects progress, and records its status', async () => {
    api.handle('lab.up', (labId) => {
      // The core reports progress while lab.up runs.
      useLabStore.getState().applyProgress(labId, { phase: 'network', name: 'lan', state: 'done' });
      expect(useLabStore.getState().operation).toEqual({ kind: 'up', labId });
      return instance(labId);
    });
    const ok = await useLabStore.getState().up('tun-arptables');
    const state = useLabStore.getState();
    expect(ok).toBe(true);
    expect(state.activeLabId).toBe('tun-arptables');
    expect(state.operation).toBeNull();
    expect(state.progress['tun-arptables']?.order).toEqual(['network:lan']);
    expect(instanceOf(state.instances, 'tun-arptables')?.health).toBe('running');
  });

  it('keeps the error, its hint and the progress when start fails', async () => {
    api.handle('lab.up', () => {
      throw Object.assign(new Error('subnet 172.25.88.0/24 overlaps network foo'), { hint: 'remove foo' });
    });
    api.handle('lab.status', () => []);
    const ok = await useLabStore.getState().up('tun-arptables');
    expect(ok).toBe(false);
    expect(useLabStore.getState().operationError).toEqual({
      kind: 'up',
      labId: 'tun-arptables',
      error: { message: 'subnet 172.25.88.0/24 overlaps network foo', hint: 'remove foo' },
    });
  });

  it('stops a lab and refreshes the status', async () => {
    api.handle('lab.down', () => ({ containers: 4, networks: 1 }));
    api.handle('lab.status', () => []);
    useLabStore.setState({ instances: [instance('tun-arptables')], activeLabId: 'tun-arptables' });
    expect(await useLabStore.getState().down('tun-arptables')).toBe(true);
    expect(useLabStore.getState().instances).toEqual([]);
  });

  it('cleans up the instances it is given', async () => {
    api.handle('lab.cleanup', () => ({ containers: 2, networks: 1 }));
    api.handle('lab.status', () => []);
    expect(await useLabStore.getState().cleanup(['a1b2c3d4'])).toBe(true);
    expect(api.callsOf('lab.cleanup')).toEqual([[['a1b2c3d4']]]);
  });

  it('runs one operation at a time', async () => {
    let finish: () => void = () => undefined;
    api.handle(
      'lab.up',
      (labId) =>
        new Promise(
          (resolve) =>
            (finish = () => {
              resolve(instance(labId));
            }),
        ),
    );
    const first = useLabStore.getState().up('tun-arptables');
    expect(await useLabStore.getState().up('tun-sysctl')).toBe(false);
    finish();
    expect(await first).toBe(true);
  });

  it('takes lab.changed as the new status', () => {
    useLabStore.getState().applyStatus([instance('tun-arptables', 'degraded')]);
    expect(instanceOf(useLabStore.getState().instances, 'tun-arptables')?.health).toBe('degraded');
  });
});
