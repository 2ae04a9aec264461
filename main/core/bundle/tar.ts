// A small ustar (POSIX.1-1988) reader and writer for lab bundles. The writer makes plain files
// only and is deterministic, so that the same lab packs to the same bytes. The reader is written
// for archives from strangers: every header is checked (checksum, octal fields, magic), data
// must lie inside the buffer, and the number of entries is capped. It reports every entry type
// it meets; deciding which types are acceptable is the caller's business.

export type TarEntryType =
  'file' | 'directory' | 'symlink' | 'hardlink' | 'character-device' | 'block-device' | 'fifo' | 'other';

export interface TarEntry {
  /** The full name: the ustar prefix, a '/', then the name field, as stored (no normalisation). */
  name: string;
  type: TarEntryType;
  /** The raw type flag, '\0' for an old-style regular file. */
  typeFlag: string;
  /** Permission bits (the low 12 bits of the mode field). */
  mode: number;
  size: number;
  /** A view into the buffer read, not a copy. Empty for links, devices, FIFOs and folders. */
  data: Buffer;
}

export interface TarInput {
  name: string;
  data: Buffer;
  mode: number;
}

export interface TarLimits {
  maxEntries: number;
}

/** Why an archive was refused: damaged (or hostile) headers, or more entries than allowed. */
export class TarError extends Error {
  constructor(
    message: string,
    readonly kind: 'damaged' | 'too-many-entries',
  ) {
    super(message);
    this.name = 'TarError';
  }
}

const BLOCK = 512;
const NAME_BYTES = 100;
const PREFIX_BYTES = 155;
// The largest size an 11-digit octal field holds (8 GiB - 1).
const MAX_SIZE = 0o77777777777;

// Field offsets and lengths of the ustar header.
const FIELD = {
  name: [0, 100],
  mode: [100, 8],
  uid: [108, 8],
  gid: [116, 8],
  size: [124, 12],
  mtime: [136, 12],
  checksum: [148, 8],
  typeFlag: [156, 1],
  linkName: [157, 100],
  magic: [257, 6],
  version: [263, 2],
  uname: [265, 32],
  gname: [297, 32],
  devMajor: [329, 8],
  devMinor: [337, 8],
  prefix: [345, 155],
} as const satisfies Record<string, readonly [number, number]>;

type Field = keyof typeof FIELD;

const TYPES: Record<string, TarEntryType> = {
  '0': 'file',
  '\0': 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'character-device',
  '4': 'block-device',
  '5': 'directory',
  '6': 'fifo',
};

// POSIX: links, devices, FIFOs and folders have no data blocks, whatever their size field says.
const NO_DATA = new Set<TarEntryType>([
  'hardlink',
  'symlink',
  'character-device',
  'block-device',
  'directory',
  'fifo',
]);

// ---------------------------------------------------------------------------------------------
// Writing

/** A ustar archive of these regular files, in the order given, with no time or owner in it. */
export function writeTar(entries: TarInput[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    if (entry.data.length > MAX_SIZE) {
      throw new Error(`${entry.name} is too large for a ustar archive (${entry.data.length} bytes)`);
    }
    parts.push(header(entry));
    parts.push(entry.data);
    const padding = (BLOCK - (entry.data.length % BLOCK)) % BLOCK;
    if (padding > 0) parts.push(Buffer.alloc(padding));
  }
  // The end of the archive: two zero blocks.
  parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}

function header(entry: TarInput): Buffer {
  const block = Buffer.alloc(BLOCK);
  const [prefix, name] = splitName(entry.name);
  put(block, 'name', Buffer.from(name, 'utf8'));
  put(block, 'prefix', Buffer.from(prefix, 'utf8'));
  putOctal(block, 'mode', entry.mode & 0o7777);
  putOctal(block, 'uid', 0);
  putOctal(block, 'gid', 0);
  putOctal(block, 'size', entry.data.length);
  putOctal(block, 'mtime', 0);
  put(block, 'typeFlag', Buffer.from('0'));
  put(block, 'magic', Buffer.from('ustar\0', 'latin1'));
  put(block, 'version', Buffer.from('00'));
  putOctal(block, 'devMajor', 0);
  putOctal(block, 'devMinor', 0);
  // The checksum is computed with its own field as eight spaces, then written as six octal
  // digits, a NUL and a space, as GNU tar and bsdtar do.
  block.fill(0x20, FIELD.checksum[0], FIELD.checksum[0] + FIELD.checksum[1]);
  const sum = checksums(block).unsigned;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, FIELD.checksum[0], 'latin1');
  return block;
}

/**
 * A name in ustar's two fields: names over 100 bytes are cut at a '/' into a prefix (at most
 * 155 bytes) and a name (at most 100). The cut nearest the start that fits is taken, so that
 * the same name is always stored the same way.
 */
function splitName(full: string): [string, string] {
  const bytes = Buffer.byteLength(full, 'utf8');
  if (full === '' || full.includes('\0')) throw new Error(`cannot store the name ${JSON.stringify(full)}`);
  if (bytes <= NAME_BYTES) return ['', full];
  for (let i = full.indexOf('/'); i > 0; i = full.indexOf('/', i + 1)) {
    const prefix = full.slice(0, i);
    const name = full.slice(i + 1);
    if (Buffer.byteLength(prefix, 'utf8') > PREFIX_BYTES) break;
    if (name !== '' && Buffer.byteLength(name, 'utf8') <= NAME_BYTES) return [prefix, name];
  }
  throw new Error(
    `the name ${full} (${bytes} bytes) cannot be stored in a ustar header: it needs a '/' that leaves at most 155 bytes before it and 100 after it`,
  );
}

