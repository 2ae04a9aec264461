import { describe, expect, it } from 'vitest';

import {
  MAX_CONF_PARAMS,
  effectiveConfValue,
  ifaceKey,
  parseSysctl,
  sysctlPathToKey,
} from '../../../main/core/parsers/sysctl.js';
import { fixture } from './fixture.js';

describe('parseSysctl on real captures', () => {
  it('reads `key = value` lines from a lab container', () => {
    const r = parseSysctl(fixture('sysctl.txt'));
    expect([...r.values]).toEqual([
      ['net.ipv4.conf.all.rp_filter', '0'],
      ['net.ipv4.conf.eth0.rp_filter', '0'],
      ['net.ipv4.conf.all.arp_ignore', '1'],
    ]);
    expect(r.missing).toEqual([]);
    expect(r.errors).toEqual([]);
  });

  it('collects keys sysctl cannot stat and keeps tabs inside values', () => {
    const r = parseSysctl(fixture('sysctl-missing-key.host.txt'));
    expect(r.missing).toEqual(['net.ipv4.conf.tunl0.rp_filter']);
    expect(r.values.get('net.ipv4.ip_local_port_range')).toBe('32768\t60999');
    expect(r.values.size).toBe(5);
    expect(r.values.has('net.ipv4.conf.tunl0.rp_filter')).toBe(false);
  });

  it('maps missing dotted interface names back to their `/` keys', () => {
    const r = parseSysctl(fixture('sysctl-max-rule.netns.txt'));
    expect(r.missing).toEqual(['net.ipv4.conf.tunl0.rp_filter', 'net.ipv4.conf.eth0/200.rp_filter']);
    expect(r.values.get('net.ipv4.conf.lvsp/7.rp_filter')).toBe('2');
  });

  it('reads the seed transcript: prompts and `error:` lines skipped, later values win', () => {
    const text = fixture('seed000-sysctl-transcript.txt');
    const r = parseSysctl(text);
    expect(r.values.get('net.ipv4.conf.tunl0.rp_filter')).toBe('0');
    expect(r.values.get('net.ipv4.conf.default.rp_filter')).toBe('0');
    expect(r.values.get('net.ipv4.conf.tunl0.arp_filter')).toBe('0');
    expect([...r.values.keys()].some((k) => k.includes(' ') || k.startsWith('['))).toBe(false);
    expect(r.values.size).toBe(10);
    expect(r.errors).toEqual([
      'error: "net.ipv4.conf.default.rp_filter" must be of the form name=value',
      'error: Malformed setting "="',
      'error: "0" must be of the form name=value',
    ]);
  });
});

describe('parseSysctl on other input', () => {
  it('accepts key=value without blanks, empty values and CRLF', () => {
    const r = parseSysctl('net.ipv4.ip_forward=1\r\nkernel.domainname = \r\n');
    expect(r.values.get('net.ipv4.ip_forward')).toBe('1');
    expect(r.values.get('kernel.domainname')).toBe('');
  });
  it('collects other sysctl complaints as errors', () => {
    const r = parseSysctl(
      'sysctl: permission denied on key "net.ipv4.route.flush"\nsysctl: reading key "net.ipv6.conf.all.stable_secret"\n',
    );
    expect(r.values.size).toBe(0);
    expect(r.missing).toEqual([]);
    expect(r.errors).toHaveLength(2);
  });
  it('ignores garbage', () => {
    const r = parseSysctl('= 1\nhello world\n<html>a=b</html>\n\u0000\n');
    expect(r.values.size).toBe(0);
  });
});

describe('sysctl keys and paths', () => {
  it('swaps / and . the way procps does', () => {
    expect(sysctlPathToKey('net/ipv4/conf/eth0.100/rp_filter')).toBe('net.ipv4.conf.eth0/100.rp_filter');
    expect(ifaceKey('eth0.100')).toBe('eth0/100');
    expect(ifaceKey('tunl0')).toBe('tunl0');
  });
});

