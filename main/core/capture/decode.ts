// Decodes the frames of an LVS-TUN capture into what the tunnel is about: the link addresses, the
// outer IPv4 header, and for IPIP (protocol 4) the inner header, with ports and TCP flags. A small
// decoder of our own rather than a packet library: the headers involved are few and fixed, the
// pcap files stay on disk for Wireshark, and the app and the CLI need fields, not text.
import type { DecodedPacket, IpHeader } from '../../../shared/capture.js';
import { LINKTYPE } from './pcap.js';

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_ARP = 0x0806;

function mac(bytes: Uint8Array, offset: number): string {
  return [...bytes.subarray(offset, offset + 6)].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

function ipv4(bytes: Uint8Array, offset: number): string {
  return [...bytes.subarray(offset, offset + 4)].join('.');
}

function u16(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] ?? 0) << 8) | (bytes[offset + 1] ?? 0);
}

function tcpFlags(bits: number): string {
  const letters = [
    [0x02, 'S'],
    [0x01, 'F'],
    [0x04, 'R'],
    [0x08, 'P'],
  ] as const;
  const text = letters
    .filter(([bit]) => (bits & bit) !== 0)
    .map(([, letter]) => letter)
    .join('');
  return (bits & 0x10) !== 0 ? `${text}.` : text || 'none';
}

/** Decodes one frame of a capture with this link type. Never throws: what it cannot read, it notes. */
export function decodeFrame(linkType: number, data: Uint8Array): DecodedPacket {
  const packet: DecodedPacket = { macSource: null, macDestination: null, direction: null };
  let etherType: number;
  let offset: number;
  switch (linkType) {
    case LINKTYPE.ethernet:
      if (data.length < 14) return { ...packet, note: 'truncated Ethernet header' };
      packet.macDestination = mac(data, 0);
      packet.macSource = mac(data, 6);
      etherType = u16(data, 12);
      offset = 14;
      break;
    case LINKTYPE.linuxSll: {
      if (data.length < 16) return { ...packet, note: 'truncated cooked header' };
      const type = u16(data, 0);
      packet.direction = type === 4 ? 'out' : 'in';
      if (u16(data, 4) === 6) packet.macSource = mac(data, 6);
      etherType = u16(data, 14);
      offset = 16;
      break;
    }
    case LINKTYPE.linuxSll2: {
      if (data.length < 20) return { ...packet, note: 'truncated cooked header' };
      etherType = u16(data, 0);
      packet.direction = data[10] === 4 ? 'out' : 'in';
      if (data[11] === 6) packet.macSource = mac(data, 12);
      offset = 20;
      break;
    }
    case LINKTYPE.raw:
    case LINKTYPE.ipv4:
      // tunl0 has no link layer: the frame is the IP packet.
      etherType = ETHERTYPE_IPV4;
      offset = 0;
      break;
    default:
      return { ...packet, note: `link type ${linkType} is not decoded` };
  }
  if (etherType === ETHERTYPE_ARP) return decodeArp(packet, data, offset);
  if (etherType !== ETHERTYPE_IPV4) return { ...packet, note: `ethertype 0x${etherType.toString(16)}` };
  const outer = readIp(data, offset);
  if (!outer) return { ...packet, note: 'truncated IPv4 header' };
  packet.outer = outer.header;
  let header = outer.header;
  let payload = outer.payload;
  if (header.protocol === 4) {
    const inner = readIp(data, payload);
    if (!inner) return { ...packet, note: 'truncated inner IPv4 header' };
    packet.inner = inner.header;
    header = inner.header;
    payload = inner.payload;
  }
  return { ...packet, ...readTransport(header.protocol, data, payload) };
}

function readIp(data: Uint8Array, offset: number): { header: IpHeader; payload: number } | null {
  const first = data[offset];
  if (first === undefined || first >> 4 !== 4 || data.length < offset + 20) return null;
  const headerLength = (first & 0x0f) * 4;
  return {
    header: {
      source: ipv4(data, offset + 12),
      destination: ipv4(data, offset + 16),
      protocol: data[offset + 9] ?? 0,
      ttl: data[offset + 8] ?? 0,
      dontFragment: ((data[offset + 6] ?? 0) & 0x40) !== 0,
      totalLength: u16(data, offset + 2),
    },
    payload: offset + headerLength,
  };
}

function readTransport(protocol: number, data: Uint8Array, offset: number): Partial<DecodedPacket> {
  if ((protocol === 6 || protocol === 17) && data.length >= offset + 4) {
    const ports = { sourcePort: u16(data, offset), destinationPort: u16(data, offset + 2) };
    if (protocol === 6 && data.length >= offset + 14)
      return { ...ports, tcpFlags: tcpFlags(data[offset + 13] ?? 0) };
    return ports;
  }
  if (protocol === 1 && data.length >= offset + 2) {
    const type = data[offset] ?? 0;
    const code = data[offset + 1] ?? 0;
    // Destination unreachable, fragmentation needed: the next-hop MTU is in bytes 6-7.
    const mtu = type === 3 && code === 4 && data.length >= offset + 8 ? u16(data, offset + 6) : undefined;
    return { icmp: mtu === undefined ? { type, code } : { type, code, mtu } };
  }
  return {};
}

function decodeArp(packet: DecodedPacket, data: Uint8Array, offset: number): DecodedPacket {
  if (data.length < offset + 28) return { ...packet, note: 'truncated ARP' };
  return {
    ...packet,
    arp: {
      operation: u16(data, offset + 6) === 2 ? 'reply' : 'request',
      senderMac: mac(data, offset + 8),
      senderIp: ipv4(data, offset + 14),
      targetIp: ipv4(data, offset + 24),
    },
  };
}
