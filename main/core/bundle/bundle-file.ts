// A lab bundle (.lvslab): a gzip-compressed ustar archive whose first file, lvslab.json, lists
// every other file with its sha256, size and mode. Bundles come from strangers, so reading one
// refuses anything odd before a single file is returned: sizes are capped before and while
// unpacking, only regular files with plain relative names are accepted, and every file must be
// exactly the one the manifest lists. Writing is deterministic, so that the same lab always
// packs to the same bytes.
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { z } from 'zod';
import { name as labId } from '../../../shared/lab-schema.js';
import { errorText, LabError } from '../errors.js';
import { checkBundlePath, findDuplicates } from './bundle-paths.js';
import { readTar, TarError, writeTar, type TarEntry } from './tar.js';

export const BUNDLE_FORMAT_VERSION = 1;
export const MANIFEST_NAME = 'lvslab.json';
export const BUNDLE_LIMITS = {
  maxBundleBytes: 4 * 1024 * 1024,
  maxUnpackedBytes: 16 * 1024 * 1024,
  maxEntries: 256,
  maxFileBytes: 4 * 1024 * 1024,
};
export type BundleLimits = typeof BUNDLE_LIMITS;

export interface BundleManifest {
  format: 1;
  id: string;
  title: string;
  author: string;
  description: string;
  /** The oldest LVS Lab that may open the bundle, x.y.z. */
  minLvsLabVersion: string;
  /** The LVS Lab version that packed it, x.y.z. */
  createdWith: string;
  /** The path of the lab file in the bundle, e.g. 'lab.yaml'. */
  lab: string;
  /** The path of its base lab when the lab extends one, e.g. 'base/tun-arptables.yaml'. */
  base?: string;
  /** Every entry except the manifest itself. */
  files: Record<string, { sha256: string; size: number; mode: number }>;
}

export interface BundleEntry {
  path: string;
  data: Buffer;
  mode: number;
}

/** A bundle that cannot be written or read: the message names the entry, the hint the way out. */
export class BundleError extends LabError {}

const HINT_REPACK = 'pack the lab again with LVS Lab, which writes only plain files under plain names';
const HINT_CHANGED = 'ask its author for a new copy: a bundle cannot be edited by hand, only packed again';
const HINT_DAMAGED = 'download it again, or ask its author for a new copy';

// ---------------------------------------------------------------------------------------------
// The manifest

const VERSION = /^(\d{1,9})\.(\d{1,9})\.(\d{1,9})$/;
const version = z.string().regex(VERSION, { message: 'expected a version such as 1.2.0' });

const bundlePath = z.string().superRefine((value, ctx) => {
  const why = checkBundlePath(value);
  if (why !== null) ctx.addIssue({ code: 'custom', message: why });
});

const manifestSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT_VERSION),
  id: labId,
  title: z.string().min(1).max(200),
  author: z.string().max(200),
  description: z.string().max(20_000),
  minLvsLabVersion: version,
  createdWith: version,
  lab: bundlePath,
  base: bundlePath.optional(),
  files: z.record(
    bundlePath.refine((p) => p !== MANIFEST_NAME, { message: 'the manifest does not list itself' }),
    z.strictObject({
      sha256: z.string().regex(/^[0-9a-f]{64}$/, { message: 'expected 64 lowercase hex digits' }),
      size: z.number().int().min(0),
      // Normalised when packed: nothing else is ever written.
      mode: z.literal([0o644, 0o755], { message: 'expected 420 (0644) or 493 (0755)' }),
    }),
  ),
});