describe('effectiveConfValue', () => {
  it('MAX_CONF_PARAMS are the IN_DEV_MAXCONF parameters', () => {
    expect(MAX_CONF_PARAMS).toEqual(expect.arrayContaining(['rp_filter', 'arp_ignore', 'arp_announce']));
    expect(MAX_CONF_PARAMS).not.toContain('arp_filter');
    expect(MAX_CONF_PARAMS).not.toContain('forwarding');
  });

  it('rp_filter=0 on an interface does not help while all.rp_filter=1 (real capture)', () => {
    const { values } = parseSysctl(fixture('sysctl-max-rule.netns.txt'));
    expect(effectiveConfValue(values, 'rp_filter', 'lvsp-a')).toEqual({
      value: 1,
      all: 1,
      iface: 0,
      rule: 'max(all=1, lvsp-a=0)',
    });
    expect(effectiveConfValue(values, 'arp_ignore', 'lvsp-a')).toMatchObject({
      value: 1,
      rule: 'max(all=1, lvsp-a=0)',
    });
    expect(effectiveConfValue(values, 'arp_announce', 'lvsp-a')).toMatchObject({
      value: 2,
      rule: 'max(all=0, lvsp-a=2)',
    });
    expect(effectiveConfValue(values, 'rp_filter', 'lvsp.7')).toMatchObject({ value: 2, iface: 2 });
  });

  it('is unknown when the interface has no value (tunl0 missing)', () => {
    const { values } = parseSysctl(fixture('sysctl-max-rule.netns.txt'));
    expect(effectiveConfValue(values, 'rp_filter', 'tunl0')).toEqual({
      value: null,
      all: 1,
      iface: null,
      rule: 'max(all=1, tunl0=?)',
    });
  });

  it('follows the seed: tunl0 rp_filter 1 → 0 makes the effective value 0', () => {
    const lines = fixture('seed000-sysctl-transcript.txt').split('\n');
    const before = parseSysctl(lines.slice(0, 11).join('\n')).values;
    expect(effectiveConfValue(before, 'rp_filter', 'tunl0')).toMatchObject({
      value: 1,
      rule: 'max(all=0, tunl0=1)',
    });
    const after = parseSysctl(lines.join('\n')).values;
    expect(effectiveConfValue(after, 'rp_filter', 'tunl0')).toMatchObject({
      value: 0,
      rule: 'max(all=0, tunl0=0)',
    });
  });

  it('returns the interface value for other parameters and says so', () => {
    const values = new Map([
      ['net.ipv4.conf.all.arp_filter', '1'],
      ['net.ipv4.conf.tunl0.arp_filter', '0'],
      ['net.ipv4.conf.all.forwarding', '1'],
      ['net.ipv4.conf.tunl0.forwarding', '0'],
    ]);
    const arpFilter = effectiveConfValue(values, 'arp_filter', 'tunl0');
    expect(arpFilter).toMatchObject({ value: 0, all: 1, iface: 0 });
    expect(arpFilter.rule).toBe(
      "tunl0=0 (the interface's own value; arp_filter: the kernel uses all OR tunl0)",
    );
    expect(effectiveConfValue(values, 'forwarding', 'tunl0').rule).toBe(
      "tunl0=0 (the interface's own value; forwarding: not combined with conf.all)",
    );
  });

  it('reads dotted interface names through their `/` key and rejects non-integers', () => {
    const values = new Map([
      ['net.ipv4.conf.all.rp_filter', '0'],
      ['net.ipv4.conf.eth0/100.rp_filter', '2'],
      ['net.ipv4.conf.eth1.rp_filter', 'x'],
    ]);
    expect(effectiveConfValue(values, 'rp_filter', 'eth0.100')).toMatchObject({
      value: 2,
      rule: 'max(all=0, eth0.100=2)',
    });
    expect(effectiveConfValue(values, 'rp_filter', 'eth1')).toMatchObject({ value: null, iface: null });
  });
});
