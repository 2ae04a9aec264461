// Reading a folder as bundle entries: nested files with their modes, .git left out, and every
// file a bundle may not hold (links, FIFOs, sockets, odd names, too many or too large files)
// refused by name, in a real temporary folder.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BUNDLE_LIMITS,
  BundleError,
  readBundle,
  writeBundle,
} from '../../../main/core/bundle/bundle-file.js';
import { readBundleFolder } from '../../../main/core/bundle/read-folder.js';

let tempDirs: string[] = [];
afterEach(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs = [];
});

/** A temporary folder holding these files (path → content), folders made as needed. */
function folder(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lvslab-folder-'));
  tempDirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.join(dir, path.dirname(name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

async function refusal(dir: string, limits = BUNDLE_LIMITS): Promise<BundleError> {
  try {
    await readBundleFolder(dir, limits);
  } catch (error) {
    if (error instanceof BundleError) return error;
    throw error;
  }
  throw new Error('the folder was accepted');
}

const LAB_FOLDER = {
  'lab.yaml': 'id: demo\n',
  'base/tun-arptables.yaml': 'id: tun-arptables\n',
  'pages/a.html': '<h1>A</h1>\n',
  'pages/deep/er/b.html': '<h1>B</h1>\n',
  'scripts/setup.sh': '#!/bin/sh\n',
  '.git/config': '[core]\n',
  '.git/objects/ab/cdef': 'blob',
  'submodule/.git': 'gitdir: ../.git/modules/submodule\n',
};

describe('readBundleFolder', () => {
  it('reads every regular file, nested, sorted by path, with its mode, and leaves .git out', async () => {
    const dir = folder(LAB_FOLDER);
    chmodSync(path.join(dir, 'scripts/setup.sh'), 0o755);
    mkdirSync(path.join(dir, 'empty/folder'), { recursive: true });
    const entries = await readBundleFolder(dir);
    expect(entries.map((e) => e.path)).toEqual([
      'base/tun-arptables.yaml',
      'lab.yaml',
      'pages/a.html',
      'pages/deep/er/b.html',
      'scripts/setup.sh',
    ]);
    expect(entries.find((e) => e.path === 'pages/deep/er/b.html')?.data.toString()).toBe('<h1>B</h1>\n');
    expect(entries.find((e) => e.path === 'scripts/setup.sh')?.mode).toBe(0o755);
    expect(entries.find((e) => e.path === 'lab.yaml')?.mode).toBe(0o644);
  });

  it('packs into a bundle that reads back the same files', async () => {
    const dir = folder(LAB_FOLDER);
    const entries = await readBundleFolder(dir);
    const meta = {
      id: 'demo',
      title: 'Demo',
      author: '',
      description: '',
      minLvsLabVersion: '0.1.0',
      createdWith: '0.1.0',
      lab: 'lab.yaml',
      base: 'base/tun-arptables.yaml',
    };
    const { files } = readBundle(writeBundle(meta, entries), { currentVersion: '0.1.0' });
    expect([...files.values()]).toEqual(entries);
  });

  it('refuses a symbolic link, and does not follow it', async () => {
    const dir = folder({ 'lab.yaml': 'id: demo\n' });
    symlinkSync('/etc/passwd', path.join(dir, 'passwd'));
    const error = await refusal(dir);
    expect(error.message).toBe(`passwd in ${dir} is a symbolic link; a bundle holds only regular files`);
    expect(error.hint).toBe('replace the link with a copy of the file it points to');
  });

  it('refuses a link to a folder', async () => {
    const dir = folder({ 'lab.yaml': 'id: demo\n' });
    symlinkSync('/etc', path.join(dir, 'etc'));
    expect((await refusal(dir)).message).toBe(
      `etc in ${dir} is a symbolic link; a bundle holds only regular files`,
    );
  });

  it('refuses a FIFO without opening it (which would block)', async () => {
    const dir = folder({ 'lab.yaml': 'id: demo\n' });
    mkdirSync(path.join(dir, 'pipes'));
    execFileSync('mkfifo', [path.join(dir, 'pipes', 'fifo')]);
    expect((await refusal(dir)).message).toBe(
      `pipes/fifo in ${dir} is a FIFO (named pipe); a bundle holds only regular files`,
    );
  });

  it('refuses a socket', async () => {
    const dir = folder({ 'lab.yaml': 'id: demo\n' });
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(dir, 'sock'), resolve));
    try {
      expect((await refusal(dir)).message).toBe(
        `sock in ${dir} is a socket; a bundle holds only regular files`,
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses a name a bundle may not hold', async () => {
    const error = await refusal(folder({ 'lab.yaml': 'x', 'pages/read me.html': 'x' }));
    expect(error.message).toMatch(
      /^"pages\/read me.html" in .* cannot go into a bundle: "read me.html" has characters other than letters/,
    );
    expect(error.hint).toBe('rename it, or move it out of the folder');
    expect((await refusal(folder({ 'caf\u00e9.txt': 'x' }))).message).toMatch(
      /"caf\u00e9.txt" in .* cannot go into a bundle/,
    );
    expect((await refusal(folder({ 'a\u0001': 'x' }))).message).toMatch(
      /^"a\\u0001" in .* cannot go into a bundle: the name contains a control character$/,
    );
  });

  it('refuses a folder a bundle may not hold, before reading what is in it', async () => {
    expect((await refusal(folder({ 'my pages/a.html': 'x' }))).message).toMatch(
      /^"my pages" in .* cannot go into a bundle/,
    );
  });

  it('refuses names that differ only in case', async () => {
    expect((await refusal(folder({ 'Lab.yaml': 'x', 'lab.yaml': 'y' }))).message).toMatch(
      /cannot go into one bundle: Lab.yaml and lab.yaml differ only in case/,
    );
  });

  it('refuses more files than a bundle holds', async () => {
    const dir = folder({ a: '1', b: '2', 'c/d': '3', 'c/e': '4' });
    const limits = { ...BUNDLE_LIMITS, maxEntries: 3 };
    expect((await refusal(dir, limits)).message).toBe(
      `${dir} has more than 3 files; a bundle holds at most 3`,
    );
    expect(await readBundleFolder(dir, { ...limits, maxEntries: 4 })).toHaveLength(4);
  });

  it('refuses more folders than a lab needs', async () => {
    const dir = folder({ 'a/1': '1', 'b/2': '2', 'c/3': '3' });
    expect((await refusal(dir, { ...BUNDLE_LIMITS, maxEntries: 2 })).message).toBe(
      `${dir} has more than 2 folders; a lab needs far fewer`,
    );
  });

  it('stops listing a folder with far too many entries', async () => {
    const dir = folder(Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`f${i}`, ''])));
    expect((await refusal(dir, { ...BUNDLE_LIMITS, maxEntries: 3 })).message).toBe(
      `${dir} has more than 7 files and folders; a lab needs far fewer`,
    );
  });

  it('refuses a file over the size limit', async () => {
    const dir = folder({ 'lab.yaml': 'x', 'big.bin': 'y'.repeat(101) });
    const error = await refusal(dir, { ...BUNDLE_LIMITS, maxFileBytes: 100 });
    expect(error.message).toBe(`big.bin in ${dir} is 101 bytes; a file in a bundle is at most 100 bytes`);
  });

  it('refuses files that add up to more than a bundle unpacks to', async () => {
    const dir = folder({ a: 'x'.repeat(60), b: 'x'.repeat(60) });
    expect((await refusal(dir, { ...BUNDLE_LIMITS, maxUnpackedBytes: 100 })).message).toBe(
      `the files in ${dir} add up to more than 100 bytes, the most a bundle holds`,
    );
  });

  it('refuses something that is not a folder', async () => {
    const dir = folder({ 'lab.yaml': 'x' });
    const file = path.join(dir, 'lab.yaml');
    expect((await refusal(file)).message).toBe(`${file} is not a folder`);
    expect((await refusal(path.join(dir, 'missing'))).message).toMatch(/missing is not a folder$/);
  });

  it('follows the folder it is given when that is a link, but nothing inside it', async () => {
    const dir = folder({ 'lab.yaml': 'id: demo\n' });
    const link = path.join(folder(), 'link');
    symlinkSync(dir, link);
    expect((await readBundleFolder(link)).map((e) => e.path)).toEqual(['lab.yaml']);
  });
});
