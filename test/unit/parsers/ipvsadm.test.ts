import { describe, expect, it } from 'vitest';

import {
  detectIpvsUnavailable,
  parseAddrPort,
  parseIpvsList,
  parseIpvsRate,
  parseIpvsStats,
  parseLargeNum,
} from '../../../main/core/parsers/ipvsadm.js';
import { fixture } from './fixture.js';

const HEADER_ONLY =
  'IP Virtual Server version 1.2.1 (size=4096)\n' +
  'Prot LocalAddress:Port Scheduler Flags\n' +
  '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n';

describe('real captures from the LVS-TUN lab on a UML kernel 6.1 (ipvsadm 1.31)', () => {
  it('reads the director table: two Tunnel real servers, 3 finished connections each', () => {
    const t = parseIpvsList(fixture('uml-ipvsadm-Ln.txt'));
    expect(t).toMatchObject({ version: '1.2.1', connTableSize: 4096, unparsed: [] });
    expect(t.services).toHaveLength(1);
    expect(t.services[0]).toMatchObject({
      protocol: 'TCP',
      address: '172.25.88.100',
      port: 80,
      scheduler: 'rr',
      flags: [],
      persistentSeconds: null,
    });
    expect(
      t.services[0]?.realServers.map((r) => [
        r.address,
        r.port,
        r.forward,
        r.weight,
        r.activeConn,
        r.inactConn,
      ]),
    ).toEqual([
      ['172.25.88.2', 80, 'Tunnel', 1, 0, 3],
      ['172.25.88.3', 80, 'Tunnel', 1, 0, 3],
    ]);
  });

  for (const name of ['uml-ipvsadm-Ln-stats.txt', 'uml-ipvsadm-Ln-stats-exact.txt']) {
    it(`reads ${name}: the director sent no reply packets (OutPkts 0)`, () => {
      const t = parseIpvsStats(fixture(name));
      expect(t).toMatchObject({ version: '1.2.1', exact: true, unparsed: [] });
      expect(t.services).toHaveLength(1);
      expect(t.services[0]).toMatchObject({
        protocol: 'TCP',
        address: '172.25.88.100',
        port: 80,
        fwmark: null,
      });
      expect(t.services[0]?.values).toEqual({ conns: 6, inPkts: 41, outPkts: 0, inBytes: 2642, outBytes: 0 });
      expect(t.services[0]?.realServers).toEqual([
        {
          address: '172.25.88.2',
          port: 80,
          values: { conns: 3, inPkts: 21, outPkts: 0, inBytes: 1347, outBytes: 0 },
          exact: true,
        },
        {
          address: '172.25.88.3',
          port: 80,
          values: { conns: 3, inPkts: 20, outPkts: 0, inBytes: 1295, outBytes: 0 },
          exact: true,
        },
      ]);
    });
  }

  it('reads the rates', () => {
    const t = parseIpvsRate(fixture('uml-ipvsadm-Ln-rate.txt'));
    expect(t.unparsed).toEqual([]);
    expect(t.services[0]?.values).toEqual({ cps: 1, inPps: 5, outPps: 0, inBps: 330, outBps: 0 });
    expect(t.services[0]?.realServers.map((r) => [r.address, r.values.inPps, r.values.inBps])).toEqual([
      ['172.25.88.2', 3, 168],
      ['172.25.88.3', 2, 162],
    ]);
  });

  it('a --stats listing is not a -Ln listing', () => {
    const t = parseIpvsList(fixture('uml-ipvsadm-Ln-stats.txt'));
    expect(t.services).toEqual([]);
    expect(t.unparsed).toHaveLength(3);
  });
});

