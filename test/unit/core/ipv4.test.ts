import { describe, expect, it } from 'vitest';
import {
  formatCidr,
  ipToNumber,
  isUsableHost,
  normalizeDestination,
  numberToIp,
  parseCidr,
  splitAddress,
  subnetContains,
  subnetsOverlap,
} from '../../../main/core/lab/ipv4.js';

describe('ipToNumber / numberToIp', () => {
  it.each([
    ['0.0.0.0', 0],
    ['0.0.0.1', 1],
    ['1.0.0.0', 16_777_216],
    ['172.25.88.100', 0xac195864],
    ['127.255.255.255', 0x7fffffff],
    ['128.0.0.0', 0x80000000],
    ['255.255.255.255', 0xffffffff],
  ])('%s <-> %d, unsigned', (ip, value) => {
    expect(ipToNumber(ip)).toBe(value);
    expect(ipToNumber(ip)).toBeGreaterThanOrEqual(0);
    expect(numberToIp(value)).toBe(ip);
  });

  it('orders addresses numerically, not as text', () => {
    expect(ipToNumber('172.25.88.100')).toBeGreaterThan(ipToNumber('172.25.88.99'));
    expect(ipToNumber('200.0.0.0')).toBeGreaterThan(ipToNumber('100.255.255.255'));
  });
});

describe('parseCidr', () => {
  it('a /24', () => {
    expect(parseCidr('172.25.88.0/24')).toEqual({
      network: ipToNumber('172.25.88.0'),
      prefix: 24,
      first: ipToNumber('172.25.88.0'),
      last: ipToNumber('172.25.88.255'),
    });
  });

  it('host bits are masked off', () => {
    const s = parseCidr('172.25.88.77/24');
    expect(numberToIp(s.network)).toBe('172.25.88.0');
    expect(numberToIp(s.last)).toBe('172.25.88.255');
  });

  it.each([
    ['10.0.0.0/8', '10.0.0.0', '10.255.255.255'],
    ['10.1.2.4/30', '10.1.2.4', '10.1.2.7'],
    ['10.1.2.4/31', '10.1.2.4', '10.1.2.5'],
    ['10.1.2.5/32', '10.1.2.5', '10.1.2.5'],
    ['10.1.2.5', '10.1.2.5', '10.1.2.5'],
    ['0.0.0.0/0', '0.0.0.0', '255.255.255.255'],
    ['192.168.0.0/16', '192.168.0.0', '192.168.255.255'],
    ['128.0.0.0/1', '128.0.0.0', '255.255.255.255'],
  ])('%s spans %s..%s', (cidr, first, last) => {
    const s = parseCidr(cidr);
    expect(numberToIp(s.first)).toBe(first);
    expect(numberToIp(s.last)).toBe(last);
    expect(s.first).toBeLessThanOrEqual(s.last);
  });

  it('a missing prefix is /32', () => {
    expect(parseCidr('10.1.2.3').prefix).toBe(32);
  });
});

describe('subnetContains and isUsableHost', () => {
  const s24 = parseCidr('172.25.88.0/24');

  it('contains its network and broadcast addresses, but they are no hosts', () => {
    expect(subnetContains(s24, '172.25.88.0')).toBe(true);
    expect(subnetContains(s24, '172.25.88.255')).toBe(true);
    expect(isUsableHost(s24, '172.25.88.0')).toBe(false);
    expect(isUsableHost(s24, '172.25.88.255')).toBe(false);
    expect(isUsableHost(s24, '172.25.88.1')).toBe(true);
    expect(isUsableHost(s24, '172.25.88.254')).toBe(true);
  });

  it('neighbouring addresses are outside', () => {
    expect(subnetContains(s24, '172.25.87.255')).toBe(false);
    expect(subnetContains(s24, '172.25.89.0')).toBe(false);
    expect(isUsableHost(s24, '172.25.89.1')).toBe(false);
  });

  it('a /30 has exactly two hosts', () => {
    const s = parseCidr('10.9.9.4/30');
    const hosts = ['10.9.9.4', '10.9.9.5', '10.9.9.6', '10.9.9.7'].filter((ip) => isUsableHost(s, ip));
    expect(hosts).toEqual(['10.9.9.5', '10.9.9.6']);
  });

  it('a /31 has no host by this rule (the schema allows /8 to /30 only)', () => {
    const s = parseCidr('10.9.9.4/31');
    expect(isUsableHost(s, '10.9.9.4')).toBe(false);
    expect(isUsableHost(s, '10.9.9.5')).toBe(false);
    expect(subnetContains(s, '10.9.9.5')).toBe(true);
    expect(subnetContains(s, '10.9.9.6')).toBe(false);
  });

  it('addresses at the top of the address space', () => {
    const s = parseCidr('255.255.255.0/24');
    expect(isUsableHost(s, '255.255.255.254')).toBe(true);
    expect(isUsableHost(s, '255.255.255.255')).toBe(false);
  });
});

describe('subnetsOverlap', () => {
  const o = (a: string, b: string) => subnetsOverlap(parseCidr(a), parseCidr(b));

  it.each([
    ['172.25.88.0/24', '172.25.88.0/24', true],
    ['172.25.0.0/16', '172.25.88.0/24', true],
    ['172.25.88.0/24', '172.25.0.0/16', true],
    ['172.25.88.0/25', '172.25.88.128/25', false],
    ['172.25.88.0/24', '172.25.89.0/24', false],
    ['10.0.0.0/30', '10.0.0.3/32', true],
    ['10.0.0.0/30', '10.0.0.4/30', false],
    ['10.0.0.4/30', '10.0.0.0/29', true],
    ['0.0.0.0/0', '203.0.113.0/24', true],
  ])('%s and %s: %s', (a, b, expected) => {
    expect(o(a, b)).toBe(expected);
    expect(o(b, a)).toBe(expected);
  });
});

describe('formatCidr and normalizeDestination', () => {
  it('formatCidr prints the network address', () => {
    expect(formatCidr(parseCidr('10.10.24.88/24'))).toBe('10.10.24.0/24');
    expect(formatCidr(parseCidr('10.10.24.88'))).toBe('10.10.24.88/32');
  });

  it.each([
    ['default', 'default'],
    ['10.10.24.0/24', '10.10.24.0/24'],
    ['10.10.24.7/24', '10.10.24.0/24'],
    ['10.10.24.88', '10.10.24.88/32'],
    ['10.10.24.88/32', '10.10.24.88/32'],
    ['172.25.254.0/24', '172.25.254.0/24'],
    ['0.0.0.0/0', '0.0.0.0/0'],
  ])('%s -> %s', (input, output) => {
    expect(normalizeDestination(input)).toBe(output);
  });
});

describe('splitAddress', () => {
  it('an address without a prefix takes the network prefix', () => {
    expect(splitAddress('172.25.88.1', 16)).toEqual({ ip: '172.25.88.1', prefix: 16 });
  });

  it('an address with a prefix keeps its own', () => {
    expect(splitAddress('172.25.88.1/24', 16)).toEqual({ ip: '172.25.88.1', prefix: 24 });
    expect(splitAddress('10.10.24.88/32', 24)).toEqual({ ip: '10.10.24.88', prefix: 32 });
  });
});
