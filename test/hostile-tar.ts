// Building hostile archives for the tests, header by header as an attacker would: any name, any
// type flag, a link target; the checksum made right again so that only the field under test is
// wrong. Shared by the unit tests of the bundle format and the tiers that import bundles.
import { gzipSync } from 'node:zlib';
import { writeTar } from '../main/core/bundle/tar.js';

const BLOCK = 512;

/** One entry as an attacker writes it. */
export interface RawEntry {
  name: string;
  data?: Buffer;
  /** The ustar type flag: '0' file, '2' symbolic link, '3' character device, ... */
  type?: string;
  mode?: number;
  /** For a link: what it points at. */
  linkName?: string;
}

/** The header's checksum written again after a test changed a field. */
export function fixChecksum(tar: Buffer, offset = 0): Buffer {
  const header = tar.subarray(offset, offset + BLOCK);
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return tar;
}

/** A ustar archive of raw entries: each written by writeTar, then its type and link changed. */
export function rawTar(entries: RawEntry[]): Buffer {
  const parts = entries.map((entry) => {
    const one = writeTar([
      { name: entry.name, data: entry.data ?? Buffer.alloc(0), mode: entry.mode ?? 0o644 },
    ]);
    const body = one.subarray(0, one.length - 2 * BLOCK);
    if (entry.type !== undefined) body.write(entry.type, 156, 'latin1');
    if (entry.linkName !== undefined) body.write(entry.linkName, 157, 'latin1');
    return fixChecksum(body);
  });
  return Buffer.concat([...parts, Buffer.alloc(2 * BLOCK)]);
}

/** The same, gzip-compressed: what a hostile .lvslab file is. */
export function hostileBundle(entries: RawEntry[]): Buffer {
  return gzipSync(rawTar(entries));
}
