import { describe, expect, it } from 'vitest';

import {
  findAddress,
  findAddresses,
  normalizeDst,
  parseIpAddr,
  parseIpNeigh,
  parseIpRoute,
  routeFor,
  routesFor,
} from '../../../main/core/parsers/iproute.js';
import { fixture } from './fixture.js';

describe('parseIpAddr on a real container capture (VIP on lo, eth0@if22)', () => {
  const ifaces = parseIpAddr(fixture('ip-j-addr.json'));

  it('lists lo and eth0 with their state', () => {
    expect(ifaces.map((i) => i.name)).toEqual(['lo', 'eth0']);
    const lo = ifaces[0];
    expect(lo).toMatchObject({
      index: 1,
      flags: ['LOOPBACK', 'UP', 'LOWER_UP'],
      operstate: 'UNKNOWN',
      up: true,
      lowerUp: true,
      mtu: 65536,
      linkType: 'loopback',
      mac: '00:00:00:00:00:00',
      linkIndex: null,
    });
  });

  it('reads eth0 of a veth pair as ifname eth0 with link_index 22', () => {
    expect(ifaces[1]).toMatchObject({
      name: 'eth0',
      index: 21,
      linkIndex: 22,
      link: null,
      operstate: 'UP',
      up: true,
      lowerUp: true,
      mtu: 1500,
      linkType: 'ether',
      mac: '02:42:ac:1e:63:01',
    });
    expect(ifaces[1]?.addresses).toEqual([
      {
        family: 'inet',
        local: '172.30.99.1',
        prefixlen: 24,
        label: 'eth0',
        scope: 'global',
        broadcast: '172.30.99.255',
        secondary: false,
      },
    ]);
  });

  it('finds the VIP on lo, with or without its /32', () => {
    expect(findAddress(ifaces, '172.30.99.100')?.iface.name).toBe('lo');
    expect(findAddress(ifaces, '172.30.99.100/32')?.address).toMatchObject({
      local: '172.30.99.100',
      prefixlen: 32,
      label: 'lo',
      scope: 'global',
    });
    expect(findAddress(ifaces, '172.30.99.100/24')).toBeNull();
    expect(findAddress(ifaces, '172.30.99.10')).toBeNull();
    expect(findAddress(ifaces, '172.30.99.1')?.iface.name).toBe('eth0');
  });
});

describe('parseIpAddr on other real captures', () => {
  it('a veth whose peer is in the same namespace has "link" (name), not link_index', () => {
    const ifaces = parseIpAddr(fixture('ip-j-addr.netns.json'));
    const dotted = ifaces.find((i) => i.name === 'lvsp.7');
    expect(dotted).toMatchObject({ index: 4, link: 'lvsp-c', linkIndex: null, up: false, operstate: 'DOWN' });
    expect(dotted?.flags).toEqual(['BROADCAST', 'MULTICAST', 'M-DOWN']);
    const veth = ifaces.find((i) => i.name === 'lvsp-a');
    expect(veth).toMatchObject({ linkIndex: 2, link: null, mac: '76:0d:2b:58:e0:7d' });
    expect(veth?.addresses.map((a) => `${a.family} ${a.local}/${a.prefixlen} ${String(a.label)}`)).toEqual([
      'inet 172.25.88.2/24 lvsp-a',
      'inet6 fe80::740d:2bff:fe58:e07d/64 null',
    ]);
    expect(findAddresses(ifaces, '172.25.88.100').map((h) => h.iface.name)).toEqual(['lo']);
    expect(findAddress(ifaces, 'FE80::740D:2BFF:FE58:E07D/64')?.iface.name).toBe('lvsp-a');
  });

  it('`ip -j -4 addr` has no link_type or address; UP without carrier is up but not lowerUp', () => {
    const ifaces = parseIpAddr(fixture('ip-j-4-addr.host.json'));
    const docker0 = ifaces.find((i) => i.name === 'docker0');
    expect(docker0).toMatchObject({
      up: true,
      lowerUp: false,
      operstate: 'DOWN',
      linkType: '',
      mac: null,
      linkAddress: null,
    });
    expect(docker0?.flags).toContain('NO-CARRIER');
  });
});