/** The manifest as JSON: keys in a fixed order, files sorted by path, so that bytes repeat. */
function manifestJson(manifest: BundleManifest): Buffer {
  const ordered = {
    format: manifest.format,
    id: manifest.id,
    title: manifest.title,
    author: manifest.author,
    description: manifest.description,
    minLvsLabVersion: manifest.minLvsLabVersion,
    createdWith: manifest.createdWith,
    lab: manifest.lab,
    ...(manifest.base === undefined ? {} : { base: manifest.base }),
    // fromEntries defines each key as its own property, whatever its name.
    files: Object.fromEntries(
      sortedPaths(Object.keys(manifest.files)).map((p) => {
        const file = manifest.files[p];
        return [p, file && { sha256: file.sha256, size: file.size, mode: file.mode }];
      }),
    ),
  };
  return Buffer.from(`${JSON.stringify(ordered, null, 2)}\n`, 'utf8');
}

/** Reads lvslab.json: valid UTF-8 JSON of this format, matching the schema field by field. */
function parseManifest(data: Buffer): BundleManifest {
  let raw: unknown;
  try {
    // `__proto__` is refused outright: zod's records skip it, so a file listed under that name
    // would vanish from the manifest without a word.
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data), (key, value: unknown) => {
      if (key === '__proto__') throw new Error('it has a key named __proto__');
      return value;
    });
  } catch (error) {
    throw new BundleError(
      `${MANIFEST_NAME} in the bundle is not valid JSON: ${errorText(error)}`,
      HINT_REPACK,
    );
  }
  // Checked before the schema: a newer format may well have fields this one does not know.
  const format = typeof raw === 'object' && raw !== null ? (raw as { format?: unknown }).format : undefined;
  if (typeof format === 'number' && Number.isInteger(format) && format > BUNDLE_FORMAT_VERSION) {
    throw new BundleError(
      `the bundle was made by a newer LVS Lab (bundle format ${format}); this one reads format ${BUNDLE_FORMAT_VERSION}`,
      'update LVS Lab to open it',
    );
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => {
      // A refused file name: say why, not zod's generic "Invalid key in record".
      const message =
        issue.code === 'invalid_key' ? issue.issues.map((inner) => inner.message).join('; ') : issue.message;
      return `${issuePath(issue.path) || '(top)'}: ${message}`;
    });
    throw new BundleError(
      `${MANIFEST_NAME} in the bundle is not a valid manifest:\n  ${issues.join('\n  ')}`,
      HINT_REPACK,
    );
  }
  return parsed.data;
}

/** A field's path for a message; keys from the file are quoted unless plain, so none can hide. */
function issuePath(path: PropertyKey[]): string {
  return path
    .map((key) =>
      typeof key === 'string' && /^[A-Za-z0-9._-]+$/.test(key) ? key : JSON.stringify(String(key)),
    )
    .join('.');
}

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * A bundle of these files under this manifest. The same input always gives the same bytes:
 * files sorted by path, modes normalised, no times or owners, a fixed gzip header. Refuses
 * (BundleError) anything readBundle would refuse, so that a packed bundle always opens.
 */
