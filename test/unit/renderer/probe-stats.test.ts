// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { IpvsView, ProbeSample } from '../../../shared/api.js';
import {
  expectedForLab,
  latencyPercentiles,
  percentile,
  rollingRate,
} from '../../../renderer/src/stores/probe-stats.js';
import { arptablesDetail, ipvsView } from './helpers/fixtures.js';

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });

  it('uses successful answers only for latency', () => {
    const samples: ProbeSample[] = [
      { seq: 1, at: 0, node: 'a', status: 200, latencyMs: 1, error: null },
      { seq: 2, at: 1, node: 'a', status: 200, latencyMs: 3, error: null },
      { seq: 3, at: 2, node: null, status: null, latencyMs: 2000, error: 'timeout' },
    ];
    expect(latencyPercentiles(samples)).toEqual({ p50: 1, p95: 3 });
  });
});

describe('rollingRate', () => {
  it('counts answers in the last five seconds of probe time', () => {
    const samples: ProbeSample[] = Array.from({ length: 100 }, (_, i) => ({
      seq: i,
      at: i * 100, // 10 per second for 10 s
      node: 'a',
      status: 200,
      latencyMs: 1,
      error: null,
    }));
    expect(rollingRate(samples)).toBeCloseTo(10, 0);
    expect(rollingRate([])).toBe(0);
  });
});

describe("expected shares (the shared model, in the panel's terms)", () => {
  /** The fixture's table with the given scheduler and weights for server2 and server3. */
  function table(scheduler: string, weights: number[], extra: Partial<IpvsView['services'][number]> = {}) {
    const view = ipvsView();
    const service = view.services[0];
    if (!service) throw new Error('fixture');
    Object.assign(service, { scheduler, ...extra });
    service.realServers = service.realServers.map((rs, i) => ({ ...rs, weight: weights[i] ?? 1 }));
    return view;
  }

  it('splits rr equally, whatever the weights', () => {
    expect(expectedForLab(arptablesDetail, table('rr', [3, 1])).shares).toEqual({
      server2: 0.5,
      server3: 0.5,
    });
  });

  it('splits wrr by weight', () => {
    expect(expectedForLab(arptablesDetail, table('wrr', [3, 1])).shares).toEqual({
      server2: 0.75,
      server3: 0.25,
    });
  });

  it('gives a weight-0 server no expected share (IPVS skips it), as the CLI does', () => {
    // The old GUI copy listed it at 0; the shared model leaves it out, so the panel shows "–".
    expect(expectedForLab(arptablesDetail, table('rr', [1, 0])).shares).toEqual({ server2: 1 });
  });

  it('predicts lc and wlc in steady state, as the CLI does', () => {
    // The old GUI copy had no split for them; short connections linger as inactive, so they even out.
    expect(expectedForLab(arptablesDetail, table('lc', [3, 1])).shares).toEqual({
      server2: 0.5,
      server3: 0.5,
    });
    expect(expectedForLab(arptablesDetail, table('wlc', [3, 1])).shares).toEqual({
      server2: 0.75,
      server3: 0.25,
    });
  });

  it('a hashing or persistent service: one server, known from the answers so far', () => {
    // The old GUI copy ignored persistence and predicted rr's equal split.
    const persistent = table('rr', [1, 1], { persistentSeconds: 300 });
    expect(expectedForLab(arptablesDetail, persistent).shares).toBeNull();
    expect(expectedForLab(arptablesDetail, persistent, { server3: 9, server2: 1 }).shares).toEqual({
      server2: 0,
      server3: 1,
    });
    const sh = expectedForLab(arptablesDetail, table('sh', [1, 1]));
    expect(sh).toMatchObject({ scheduler: 'sh', shares: null, source: 'ipvs' });
    expect(sh.note).toContain('source hashing');
  });

  it('has no fixed split for load-based schedulers', () => {
    expect(expectedForLab(arptablesDetail, table('sed', [1, 1])).shares).toBeNull();
  });

  it('prefers the live IPVS table to the lab file (a step switched to wrr 3:1)', () => {
    const expected = expectedForLab(arptablesDetail, table('wrr', [3, 1]));
    expect(expected).toMatchObject({
      scheduler: 'wrr',
      source: 'ipvs',
      shares: { server2: 0.75, server3: 0.25 },
    });
  });

  it('falls back to the lab file when the table is missing or unreadable', () => {
    expect(expectedForLab(arptablesDetail, null)).toMatchObject({
      scheduler: 'rr',
      source: 'lab',
      shares: { server2: 0.5, server3: 0.5 },
    });
    const unreadable = expectedForLab(arptablesDetail, ipvsView({ error: 'no IPVS', services: [] }));
    expect(unreadable.source).toBe('lab');
    expect(unreadable.note).toContain('the IPVS table cannot be read (no IPVS)');
  });
});
