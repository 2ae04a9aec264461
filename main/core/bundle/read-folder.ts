// A folder's files as bundle entries: a trainer's folder to pack, or a folder or git checkout
// to import. The folder may come from a stranger as much as a bundle does, so the same rules
// hold: regular files only (a link could point anywhere on the user's disk, a FIFO would block
// the read for ever), names a bundle may hold, and the same size caps. Nothing is followed and
// the walk stops at the first thing refused.
import { constants, type Stats } from 'node:fs';
import { lstat, open, opendir, stat } from 'node:fs/promises';
import path from 'node:path';
import { errorText } from '../errors.js';
import {
  BUNDLE_LIMITS,
  BundleError,
  formatBytes,
  type BundleEntry,
  type BundleLimits,
} from './bundle-file.js';
import { checkBundlePath, findDuplicates } from './bundle-paths.js';

/** Git's own files are never part of a lab, in a checkout or in a submodule. */
const SKIPPED = '.git';

/**
 * Every regular file under `dir`, with its path relative to it ('/' between folders) and its
 * mode, sorted by path. Throws a BundleError naming the first file that cannot go into a bundle.
 */
export async function readBundleFolder(
  dir: string,
  limits: BundleLimits = BUNDLE_LIMITS,
): Promise<BundleEntry[]> {
  // The folder itself is followed when it is a link: the user chose it. Nothing inside it is.
  const root = await stat(dir).catch(() => null);
  if (!root?.isDirectory()) throw new BundleError(`${dir} is not a folder`);

  const entries: BundleEntry[] = [];
  let total = 0;
  // Folders to read, relative to dir ('' is dir itself), breadth first. Bounded: a folder is
  // queued only under a name checkBundlePath accepts, and at most maxEntries of them.
  const folders: string[] = [''];
  for (let i = 0; i < folders.length; i++) {
    const folder = folders[i] ?? '';
    for (const name of await listFolder(dir, folder, limits)) {
      if (name === SKIPPED) continue;
      const relative = folder === '' ? name : `${folder}/${name}`;
      const why = checkBundlePath(relative);
      if (why !== null) {
        throw new BundleError(
          `${JSON.stringify(relative)} in ${dir} cannot go into a bundle: ${why}`,
          'rename it, or move it out of the folder',
        );
      }
      const full = path.join(dir, ...relative.split('/'));
      const info = await lstat(full);
      if (info.isDirectory()) {
        if (folders.length > limits.maxEntries) {
          throw new BundleError(`${dir} has more than ${limits.maxEntries} folders; a lab needs far fewer`);
        }
        folders.push(relative);
        continue;
      }
      if (!info.isFile()) {
        throw new BundleError(
          `${relative} in ${dir} is ${kindOf(info)}; a bundle holds only regular files`,
          info.isSymbolicLink()
            ? 'replace the link with a copy of the file it points to'
            : 'move it out of the folder',
        );
      }
      if (entries.length >= limits.maxEntries) {
        throw new BundleError(
          `${dir} has more than ${limits.maxEntries} files; a bundle holds at most ${limits.maxEntries}`,
        );
      }
      if (info.size > limits.maxFileBytes) {
        throw new BundleError(
          `${relative} in ${dir} is ${formatBytes(info.size)}; a file in a bundle is at most ${formatBytes(limits.maxFileBytes)}`,
          'leave large files out of the lab',
        );
      }
      total += info.size;
      if (total > limits.maxUnpackedBytes) {
        throw new BundleError(
          `the files in ${dir} add up to more than ${formatBytes(limits.maxUnpackedBytes)}, the most a bundle holds`,
          'leave large files out of the lab',
        );
      }
      entries.push({
        path: relative,
        data: await readRegular(full, info.size, `${relative} in ${dir}`),
        mode: info.mode & 0o7777,
      });
    }
  }
  // Names that only differ in case can sit side by side here (Linux) but not where the bundle
  // may be unpacked.
  const clash = findDuplicates(entries.map((e) => e.path));
  if (clash !== null) throw new BundleError(`the files in ${dir} cannot go into one bundle: ${clash}`);
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The names in one folder, sorted so that the first refusal is the same on every run. Read
 * lazily and cut off: a folder with millions of entries is refused without listing them all.
 */
async function listFolder(dir: string, folder: string, limits: BundleLimits): Promise<string[]> {
  // More than this many names cannot all fit: at most maxEntries files, maxEntries folders and .git.
  const most = 2 * limits.maxEntries + 1;
  const names: string[] = [];
  const shown = folder === '' ? dir : `${folder} in ${dir}`;
  // `for await` closes the folder when the loop ends, whether it finished or threw.
  for await (const entry of await opendir(path.join(dir, ...(folder === '' ? [] : folder.split('/'))))) {
    if (names.length >= most) {
      throw new BundleError(`${shown} has more than ${most} files and folders; a lab needs far fewer`);
    }
    names.push(entry.name);
  }
  return names.sort();
}

/**
 * The file's bytes, read through a handle that cannot be a link or a FIFO: the file may have
 * been swapped since it was looked at. O_NOFOLLOW and O_NONBLOCK are undefined on Windows,
 * which `|` takes as 0.
 */
async function readRegular(file: string, size: number, shown: string): Promise<Buffer> {
  const changed = () => new BundleError(`${shown} changed while it was read`, 'read the folder again');
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ELOOP') throw changed();
    throw new BundleError(`cannot read ${shown}: ${errorText(error)}`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.size !== size) throw changed();
    const data = Buffer.alloc(size);
    let filled = 0;
    // Each pass reads at least one byte or ends the loop.
    while (filled < size) {
      const { bytesRead } = await handle.read(data, filled, size - filled, filled);
      if (bytesRead === 0) throw changed();
      filled += bytesRead;
    }
    return data;
  } finally {
    await handle.close();
  }
}

function kindOf(info: Stats): string {
  if (info.isSymbolicLink()) return 'a symbolic link';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}