export function writeBundle(
  manifest: Omit<BundleManifest, 'format' | 'files'>,
  files: BundleEntry[],
): Buffer {
  const limits = BUNDLE_LIMITS;
  const sorted = [...files].sort((a, b) => compare(a.path, b.path));
  checkNames([MANIFEST_NAME, ...sorted.map((f) => f.path)]);
  if (sorted.length + 1 > limits.maxEntries) {
    throw new BundleError(
      `a bundle holds at most ${limits.maxEntries} files with its manifest; this lab has ${sorted.length}`,
    );
  }
  for (const file of sorted) checkFileSize(file.path, file.data.length, limits);
  // manifestJson picks the fields, in their order: the one place that lists them.
  const full: BundleManifest = {
    ...manifest,
    format: BUNDLE_FORMAT_VERSION,
    files: Object.fromEntries(
      sorted.map((f) => [
        f.path,
        { sha256: sha256(f.data), size: f.data.length, mode: normaliseMode(f.mode) },
      ]),
    ),
  };
  const json = manifestJson(full);
  // Through the reader's own check, so that the writer cannot drift from it.
  const checked = parseManifest(json);
  if (compareVersions(checked.minLvsLabVersion, checked.createdWith) > 0) {
    throw new BundleError(
      `the bundle would need LVS Lab ${checked.minLvsLabVersion} or newer, but it is packed by ${checked.createdWith}`,
    );
  }
  checkLabFiles(checked, new Set(Object.keys(full.files)));

  let tar: Buffer;
  try {
    tar = writeTar([
      { name: MANIFEST_NAME, data: json, mode: 0o644 },
      ...sorted.map((f) => ({ name: f.path, data: f.data, mode: normaliseMode(f.mode) })),
    ]);
  } catch (error) {
    // A name of up to 200 characters may still not fit ustar's two fields (one long segment).
    throw new BundleError(`cannot pack the lab: ${errorText(error)}`, 'shorten the file or folder name');
  }
  // The archive as the reader will unpack it, headers and padding included.
  if (tar.length > limits.maxUnpackedBytes) {
    throw new BundleError(
      `the lab's files add up to ${formatBytes(tar.length)} with the archive's headers; a bundle holds at most ${formatBytes(limits.maxUnpackedBytes)}`,
      'leave large files out of the lab',
    );
  }
  const gzip = zlib.gzipSync(tar, { level: 9 });
  // The gzip header's OS byte says where zlib was built (3 on Unix, 10 or 19 elsewhere): 255
  // ("unknown") keeps it out of the bytes. It is not covered by gzip's CRC.
  gzip[9] = 255;
  if (gzip.length > limits.maxBundleBytes) {
    throw new BundleError(
      `the bundle would be ${formatBytes(gzip.length)}; a bundle is at most ${formatBytes(limits.maxBundleBytes)}`,
      'leave large files out of the lab',
    );
  }
  return gzip;
}

// ---------------------------------------------------------------------------------------------
// Reading

/**
 * The manifest and files of a bundle, each file checked against the manifest. Throws a
 * BundleError on the first thing wrong, before anything is returned.
 */
export function readBundle(
  buffer: Buffer,
  options: { currentVersion: string; limits?: BundleLimits },
): { manifest: BundleManifest; files: Map<string, BundleEntry> } {
  const limits = options.limits ?? BUNDLE_LIMITS;
  const current = options.currentVersion.replace(/[-+].*$/, '');
  if (!VERSION.test(current)) {
    throw new Error(`LVS Lab's own version is not x.y.z: ${options.currentVersion}`);
  }

  const entries = readEntries(unpack(buffer, limits), limits);
  const regular = entries.filter((e) => e.type === 'file');
  checkNames(regular.map((e) => e.name));

  const first = regular[0];
  if (first?.name !== MANIFEST_NAME) {
    if (!regular.some((e) => e.name === MANIFEST_NAME)) {
      throw new BundleError(
        `not an LVS Lab bundle (.lvslab): it has no ${MANIFEST_NAME} manifest`,
        'open a .lvslab file that LVS Lab packed',
      );
    }
    throw new BundleError(
      `the bundle's manifest (${MANIFEST_NAME}) is not its first file: ${first?.name ?? ''} comes before it`,
      HINT_REPACK,
    );
  }
  const manifest = parseManifest(first.data);
  if (compareVersions(manifest.minLvsLabVersion, current) > 0) {
    throw new BundleError(
      `the bundle needs LVS Lab ${manifest.minLvsLabVersion} or newer; this is ${options.currentVersion}`,
      'update LVS Lab to open it',
    );
  }

  const files = new Map<string, BundleEntry>();
  for (const entry of regular.slice(1)) files.set(entry.name, checkFile(manifest, entry));
  checkLabFiles(manifest, new Set(files.keys()));
  for (const listed of Object.keys(manifest.files)) {
    if (!files.has(listed)) {
      throw new BundleError(
        `the manifest lists ${listed}, but the bundle does not contain it: the bundle is incomplete or was changed after it was packed`,
        HINT_CHANGED,
      );
    }
  }
  return { manifest, files };
}

