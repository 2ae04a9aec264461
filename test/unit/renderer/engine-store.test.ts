// @vitest-environment jsdom
/// <reference lib="dom" />
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setApi } from '../../../renderer/src/api/index.js';
import { wireApp } from '../../../renderer/src/app/wiring.js';
import {
  builtinDied,
  enginePhases,
  engineSwitching,
  useEngineStore,
} from '../../../renderer/src/stores/engine-store.js';
import { useLabStore } from '../../../renderer/src/stores/lab-store.js';
import { usePreflightStore } from '../../../renderer/src/stores/preflight-store.js';
import { alwaysOpen } from '../../../renderer/src/api/connection.js';
import {
  getTerminalRegistry,
  resetTerminalRegistry,
} from '../../../renderer/src/terminal/registry-instance.js';
import { ENGINE_PROGRESS_ID, type EngineInfo } from '../../../shared/engine.js';
import { FakeLabApi } from './helpers/fake-api.js';
import { builtinEngine, hostEngine } from './helpers/engine-fixtures.js';
import { instance, preflight } from './helpers/fixtures.js';
import { resetStores } from './helpers/stores.js';

let api: FakeLabApi;

/** A request that answers when the test says so. */
function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const engine = () => useEngineStore.getState();

beforeEach(() => {
  resetStores();
  api = new FakeLabApi().handle('engine.info', () => hostEngine());
  setApi(api);
});

describe('engine store', () => {
  it('reads which engine runs the labs', async () => {
    await engine().refresh();
    expect(engine().info?.kind).toBe('host');
    expect(engine().infoError).toBeNull();
  });

  it('keeps why engine.info failed', async () => {
    api.handle('engine.info', () => {
      throw Object.assign(new Error('Cannot connect to the Docker daemon'), { hint: 'start Docker' });
    });
    await engine().refresh();
    expect(engine().info).toBeNull();
    expect(engine().infoError).toEqual({
      message: 'Cannot connect to the Docker daemon',
      hint: 'start Docker',
    });
  });

  it('folds the start progress into one line per phase, the latest message of each', async () => {
    const answer = deferred<EngineInfo>();
    api.handle('engine.use', () => answer.promise);
    const using = engine().use('builtin');
    expect(engine().busy).toBe('use');
    expect(engineSwitching(engine())).toBe(true);
    engine().applyProgress({ phase: 'engine', name: 'provision', state: 'working', message: 'debootstrap' });
    engine().applyProgress({
      phase: 'engine',
      name: 'provision',
      state: 'working',
      message: 'docker.io',
      fraction: 0.5,
    });
    engine().applyProgress({ phase: 'engine', name: 'provision', state: 'done', message: 'lvs-lab/kernel' });
    engine().applyProgress({
      phase: 'engine',
      name: 'boot',
      state: 'working',
      message: 'booting the user-mode kernel',
    });

    const phases = enginePhases(engine().progress);
    expect(phases.map((p) => p.label)).toEqual(['Provisioning', 'Boot', 'Lab image']);
    expect(phases[0]?.entry).toMatchObject({ state: 'done', message: 'lvs-lab/kernel', fraction: 1 });
    expect(phases[1]?.entry).toMatchObject({ state: 'working', message: 'booting the user-mode kernel' });
    expect(phases[2]?.entry).toBeNull();
    // Not someone else's switch: this page's.
    expect(engine().elsewhere).toBe(false);

    answer.resolve(builtinEngine());
    await expect(using).resolves.toBe(true);
    expect(engine()).toMatchObject({ busy: null, setting: 'builtin', pendingChoice: null, error: null });
    expect(engine().info?.kind).toBe('builtin');
    expect(api.callsOf('engine.use')).toEqual([['builtin']]);
  });

  it('keeps the error and marks the phase that was working as failed', async () => {
    api.handle('engine.use', () => {
      engine().applyProgress({ phase: 'engine', name: 'provision', state: 'done' });
      engine().applyProgress({ phase: 'engine', name: 'boot', state: 'working', message: 'booting' });
      throw Object.assign(new Error('the kernel did not boot in 120 s'), { hint: 'lvs-lab engine logs' });
    });
    await expect(engine().use('builtin')).resolves.toBe(false);
    expect(engine().busy).toBeNull();
    expect(engine().error).toEqual({
      action: 'use',
      error: { message: 'the kernel did not boot in 120 s', hint: 'lvs-lab engine logs' },
    });
    const [provision, boot] = enginePhases(engine().progress);
    expect(provision?.entry?.state).toBe('done');
    expect(boot?.entry).toMatchObject({ state: 'failed', message: 'the kernel did not boot in 120 s' });
    expect(engine().progress.failed).toBe(true);
    // It asks what there is now; a new attempt clears the old error.
    expect(api.callsOf('engine.info').length).toBe(1);
    api.handle('engine.use', () => builtinEngine());
    await engine().use('builtin');
    expect(engine().error).toBeNull();
  });

  it('stops the built-in kernel and goes back to the host engine', async () => {
    useEngineStore.setState({ info: builtinEngine(), setting: 'builtin' });
    const answer = deferred<EngineInfo>();
    api.handle('engine.stopBuiltin', () => answer.promise);
    const stopping = engine().stopBuiltin();
    expect(engine().busy).toBe('stop');
    // One request at a time.
    await expect(engine().use('host')).resolves.toBe(false);
    answer.resolve(hostEngine());
    await expect(stopping).resolves.toBe(true);
    expect(engine()).toMatchObject({ busy: null, setting: null });
    expect(engine().info?.kind).toBe('host');
    expect(api.callsOf('engine.use')).toEqual([]);
  });

  it('keeps why the stop failed', async () => {
    api.handle('engine.stopBuiltin', () => {
      throw new Error('container busy');
    });
    await expect(engine().stopBuiltin()).resolves.toBe(false);
    expect(engine().error).toEqual({ action: 'stop', error: { message: 'container busy' } });
  });

  it('does not let an engine.info asked before a switch undo it', async () => {
    const old = deferred<EngineInfo>();
    api.handle('engine.info', () => old.promise);
    const refreshing = engine().refresh();
    engine().applyInfo(builtinEngine());
    old.resolve(hostEngine());
    await refreshing;
    expect(engine().info?.kind).toBe('builtin');
  });

  it('asks again only when what it knows is older than asked', async () => {
    await engine().refreshIfStale(5_000);
    await engine().refreshIfStale(5_000);
    expect(api.callsOf('engine.info').length).toBe(1);
    useEngineStore.setState({ refreshedAt: Date.now() - 6_000 });
    await engine().refreshIfStale(5_000);
    expect(api.callsOf('engine.info').length).toBe(2);
  });

  it('shows a switch another window (or the desktop app at start) is making, until it ends', () => {
    engine().applyProgress({ phase: 'engine', name: 'provision', state: 'done' });
    expect(engine().elsewhere).toBe(true);
    expect(engineSwitching(engine())).toBe(true);
    engine().applyProgress({ phase: 'engine', name: 'boot', state: 'working' });
    expect(engine().progress.order).toEqual(['engine:provision', 'engine:boot']);
    engine().applyInfo(builtinEngine());
    expect(engine().elsewhere).toBe(false);
    // A later switch starts a new log; a failure ends it.
    engine().applyProgress({ phase: 'engine', name: 'boot', state: 'working' });
    expect(engine().progress.order).toEqual(['engine:boot']);
    engine().applyProgress({ phase: 'engine', name: 'boot', state: 'failed', message: 'no kvm' });
    expect(engine().elsewhere).toBe(false);
  });

  it('forgets its own last choice when another window switches', () => {
    useEngineStore.setState({ setting: 'host' });
    engine().applyInfo(builtinEngine());
    expect(engine().setting).toBeNull();
  });

  it('reads the built-in kernel’s logs, and why it could not', async () => {
    api.handle('engine.logs', () => 'lvs-engine: phase ready Linux lvs-kernel 6.1.176');
    await engine().loadLogs();
    expect(engine().logs).toContain('phase ready');
    api.handle('engine.logs', () => {
      throw new Error('no such container');
    });
    await engine().loadLogs();
    expect(engine().logsError?.message).toBe('no such container');
  });

  it('says when the built-in kernel the labs run on is gone', () => {
    expect(builtinDied(builtinEngine('running'))).toBe(false);
    expect(builtinDied(builtinEngine('starting'))).toBe(false);
    expect(builtinDied(builtinEngine('failed', 'dockerd exited'))).toBe(true);
    expect(builtinDied(builtinEngine('stopped'))).toBe(true);
    expect(builtinDied(builtinEngine('absent'))).toBe(true);
    // The host engine in use: the built-in kernel's state is not the labs' concern.
    expect(builtinDied(hostEngine('failed'))).toBe(false);
    expect(builtinDied(null)).toBe(false);
  });
});