describe('parseIpvsList on the seed transcripts (RHEL 6, seed 000)', () => {
  it('reads the director table before server3 moves', () => {
    const t = parseIpvsList(fixture('seed000-ipvsadm-ln-before.txt'));
    expect(t.version).toBe('1.2.1');
    expect(t.connTableSize).toBe(4096);
    expect(t.unparsed).toEqual([]);
    expect(t.services).toHaveLength(1);
    const svc = t.services[0];
    expect(svc).toMatchObject({
      protocol: 'TCP',
      address: '172.25.88.100',
      port: 80,
      fwmark: null,
      family: 'inet',
      scheduler: 'rr',
      flags: [],
      persistentSeconds: null,
    });
    expect(svc?.realServers).toEqual([
      {
        address: '172.25.88.2',
        port: 80,
        forward: 'Tunnel',
        weight: 1,
        activeConn: 0,
        inactConn: 0,
        tunnelInfo: null,
      },
      {
        address: '172.25.88.3',
        port: 80,
        forward: 'Tunnel',
        weight: 1,
        activeConn: 0,
        inactConn: 0,
        tunnelInfo: null,
      },
    ]);
  });

  it('reads the table after server3 moved to 172.25.254.3', () => {
    const t = parseIpvsList(fixture('seed000-ipvsadm-ln-after.txt'));
    expect(t.services[0]?.realServers.map((r) => `${r.address}:${r.port} ${r.forward}`)).toEqual([
      '172.25.88.2:80 Tunnel',
      '172.25.254.3:80 Tunnel',
    ]);
  });

  it('copes with the blog-mangled copy (collapsed blanks, a truncated last line)', () => {
    const t = parseIpvsList(fixture('seed000-ipvsadm-ln-collapsed.txt'));
    expect(t.version).toBe('1.2.1');
    expect(t.services).toHaveLength(1);
    expect(t.services[0]?.address).toBe('172.25.88.100');
    // `-> 172.25.88.3:80 Tunnel 1 0` lacks InActConn: skipped, reported, not invented.
    expect(t.services[0]?.realServers.map((r) => r.address)).toEqual(['172.25.88.2']);
    expect(t.unparsed).toEqual(['-> 172.25.88.3:80 Tunnel 1 0']);
  });
});

describe('parseIpvsList edge cases (handwritten from ipvsadm.c format strings)', () => {
  const t = parseIpvsList(fixture('ipvsadm-Ln-edge-cases.handwritten.txt'));
  const find = (proto: string, addr: string, port: number) =>
    t.services.find((s) => s.protocol === proto && s.address === addr && s.port === port);

  it('reads every service and nothing is left over', () => {
    expect(t.unparsed).toEqual([]);
    expect(t.services.map((s) => `${s.protocol} ${s.address}:${s.port} ${s.scheduler}`)).toEqual([
      'TCP 172.25.88.100:80 rr',
      'TCP 172.25.88.100:443 wlc',
      'UDP 172.25.88.100:53 sh',
      'TCP 172.25.88.100:8080 rr',
      'TCP 2001:db8::100:80 rr',
      'FWM :0 rr',
      'FWM :0 lc',
    ]);
  });

  it('reads counters of a second real server', () => {
    expect(find('TCP', '172.25.88.100', 80)?.realServers[1]).toMatchObject({
      address: '172.25.88.3',
      activeConn: 2,
      inactConn: 5,
    });
  });

  it('reads `persistent 300` apart from the flags', () => {
    const svc = find('TCP', '172.25.88.100', 443);
    expect(svc?.persistentSeconds).toBe(300);
    expect(svc?.flags).toEqual([]);
    expect(svc?.realServers[0]).toMatchObject({ port: 443, weight: 3, activeConn: 1, inactConn: 4 });
  });

  it('splits scheduler flags `(sh-fallback,sh-port)`', () => {
    const svc = find('UDP', '172.25.88.100', 53);
    expect(svc?.flags).toEqual(['sh-fallback', 'sh-port']);
    expect(svc?.realServers[0]?.weight).toBe(0);
  });

  it('accepts bare flags after the scheduler too', () => {
    const bare = parseIpvsList(HEADER_ONLY + 'TCP  172.25.88.100:80 sh sh-fallback ops\n');
    expect(bare.services[0]?.flags).toEqual(['sh-fallback', 'ops']);
  });

  it('keeps a service without real servers', () => {
    expect(find('TCP', '172.25.88.100', 8080)?.realServers).toEqual([]);
  });

  it('reads IPv6 addresses in brackets, persistence and its mask', () => {
    const svc = find('TCP', '2001:db8::100', 80);
    expect(svc).toMatchObject({ family: 'inet6', persistentSeconds: 60, persistenceMask: '64' });
    expect(svc?.realServers[0]).toMatchObject({ address: '2001:db8::2', port: 80, forward: 'Masq' });
  });

  it('reads FWM services (IPv4 and IPv6)', () => {
    const fwm = t.services.filter((s) => s.protocol === 'FWM');
    expect(fwm.map((s) => [s.fwmark, s.family, s.realServers.length])).toEqual([
      [10, 'inet', 1],
      [11, 'inet6', 0],
    ]);
    expect(fwm[0]?.realServers[0]).toMatchObject({ address: '172.25.88.2', port: 0, forward: 'Route' });
  });
});

