// Lab bundles (.lvslab): the same lab always packs to the same bytes and reads back as it was
// packed, and every kind of hostile bundle is refused with a sentence naming what is wrong.
// Hostile bundles are built here header by header, as an attacker would, with any type flag,
// name or manifest.
import { createHash, randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  BUNDLE_LIMITS,
  BundleError,
  MANIFEST_NAME,
  readBundle,
  writeBundle,
  type BundleEntry,
  type BundleLimits,
  type BundleManifest,
} from '../../../main/core/bundle/bundle-file.js';
import { checkBundlePath, findDuplicates } from '../../../main/core/bundle/bundle-paths.js';
import { readTar } from '../../../main/core/bundle/tar.js';
import { fixChecksum, rawTar, type RawEntry } from '../../hostile-tar.js';
import { defined } from './helpers.js';

const VERSION = '0.4.2';

const META: Omit<BundleManifest, 'format' | 'files'> = {
  id: 'tun-demo',
  title: 'LVS-TUN, step by step',
  author: 'A. Trainer',
  description: 'Three real servers behind one director.',
  minLvsLabVersion: '0.4.0',
  createdWith: '0.4.2',
  lab: 'lab.yaml',
  base: 'base/tun-arptables.yaml',
};

const FILES: BundleEntry[] = [
  { path: 'lab.yaml', data: Buffer.from('id: tun-demo\nextends: tun-arptables\n'), mode: 0o644 },
  { path: 'base/tun-arptables.yaml', data: Buffer.from('id: tun-arptables\n'), mode: 0o644 },
  { path: 'pages/a.html', data: Buffer.from('<h1>real server A</h1>\n'), mode: 0o644 },
  { path: 'scripts/setup.sh', data: Buffer.from('#!/bin/sh\nip link\n'), mode: 0o755 },
];

// ---------------------------------------------------------------------------------------------
// Building hostile bundles

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A manifest listing these files truthfully, with any field replaced. */
function manifestOf(files: RawEntry[], overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const listed = Object.fromEntries(
    files.map((f) => [
      f.name,
      { sha256: sha256(f.data ?? Buffer.alloc(0)), size: f.data?.length ?? 0, mode: 0o644 },
    ]),
  );
  return { format: 1, ...META, base: undefined, lab: 'lab.yaml', files: listed, ...overrides };
}

function manifestEntry(manifest: unknown): RawEntry {
  return { name: MANIFEST_NAME, data: Buffer.from(JSON.stringify(manifest, null, 2)) };
}

const LAB: RawEntry = { name: 'lab.yaml', data: Buffer.from('id: tun-demo\n') };
const PAGE: RawEntry = { name: 'pages/a.html', data: Buffer.from('<h1>A</h1>\n') };

/** A bundle of the manifest (listing `listed`, with overrides) and then these entries. */
function hostile(entries: RawEntry[], overrides: Record<string, unknown> = {}, listed = entries): Buffer {
  return zlib.gzipSync(rawTar([manifestEntry(manifestOf(listed, overrides)), ...entries]));
}

function refusal(bundle: Buffer, limits?: BundleLimits, currentVersion = VERSION): BundleError {
  try {
    readBundle(bundle, { currentVersion, ...(limits ? { limits } : {}) });
  } catch (error) {
    if (error instanceof BundleError) return error;
    throw error;
  }
  throw new Error('the bundle was accepted');
}

// ---------------------------------------------------------------------------------------------