/** The tar inside the gzip, never inflated beyond the limit. */
function unpack(buffer: Buffer, limits: BundleLimits): Buffer {
  if (buffer.length > limits.maxBundleBytes) {
    throw new BundleError(
      `the file is ${formatBytes(buffer.length)}, too large for an LVS Lab bundle (at most ${formatBytes(limits.maxBundleBytes)})`,
    );
  }
  if (buffer[0] !== 0x1f || buffer[1] !== 0x8b) {
    throw new BundleError(
      `not an LVS Lab bundle (.lvslab): ${notGzip(buffer)}`,
      'open a .lvslab file that LVS Lab packed',
    );
  }
  try {
    // maxOutputLength stops zlib as soon as the output would pass the limit: a bomb of
    // gigabytes of zeros costs no more than the limit in memory.
    return zlib.gunzipSync(buffer, { maxOutputLength: limits.maxUnpackedBytes });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new BundleError(
        `the bundle unpacks to more than ${formatBytes(limits.maxUnpackedBytes)}, the most LVS Lab unpacks: it may be an archive bomb`,
        'open only bundles from people you trust',
      );
    }
    throw new BundleError(
      `not an LVS Lab bundle (.lvslab): its compressed data is damaged (${errorText(error)})`,
      HINT_DAMAGED,
    );
  }
}

/** What the file is instead, when it is easy to tell. */
function notGzip(buffer: Buffer): string {
  if (buffer.length === 0) return 'the file is empty';
  if (buffer.toString('latin1', 0, 2) === 'PK') return 'it is a zip file, not a gzip-compressed tar archive';
  if (buffer.toString('latin1', 257, 262) === 'ustar')
    return 'it is a tar archive that is not gzip-compressed';
  return 'it is not gzip-compressed';
}

/** The archive's entries: regular files and folders only, under names a bundle may use, none too large. */
function readEntries(tar: Buffer, limits: BundleLimits): TarEntry[] {
  let entries: TarEntry[];
  try {
    entries = readTar(tar, limits);
  } catch (error) {
    if (!(error instanceof TarError)) throw error;
    if (error.kind === 'too-many-entries') {
      throw new BundleError(
        `the bundle has more than ${limits.maxEntries} entries; LVS Lab opens bundles of at most ${limits.maxEntries} files`,
      );
    }
    throw new BundleError(`the bundle's archive is damaged: ${error.message}`, HINT_DAMAGED);
  }
  for (const entry of entries) {
    if (entry.type !== 'file' && entry.type !== 'directory') {
      throw new BundleError(
        `the bundle contains ${describeType(entry)}, ${JSON.stringify(entry.name)}; a bundle holds only regular files`,
        HINT_REPACK,
      );
    }
    // Folders are not needed (files imply them) and are skipped, but a hostile name is still refused.
    const name = entry.type === 'directory' ? entry.name.replace(/\/$/, '') : entry.name;
    const why = checkBundlePath(name);
    if (why !== null) {
      throw new BundleError(
        `the bundle contains a ${entry.type === 'directory' ? 'folder' : 'file'} named ${JSON.stringify(entry.name)}, which LVS Lab refuses: ${why}`,
        HINT_REPACK,
      );
    }
    if (entry.type === 'file') checkFileSize(entry.name, entry.size, limits);
  }
  return entries;
}

function describeType(entry: TarEntry): string {
  switch (entry.type) {
    case 'symlink':
      return 'a symbolic link';
    case 'hardlink':
      return 'a hard link';
    case 'character-device':
      return 'a character device';
    case 'block-device':
      return 'a block device';
    case 'fifo':
      return 'a FIFO (named pipe)';
    default:
      if (entry.typeFlag === 'x' || entry.typeFlag === 'g') return 'a pax extended header';
      if (entry.typeFlag === 'L' || entry.typeFlag === 'K') return 'a GNU long-name header';
      return `an entry of unknown type ${JSON.stringify(entry.typeFlag)}`;
  }
}

