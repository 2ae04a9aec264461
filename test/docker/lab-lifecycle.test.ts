// up/down of each seed lab on a real engine: every address as declared (the director at .1),
// interfaces named as the lab says, no default route, and nothing left after down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabInstanceStatus } from '../../shared/status.js';
import type { Lab } from '../../main/core/lab/model.js';
import { parseIpAddr, parseIpRoute } from '../../main/core/parsers/index.js';
import { docker, forceDown, labResources, newService, sh } from './helpers.js';

const service = newService();

describe.each(['tun-arptables', 'tun-cross-subnet', 'tun-sysctl'])('lab %s', (labId) => {
  let lab: Lab;
  let status: LabInstanceStatus;

  beforeAll(async () => {
    lab = await service.resolveLab(labId);
    await forceDown(service, labId);
    status = await service.up(labId);
  });
  afterAll(async () => {
    await forceDown(service, labId);
  });

  it('creates one container per node and one internal network per lab network', async () => {
    const { containers, networks } = await labResources(labId);
    expect(containers.map((c) => c.Labels['org.lvslab.node']).sort()).toEqual(
      lab.nodes.map((n) => n.name).sort(),
    );
    expect(containers.every((c) => c.State === 'running')).toBe(true);
    expect(networks.map((n) => n.Labels?.['org.lvslab.network']).sort()).toEqual(
      lab.networks.map((n) => n.name).sort(),
    );
    for (const network of networks) {
      const info = await docker.getNetwork(network.Id).inspect();
      expect(info.Internal).toBe(true);
      const declared = lab.networks.find((n) => n.name === network.Labels?.['org.lvslab.network']);
      expect(info.IPAM?.Config?.[0]?.Subnet).toBe(declared?.subnet);
    }
    expect(status.health).toBe('running');
  });

  it('gives every node its declared addresses on the declared interfaces, and no default route', async () => {
    for (const node of lab.nodes) {
      const ifaces = parseIpAddr(await sh(service, labId, node.name, 'ip -j addr show'));
      for (const iface of node.interfaces) {
        const device = ifaces.find((i) => i.name === iface.device);
        expect(device, `${node.name} ${iface.device}`).toBeDefined();
        expect(device?.up).toBe(true);
        const addresses =
          device?.addresses.filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`) ?? [];
        expect(addresses.sort()).toEqual([iface, ...iface.extra].map((a) => `${a.ip}/${a.prefix}`).sort());
      }
      const routes = parseIpRoute(await sh(service, labId, node.name, 'ip -j route show'));
      expect(
        routes.find((r) => r.dst === 'default'),
        `${node.name} default route`,
      ).toBeUndefined();
    }
  });

  it('serves each real server page on port 80 and names hosts after nodes', async () => {
    for (const node of lab.nodes.filter((n) => n.role === 'realserver')) {
      const ip = node.interfaces[0]?.ip ?? '';
      expect(await sh(service, labId, node.name, `curl -s -m 3 http://${ip}/`)).toBe(node.page);
      expect((await sh(service, labId, node.name, 'hostname')).trim()).toBe(node.name);
    }
  });

  it('down removes exactly the lab, and a second down says the lab is not there', async () => {
    const removed = await service.down(labId);
    expect(removed).toEqual({ containers: lab.nodes.length, networks: lab.networks.length });
    expect(await labResources(labId)).toEqual({ containers: [], networks: [] });
    await expect(service.down(labId)).rejects.toThrow(`lab ${labId} is not on this engine`);
  });
});

it('puts the seed director at .1 behind a Docker gateway that no lab address uses', async () => {
  await forceDown(service, 'tun-arptables');
  await service.up('tun-arptables');
  try {
    const info = await docker.getNetwork('lvslab-tun-arptables-lan').inspect();
    expect(info.IPAM?.Config?.[0]?.Gateway).toBe('172.25.88.254');
    const director = await docker.getContainer('lvslab-tun-arptables-server1').inspect();
    expect(director.NetworkSettings.Networks['lvslab-tun-arptables-lan']?.IPAddress).toBe('172.25.88.1');
  } finally {
    await forceDown(service, 'tun-arptables');
  }
});
