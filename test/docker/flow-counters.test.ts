// The live path's counters on a real engine: read from the engine's container statistics (no
// process in any node), they grow where the packets went, and a node that is gone says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowCounters } from '../../shared/api.js';
import { readFlowCounters } from '../../main/core/probe/flow-counters.js';
import { forceDown, newService, sh } from './helpers.js';

const LAB = 'tun-arptables';
const service = newService();

beforeAll(async () => {
  await forceDown(service, LAB);
  await service.up(LAB);
});

afterAll(async () => {
  await forceDown(service, LAB);
});

function of(counters: FlowCounters, node: string) {
  const found = counters.nodes.find((n) => n.node === node);
  if (!found) throw new Error(`no counters for ${node}`);
  return found;
}

describe('readFlowCounters', () => {
  it('counts the packets between the client and server2, and none at server3', async () => {
    const before = await readFlowCounters(service.docker, await service.running(LAB));
    expect(before.nodes.map((n) => [n.node, n.error])).toEqual([
      ['server1', null],
      ['server2', null],
      ['server3', null],
      ['client', null],
    ]);
    // Five requests straight to server2 (no step has made the VIP yet): about ten packets each way.
    await sh(
      service,
      LAB,
      'client',
      'for i in 1 2 3 4 5; do curl -s -m 2 -o /dev/null http://172.25.88.2/; done',
    );
    const after = await readFlowCounters(service.docker, await service.running(LAB));
    expect(Date.parse(after.at)).toBeGreaterThan(Date.parse(before.at));
    expect(of(after, 'server2').rxPackets - of(before, 'server2').rxPackets).toBeGreaterThanOrEqual(15);
    expect(of(after, 'server2').txPackets - of(before, 'server2').txPackets).toBeGreaterThanOrEqual(15);
    expect(of(after, 'client').txPackets - of(before, 'client').txPackets).toBeGreaterThanOrEqual(15);
    // server3 hears at most a stray ARP broadcast, nothing of the requests.
    expect(of(after, 'server3').txPackets - of(before, 'server3').txPackets).toBeLessThanOrEqual(2);
  });

  it('says which node could not be read', async () => {
    await (await service.runtime.nodeContainer(LAB, 'server3')).stop({ t: 0 });
    const counters = await readFlowCounters(service.docker, await service.running(LAB));
    expect(of(counters, 'server3').error).toMatch(/node server3 of lab tun-arptables is exited/);
    expect(of(counters, 'server2').error).toBeNull();
  });
});