describe('writeBundle and readBundle', () => {
  it('reads back the manifest and the files that were packed', () => {
    const { manifest, files } = readBundle(writeBundle(META, FILES), { currentVersion: VERSION });
    expect(manifest).toEqual({
      format: 1,
      ...META,
      files: {
        'base/tun-arptables.yaml': { sha256: sha256(defined(FILES[1]).data), size: 18, mode: 0o644 },
        'lab.yaml': { sha256: sha256(defined(FILES[0]).data), size: FILES[0]?.data.length, mode: 0o644 },
        'pages/a.html': { sha256: sha256(defined(FILES[2]).data), size: FILES[2]?.data.length, mode: 0o644 },
        'scripts/setup.sh': {
          sha256: sha256(defined(FILES[3]).data),
          size: FILES[3]?.data.length,
          mode: 0o755,
        },
      },
    });
    expect([...files.keys()]).toEqual([
      'base/tun-arptables.yaml',
      'lab.yaml',
      'pages/a.html',
      'scripts/setup.sh',
    ]);
    for (const file of FILES) expect(files.get(file.path)).toEqual(file);
  });

  it('writes the same bytes for the same lab, whatever the order of its files', () => {
    const bundle = writeBundle(META, FILES);
    expect(writeBundle(META, FILES).equals(bundle)).toBe(true);
    expect(writeBundle(META, [...FILES].reverse()).equals(bundle)).toBe(true);
  });

  it('writes the same bytes again from what it read', () => {
    const bundle = writeBundle(META, FILES);
    const { manifest, files } = readBundle(bundle, { currentVersion: VERSION });
    expect(writeBundle(manifest, [...files.values()]).equals(bundle)).toBe(true);
  });

  it('writes the manifest first, as pretty JSON in a fixed key order, then the files by path', () => {
    const entries = readTar(zlib.gunzipSync(writeBundle(META, FILES)), { maxEntries: 10 });
    expect(entries.map((e) => e.name)).toEqual([
      'lvslab.json',
      'base/tun-arptables.yaml',
      'lab.yaml',
      'pages/a.html',
      'scripts/setup.sh',
    ]);
    const text = defined(entries[0]).data.toString();
    expect(Object.keys(JSON.parse(text) as object)).toEqual([
      'format',
      'id',
      'title',
      'author',
      'description',
      'minLvsLabVersion',
      'createdWith',
      'lab',
      'base',
      'files',
    ]);
    expect(text).toMatch(/^\{\n {2}"format": 1,\n {2}"id": "tun-demo",\n/);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('normalises modes: 0755 when any execute bit is set, else 0644', () => {
    const files = [
      { path: 'lab.yaml', data: Buffer.from('x'), mode: 0o600 },
      { path: 'owner-only.sh', data: Buffer.from('x'), mode: 0o700 },
      { path: 'others.sh', data: Buffer.from('x'), mode: 0o641 },
      { path: 'setuid', data: Buffer.from('x'), mode: 0o4644 },
    ];
    const { base: _base, ...meta } = META;
    const { manifest, files: read } = readBundle(writeBundle(meta, files), { currentVersion: VERSION });
    expect(Object.values(manifest.files).map((f) => f.mode)).toEqual([0o644, 0o755, 0o755, 0o644]);
    expect([...read.values()].map((f) => f.mode)).toEqual([0o644, 0o755, 0o755, 0o644]);
    const modes = readTar(zlib.gunzipSync(writeBundle(meta, files)), { maxEntries: 10 }).map((e) => e.mode);
    expect(modes).toEqual([0o644, 0o644, 0o755, 0o755, 0o644]);
  });

  it('writes a gzip header that does not depend on the machine', () => {
    const bundle = writeBundle(META, FILES);
    expect([...bundle.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 255]);
  });

  it('carries long paths in the ustar prefix field', () => {
    const long = `${'assets/nested-folder/'.repeat(6)}page.html`;
    expect(long.length).toBeGreaterThan(100);
    const files = [...FILES, { path: long, data: Buffer.from('deep'), mode: 0o644 }];
    const { files: read } = readBundle(writeBundle(META, files), { currentVersion: VERSION });
    expect(read.get(long)?.data.toString()).toBe('deep');
  });

  it('accepts folder entries, which other tar tools write, and skips them', () => {
    const bundle = hostile([{ name: 'pages/', type: '5' }, LAB, PAGE], {}, [LAB, PAGE]);
    expect([...readBundle(bundle, { currentVersion: VERSION }).files.keys()]).toEqual([
      'lab.yaml',
      'pages/a.html',
    ]);
  });

  it('compares versions as numbers', () => {
    const bundle = hostile([LAB], { minLvsLabVersion: '0.9.0' });
    expect(readBundle(bundle, { currentVersion: '0.10.0' }).manifest.minLvsLabVersion).toBe('0.9.0');
    expect(readBundle(bundle, { currentVersion: '0.9.0-dev' }).manifest.id).toBe('tun-demo');
  });
});

describe('writeBundle refuses what readBundle would refuse', () => {
  const { base: _base, ...meta } = META;
  const lab = { path: 'lab.yaml', data: Buffer.from('x'), mode: 0o644 };

  it.each([
    ['../evil', /a bundle cannot hold a file named "\.\.\/evil": the name goes up a folder/],
    ['lvslab.json', /the bundle's file names clash: lvslab.json appears twice/],
    ['LAB.yaml', /LAB.yaml and lab.yaml differ only in case/],
    ['lab.yaml/x', /lab.yaml is a file and also the folder of lab.yaml\/x/],
  ])('a file named %s', (name, message) => {
    expect(() => writeBundle(meta, [lab, { path: name, data: Buffer.alloc(0), mode: 0o644 }])).toThrow(
      message,
    );
  });

  it('a lab file that is not among the files', () => {
    expect(() => writeBundle(META, [lab])).toThrow(
      "the manifest names base/tun-arptables.yaml as the lab's base, but the bundle has no such file",
    );
  });

  it('a manifest field that does not fit the schema', () => {
    expect(() => writeBundle({ ...meta, id: 'Not An Id' }, [lab])).toThrow(
      /id: expected a name of lowercase/,
    );
    expect(() => writeBundle({ ...meta, minLvsLabVersion: 'latest' }, [lab])).toThrow(
      /minLvsLabVersion: expected a version/,
    );
    expect(() => writeBundle({ ...meta, minLvsLabVersion: '0.5.0' }, [lab])).toThrow(
      'the bundle would need LVS Lab 0.5.0 or newer, but it is packed by 0.4.2',
    );
  });

  it('a file over the size limit', () => {
    const big = { path: 'big.bin', data: Buffer.alloc(BUNDLE_LIMITS.maxFileBytes + 1), mode: 0o644 };
    expect(() => writeBundle(meta, [lab, big])).toThrow(
      'big.bin is 4.0 MiB (4194305 bytes); a file in a bundle is at most 4 MiB',
    );
  });

  it('a name ustar cannot store', () => {
    const long = { path: `pages/${'x'.repeat(150)}`, data: Buffer.alloc(0), mode: 0o644 };
    expect(() => writeBundle(meta, [lab, long])).toThrow(
      /^cannot pack the lab: the name pages\/x+ \(156 bytes\) cannot be stored in a ustar header/,
    );
  });

  it('files that add up to more than a bundle unpacks to', () => {
    const quarter = BUNDLE_LIMITS.maxUnpackedBytes / 4;
    const files = ['a', 'b', 'c', 'd'].map((name) => ({
      path: name,
      data: Buffer.alloc(quarter),
      mode: 0o644,
    }));
    expect(() => writeBundle(meta, [lab, ...files])).toThrow(
      /^the lab's files add up to 16\.0 MiB \(\d+ bytes\) with the archive's headers; a bundle holds at most 16 MiB$/,
    );
  });

  it('a bundle larger than a bundle may be', () => {
    const noise = { path: 'noise.bin', data: randomBytes(BUNDLE_LIMITS.maxFileBytes), mode: 0o644 };
    expect(() => writeBundle(meta, [lab, noise])).toThrow(
      /^the bundle would be 4\.0 MiB \(\d+ bytes\); a bundle is at most 4 MiB$/,
    );
  });

  it('more files than a bundle holds', () => {
    const many = Array.from({ length: BUNDLE_LIMITS.maxEntries }, (_, i) => ({
      path: `f${i}`,
      data: Buffer.alloc(0),
      mode: 0o644,
    }));
    expect(() => writeBundle(meta, [lab, ...many])).toThrow(
      /a bundle holds at most 256 files with its manifest/,
    );
  });
});

describe('readBundle refuses', () => {
  const small: BundleLimits = {
    maxBundleBytes: 4096,
    maxUnpackedBytes: 64 * 1024,
    maxEntries: 8,
    maxFileBytes: 1000,
  };

  it('a file larger than a bundle may be', () => {
    expect(refusal(Buffer.alloc(4097, 0x1f), small).message).toBe(
      'the file is 4097 bytes, too large for an LVS Lab bundle (at most 4096 bytes)',
    );
    expect(refusal(Buffer.alloc(BUNDLE_LIMITS.maxBundleBytes + 1)).message).toMatch(
      /too large for an LVS Lab bundle \(at most 4 MiB\)/,
    );
  });

  it('a file that is not gzip', () => {
    const error = refusal(Buffer.from('hello, world\n'));
    expect(error.message).toBe('not an LVS Lab bundle (.lvslab): it is not gzip-compressed');
    expect(error.hint).toBe('open a .lvslab file that LVS Lab packed');
    expect(refusal(Buffer.alloc(0)).message).toBe('not an LVS Lab bundle (.lvslab): the file is empty');
    expect(refusal(Buffer.from('PK\u0003\u0004rest of a zip')).message).toMatch(/it is a zip file/);
    expect(refusal(rawTar([LAB])).message).toMatch(/it is a tar archive that is not gzip-compressed/);
  });

  it('gzip data that is damaged', () => {
    const bundle = writeBundle(META, FILES);
    expect(refusal(bundle.subarray(0, bundle.length - 20)).message).toMatch(
      /^not an LVS Lab bundle \(\.lvslab\): its compressed data is damaged \(/,
    );
    expect(refusal(Buffer.concat([bundle, Buffer.from('trailing')])).message).toMatch(
      /compressed data is damaged/,
    );
  });

  it('an archive bomb, without inflating more than the limit', () => {
    // 64 MiB of zeros packs into about 64 KiB.
    const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(BUNDLE_LIMITS.maxBundleBytes);
    const error = refusal(bomb);
    expect(error.message).toBe(
      'the bundle unpacks to more than 16 MiB, the most LVS Lab unpacks: it may be an archive bomb',
    );
  });

  it('more entries than a bundle may have', () => {
    const many = Array.from({ length: BUNDLE_LIMITS.maxEntries }, (_, i) => ({ name: `f${i}.txt` }));
    expect(refusal(hostile([LAB, ...many])).message).toBe(
      'the bundle has more than 256 entries; LVS Lab opens bundles of at most 256 files',
    );
    expect(refusal(hostile([LAB, ...many.slice(0, 8)]), small).message).toMatch(/more than 8 entries/);
  });

  it('a file over the size limit', () => {
    const big = { name: 'pages/big.html', data: Buffer.alloc(1001, 0x41) };
    expect(refusal(hostile([LAB, big]), small).message).toBe(
      'pages/big.html is 1001 bytes; a file in a bundle is at most 1000 bytes',
    );
  });

  it('a damaged tar header', () => {
    const tar = zlib.gunzipSync(hostile([LAB, PAGE]));
    // The second header's name (the manifest's text has "lab.yaml" too, but not before a NUL).
    const second = tar.indexOf('lab.yaml\0');
    tar.writeUInt8(tar.readUInt8(second) ^ 0x20, second);
    const error = refusal(zlib.gzipSync(tar));
    expect(error.message).toBe(
      `the bundle's archive is damaged: entry 2 ("Lab.yaml"): its header checksum does not match`,
    );
    expect(error.hint).toBe('download it again, or ask its author for a new copy');
  });

  it('an archive cut short', () => {
    const tar = zlib.gunzipSync(hostile([LAB, { name: 'pages/big.html', data: Buffer.alloc(3000) }]));
    expect(refusal(zlib.gzipSync(tar.subarray(0, tar.length - 2048))).message).toMatch(
      /^the bundle's archive is damaged: entry 3 \("pages\/big.html"\): its data \(3000 bytes\) runs past the end/,
    );
  });

  it.each([
    ['2', 'a symbolic link'],
    ['1', 'a hard link'],
    ['3', 'a character device'],
    ['4', 'a block device'],
    ['6', 'a FIFO (named pipe)'],
    ['x', 'a pax extended header'],
    ['g', 'a pax extended header'],
    ['L', 'a GNU long-name header'],
    ['K', 'a GNU long-name header'],
    ['7', 'an entry of unknown type "7"'],
    ['Z', 'an entry of unknown type "Z"'],
  ])('an entry of type %s', (type, what) => {
    const error = refusal(hostile([LAB, { name: 'pages/evil', type }], {}, [LAB]));
    expect(error.message).toBe(
      `the bundle contains ${what}, "pages/evil"; a bundle holds only regular files`,
    );
    expect(error.hint).toMatch(/pack the lab again with LVS Lab/);
  });

  it('a symbolic link pointing out of the folder', () => {
    // The link's target is in the header's linkname field; the type alone is enough to refuse it.
    const tar = rawTar([manifestEntry(manifestOf([LAB])), LAB, { name: 'passwd', type: '2' }]);
    const header = tar.indexOf('passwd\0');
    tar.write('/etc/passwd', header + 157, 'latin1');
    expect(refusal(zlib.gzipSync(fixChecksum(tar, header))).message).toMatch(
      /contains a symbolic link, "passwd"/,
    );
  });

  it.each([
    ['../evil', 'the name goes up a folder (..), out of the bundle'],
    ['pages/../../evil', 'the name goes up a folder (..), out of the bundle'],
    ['/etc/passwd', 'the name is an absolute path; a bundle holds only paths relative to its folder'],
    ['\\evil', 'the name is an absolute path; a bundle holds only paths relative to its folder'],
    ['C:\\evil', 'the name is an absolute path; a bundle holds only paths relative to its folder'],
    ['pages\\a.html', 'the name contains a backslash; bundle paths use / between folders'],
    ['pages//a.html', 'the name has an empty segment (// or a / at the end)'],
    ['./lab2.yaml', 'the name has a "." segment'],
    ['pages/a\u0001.html', 'the name contains a control character'],
    ['pages/a b.html', '"a b.html" has characters other than letters, digits, ".", "_" and "-"'],
    ['pages/\u00e9.html', '"\u00e9.html" has characters other than letters, digits, ".", "_" and "-"'],
    [`${'d/'.repeat(100)}x`, 'the name is longer than 200 characters'],
  ])('a file named %j', (name, why) => {
    const error = refusal(hostile([LAB, { name, data: Buffer.from('x') }]));
    expect(error.message).toBe(
      `the bundle contains a file named ${JSON.stringify(name)}, which LVS Lab refuses: ${why}`,
    );
  });

  it('a folder entry with a name a file could not have', () => {
    expect(refusal(hostile([LAB, { name: '../', type: '5' }], {}, [LAB])).message).toMatch(
      /contains a folder named "\.\.\/", which LVS Lab refuses: the name goes up a folder/,
    );
  });

  it.each([
    [[PAGE, PAGE], 'pages/a.html appears twice'],
    [
      [PAGE, { name: 'pages/A.html' }],
      'pages/a.html and pages/A.html differ only in case, and would be the same file on macOS and Windows',
    ],
    [[{ name: 'pages' }, PAGE], 'pages is a file and also the folder of pages/a.html'],
    [
      [{ name: 'LVSLAB.JSON' }],
      'lvslab.json and LVSLAB.JSON differ only in case, and would be the same file on macOS and Windows',
    ],
  ])('names that clash: %#', (entries, why) => {
    expect(refusal(hostile([LAB, ...entries])).message).toBe(`the bundle's file names clash: ${why}`);
  });

  it('a bundle without a manifest, or with it not first', () => {
    expect(refusal(zlib.gzipSync(rawTar([LAB, PAGE]))).message).toBe(
      'not an LVS Lab bundle (.lvslab): it has no lvslab.json manifest',
    );
    const late = rawTar([LAB, manifestEntry(manifestOf([LAB]))]);
    expect(refusal(zlib.gzipSync(late)).message).toBe(
      "the bundle's manifest (lvslab.json) is not its first file: lab.yaml comes before it",
    );
  });

  it('a manifest that is not JSON', () => {
    const bundle = (data: Buffer) => zlib.gzipSync(rawTar([{ name: MANIFEST_NAME, data }, LAB]));
    expect(refusal(bundle(Buffer.from('{"format": 1,'))).message).toMatch(
      /^lvslab.json in the bundle is not valid JSON: /,
    );
    expect(refusal(bundle(Buffer.from([0x7b, 0xff, 0x7d]))).message).toMatch(
      /^lvslab.json in the bundle is not valid JSON: /,
    );
  });

  it('a manifest that does not match the schema, naming each field', () => {
    const error = refusal(
      hostile([LAB], {
        id: '../../etc',
        title: '',
        extra: true,
        lab: '/etc/passwd',
        minLvsLabVersion: '1.0',
      }),
    );
    expect(error.message.split('\n')).toEqual([
      'lvslab.json in the bundle is not a valid manifest:',
      '  id: expected a name of lowercase letters, digits and dashes',
      '  title: Too small: expected string to have >=1 characters',
      '  minLvsLabVersion: expected a version such as 1.2.0',
      '  lab: the name is an absolute path; a bundle holds only paths relative to its folder',
      '  (top): Unrecognized key: "extra"',
    ]);
  });

  it('a manifest listing a file under a name a bundle may not hold', () => {
    const listed = { '../x': { sha256: sha256(Buffer.alloc(0)), size: 0, mode: 0o644 }, 'bad\u0007': {} };
    expect(refusal(hostile([LAB], { files: listed })).message.split('\n')).toEqual([
      'lvslab.json in the bundle is not a valid manifest:',
      '  files."../x": the name goes up a folder (..), out of the bundle',
      '  files."bad\\u0007": the name contains a control character',
    ]);
    const itself = { [MANIFEST_NAME]: { sha256: sha256(Buffer.alloc(0)), size: 0, mode: 0o644 } };
    expect(refusal(hostile([LAB], { files: itself })).message).toContain(
      'files.lvslab.json: the manifest does not list itself',
    );
  });

  it('a manifest that lists a file under __proto__', () => {
    const text = JSON.stringify(manifestOf([LAB])).replace('"files":{', '"files":{"__proto__":{},');
    const bundle = zlib.gzipSync(rawTar([{ name: MANIFEST_NAME, data: Buffer.from(text) }, LAB]));
    expect(refusal(bundle).message).toBe(
      'lvslab.json in the bundle is not valid JSON: it has a key named __proto__',
    );
  });

  it('a bundle format newer than this LVS Lab reads', () => {
    const error = refusal(hostile([LAB], { format: 2, newField: 'anything' }));
    expect(error.message).toBe(
      'the bundle was made by a newer LVS Lab (bundle format 2); this one reads format 1',
    );
    expect(error.hint).toBe('update LVS Lab to open it');
    expect(refusal(hostile([LAB], { format: 0 })).message).toMatch(/format: Invalid input: expected 1/);
  });

  it('a bundle that needs a newer LVS Lab', () => {
    const error = refusal(hostile([LAB], { minLvsLabVersion: '0.10.0' }), undefined, '0.9.3');
    expect(error.message).toBe('the bundle needs LVS Lab 0.10.0 or newer; this is 0.9.3');
    expect(error.hint).toBe('update LVS Lab to open it');
  });

  it('a lab or base file that is not in the bundle', () => {
    expect(refusal(hostile([PAGE], {})).message).toBe(
      "the manifest names lab.yaml as the bundle's lab, but the bundle has no such file",
    );
    expect(refusal(hostile([LAB], { base: 'base/tun-arptables.yaml' })).message).toBe(
      "the manifest names base/tun-arptables.yaml as the lab's base, but the bundle has no such file",
    );
  });

  it('a file the manifest lists that the bundle does not contain', () => {
    const error = refusal(hostile([LAB], {}, [LAB, PAGE]));
    expect(error.message).toBe(
      'the manifest lists pages/a.html, but the bundle does not contain it: the bundle is incomplete or was changed after it was packed',
    );
  });

  it('a file in the bundle that the manifest does not list', () => {
    expect(refusal(hostile([LAB, PAGE], {}, [LAB])).message).toBe(
      'pages/a.html is in the bundle but not in its manifest: the bundle was changed after it was packed',
    );
  });

  it('a file whose content does not match its hash', () => {
    const changed = { ...PAGE, data: Buffer.from('<h1>B</h1>\n') };
    const error = refusal(hostile([LAB, changed], {}, [LAB, PAGE]));
    expect(error.message).toBe(
      'content hash of pages/a.html does not match the manifest: the bundle was changed after it was packed',
    );
    expect(error.hint).toBe(
      'ask its author for a new copy: a bundle cannot be edited by hand, only packed again',
    );
  });

  it('a file whose size does not match', () => {
    const longer = { ...PAGE, data: Buffer.from('<h1>A</h1>\n\n') };
    expect(refusal(hostile([LAB, longer], {}, [LAB, PAGE])).message).toBe(
      'size of pages/a.html does not match the manifest (12 bytes, the manifest says 11): the bundle was changed after it was packed',
    );
  });

  it('a file whose mode does not match', () => {
    expect(refusal(hostile([LAB, { ...PAGE, mode: 0o755 }], {}, [LAB, PAGE])).message).toBe(
      'mode of pages/a.html does not match the manifest (0755, the manifest says 0644): the bundle was changed after it was packed',
    );
  });

  it('with a BundleError a user can read, for every refusal', () => {
    const error = refusal(Buffer.from('nope'));
    expect(error).toBeInstanceOf(BundleError);
    expect(error.name).toBe('LabError');
  });
});

describe('bundle path rules', () => {
  it('accepts plain relative paths', () => {
    for (const name of [
      'lab.yaml',
      'base/tun-arptables.yaml',
      'pages/a_b-c.html',
      '.hidden',
      'a/..b',
      'x'.repeat(200),
    ]) {
      expect(checkBundlePath(name)).toBeNull();
    }
  });

  it('refuses everything else, saying why', () => {
    expect(checkBundlePath('')).toBe('the name is empty');
    expect(checkBundlePath('a\0b')).toBe('the name contains a control character');
    expect(checkBundlePath('a\u007f')).toBe('the name contains a control character');
    expect(checkBundlePath('x'.repeat(201))).toBe('the name is longer than 200 characters');
    expect(checkBundlePath('a/')).toBe('the name has an empty segment (// or a / at the end)');
    expect(checkBundlePath('a/.')).toBe('the name has a "." segment');
    expect(checkBundlePath('c:x')).toMatch(/absolute path/);
  });

  it('finds names that clash', () => {
    expect(findDuplicates(['a', 'b', 'c/d'])).toBeNull();
    expect(findDuplicates(['a/b', 'a/c', 'ab'])).toBeNull();
    expect(findDuplicates(['A/b', 'a'])).toBe('a is a file and also the folder of A/b');
    expect(findDuplicates(['x', 'a/b/c', 'a/b'])).toBe('a/b is a file and also the folder of a/b/c');
  });
});
