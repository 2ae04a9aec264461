// The ustar reader and writer under lab bundles: what writeTar makes is deterministic and reads
// back, both ways with the system's GNU tar, and readTar refuses damaged headers field by field.
// What the bundle makes of each entry type is in bundle-file.test.ts.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readTar, TarError, writeTar, type TarInput } from '../../../main/core/bundle/tar.js';
import { fixChecksum } from '../../hostile-tar.js';
import { defined } from './helpers.js';

const LIMITS = { maxEntries: 256 };
const BLOCK = 512;

const FILES: TarInput[] = [
  { name: 'lvslab.json', data: Buffer.from('{"format": 1}\n'), mode: 0o644 },
  { name: 'lab.yaml', data: Buffer.from('id: demo\n'), mode: 0o644 },
  { name: 'scripts/run.sh', data: Buffer.from('#!/bin/sh\necho hi\n'), mode: 0o755 },
  { name: 'empty.txt', data: Buffer.alloc(0), mode: 0o644 },
  // Exactly one block: no padding after it.
  { name: 'pages/block.bin', data: Buffer.alloc(BLOCK, 7), mode: 0o644 },
];

function tarError(tar: Buffer, limits = LIMITS): TarError {
  try {
    readTar(tar, limits);
  } catch (error) {
    if (error instanceof TarError) return error;
    throw error;
  }
  throw new Error('the archive was accepted');
}

let tempDirs: string[] = [];
afterEach(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs = [];
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lvslab-tar-'));
  tempDirs.push(dir);
  return dir;
}

describe('writeTar', () => {
  it('reads back the same files, in order', () => {
    const entries = readTar(writeTar(FILES), LIMITS);
    expect(entries.map((e) => [e.name, e.type, e.typeFlag, e.mode, e.size])).toEqual(
      FILES.map((f) => [f.name, 'file', '0', f.mode, f.data.length]),
    );
    for (const [i, entry] of entries.entries()) expect(entry.data.equals(defined(FILES[i]).data)).toBe(true);
  });

  it('writes the same bytes every time, with no time, owner or group in them', () => {
    const tar = writeTar(FILES);
    expect(writeTar(FILES).equals(tar)).toBe(true);
    const header = tar.subarray(0, BLOCK);
    const field = (offset: number, length: number) => header.toString('latin1', offset, offset + length);
    expect(field(100, 8)).toBe('0000644\0');
    expect(field(108, 8)).toBe('0000000\0'); // uid
    expect(field(116, 8)).toBe('0000000\0'); // gid
    expect(field(136, 12)).toBe('00000000000\0'); // mtime
    expect(field(156, 1)).toBe('0');
    expect(field(257, 8)).toBe('ustar\u000000');
    expect(field(265, 64)).toBe('\0'.repeat(64)); // uname, gname
    // Data padded to whole blocks, then two zero blocks.
    const size = FILES.reduce((sum, f) => sum + BLOCK + Math.ceil(f.data.length / BLOCK) * BLOCK, 0);
    expect(tar.length).toBe(size + 2 * BLOCK);
  });

  it('keeps only the permission bits of a mode', () => {
    const tar = writeTar([{ name: 'a', data: Buffer.alloc(1), mode: 0o100755 }]);
    expect(readTar(tar, LIMITS)[0]?.mode).toBe(0o755);
  });

  it('puts a name over 100 bytes in the prefix field, cut at a /', () => {
    const name = `${'folder-with-a-long-name/'.repeat(5)}${'f'.repeat(90)}.txt`;
    expect(name.length).toBeGreaterThan(100);
    const tar = writeTar([{ name, data: Buffer.from('x'), mode: 0o644 }]);
    const prefix = tar.toString('latin1', 345, 500).replace(/\0+$/, '');
    const short = tar.toString('latin1', 0, 100).replace(/\0+$/, '');
    expect(`${prefix}/${short}`).toBe(name);
    expect(short.length).toBeLessThanOrEqual(100);
    expect(readTar(tar, LIMITS)[0]?.name).toBe(name);
  });

  it('refuses a name that no / can cut into the two fields', () => {
    expect(() => writeTar([{ name: 'x'.repeat(101), data: Buffer.alloc(0), mode: 0o644 }])).toThrow(
      /cannot be stored in a ustar header/,
    );
    // The part after the last / is itself over 100 bytes.
    expect(() => writeTar([{ name: `a/${'x'.repeat(101)}`, data: Buffer.alloc(0), mode: 0o644 }])).toThrow(
      /cannot be stored/,
    );
    // Every cut leaves more than 155 bytes before it or more than 100 after it.
    expect(() =>
      writeTar([{ name: `${'p'.repeat(160)}/${'n'.repeat(60)}`, data: Buffer.alloc(0), mode: 0o644 }]),
    ).toThrow(/cannot be stored/);
  });

  it('is read by GNU tar as the same files', () => {
    const dir = tempDir();
    const long = `${'deep/'.repeat(25)}file.txt`;
    const files = [...FILES, { name: long, data: Buffer.from('deep\n'), mode: 0o644 }];
    const archive = path.join(dir, 'out.tar');
    writeFileSync(archive, writeTar(files));
    const listing = execFileSync('tar', ['-tvf', archive], {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'UTC' },
    })
      .trim()
      .split('\n');
    expect(listing.map((line) => line.split(/\s+/).at(-1))).toEqual(files.map((f) => f.name));
    expect(listing[2]).toMatch(/^-rwxr-xr-x 0\/0 +18 1970-01-01 00:00 scripts\/run.sh$/);
    expect(execFileSync('tar', ['-xOf', archive, long], { encoding: 'utf8' })).toBe('deep\n');
  });
});