describe('parseIpAddr on a real server of the LVS-TUN lab (UML kernel with ipip)', () => {
  const ifaces = parseIpAddr(fixture('uml-ip-j-addr-rs2.json'));

  it('reads tunl0: ipip, "link": null, an IPv4 link address that is not a MAC, the VIP /32', () => {
    expect(ifaces.map((i) => i.name)).toEqual(['lo', 'tunl0', 'eth0']);
    expect(ifaces[1]).toMatchObject({
      name: 'tunl0',
      index: 2,
      flags: ['NOARP', 'UP', 'LOWER_UP'],
      operstate: 'UNKNOWN',
      up: true,
      lowerUp: true,
      mtu: 1480,
      linkType: 'ipip',
      mac: null,
      linkAddress: '0.0.0.0',
      link: null,
      linkIndex: null,
    });
    const vip = findAddress(ifaces, '172.25.88.100/32');
    expect(vip?.iface.name).toBe('tunl0');
    expect(vip?.address).toMatchObject({ label: 'tunl0', scope: 'global', prefixlen: 32 });
  });

  it('reads eth0 with its own address', () => {
    expect(findAddress(ifaces, '172.25.88.2')?.iface).toMatchObject({
      name: 'eth0',
      mac: '02:42:ac:19:58:02',
    });
  });
});

describe('parseIpAddr errors and junk', () => {
  it('throws a descriptive error for text that is not JSON', () => {
    expect(() => parseIpAddr('Device "tunl0" does not exist.\n')).toThrow(/not JSON.*Device \\"tunl0\\"/);
    expect(() => parseIpAddr('')).toThrow(/empty output/);
    expect(() => parseIpAddr('  \n')).toThrow(/empty output/);
  });
  it('throws when the JSON is not an array', () => {
    expect(() => parseIpAddr('{"ifname":"lo"}')).toThrow(/expected a JSON array .* got object/);
    expect(() => parseIpAddr('null')).toThrow(/got null/);
  });
  it('skips entries it cannot read (older -4 output has {} for address-less links)', () => {
    const ifaces = parseIpAddr(
      '[{},1,null,"x",{"ifname":"noindex"},{"ifindex":7,"ifname":"ok","addr_info":[{},{"family":"inet","local":"10.0.0.1"}]}]',
    );
    expect(ifaces.map((i) => i.name)).toEqual(['ok']);
    expect(ifaces[0]).toMatchObject({ flags: [], up: false, operstate: 'UNKNOWN', mtu: 0, addresses: [] });
  });
});

