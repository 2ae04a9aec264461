// What `up` leaves when it fails part-way, what `down` never touches, and the address-clash
// error: all on a real engine, with real failures (no mocks).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../shared/progress.js';
import { LABEL } from '../../main/core/docker/labels.js';
import { docker, forceDown, labResources, labVariant, newService } from './helpers.js';

const service = newService();

describe('rollback', () => {
  afterEach(async () => {
    await forceDown(service, 'rollback-start');
    await forceDown(service, 'rollback-image');
  });

  it('removes every network and container when a node fails to start', async () => {
    // The engine refuses this sysctl when it starts the last container, after the network and
    // the other containers exist.
    const file = labVariant('tun-arptables', 'rollback-start', [
      [
        '  - name: client\n    role: client\n',
        '  - name: client\n    role: client\n    sysctls: { net.ipv4.conf.all.no_such_setting: 1 }\n',
      ],
    ]);
    const events: ProgressEvent[] = [];
    await expect(service.up(file, (e) => events.push(e))).rejects.toThrow(
      /starting lab rollback-start failed: .*no_such_setting.*Everything it had created was removed/s,
    );
    // It really got far: the network and other nodes were created before the failure.
    expect(events.some((e) => e.phase === 'network' && e.state === 'done')).toBe(true);
    expect(events.some((e) => e.phase === 'node' && e.name === 'server2' && e.state === 'done')).toBe(true);
    expect(events.some((e) => e.phase === 'rollback' && e.state === 'done')).toBe(true);
    expect(await labResources('rollback-start')).toEqual({ containers: [], networks: [] });
  });

  it('removes everything when a node image does not exist', async () => {
    const file = labVariant('tun-arptables', 'rollback-image', [
      [
        '  - name: server3\n    role: realserver\n',
        '  - name: server3\n    role: realserver\n    image: lvs-lab/no-such-image:0\n',
      ],
    ]);
    await expect(service.up(file)).rejects.toThrow(/no-such-image.*Everything it had created was removed/s);
    expect(await labResources('rollback-image')).toEqual({ containers: [], networks: [] });
  });
});

describe('ownership', () => {
  const foreign = { container: 'lvslab-tun-arptables-foreign', network: 'lvslab-tun-arptables-foreignnet' };

  const removeForeign = async () => {
    await docker
      .getContainer(foreign.container)
      .remove({ force: true })
      .catch(() => undefined);
    await docker
      .getNetwork(foreign.network)
      .remove()
      .catch(() => undefined);
  };
  // Also before: an interrupted earlier run may have left the look-alikes behind.
  beforeAll(removeForeign);
  afterAll(async () => {
    await forceDown(service, 'tun-arptables');
    await removeForeign();
  });

  it('down leaves a foreign container and network alone, even with look-alike names and labels', async () => {
    const image = (await docker.listImages({ filters: { reference: ['lvs-lab/node'] } }))[0]?.RepoTags?.[0];
    expect(image).toBeDefined();
    // Same name prefix and even the lab label, but not created by LVS Lab (no managed label).
    await docker.createNetwork({
      Name: foreign.network,
      Internal: true,
      Labels: { [LABEL.lab]: 'tun-arptables' },
    });
    const container = await docker.createContainer({
      name: foreign.container,
      Image: image,
      Labels: { [LABEL.lab]: 'tun-arptables' },
      HostConfig: { NetworkMode: foreign.network },
    });
    await container.start();

    await forceDown(service, 'tun-arptables');
    await service.up('tun-arptables');
    const removed = await service.down('tun-arptables');
    expect(removed).toEqual({ containers: 4, networks: 1 });

    expect((await docker.getContainer(foreign.container).inspect()).State.Running).toBe(true);
    expect((await docker.getNetwork(foreign.network).inspect()).Name).toBe(foreign.network);
  });
});

describe('address clash', () => {
  const clash = 'lvstest-clash-172-25';

  afterAll(async () => {
    await forceDown(service, 'tun-arptables');
    await docker
      .getNetwork(clash)
      .remove()
      .catch(() => undefined);
  });

  it('names both networks and creates nothing', async () => {
    await docker.createNetwork({
      Name: clash,
      Internal: true,
      IPAM: { Config: [{ Subnet: '172.25.0.0/16' }] },
    });
    await expect(service.up('tun-arptables')).rejects.toThrow(
      'network "lan" (172.25.88.0/24) of lab tun-arptables overlaps Docker network "lvstest-clash-172-25" (172.25.0.0/16)',
    );
    expect(await labResources('tun-arptables')).toEqual({ containers: [], networks: [] });
  });

  it('refuses to start a lab twice and says how to stop it', async () => {
    await docker.getNetwork(clash).remove();
    await service.up('tun-arptables');
    await expect(service.up('tun-arptables')).rejects.toThrow(/lab tun-arptables is already on this engine/);
    expect((await labResources('tun-arptables')).containers).toHaveLength(4);
  });
});

describe('orphans', () => {
  afterAll(async () => {
    await forceDown(service, 'tun-arptables');
  });

  it('finds a lab whose node vanished (as after a crash) and removes it on request', async () => {
    await forceDown(service, 'tun-arptables');
    const status = await service.up('tun-arptables');
    // Simulate a crash half-way: one container is gone behind the app's back.
    await docker.getContainer('lvslab-tun-arptables-server3').remove({ force: true });
    const orphans = (await service.orphans()).filter((o) => o.labId === 'tun-arptables');
    expect(orphans.map((o) => o.instance)).toEqual([status.instance]);
    expect(orphans[0]?.problems).toContain('node server3 is missing');
    const removed = await service.cleanup([status.instance]);
    expect(removed).toEqual({ containers: 3, networks: 1 });
    expect(await labResources('tun-arptables')).toEqual({ containers: [], networks: [] });
  });

  it('reports a node whose container died as degraded, with its state', async () => {
    await service.up('tun-arptables');
    await docker.getContainer('lvslab-tun-arptables-server2').kill();
    const status = (await service.status()).find((s) => s.labId === 'tun-arptables');
    expect(status?.health).toBe('degraded');
    expect(status?.problems.join('\n')).toMatch(/node server2 is exited/);
    await expect(service.exec('server2', 'true', 'tun-arptables')).rejects.toThrow(
      /node server2 of lab tun-arptables is exited/,
    );
  });
});
