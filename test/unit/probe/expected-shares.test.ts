// The expected-share model, shared by the CLI (main/core/probe) and the GUI (the round-robin
// panel): tested once, here.
import { describe, expect, it } from 'vitest';
import type { IpvsView } from '../../../shared/api.js';
import { expectationForService, expectedShares } from '../../../shared/expected-shares.js';

const servers = [
  { node: 'server2', weight: 3 },
  { node: 'server3', weight: 1 },
];

describe('expectedShares', () => {
  it('rr: equal among the servers of weight > 0, whatever their weights', () => {
    expect(expectedShares('rr', servers)).toMatchObject({
      basis: 'equal',
      shares: { server2: 0.5, server3: 0.5 },
    });
    expect(expectedShares('rr', [...servers, { node: 'server4', weight: 0 }]).shares).toEqual({
      server2: 0.5,
      server3: 0.5,
    });
  });

  it('wrr: weight over the sum of weights', () => {
    expect(expectedShares('wrr', servers)).toMatchObject({
      basis: 'weights',
      shares: { server2: 0.75, server3: 0.25 },
    });
    expect(expectedShares('wrr', [...servers, { node: 'server4', weight: 0 }]).shares).toEqual({
      server2: 0.75,
      server3: 0.25,
    });
  });

  it('lc: equal; wlc: by weight (short connections linger as inactive)', () => {
    const three = [...servers, { node: 'server4', weight: 4 }];
    expect(expectedShares('lc', three).shares).toEqual({ server2: 1 / 3, server3: 1 / 3, server4: 1 / 3 });
    expect(expectedShares('wlc', three).shares).toEqual({ server2: 3 / 8, server3: 1 / 8, server4: 4 / 8 });
    expect(expectedShares('lc', three).basis).toBe('equal');
    expect(expectedShares('wlc', three).basis).toBe('weights');
  });

  it('sh: one server for one client; which one is read from the answers', () => {
    expect(expectedShares('sh', servers)).toMatchObject({ basis: 'one-server', shares: {} });
    expect(expectedShares('sh', servers, { observed: { server2: 1, server3: 40 } }).shares).toEqual({
      server2: 0,
      server3: 1,
    });
    // A weight-0 server is never the one, even if it answered (before its weight changed).
    expect(
      expectedShares('sh', [...servers, { node: 'server4', weight: 0 }], {
        observed: { server4: 99, server2: 5 },
      }).shares,
    ).toEqual({ server2: 1, server3: 0 });
  });

  it('persistence overrides the scheduler: one server', () => {
    const e = expectedShares('rr', servers, { persistent: true, observed: { server2: 10 } });
    expect(e.basis).toBe('one-server');
    expect(e.shares).toEqual({ server2: 1, server3: 0 });
  });

  it('no usable server, and schedulers without a prediction', () => {
    expect(expectedShares('rr', [{ node: 'a', weight: 0 }])).toMatchObject({ basis: 'none', shares: {} });
    expect(expectedShares('lblc', servers)).toMatchObject({ basis: 'unknown', shares: {} });
    expect(expectedShares('dh', servers).basis).toBe('one-server');
  });

  it('shares always sum to 1 when given', () => {
    for (const scheduler of ['rr', 'wrr', 'lc', 'wlc']) {
      const sum = Object.values(expectedShares(scheduler, servers).shares).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(1, 12);
    }
  });
});

describe('expectationForService', () => {
  const service = { vip: '172.25.88.100', port: 80, protocol: 'tcp', scheduler: 'rr' };
  const realServers = ['server2', 'server3'];
  const zero = { conns: 0, inPkts: 0, outPkts: 0, inBytes: 0, outBytes: 0 };
  function table(live: Partial<IpvsView['services'][number]>): Pick<IpvsView, 'services'> {
    return {
      services: [
        {
          protocol: 'TCP',
          address: '172.25.88.100',
          port: 80,
          scheduler: 'wrr',
          persistentSeconds: null,
          stats: zero,
          realServers: [
            { address: '172.25.88.2', port: 80, forward: 'tunnel', weight: 3, node: 'server2', stats: zero },
            { address: '172.25.88.3', port: 80, forward: 'tunnel', weight: 1, node: null, stats: zero },
          ],
          ...live,
        },
      ],
    };
  }

  it("takes the director's live scheduler and weights, whatever the protocol's case; an unknown node by its address", () => {
    expect(expectationForService(service, realServers, table({}))).toEqual({
      source: 'ipvs',
      expected: expect.objectContaining({
        scheduler: 'wrr',
        basis: 'weights',
        shares: { server2: 0.75, '172.25.88.3': 0.25 },
      }) as unknown,
    });
  });

  it('a persistent live service: one server, the one that answered most', () => {
    const { expected } = expectationForService(service, realServers, table({ persistentSeconds: 300 }), {
      server2: 2,
      '172.25.88.3': 7,
    });
    expect(expected).toMatchObject({ basis: 'one-server', shares: { server2: 0, '172.25.88.3': 1 } });
  });

  it("the lab file's scheduler, weight 1 each, without a table or without the lab's service in it", () => {
    for (const view of [null, { services: [] }, table({ port: 8080 }), table({ address: '10.0.0.1' })]) {
      expect(expectationForService(service, realServers, view)).toEqual({
        source: 'lab',
        expected: expect.objectContaining({
          scheduler: 'rr',
          shares: { server2: 0.5, server3: 0.5 },
        }) as unknown,
      });
    }
  });
});
