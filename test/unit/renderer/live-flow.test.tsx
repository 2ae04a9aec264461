// @vitest-environment jsdom
/// <reference lib="dom" />
// The live path on the topology: rates from two reads of the counters, and arrows drawn only
// where packets were counted, while the probe runs.
import { act, cleanup, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FlowCounters } from '../../../shared/api.js';
import { flowBetween } from '../../../renderer/src/stores/flow-store.js';
import { useProbeStore } from '../../../renderer/src/stores/probe-store.js';
import { edgeTowards } from '../../../renderer/src/views/topology/TopologyFlow.js';
import { TopologyView } from '../../../renderer/src/views/topology/TopologyView.js';
import { layoutTopology } from '../../../renderer/src/views/topology/topology-layout.js';
import { FakeLabApi } from './helpers/fake-api.js';
import { arptablesDetail, instance } from './helpers/fixtures.js';
import { setup } from './helpers/render.js';

/** A read of the counters `t` seconds in, with the traffic going to server2 only. */
function read(
  t: number,
  directorRx: number,
  directorTx: number,
  server2Rx: number,
  server2Tx: number,
): FlowCounters {
  const node = (name: string, role: string, rxPackets: number, txPackets: number) => ({
    node: name,
    role,
    error: null,
    rxPackets,
    txPackets,
  });
  return {
    labId: 'tun-arptables',
    at: new Date(Date.UTC(2026, 11, 1, 14, 0, t)).toISOString(),
    nodes: [
      node('server1', 'director', directorRx, directorTx),
      node('server2', 'realserver', server2Rx, server2Tx),
      node('server3', 'realserver', 50, 40),
      node('client', 'client', 999, 999),
    ],
  };
}

describe('flowBetween', () => {
  it('gives packets per second into and out of the director, and into and out of each real server', () => {
    expect(flowBetween(read(0, 100, 36, 36, 60), read(2, 124, 60, 60, 84), arptablesDetail)).toEqual({
      intoDirector: 12,
      outOfDirector: 12,
      tunnel: { server2: 12, server3: 0 },
      replies: { server2: 12, server3: 0 },
    });
  });

  it('cannot compare reads with no time between them; a node that could not be read counts nothing', () => {
    expect(flowBetween(read(1, 0, 0, 0, 0), read(1, 1, 1, 1, 1), arptablesDetail)).toBeNull();
    const broken = read(1, 112, 48, 48, 72);
    broken.nodes = broken.nodes.map((n) =>
      n.node === 'server2' ? { ...n, error: 'node server2 is exited' } : n,
    );
    expect(flowBetween(read(0, 100, 36, 36, 60), broken, arptablesDetail)?.tunnel).toEqual({
      server2: 0,
      server3: 0,
    });
  });
});

describe('the topology while the probe runs', () => {
  let api: FakeLabApi;
  let reads: FlowCounters[];

  beforeEach(() => {
    vi.useFakeTimers();
    reads = [read(0, 100, 36, 36, 60), read(1, 112, 42, 42, 66)];
    ({ api } = setup(new FakeLabApi().handle('flow.read', () => reads.shift() ?? read(2, 124, 48, 48, 72))));
  });

  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('draws the requests, the tunnel to server2 and its replies, from the counters; nothing once it stops', async () => {
    const { container } = render(
      <TopologyView detail={arptablesDetail} instance={instance('tun-arptables')} />,
    );
    expect(container.querySelector('.topo-flow')).toBeNull();
    await act(async () => {
      useProbeStore.setState({ phase: 'running' });
      await vi.advanceTimersByTimeAsync(1100);
    });
    expect(api.callsOf('flow.read').length).toBeGreaterThanOrEqual(2);
    const arrows = [...container.querySelectorAll('[data-flow]')].map(
      (g) => `${g.getAttribute('data-flow') ?? ''}: ${g.textContent}`,
    );
    expect(arrows).toEqual([
      'request: requests 12/s',
      'tunnel-server2: IPIP 6/s',
      'reply-server2: replies 6/s',
    ]);
    expect(container.querySelector('.topo-flow-caption')?.textContent).toContain('the director sends 6/s');
    await act(async () => {
      useProbeStore.setState({ phase: 'idle' });
      await vi.advanceTimersByTimeAsync(1100);
    });
    expect(container.querySelector('.topo-flow')).toBeNull();
  });
});

describe('edgeTowards', () => {
  it('starts an arrow where the line between two boxes leaves the first, not inside it', () => {
    const [director, client] = layoutTopology(arptablesDetail).nodes;
    if (!director || !client) throw new Error('the layout has no director or client');
    const target: [number, number] = [client.x + client.width / 2, client.y + client.height / 2];
    const [x, y] = edgeTowards(director, target);
    const onEdge =
      Math.abs(x - director.x) < 0.01 ||
      Math.abs(x - (director.x + director.width)) < 0.01 ||
      Math.abs(y - director.y) < 0.01 ||
      Math.abs(y - (director.y + director.height)) < 0.01;
    expect(onEdge).toBe(true);
  });
});
