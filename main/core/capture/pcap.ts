// Reads the classic pcap files tcpdump writes (`-w`), and writes them back. Only what LVS Lab's
// captures produce: microsecond or nanosecond timestamps, either byte order, one link type per
// file. The files themselves stay untouched on disk, for Wireshark.

export const LINKTYPE = {
  ethernet: 1,
  raw: 101,
  linuxSll: 113,
  ipv4: 228,
  linuxSll2: 276,
} as const;

export interface PcapRecord {
  /** Microseconds since the epoch. */
  timeUs: number;
  /** Bytes captured (at most the snap length). */
  data: Uint8Array;
  /** The packet's length on the wire. */
  length: number;
}

export interface PcapFile {
  linkType: number;
  snapLength: number;
  records: PcapRecord[];
}

export class PcapError extends Error {}

const MAGIC_US = 0xa1b2c3d4;
const MAGIC_NS = 0xa1b23c4d;

export function readPcap(bytes: Uint8Array): PcapFile {
  if (bytes.length < 24) throw new PcapError(`not a pcap file: ${bytes.length} bytes, a header needs 24`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let little: boolean;
  let nanos: boolean;
  const magicLe = view.getUint32(0, true);
  const magicBe = view.getUint32(0, false);
  if (magicLe === MAGIC_US || magicLe === MAGIC_NS) {
    little = true;
    nanos = magicLe === MAGIC_NS;
  } else if (magicBe === MAGIC_US || magicBe === MAGIC_NS) {
    little = false;
    nanos = magicBe === MAGIC_NS;
  } else {
    throw new PcapError(`not a pcap file: magic 0x${magicLe.toString(16)}`);
  }
  const snapLength = view.getUint32(16, little);
  const linkType = view.getUint32(20, little) & 0x0fffffff;
  const records: PcapRecord[] = [];
  let offset = 24;
  // A capture cut off mid-record (tcpdump killed while writing) ends at the last whole record.
  while (offset + 16 <= bytes.length) {
    const seconds = view.getUint32(offset, little);
    const fraction = view.getUint32(offset + 4, little);
    const captured = view.getUint32(offset + 8, little);
    const length = view.getUint32(offset + 12, little);
    if (captured > Math.max(snapLength, 262_144) || offset + 16 + captured > bytes.length) break;
    records.push({
      timeUs: seconds * 1_000_000 + (nanos ? Math.floor(fraction / 1000) : fraction),
      data: bytes.subarray(offset + 16, offset + 16 + captured),
      length,
    });
    offset += 16 + captured;
  }
  return { linkType, snapLength, records };
}

/** A pcap file (microsecond timestamps, little-endian) of these records. */
export function writePcap(file: PcapFile): Uint8Array {
  const size = 24 + file.records.reduce((sum, r) => sum + 16 + r.data.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC_US, true);
  view.setUint16(4, 2, true);
  view.setUint16(6, 4, true);
  view.setUint32(16, file.snapLength, true);
  view.setUint32(20, file.linkType, true);
  let offset = 24;
  for (const record of file.records) {
    view.setUint32(offset, Math.floor(record.timeUs / 1_000_000), true);
    view.setUint32(offset + 4, record.timeUs % 1_000_000, true);
    view.setUint32(offset + 8, record.data.length, true);
    view.setUint32(offset + 12, record.length, true);
    out.set(record.data, offset + 16);
    offset += 16 + record.data.length;
  }
  return out;
}
