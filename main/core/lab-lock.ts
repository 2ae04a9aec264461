// One `up` or `down` of a lab at a time, across every LVS Lab process on the machine: the CLI
// and the app share one state folder, and two starts of one lab at once would both pass the
// "already running" check and then fight over its networks. The lock is a file created with
// O_EXCL, naming its holder's pid, so that a holder that crashed is recognised and replaced.
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { LabError } from './errors.js';

export interface LockOptions {
  /** How long to wait for another holder before giving up (ms). */
  waitMs?: number;
  /** How often to look again while another process holds it (ms). */
  pollMs?: number;
  /** Told once when the lock is busy, with what the holder is doing. */
  onWait?: (holder: LockHolder) => void;
}

export interface LockHolder {
  pid: number;
  action: string;
  since: string;
}

const DEFAULT_WAIT_MS = 5 * 60_000;
const DEFAULT_POLL_MS = 200;
/** A lock file nobody could read for this long was left half-written by a crash. */
const UNREADABLE_STALE_MS = 10_000;

/** Within this process, callers queue here first, so that only one of them polls the file. */
const inProcess = new Map<string, Promise<unknown>>();

export function lockFile(stateDir: string, labId: string): string {
  return path.join(stateDir, 'locks', `${labId.replace(/[^a-z0-9-]/gi, '_')}.lock`);
}

/** Runs `work` holding the lab's lock; `action` says what for ("starting", "stopping"). */
export function withLabLock<T>(
  stateDir: string,
  labId: string,
  action: string,
  work: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const file = lockFile(stateDir, labId);
  const previous = inProcess.get(file) ?? Promise.resolve();
  const next = previous
    .catch(() => undefined)
    .then(async () => {
      await acquire(file, labId, action, options);
      try {
        return await work();
      } finally {
        await rm(file, { force: true });
      }
    });
  inProcess.set(file, next);
  // Forget the queue once it is drained, so that the map does not grow with every lab ever used.
  void next
    .catch(() => undefined)
    .then(() => {
      if (inProcess.get(file) === next) inProcess.delete(file);
    });
  return next;
}

async function acquire(file: string, labId: string, action: string, options: LockOptions): Promise<void> {
  const deadline = Date.now() + (options.waitMs ?? DEFAULT_WAIT_MS);
  let told = false;
  await mkdir(path.dirname(file), { recursive: true });
  for (;;) {
    try {
      const handle = await open(file, 'wx');
      const holder: LockHolder = { pid: process.pid, action, since: new Date().toISOString() };
      await handle.writeFile(JSON.stringify(holder));
      await handle.close();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readHolder(file);
    if (holder !== null && !alive(holder.pid)) {
      // Its holder crashed.
      await rm(file, { force: true });
      continue;
    }
    if (holder === null) {
      // Being written this instant, or left empty by a crash between create and write.
      const info = await stat(file).catch(() => null);
      if (info && Date.now() - info.mtimeMs > UNREADABLE_STALE_MS) await rm(file, { force: true });
      else await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? DEFAULT_POLL_MS));
      continue;
    }
    if (!told) {
      options.onWait?.(holder);
      told = true;
    }
    if (Date.now() >= deadline) {
      throw new LabError(
        `lab ${labId} is busy: LVS Lab process ${holder.pid} has been ${holder.action} it since ${holder.since}`,
        `wait for it to finish, or stop that process; the lock is ${file}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? DEFAULT_POLL_MS));
  }
}

async function readHolder(file: string): Promise<LockHolder | null> {
  try {
    const value = JSON.parse(await readFile(file, 'utf8')) as Partial<LockHolder>;
    return typeof value.pid === 'number'
      ? { pid: value.pid, action: String(value.action), since: String(value.since) }
      : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
