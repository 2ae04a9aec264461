// The capture's pcap reader and IPIP decoder, on real captures from the built-in kernel
// (test/fixtures/captured-pcap/README.md says how they were made) and on frames built here for
// what those captures lack (Ethernet link type, ARP, ICMP "fragmentation needed").
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTargets, timeline, type CapturedFile } from '../../../main/core/capture/capture.js';
import { describePacket } from '../../../shared/capture.js';
import { decodeFrame } from '../../../main/core/capture/decode.js';
import { LINKTYPE, PcapError, readPcap, writePcap } from '../../../main/core/capture/pcap.js';
import { defined, loadLab, ROOT } from './helpers.js';

function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(ROOT, 'test/fixtures/captured-pcap', name)));
}

function captured(node: string): CapturedFile {
  const bytes = fixture(`${node}-any.pcap`);
  return { target: { node, iface: 'any' }, bytes, pcap: readPcap(bytes) };
}

const CLIENT_MAC = '02:42:ac:19:58:fa';
const DIRECTOR_MAC = '02:42:ac:19:58:01';
const SERVER3_MAC = '02:42:ac:19:58:03';

describe('readPcap on real captures', () => {
  it('reads the cooked link type and every record', () => {
    const file = readPcap(fixture('server1-any.pcap'));
    expect(file.linkType).toBe(LINKTYPE.linuxSll2);
    expect(file.snapLength).toBe(200);
    expect(file.records.length).toBeGreaterThanOrEqual(10);
    for (const r of file.records) expect(r.data.length).toBeLessThanOrEqual(200);
  });

  it('round-trips through writePcap', () => {
    const file = readPcap(fixture('client-any.pcap'));
    const again = readPcap(writePcap(file));
    expect(again.linkType).toBe(file.linkType);
    expect(again.records).toEqual(file.records);
  });

  it('keeps the whole records of a file cut off mid-record, and refuses what is no pcap', () => {
    const bytes = fixture('server3-any.pcap');
    const whole = readPcap(bytes).records.length;
    expect(readPcap(bytes.subarray(0, bytes.length - 5)).records).toHaveLength(whole - 1);
    expect(() => readPcap(new TextEncoder().encode('not a capture at all, no'))).toThrow(PcapError);
    expect(() => readPcap(new Uint8Array(10))).toThrow('a header needs 24');
  });
});