describe('readTar', () => {
  it('reads what GNU tar --format=ustar writes: files, folders, links, FIFOs, long names', () => {
    const dir = tempDir();
    const long = `${'nested/'.repeat(20)}page.html`;
    mkdirSync(path.join(dir, path.dirname(long)), { recursive: true });
    writeFileSync(path.join(dir, long), '<h1>deep</h1>\n');
    writeFileSync(path.join(dir, 'lab.yaml'), 'id: demo\n');
    writeFileSync(path.join(dir, 'run.sh'), '#!/bin/sh\n');
    chmodSync(path.join(dir, 'run.sh'), 0o755);
    symlinkSync('/etc/passwd', path.join(dir, 'link'));
    execFileSync('mkfifo', [path.join(dir, 'fifo')]);
    const tar = execFileSync('tar', [
      '--format=ustar',
      '-cf',
      '-',
      '-C',
      dir,
      'lab.yaml',
      'run.sh',
      'link',
      'fifo',
      'nested',
    ]);

    const entries = readTar(tar, LIMITS);
    const byName = new Map(entries.map((e) => [e.name, e]));
    expect(byName.get('lab.yaml')?.data.toString()).toBe('id: demo\n');
    expect(byName.get('lab.yaml')?.type).toBe('file');
    expect(byName.get('run.sh')?.mode).toBe(0o755);
    expect(byName.get(long)?.data.toString()).toBe('<h1>deep</h1>\n');
    expect(byName.get('link')?.type).toBe('symlink');
    expect(byName.get('link')?.data.length).toBe(0);
    expect(byName.get('fifo')?.type).toBe('fifo');
    expect(byName.get('nested/')?.type).toBe('directory');
    expect(entries.filter((e) => e.type === 'directory')).toHaveLength(20);
  });

  it("reads GNU tar's own format, reporting a long-name header as 'other'", () => {
    const dir = tempDir();
    const long = 'n'.repeat(120);
    writeFileSync(path.join(dir, long), 'x');
    const tar = execFileSync('tar', ['--format=gnu', '-cf', '-', '-C', dir, long]);
    const entries = readTar(tar, LIMITS);
    expect(entries.map((e) => [e.type, e.typeFlag])).toEqual([
      ['other', 'L'],
      ['file', '0'],
    ]);
    expect(entries[0]?.data.toString()).toBe(`${long}\0`);
  });

  it("reports a pax extended header as 'other'", () => {
    const dir = tempDir();
    // A name no ustar header can hold makes GNU tar write a pax header for it.
    const long = `${'p'.repeat(200)}.txt`;
    writeFileSync(path.join(dir, long), 'x');
    const tar = execFileSync('tar', ['--format=pax', '-cf', '-', '-C', dir, long]);
    const entries = readTar(tar, LIMITS);
    expect(entries[0]?.typeFlag).toBe('x');
    expect(entries[0]?.type).toBe('other');
    expect(entries[0]?.data.toString()).toContain(`path=${long}`);
  });

  it('refuses a header whose checksum does not match', () => {
    const tar = writeTar(FILES);
    // A byte in the second header's name ('lvslab.json' takes one data block).
    tar.writeUInt8(tar.readUInt8(2 * BLOCK + 3) ^ 1, 2 * BLOCK + 3);
    expect(tarError(tar).message).toMatch(/^entry 2 \(.*\): its header checksum does not match$/);
  });

  it('accepts a checksum written the old signed way', () => {
    const tar = writeTar([{ name: 'caf\u00e9', data: Buffer.alloc(0), mode: 0o644 }]);
    let signed = 0;
    for (const [i, byte] of tar.subarray(0, BLOCK).entries()) {
      signed += i >= 148 && i < 156 ? 0x20 : byte > 127 ? byte - 256 : byte;
    }
    tar.write(`${signed.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    expect(readTar(tar, LIMITS)[0]?.name).toBe('caf\u00e9');
  });

  it('refuses a size or mode that is not octal', () => {
    const size = writeTar(FILES.slice(0, 1));
    size.write('0000000001x\0', 124, 'latin1');
    expect(tarError(fixChecksum(size)).message).toBe(
      'entry 1 ("lvslab.json"): its size is not an octal number',
    );

    // GNU's base-256 numbers (high bit set) are not for bundles.
    const base256 = writeTar(FILES.slice(0, 1));
    base256[124] = 0x80;
    expect(tarError(fixChecksum(base256)).message).toMatch(/its size is not an octal number/);

    const mode = writeTar(FILES.slice(0, 1));
    mode.fill(0, 100, 108);
    expect(tarError(fixChecksum(mode)).message).toBe(
      'entry 1 ("lvslab.json"): its mode is not an octal number',
    );
  });

  it('refuses a header that is not ustar', () => {
    const tar = writeTar(FILES.slice(0, 1));
    tar.fill(0, 257, 265); // a pre-POSIX (v7) header has no magic
    expect(tarError(fixChecksum(tar)).message).toMatch(/its header is not a ustar header/);
  });

  it('refuses data that runs past the end of the archive', () => {
    const tar = writeTar(FILES.slice(0, 1));
    tar.write('00000077777\0', 124, 'latin1');
    expect(tarError(fixChecksum(tar)).message).toMatch(
      /^entry 1 \("lvslab.json"\): its data \(32767 bytes\) runs past the end of the archive/,
    );
    // Cut in the middle of a file's data.
    expect(tarError(writeTar(FILES).subarray(0, BLOCK + 5)).message).toMatch(/runs past the end/);
  });

  it('refuses an archive without its end marker, or with data after it', () => {
    const tar = writeTar(FILES);
    expect(tarError(tar.subarray(0, tar.length - 2 * BLOCK)).message).toMatch(/ends without its end marker/);
    expect(tarError(tar.subarray(0, tar.length - BLOCK)).message).toMatch(/single zero block/);
    expect(tarError(Buffer.concat([tar, Buffer.from('hidden')])).message).toMatch(
      /data after its end marker/,
    );
    // A lone zero block in the middle hides the rest from some readers and not from others.
    const lone = Buffer.concat([Buffer.alloc(BLOCK), tar]);
    expect(tarError(lone).message).toMatch(/lone zero block at byte 0 is followed by more data/);
    // Zero padding after the marker (tar's 10 KiB records) is fine.
    expect(readTar(Buffer.concat([tar, Buffer.alloc(8 * BLOCK)]), LIMITS)).toHaveLength(FILES.length);
  });

  it('reads an empty archive, and refuses an empty buffer', () => {
    expect(readTar(Buffer.alloc(2 * BLOCK), LIMITS)).toEqual([]);
    expect(tarError(Buffer.alloc(0)).message).toMatch(/ends without its end marker/);
  });

  it('stops after maxEntries entries', () => {
    const many = Array.from({ length: 10 }, (_, i) => ({
      name: `f${i}`,
      data: Buffer.alloc(0),
      mode: 0o644,
    }));
    expect(readTar(writeTar(many), { maxEntries: 10 })).toHaveLength(10);
    const error = tarError(writeTar(many), { maxEntries: 9 });
    expect(error.kind).toBe('too-many-entries');
    expect(error.message).toBe('the archive has more than 9 entries');
  });

  it('gives links, devices, FIFOs and folders no data, whatever their size says', () => {
    const tar = writeTar([
      { name: 'link', data: Buffer.alloc(0), mode: 0o777 },
      { name: 'after', data: Buffer.from('after'), mode: 0o644 },
    ]);
    tar.write('2', 156, 'latin1');
    tar.write('00000000005\0', 124, 'latin1');
    const entries = readTar(fixChecksum(tar), LIMITS);
    expect(entries.map((e) => [e.name, e.type, e.size])).toEqual([
      ['link', 'symlink', 0],
      ['after', 'file', 5],
    ]);
  });
});