describe('parseIpvsList on empty and foreign input', () => {
  it('an IPVS table without services is the three header lines', () => {
    const t = parseIpvsList(HEADER_ONLY);
    expect(t).toEqual({ version: '1.2.1', connTableSize: 4096, services: [], unparsed: [] });
  });

  it('the real failure output on a kernel without IPVS gives no header and no services', () => {
    const t = parseIpvsList(fixture('ipvsadm-no-ipvs.txt'));
    expect(t.version).toBeNull();
    expect(t.services).toEqual([]);
    expect(t.unparsed).toHaveLength(3);
  });

  it('never throws on garbage and does not attach real servers to nothing', () => {
    const garbage = '\u0000\u0001 -> \n->\nTCP\nTCP  nonsense rr\n  -> 10.0.0.1:80 Tunnel 1 0 0\n{"a":1}\n';
    const t = parseIpvsList(garbage);
    expect(t.services).toEqual([]);
    expect(t.unparsed).toContain('  -> 10.0.0.1:80 Tunnel 1 0 0');
  });

  it('a real-server line after an unreadable service is not given to the previous service', () => {
    const t = parseIpvsList(
      HEADER_ONLY +
        'TCP  10.0.0.1:80 rr\n  -> 10.0.0.2:80 Tunnel 1 0 0\n' +
        'TCP  host.example:http rr\n  -> 10.0.0.3:80 Tunnel 1 0 0\n',
    );
    expect(t.services).toHaveLength(1);
    expect(t.services[0]?.realServers.map((r) => r.address)).toEqual(['10.0.0.2']);
    expect(t.unparsed).toEqual(['TCP  host.example:http rr', '  -> 10.0.0.3:80 Tunnel 1 0 0']);
  });

  it('reads the TunnelInfo column of newer ipvsadm and refuses lines with too many numbers', () => {
    const t = parseIpvsList(
      HEADER_ONLY.replace('Forward Weight', 'Forward TunnelInfo    Weight') +
        'TCP  10.0.0.1:80 rr\n' +
        '  -> 10.0.0.2:80                 Tunnel  ipip          1      0          0\n' +
        '  -> 10.0.0.3:80                 Tunnel  1      0          0          9\n' +
        '  -> 10.0.0.4:80                 Tunnel  1      0          0          9 9\n',
    );
    expect(t.services[0]?.realServers).toEqual([
      {
        address: '10.0.0.2',
        port: 80,
        forward: 'Tunnel',
        weight: 1,
        activeConn: 0,
        inactConn: 0,
        tunnelInfo: 'ipip',
      },
    ]);
    expect(t.unparsed).toHaveLength(2);
  });

  it('handles CRLF line ends', () => {
    const t = parseIpvsList(fixture('seed000-ipvsadm-ln-before.txt').replaceAll('\n', '\r\n'));
    expect(t.services[0]?.realServers).toHaveLength(2);
  });
});

describe('parseAddrPort', () => {
  it('reads IPv4 and bracketed IPv6', () => {
    expect(parseAddrPort('172.25.88.2:80')).toEqual({ address: '172.25.88.2', port: 80, family: 'inet' });
    expect(parseAddrPort('[2001:db8::1]:443')).toEqual({
      address: '2001:db8::1',
      port: 443,
      family: 'inet6',
    });
  });
  it('refuses names, out-of-range ports and unbracketed IPv6', () => {
    expect(parseAddrPort('server2:http')).toBeNull();
    expect(parseAddrPort('10.0.0.1:65536')).toBeNull();
    expect(parseAddrPort('2001:db8::1:80')).toBeNull();
  });
});

describe('parseLargeNum (print_largenum)', () => {
  it('reads plain and suffixed numbers as lower bounds', () => {
    expect(parseLargeNum('99999999')).toEqual({ value: 99999999, exact: true });
    expect(parseLargeNum('150000K')).toEqual({ value: 150_000_000, exact: false });
    expect(parseLargeNum('2500M')).toEqual({ value: 2_500_000_000, exact: false });
    expect(parseLargeNum('61728G')).toEqual({ value: 61_728_000_000_000, exact: false });
    expect(parseLargeNum('123T')).toEqual({ value: 123_000_000_000_000, exact: false });
  });
  it('refuses anything else', () => {
    expect(parseLargeNum('12k')).toBeNull();
    expect(parseLargeNum('-1')).toBeNull();
    expect(parseLargeNum('1.5M')).toBeNull();
    expect(parseLargeNum(undefined)).toBeNull();
  });
});

