// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { ProbeSample } from '../../../shared/api.js';
import {
  expectedForLab,
  expectedShares,
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

describe('expected shares', () => {
  const servers = [
    { key: 'server2', weight: 3 },
    { key: 'server3', weight: 1 },
  ];

  it('splits rr equally, whatever the weights', () => {
    expect(expectedShares('rr', servers)).toEqual({ server2: 0.5, server3: 0.5 });
  });

  it('splits wrr by weight', () => {
    expect(expectedShares('wrr', servers)).toEqual({ server2: 0.75, server3: 0.25 });
  });

  it('gives a weight-0 server nothing (IPVS skips it)', () => {
    expect(expectedShares('rr', [...servers, { key: 'server4', weight: 0 }])).toEqual({
      server2: 0.5,
      server3: 0.5,
      server4: 0,
    });
  });

  it('has no fixed split for load-based schedulers', () => {
    expect(expectedShares('lc', servers)).toBeNull();
  });

  it('prefers the live IPVS table to the lab file (a step switched to wrr 3:1)', () => {
    const view = ipvsView();
    const service = view.services[0];
    if (!service) throw new Error('fixture');
    service.scheduler = 'wrr';
    service.realServers = service.realServers.map((rs, i) => ({ ...rs, weight: i === 0 ? 3 : 1 }));
    const expected = expectedForLab(arptablesDetail, view);
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
    expect(expectedForLab(arptablesDetail, ipvsView({ error: 'no IPVS', services: [] })).source).toBe('lab');
  });
});