function put(block: Buffer, field: Field, value: Buffer): void {
  const [offset, length] = FIELD[field];
  if (value.length > length) throw new Error(`the ${field} field holds ${length} bytes, not ${value.length}`);
  value.copy(block, offset);
}

/** An octal number zero-padded to the field's width less one, then a NUL. */
function putOctal(block: Buffer, field: Field, value: number): void {
  const length = FIELD[field][1];
  put(block, field, Buffer.from(`${value.toString(8).padStart(length - 1, '0')}\0`, 'latin1'));
}

// ---------------------------------------------------------------------------------------------
// Reading

/** The entries of a ustar archive, checked header by header. Throws a TarError on the first fault. */
export function readTar(buffer: Buffer, limits: TarLimits): TarEntry[] {
  const entries: TarEntry[] = [];
  let offset = 0;
  // Each pass consumes at least one block, so the loop ends with the buffer at the latest.
  while (offset + BLOCK <= buffer.length) {
    const block = buffer.subarray(offset, offset + BLOCK);
    if (isZero(block)) {
      checkEnd(buffer, offset);
      return entries;
    }
    if (entries.length >= limits.maxEntries) {
      throw new TarError(`the archive has more than ${limits.maxEntries} entries`, 'too-many-entries');
    }
    const entry = readHeader(block, entries.length + 1, offset);
    const start = offset + BLOCK;
    const stored = NO_DATA.has(entry.type) ? 0 : entry.size;
    if (start + stored > buffer.length) {
      throw damaged(
        entries.length + 1,
        entry.name,
        `its data (${stored} bytes) runs past the end of the archive: the archive was cut short`,
      );
    }
    entries.push({ ...entry, size: stored, data: buffer.subarray(start, start + stored) });
    offset = start + Math.ceil(stored / BLOCK) * BLOCK;
  }
  throw new TarError(
    'the archive ends without its end marker (two zero blocks): it was cut short',
    'damaged',
  );
}

/** The end marker is two zero blocks; only zero padding may follow it. */
function checkEnd(buffer: Buffer, offset: number): void {
  const second = buffer.subarray(offset + BLOCK, offset + 2 * BLOCK);
  if (second.length < BLOCK) {
    throw new TarError('the archive ends with a single zero block: it was cut short', 'damaged');
  }
  if (!isZero(second)) {
    throw new TarError(`a lone zero block at byte ${offset} is followed by more data`, 'damaged');
  }
  // Anything after the end marker would be invisible here but not to other tools.
  if (!isZero(buffer.subarray(offset + 2 * BLOCK))) {
    throw new TarError('the archive has data after its end marker', 'damaged');
  }
}

function readHeader(block: Buffer, index: number, offset: number): Omit<TarEntry, 'data'> {
  const rawName = text(block, 'name');
  const magic = block.toString('latin1', FIELD.magic[0], FIELD.magic[0] + FIELD.magic[1]);
  // POSIX ustar is 'ustar\0'; old GNU tar writes 'ustar  \0' and uses the prefix field for
  // other things, so its prefix must not be read as part of the name.
  const posix = magic === 'ustar\0';
  if (!posix && magic !== 'ustar ') {
    throw damaged(index, rawName, `its header is not a ustar header (at byte ${offset})`);
  }
  const prefix = posix ? text(block, 'prefix') : '';
  const name = prefix === '' ? rawName : `${prefix}/${rawName}`;

  const stored = octal(block, 'checksum');
  const sums = checksums(block);
  if (stored === null || (stored !== sums.unsigned && stored !== sums.signed)) {
    throw damaged(index, name, 'its header checksum does not match');
  }
  const mode = octal(block, 'mode');
  const size = octal(block, 'size');
  if (mode === null) throw damaged(index, name, 'its mode is not an octal number');
  if (size === null) throw damaged(index, name, 'its size is not an octal number');

  const typeFlag = block.toString('latin1', FIELD.typeFlag[0], FIELD.typeFlag[0] + 1);
  return { name, type: TYPES[typeFlag] ?? 'other', typeFlag, mode: mode & 0o7777, size };
}

function damaged(index: number, name: string, why: string): TarError {
  return new TarError(`entry ${index} (${JSON.stringify(name)}): ${why}`, 'damaged');
}

/** A NUL-terminated text field (the whole field when it has no NUL). */
function text(block: Buffer, field: Field): string {
  const [offset, length] = FIELD[field];
  const raw = block.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.toString('utf8', 0, end === -1 ? length : end);
}

/**
 * An octal field: digits, optionally led by spaces and ended by NULs or spaces, as the various
 * tars write them. Null for anything else, including GNU's base-256 numbers, which a bundle
 * never needs.
 */
function octal(block: Buffer, field: Field): number | null {
  const [offset, length] = FIELD[field];
  const match = /^ *([0-7]{1,12})[ \0]*$/.exec(block.toString('latin1', offset, offset + length));
  if (!match?.[1]) return null;
  return Number.parseInt(match[1], 8);
}

/** The header's sum with the checksum field as spaces, as POSIX (unsigned) and old Sun tar (signed) made it. */
function checksums(block: Buffer): { unsigned: number; signed: number } {
  let unsigned = 0;
  let signed = 0;
  const [start, length] = FIELD.checksum;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= start && i < start + length ? 0x20 : (block[i] ?? 0);
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return { unsigned, signed };
}

function isZero(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte !== 0) return false;
  return true;
}