describe('parseIpvsStats (handwritten: values over 10^8 do not occur in a short lab run)', () => {
  it('reads K/M/G/T suffixes without --exact and flags the table as not exact', () => {
    const t = parseIpvsStats(fixture('ipvsadm-Ln-stats-large.handwritten.txt'));
    expect(t.exact).toBe(false);
    expect(t.version).toBe('1.2.1');
    expect(t.unparsed).toEqual([]);
    const svc = t.services[0];
    expect(svc).toMatchObject({ protocol: 'TCP', address: '172.25.88.100', port: 80, exact: false });
    expect(svc?.values).toEqual({
      conns: 150_000_000,
      inPkts: 2_500_000_000,
      outPkts: 0,
      inBytes: 123_000_000_000_000,
      outBytes: 0,
    });
    // 75000001 is below 10^8 and therefore printed in full even without --exact.
    expect(svc?.realServers[0]?.values.conns).toBe(75_000_001);
    expect(svc?.realServers[0]?.values.inPkts).toBe(1_250_000_000);
    expect(t.services[1]).toMatchObject({ protocol: 'FWM', fwmark: 10, exact: true });
    expect(t.services[1]?.values).toEqual({ conns: 3, inPkts: 18, outPkts: 0, inBytes: 1152, outBytes: 0 });
  });

  it('reads --exact values (columns wider than the header) exactly', () => {
    const t = parseIpvsStats(fixture('ipvsadm-Ln-stats-exact-large.handwritten.txt'));
    expect(t.exact).toBe(true);
    expect(t.services[0]?.values).toEqual({
      conns: 150_000_001,
      inPkts: 2_500_000_000,
      outPkts: 0,
      inBytes: 123_456_789_012_345,
      outBytes: 0,
    });
    expect(t.services[0]?.realServers.map((r) => [r.address, r.values.inBytes])).toEqual([
      ['172.25.88.2', 61_728_394_506_172],
      ['172.25.88.3', 61_728_394_506_173],
    ]);
  });

  it('does not read a plain -Ln listing as statistics', () => {
    const t = parseIpvsStats(fixture('seed000-ipvsadm-ln-before.txt'));
    expect(t.services).toEqual([]);
    expect(t.unparsed).toHaveLength(3);
  });
});

describe('parseIpvsRate (handwritten)', () => {
  it('reads CPS InPPS OutPPS InBPS OutBPS', () => {
    const t = parseIpvsRate(fixture('ipvsadm-Ln-rate.handwritten.txt'));
    expect(t.services[0]?.values).toEqual({ cps: 2, inPps: 12, outPps: 0, inBps: 800, outBps: 0 });
    expect(t.services[0]?.realServers.map((r) => r.values.inBps)).toEqual([400, 400]);
  });
});

describe('detectIpvsUnavailable', () => {
  it('recognises the real failure on a kernel without IPVS', () => {
    expect(detectIpvsUnavailable(fixture('ipvsadm-no-ipvs.txt'))).toBe(
      'the kernel has no IPVS (ip_vs module not loaded or not built)',
    );
  });
  it('recognises a missing permission and a missing binary', () => {
    expect(detectIpvsUnavailable("Can't initialize ipvs: Permission denied (you must be root)\n")).toMatch(
      /CAP_NET_ADMIN/,
    );
    expect(detectIpvsUnavailable('sh: 1: ipvsadm: not found\n')).toBe(
      'ipvsadm is not installed in this container',
    );
  });
  it('passes on other init failures', () => {
    expect(detectIpvsUnavailable("Can't initialize ipvs: Memory allocation problem\n")).toBe(
      'ipvsadm could not initialise IPVS: Memory allocation problem',
    );
  });
  it('returns null for a working listing and for unrelated text', () => {
    expect(detectIpvsUnavailable(fixture('seed000-ipvsadm-ln-before.txt'))).toBeNull();
    expect(detectIpvsUnavailable(fixture('uml-ipvsadm-Ln.txt'))).toBeNull();
    expect(detectIpvsUnavailable(HEADER_ONLY)).toBeNull();
    expect(detectIpvsUnavailable('')).toBeNull();
    expect(detectIpvsUnavailable('curl: (7) Failed to connect')).toBeNull();
  });
});