describe('engine events, wired', () => {
  let unwire: () => void = () => undefined;

  beforeEach(() => {
    resetTerminalRegistry();
    api.handle('engine.preflight', () => preflight).handle('lab.status', () => [instance('tun-arptables')]);
    unwire = wireApp(api, alwaysOpen, getTerminalRegistry);
  });

  afterEach(() => {
    unwire();
  });

  it('sends engine progress to the engine store, never to the labs’ progress', () => {
    api.emit('progress', ENGINE_PROGRESS_ID, { phase: 'engine', name: 'boot', state: 'working' });
    api.emit('progress', 'tun-arptables', { phase: 'network', name: 'lan', state: 'done' });
    expect(engine().progress.order).toEqual(['engine:boot']);
    expect(Object.keys(useLabStore.getState().progress)).toEqual(['tun-arptables']);
    // The lab store ignores the engine's id whoever calls it.
    useLabStore
      .getState()
      .applyProgress(ENGINE_PROGRESS_ID, { phase: 'engine', name: 'boot', state: 'done' });
    expect(Object.keys(useLabStore.getState().progress)).toEqual(['tun-arptables']);
  });

  it('takes engine.changed, and runs the preflight again on the new engine', async () => {
    await engine().refresh();
    api.emit('engine.changed', builtinEngine());
    expect(engine().info?.kind).toBe('builtin');
    expect(api.callsOf('engine.preflight').length).toBe(1);
    await usePreflightStore.getState().run();
    // The same engine again: no new preflight.
    api.emit('engine.changed', builtinEngine());
    expect(api.callsOf('engine.preflight').length).toBe(2);
  });

  it('runs the preflight once more when the engine changes while it runs', async () => {
    const first = deferred<typeof preflight>();
    api.handle('engine.preflight', () => first.promise);
    await engine().refresh();
    const running = usePreflightStore.getState().run();
    api.emit('engine.changed', builtinEngine());
    api.handle('engine.preflight', () => preflight);
    first.resolve(preflight);
    await running;
    expect(api.callsOf('engine.preflight').length).toBe(2);
    expect(usePreflightStore.getState().again).toBe(false);
  });

  it('asks about the engine when the labs change: once per burst, never dropped', async () => {
    vi.useFakeTimers();
    try {
      await engine().refresh();
      expect(api.callsOf('engine.info').length).toBe(1);
      api.emit('lab.changed', []);
      api.emit('lab.changed', []);
      await vi.advanceTimersByTimeAsync(500);
      expect(api.callsOf('engine.info').length).toBe(1);
      await vi.advanceTimersByTimeAsync(600);
      expect(api.callsOf('engine.info').length).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