/** A file as the manifest lists it: same size, same sha256, same mode. */
function checkFile(manifest: BundleManifest, entry: TarEntry): BundleEntry {
  const listed = Object.hasOwn(manifest.files, entry.name) ? manifest.files[entry.name] : undefined;
  if (listed === undefined) {
    throw new BundleError(
      `${entry.name} is in the bundle but not in its manifest: the bundle was changed after it was packed`,
      HINT_CHANGED,
    );
  }
  if (listed.size !== entry.data.length) {
    throw new BundleError(
      `size of ${entry.name} does not match the manifest (${entry.data.length} bytes, the manifest says ${listed.size}): the bundle was changed after it was packed`,
      HINT_CHANGED,
    );
  }
  if (listed.sha256 !== sha256(entry.data)) {
    throw new BundleError(
      `content hash of ${entry.name} does not match the manifest: the bundle was changed after it was packed`,
      HINT_CHANGED,
    );
  }
  const mode = normaliseMode(entry.mode);
  if (listed.mode !== mode) {
    throw new BundleError(
      `mode of ${entry.name} does not match the manifest (${octal(mode)}, the manifest says ${octal(listed.mode)}): the bundle was changed after it was packed`,
      HINT_CHANGED,
    );
  }
  return { path: entry.name, data: entry.data, mode };
}

// ---------------------------------------------------------------------------------------------
// Checks both sides share

function checkNames(names: string[]): void {
  for (const name of names) {
    const why = checkBundlePath(name);
    if (why !== null) {
      throw new BundleError(`a bundle cannot hold a file named ${JSON.stringify(name)}: ${why}`, HINT_REPACK);
    }
  }
  const clash = findDuplicates(names);
  if (clash !== null) throw new BundleError(`the bundle's file names clash: ${clash}`, HINT_REPACK);
}

function checkFileSize(name: string, size: number, limits: BundleLimits): void {
  if (size > limits.maxFileBytes) {
    throw new BundleError(
      `${name} is ${formatBytes(size)}; a file in a bundle is at most ${formatBytes(limits.maxFileBytes)}`,
    );
  }
}

/** The lab file, and its base when it has one, are among the files. */
function checkLabFiles(manifest: BundleManifest, paths: ReadonlySet<string>): void {
  if (!paths.has(manifest.lab)) {
    throw new BundleError(
      `the manifest names ${manifest.lab} as the bundle's lab, but the bundle has no such file`,
      HINT_REPACK,
    );
  }
  if (manifest.base !== undefined && !paths.has(manifest.base)) {
    throw new BundleError(
      `the manifest names ${manifest.base} as the lab's base, but the bundle has no such file`,
      HINT_REPACK,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** 0755 when any execute bit is set, else 0644: all a lab's files need, and nothing surprising. */
export function normaliseMode(mode: number): number {
  return (mode & 0o111) !== 0 ? 0o755 : 0o644;
}

/** Code-unit order, not locale order: the same on every machine. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedPaths(paths: string[]): string[] {
  return [...paths].sort(compare);
}

/** Compares two x.y.z versions numerically: negative, zero or positive. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => (VERSION.exec(v) ?? []).slice(1, 4).map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) {
    const diff = (x[i] ?? 0) - (y[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/**
 * A size for a message: bytes below a MiB, whole MiB as such (the limits), and anything else
 * with its bytes too, so that a size just over a limit never reads the same as the limit.
 */
export function formatBytes(bytes: number): string {
  const mib = 1024 * 1024;
  if (bytes < mib) return `${bytes} bytes`;
  if (bytes % mib === 0) return `${bytes / mib} MiB`;
  return `${(bytes / mib).toFixed(1)} MiB (${bytes} bytes)`;
}

function octal(mode: number): string {
  return `0${mode.toString(8)}`;
}