describe('one request through the VIP, decoded', () => {
  it('the director receives the SYN from the client and sends it on inside IPIP to server3', () => {
    const [first, second] = readPcap(fixture('server1-any.pcap')).records.map((r) =>
      decodeFrame(LINKTYPE.linuxSll2, r.data),
    );
    expect(first).toMatchObject({
      direction: 'in',
      macSource: CLIENT_MAC,
      outer: { source: '172.25.88.250', destination: '172.25.88.100', protocol: 6 },
      destinationPort: 80,
      tcpFlags: 'S',
    });
    expect(first?.inner).toBeUndefined();
    expect(second).toMatchObject({
      direction: 'out',
      macSource: DIRECTOR_MAC,
      outer: { source: '172.25.88.1', destination: '172.25.88.3', protocol: 4 },
      inner: { source: '172.25.88.250', destination: '172.25.88.100', protocol: 6 },
      sourcePort: first?.sourcePort,
      destinationPort: 80,
      tcpFlags: 'S',
    });
    expect(describePacket(defined(second))).toBe(
      `IPIP 172.25.88.1 > 172.25.88.3 | 172.25.88.250:${first?.sourcePort} > 172.25.88.100:80 [S]`,
    );
  });

  it("the client's replies come from server3's MAC, from the VIP, never from the director", () => {
    const replies = readPcap(fixture('client-any.pcap'))
      .records.map((r) => decodeFrame(LINKTYPE.linuxSll2, r.data))
      // Only the TCP packets: the capture also holds the bridge's IPv6 chatter.
      .filter((p) => p.direction === 'in' && p.outer?.protocol === 6);
    expect(replies.length).toBeGreaterThan(0);
    for (const reply of replies) {
      expect(reply.macSource).toBe(SERVER3_MAC);
      expect(reply.outer?.source).toBe('172.25.88.100');
      expect(reply.sourcePort).toBe(80);
    }
    expect(replies[0]?.tcpFlags).toBe('S.');
  });

  it('the merged timeline follows the SYN: client, director in, director IPIP out, server3 in, server3 reply, client', () => {
    const entries = timeline(['server1', 'server3', 'client'].map(captured));
    const times = entries.map((e) => e.timeUs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const synPath = entries
      .filter((e) => e.packet.tcpFlags === 'S' || e.packet.tcpFlags === 'S.')
      .map(
        (e) =>
          `${e.node} ${e.packet.direction ?? ''} ${e.packet.inner ? 'ipip' : 'plain'} ${e.packet.tcpFlags ?? ''}`,
      );
    expect(synPath).toEqual([
      'client out plain S',
      'server1 in plain S',
      'server1 out ipip S',
      'server3 in ipip S',
      'server3 in plain S',
      'server3 out plain S.',
      'client in plain S.',
    ]);
  });
});

/** An Ethernet frame: destination, source, ethertype, then the payload. */
function ethernet(type: number, payload: number[]): Uint8Array {
  const macBytes = (m: string) => m.split(':').map((h) => parseInt(h, 16));
  return new Uint8Array([
    ...macBytes(SERVER3_MAC),
    ...macBytes(CLIENT_MAC),
    type >> 8,
    type & 0xff,
    ...payload,
  ]);
}

const ip = (a: string) => a.split('.').map(Number);

describe('frames the captures above lack', () => {
  it('an ARP reply on an Ethernet capture says who claims the VIP', () => {
    const arp = [0, 1, 8, 0, 6, 4, 0, 2, ...[2, 0x42, 0xac, 0x19, 0x58, 2], ...ip('172.25.88.100')];
    const frame = ethernet(0x0806, [...arp, ...[2, 0x42, 0xac, 0x19, 0x58, 0xfa], ...ip('172.25.88.250')]);
    const packet = decodeFrame(LINKTYPE.ethernet, frame);
    expect(packet.macDestination).toBe(SERVER3_MAC);
    expect(describePacket(packet)).toBe('ARP reply 172.25.88.100 is-at 02:42:ac:19:58:02');
  });

  it('an ICMP "fragmentation needed" gives the MTU the director announces', () => {
    const header = [0x45, 0, 0, 56, 0, 0, 0x40, 0, 64, 1, 0, 0, ...ip('172.25.88.1'), ...ip('172.25.88.250')];
    const icmp = [3, 4, 0, 0, 0, 0, 980 >> 8, 980 & 0xff];
    const packet = decodeFrame(LINKTYPE.ethernet, ethernet(0x0800, [...header, ...icmp]));
    expect(packet.outer?.dontFragment).toBe(true);
    expect(packet.icmp).toEqual({ type: 3, code: 4, mtu: 980 });
    expect(describePacket(packet)).toBe('172.25.88.1 > 172.25.88.250 ICMP frag-needed mtu 980');
  });

  it('notes what it cannot read instead of failing', () => {
    expect(decodeFrame(LINKTYPE.ethernet, new Uint8Array(5)).note).toBe('truncated Ethernet header');
    expect(decodeFrame(LINKTYPE.ethernet, ethernet(0x86dd, [0x60])).note).toBe('ethertype 0x86dd');
    expect(decodeFrame(147, new Uint8Array(40)).note).toBe('link type 147 is not decoded');
    expect(decodeFrame(LINKTYPE.raw, new Uint8Array([0x45, 0])).note).toBe('truncated IPv4 header');
  });
});

describe('parseTargets', () => {
  const lab = loadLab('tun-arptables');
  it('takes NODE or NODE:INTERFACE', () => {
    expect(parseTargets(lab, ['server1', 'server2:tunl0'])).toEqual([
      { node: 'server1', iface: 'any' },
      { node: 'server2', iface: 'tunl0' },
    ]);
  });
  it('names what is wrong', () => {
    expect(() => parseTargets(lab, [])).toThrow('say which nodes to capture on');
    expect(() => parseTargets(lab, ['server9'])).toThrow('lab tun-arptables has no node "server9"');
    expect(() => parseTargets(lab, ['server2:eth0;reboot'])).toThrow('is not NODE or NODE:INTERFACE');
  });
});
