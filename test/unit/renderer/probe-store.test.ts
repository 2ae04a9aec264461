// @vitest-environment jsdom
/// <reference lib="dom" />
import { beforeEach, describe, expect, it } from 'vitest';
import type { ProbeSample } from '../../../shared/api.js';
import { setApi } from '../../../renderer/src/api/index.js';
import { SAMPLE_CAPACITY, UNKNOWN_SERVER, useProbeStore } from '../../../renderer/src/stores/probe-store.js';
import { FakeLabApi } from './helpers/fake-api.js';
import { resetStores } from './helpers/stores.js';

function sample(seq: number, node: string | null, error: string | null = null, latencyMs = 2): ProbeSample {
  return { seq, at: seq * 10, node, status: error ? null : 200, latencyMs: error ? null : latencyMs, error };
}

let api: FakeLabApi;

beforeEach(() => {
  resetStores();
  api = new FakeLabApi().handle('probe.start', () => ({ probeId: 'p1' })).handle('probe.stop', () => null);
  setApi(api);
});

describe('probe store', () => {
  it('starts a probe with the chosen rate and duration', async () => {
    useProbeStore.getState().setRate(50);
    useProbeStore.getState().setDuration(20);
    await useProbeStore.getState().start('tun-arptables');
    expect(api.callsOf('probe.start')).toEqual([
      [{ labId: 'tun-arptables', ratePerSecond: 50, durationSeconds: 20 }],
    ]);
    expect(useProbeStore.getState().phase).toBe('running');
    expect(useProbeStore.getState().probeId).toBe('p1');
  });

  it('clamps the rate to 1..200 and the duration to 1..600', () => {
    const store = useProbeStore.getState();
    store.setRate(1000);
    expect(useProbeStore.getState().ratePerSecond).toBe(200);
    store.setRate(0);
    expect(useProbeStore.getState().ratePerSecond).toBe(1);
    store.setDuration(9999);
    expect(useProbeStore.getState().durationSeconds).toBe(600);
    store.setRate(Number.NaN);
    expect(useProbeStore.getState().ratePerSecond).toBe(1);
  });

  it('counts answers per server, timeouts and other errors', async () => {
    await useProbeStore.getState().start('tun-arptables');
    useProbeStore.getState().ingest({
      probeId: 'p1',
      samples: [
        sample(1, 'server2'),
        sample(2, 'server3'),
        sample(3, 'server2'),
        sample(4, null, 'timeout'),
        sample(5, null, 'refused'),
        sample(6, null),
      ],
    });
    const state = useProbeStore.getState();
    expect(state.total).toBe(6);
    expect(state.answered).toBe(4);
    expect(state.counts).toEqual({ server2: 2, server3: 1, [UNKNOWN_SERVER]: 1 });
    expect(state.timeouts).toBe(1);
    expect(state.errors).toBe(1);
    expect(state.errorKinds).toEqual({ refused: 1 });
  });

  it('keeps only the last 2000 samples but counts every answer', async () => {
    await useProbeStore.getState().start('tun-arptables');
    for (let batch = 0; batch < 5; batch++) {
      const samples = Array.from({ length: 1000 }, (_, i) =>
        sample(batch * 1000 + i, i % 2 === 0 ? 'server2' : 'server3'),
      );
      useProbeStore.getState().ingest({ probeId: 'p1', samples });
    }
    const state = useProbeStore.getState();
    expect(state.samples.size).toBe(SAMPLE_CAPACITY);
    expect(state.samples.toArray()[0]?.seq).toBe(3000);
    expect(state.total).toBe(5000);
    expect(state.counts).toEqual({ server2: 2500, server3: 2500 });
  });

  it('ignores samples of another probe', async () => {
    await useProbeStore.getState().start('tun-arptables');
    useProbeStore.getState().ingest({ probeId: 'old', samples: [sample(1, 'server2')] });
    expect(useProbeStore.getState().total).toBe(0);
  });

  it('keeps samples that arrive before probe.start answers', async () => {
    let answer: (value: { probeId: string }) => void = () => undefined;
    api.handle('probe.start', () => new Promise((resolve) => (answer = resolve)));
    const starting = useProbeStore.getState().start('tun-arptables');
    useProbeStore.getState().ingest({ probeId: 'p2', samples: [sample(1, 'server2')] });
    useProbeStore.getState().ingest({ probeId: 'stale', samples: [sample(1, 'server3')] });
    answer({ probeId: 'p2' });
    await starting;
    expect(useProbeStore.getState().counts).toEqual({ server2: 1 });
  });

  it('ends on probe.end and resets counts on the next start', async () => {
    await useProbeStore.getState().start('tun-arptables');
    useProbeStore.getState().ingest({ probeId: 'p1', samples: [sample(1, 'server2')] });
    useProbeStore.getState().end('p1', 'done');
    expect(useProbeStore.getState().phase).toBe('idle');
    expect(useProbeStore.getState().endReason).toBe('done');
    await useProbeStore.getState().start('tun-arptables');
    expect(useProbeStore.getState().total).toBe(0);
    expect(useProbeStore.getState().samples.size).toBe(0);
  });

  it('stops the probe it started', async () => {
    await useProbeStore.getState().start('tun-arptables');
    await useProbeStore.getState().stop();
    expect(api.callsOf('probe.stop')).toEqual([['p1']]);
    expect(useProbeStore.getState().phase).toBe('idle');
  });

  it('shows why a probe could not start', async () => {
    api.handle('probe.start', () => {
      throw Object.assign(new Error('lab tun-arptables is not running'), { hint: 'start it first' });
    });
    await useProbeStore.getState().start('tun-arptables');
    expect(useProbeStore.getState().phase).toBe('idle');
    expect(useProbeStore.getState().error).toEqual({
      message: 'lab tun-arptables is not running',
      hint: 'start it first',
    });
  });
});
