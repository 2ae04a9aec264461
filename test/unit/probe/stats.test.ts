import { describe, expect, it } from 'vitest';
import type { ProbeSample } from '../../../shared/api.js';
import { expectedShares } from '../../../shared/expected-shares.js';
import { LatencyHistogram, percentile, ProbeStats, RollingRate } from '../../../main/core/probe/stats.js';

describe('percentile (nearest rank)', () => {
  it('is exact on small lists', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([5], 99)).toBe(5);
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 75)).toBe(3);
    expect(percentile([1, 2, 3, 4], 100)).toBe(4);
    expect(percentile([1, 2, 3, 4], 0)).toBe(1);
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(hundred, 90)).toBe(90);
    expect(percentile(hundred, 99)).toBe(99);
  });
});

describe('LatencyHistogram', () => {
  it('is within 0.5% of the exact percentile, and within min..max', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const values = Array.from({ length: 20_000 }, () => 0.05 + random() ** 3 * 2000);
    const h = new LatencyHistogram();
    for (const v of values) h.add(v);
    for (const p of [1, 10, 50, 90, 99, 99.9]) {
      const exact = percentile(values, p) ?? 0;
      expect(Math.abs((h.percentile(p) ?? 0) - exact) / exact, `p${p}`).toBeLessThan(0.005);
    }
    expect(h.percentile(100)).toBe(Math.max(...values));
    expect(h.percentile(0)).toBe(Math.min(...values));
    expect(h.count).toBe(20_000);
  });

  it('takes zero and huge values, ignores nonsense', () => {
    const h = new LatencyHistogram();
    expect(h.percentile(50)).toBeNull();
    h.add(0);
    h.add(10_000_000);
    h.add(Number.NaN);
    h.add(-1);
    expect(h.count).toBe(2);
    expect(h.percentile(50)).toBe(0);
    expect(h.percentile(100)).toBe(10_000_000);
  });
});

describe('RollingRate', () => {
  it('counts the starts in the last window', () => {
    const r = new RollingRate(5);
    // 50 per second for 10 s.
    for (let i = 0; i < 500; i++) r.add(i * 20);
    expect(r.rate()).toBeCloseTo(50, 0);
    // Nothing since: the rate falls as the window moves on (half of it has samples).
    expect(r.rate(12_500)).toBeGreaterThan(24);
    expect(r.rate(12_500)).toBeLessThan(26);
    expect(r.rate(20_000)).toBe(0);
  });

  it('before a whole window has passed, divides by the time so far', () => {
    const r = new RollingRate(5);
    for (let i = 0; i < 100; i++) r.add(i * 10); // 100 per second for 1 s
    expect(r.rate()).toBeGreaterThan(99);
    expect(r.rate()).toBeLessThan(102);
  });

  it('follows a change of rate within one window', () => {
    const r = new RollingRate(2);
    for (let t = 0; t < 10_000; t += 100) r.add(t); // 10/s
    for (let t = 10_000; t < 14_000; t += 10) r.add(t); // then 100/s
    expect(r.rate()).toBeGreaterThan(99);
    expect(r.rate()).toBeLessThan(102);
  });
});

describe('ProbeStats', () => {
  const ok = (seq: number, node: string | null, latencyMs = 1): ProbeSample => ({
    seq,
    at: seq * 20,
    node,
    status: 200,
    latencyMs,
    error: null,
  });
  const failed = (seq: number, error: string): ProbeSample => ({
    seq,
    at: seq * 20,
    node: null,
    status: null,
    latencyMs: 300,
    error,
  });

  it('counts answers per server, errors by kind, and compares with the expectation', () => {
    const stats = new ProbeStats({ nodes: ['server2', 'server3', 'server4'] });
    stats.add([ok(1, 'server2', 1), ok(2, 'server3', 2), ok(3, 'server2', 3), ok(4, 'server3', 4)]);
    stats.add([ok(5, null, 5), failed(6, 'timeout'), failed(7, 'refused'), failed(8, 'timeout')]);
    const snap = stats.snapshot(
      expectedShares('rr', [
        { node: 'server2', weight: 1 },
        { node: 'server3', weight: 1 },
      ]),
    );
    expect(snap).toMatchObject({
      total: 8,
      answered: 5,
      attributed: 4,
      unattributed: 1,
      errors: 3,
      timeouts: 2,
      errorsByKind: { timeout: 2, refused: 1 },
    });
    expect(snap.servers).toEqual([
      { node: 'server2', count: 2, share: 0.5, expected: 0.5 },
      { node: 'server3', count: 2, share: 0.5, expected: 0.5 },
      { node: 'server4', count: 0, share: 0, expected: null },
    ]);
    // Failures stay out of the latencies: answers took 1..5 ms.
    expect(snap.latencyMs?.p50).toBeCloseTo(3, 1);
    expect(snap.latencyMs?.max).toBe(5);
    expect(stats.observed()).toEqual({ server2: 2, server3: 2, server4: 0 });
  });

  it('lists nodes it did not expect, and gives the rolling rate', () => {
    const stats = new ProbeStats({ windowSeconds: 1 });
    stats.add(Array.from({ length: 100 }, (_, i) => ok(i + 1, i % 2 ? 'a' : 'b')));
    const snap = stats.snapshot();
    expect(snap.servers.map((s) => [s.node, s.count])).toEqual([
      ['b', 50],
      ['a', 50],
    ]);
    expect(snap.ratePerSecond).toBeGreaterThan(49);
    expect(snap.ratePerSecond).toBeLessThan(52);
    expect(snap.windowSeconds).toBe(1);
    expect(snap.lastAt).toBe(2000);
    expect(stats.snapshot(null, 10_000).ratePerSecond).toBe(0);
  });

  it('an empty run', () => {
    const snap = new ProbeStats().snapshot();
    expect(snap).toMatchObject({ total: 0, errors: 0, latencyMs: null, ratePerSecond: 0, servers: [] });
  });
});