describe('parseIpRoute', () => {
  it('reads a real container routing table', () => {
    const routes = parseIpRoute(fixture('ip-j-route.json'));
    expect(routes).toHaveLength(3);
    expect(routeFor(routes, 'default')).toMatchObject({
      dst: 'default',
      gateway: '172.30.99.254',
      dev: 'eth0',
      protocol: null,
      type: null,
      table: null,
      family: 'inet',
    });
    expect(routeFor(routes, '0.0.0.0/0')?.gateway).toBe('172.30.99.254');
    expect(routeFor(routes, '10.99.0.0/24')).toMatchObject({ gateway: '172.30.99.254', dev: 'eth0' });
    expect(routeFor(routes, '172.30.99.0/24')).toMatchObject({
      gateway: null,
      protocol: 'kernel',
      scope: 'link',
      prefsrc: '172.30.99.1',
    });
    expect(routeFor(routes, '10.99.0.0/16')).toBeNull();
    expect(routeFor(routes, '::/0')).toBeNull();
  });

  it('normalises host routes to /32 and prefers the main table in `table all`', () => {
    const routes = parseIpRoute(fixture('ip-j-route-table-all.netns.json'));
    expect(
      routesFor(routes, '172.25.88.100').map((r) => `${String(r.table)} ${String(r.type)} ${String(r.dev)}`),
    ).toEqual(['null null lo', 'local local lo']);
    expect(routeFor(routes, '172.25.88.100/32')).toMatchObject({
      dst: '172.25.88.100/32',
      table: null,
      scope: 'link',
    });
    expect(routeFor(routes, '127.0.0.1')).toMatchObject({
      dst: '127.0.0.1/32',
      type: 'local',
      table: 'local',
    });
    expect(routeFor(routes, 'default')?.flags).toEqual(['onlink']);
    expect(routeFor(routes, 'FF00::/8')).toMatchObject({ type: 'multicast', family: 'inet6', metric: 256 });
    expect(routeFor(routes, '::1')).toMatchObject({ dst: '::1/128', type: 'local', metric: 0 });
  });

  it('tells the IPv4 and the IPv6 default route apart', () => {
    const routes = parseIpRoute(fixture('ip-j-route-table-all.host.json'));
    expect(routesFor(routes, 'default')).toHaveLength(2);
    expect(routeFor(routes, 'default')?.gateway).toBe('192.0.2.1');
    expect(routeFor(routes, '0.0.0.0/0')?.gateway).toBe('192.0.2.1');
    expect(routeFor([...routes].reverse(), 'default')?.gateway).toBe('192.0.2.1');
    expect(routeFor(routes, '::/0')).toMatchObject({ gateway: 'fd00::1', family: 'inet6', metric: 1024 });
  });

  it('throws on non-JSON and skips junk entries', () => {
    expect(() => parseIpRoute('Error: ipv4: FIB table does not exist.')).toThrow(/not JSON/);
    expect(parseIpRoute('[{"dev":"eth0"},{"dst":"10.0.0.0/8","table":100}]')).toEqual([
      {
        dst: '10.0.0.0/8',
        gateway: null,
        dev: null,
        protocol: null,
        scope: null,
        prefsrc: null,
        type: null,
        table: '100',
        metric: null,
        flags: [],
        family: 'inet',
      },
    ]);
  });

  it('normalizeDst', () => {
    expect(normalizeDst('0.0.0.0/0')).toBe('default');
    expect(normalizeDst('::/0')).toBe('default');
    expect(normalizeDst(' 10.0.0.1 ')).toBe('10.0.0.1/32');
    expect(normalizeDst('2001:DB8::1')).toBe('2001:db8::1/128');
    expect(normalizeDst('10.0.0.0/8')).toBe('10.0.0.0/8');
  });
});

describe('parseIpNeigh', () => {
  it('reads a real REACHABLE entry', () => {
    expect(parseIpNeigh(fixture('ip-j-neigh.json'))).toEqual([
      { dst: '172.30.99.2', dev: 'eth0', lladdr: '02:42:ac:1e:63:02', state: ['REACHABLE'], router: false },
    ]);
  });

  it('reads a FAILED entry without lladdr: the ARP answer for the VIP was dropped by arptables', () => {
    const neigh = parseIpNeigh(fixture('ip-j-neigh-failed.netns.json'));
    expect(neigh[0]).toEqual({
      dst: '172.25.88.100',
      dev: 'lvsp-b',
      lladdr: null,
      state: ['FAILED'],
      router: false,
    });
    expect(neigh[1]?.lladdr).toBe('76:0d:2b:58:e0:7d');
  });

  it('accepts entries without dev (`ip -j neigh show dev eth0`) and router flags', () => {
    expect(
      parseIpNeigh('[{"dst":"10.0.0.1","lladdr":"02:00:00:00:00:01","router":null,"state":["STALE"]}]'),
    ).toEqual([{ dst: '10.0.0.1', dev: null, lladdr: '02:00:00:00:00:01', state: ['STALE'], router: true }]);
  });

  it('throws on non-JSON', () => {
    expect(() => parseIpNeigh('Object "neigh" is unknown, try "ip help".')).toThrow(/ip -j neigh show/);
  });
});
