// What a packet capture shows, as the CLI prints it and the app draws it: each packet decoded
// into what matters to LVS-TUN (link addresses, the outer IPv4 header, the inner one of IPIP,
// ports and TCP flags), merged across nodes in time order.

export interface IpHeader {
  source: string;
  destination: string;
  /** IP protocol number: 4 IPIP, 6 TCP, 17 UDP, 1 ICMP. */
  protocol: number;
  ttl: number;
  /** Don't Fragment is set. */
  dontFragment: boolean;
  totalLength: number;
}

export interface DecodedPacket {
  /** Link-layer addresses; with a Linux cooked capture only the sender's is known. */
  macSource: string | null;
  macDestination: string | null;
  /** From a cooked capture: the packet came in, or went out of, the capturing host. */
  direction: 'in' | 'out' | null;
  /** Set for ARP frames. */
  arp?: { operation: 'request' | 'reply'; senderIp: string; senderMac: string; targetIp: string };
  outer?: IpHeader;
  /** The tunnelled packet, when the outer protocol is 4 (IPIP). */
  inner?: IpHeader;
  /** Ports of the innermost TCP or UDP header. */
  sourcePort?: number;
  destinationPort?: number;
  /** TCP flags as tcpdump writes them: S, S., ., P., F., R. */
  tcpFlags?: string;
  /** ICMP type and code of the innermost header, and the MTU of a "fragmentation needed". */
  icmp?: { type: number; code: number; mtu?: number };
  /** Why the frame could not be decoded further, if it could not. */
  note?: string;
}

export interface TimelineEntry {
  /** Microseconds since the epoch (the nodes share one kernel clock). */
  timeUs: number;
  node: string;
  iface: string;
  packet: DecodedPacket;
}

export interface CaptureFileInfo {
  node: string;
  iface: string;
  /** The pcap file's name in the capture's folder. */
  fileName: string;
  packets: number;
  bytes: number;
}

/** A finished capture: its files (kept per lab) and the merged timeline. */
export interface CaptureResult {
  captureId: string;
  labId: string;
  /** The capture's folder under the lab's captures: names the files for download. */
  folder: string;
  files: CaptureFileInfo[];
  /** The first packets of the timeline; the files have them all. */
  timeline: TimelineEntry[];
  /** Packets in the files beyond those in `timeline`. */
  more: number;
  /** Why the capture failed, when it did. */
  error?: string;
}

/** One line for a packet, as the CLI prints it and the app's tooltip says it. */
export function describePacket(p: DecodedPacket): string {
  if (p.arp) {
    return p.arp.operation === 'reply'
      ? `ARP reply ${p.arp.senderIp} is-at ${p.arp.senderMac}`
      : `ARP who-has ${p.arp.targetIp} tell ${p.arp.senderIp}`;
  }
  if (!p.outer) return p.note ?? 'not IPv4';
  const innermost = p.inner ?? p.outer;
  const ports = p.sourcePort === undefined ? '' : `:${p.sourcePort}`;
  const portd = p.destinationPort === undefined ? '' : `:${p.destinationPort}`;
  let what = `${innermost.source}${ports} > ${innermost.destination}${portd}`;
  if (p.tcpFlags !== undefined) what += ` [${p.tcpFlags}]`;
  if (p.icmp) {
    what +=
      p.icmp.mtu === undefined
        ? ` ICMP ${p.icmp.type}/${p.icmp.code}`
        : ` ICMP frag-needed mtu ${p.icmp.mtu}`;
  }
  return p.inner ? `IPIP ${p.outer.source} > ${p.outer.destination} | ${what}` : what;
}
