// The authoring loop's ears: a trainer saves a lab file in their editor, and whoever shows labs
// hears of it once the editor has finished writing. Editors save in bursts (a temporary file, a
// rename, a chmod), so changes are gathered for a moment and reported once.
import { watch, type FSWatcher } from 'node:fs';
import { mkdirSync } from 'node:fs';

/** How long a burst of saves may last before it is reported as one change. */
export const SETTLE_MS = 250;

export interface LabWatcher {
  close(): void;
}

/**
 * Watches a folder and everything under it; `onChange` runs after each burst of changes, never
 * twice at once (a burst during a run is reported after it). `persistent`: whether the watcher
 * keeps the process alive (a command that only watches), or not (a server that has other work).
 */
export function watchFolder(
  dir: string,
  onChange: () => Promise<void>,
  options: { settleMs?: number; persistent?: boolean } = {},
): LabWatcher {
  const settleMs = options.settleMs ?? SETTLE_MS;
  const persistent = options.persistent ?? false;
  mkdirSync(dir, { recursive: true });
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let again = false;
  let closed = false;

  const fire = async (): Promise<void> => {
    timer = null;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await onChange();
    } catch {
      // A listing that fails now is tried again on the next save; the watcher stays.
    } finally {
      running = false;
      if (again && !closed) {
        again = false;
        schedule();
      }
    }
  };
  const schedule = () => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void fire(), settleMs);
    timer.unref();
  };

  let watcher: FSWatcher;
  try {
    watcher = watch(dir, { recursive: true, persistent }, schedule);
  } catch {
    // Recursive watching needs Linux inotify, macOS or Windows: elsewhere, the top folder only.
    watcher = watch(dir, { persistent }, schedule);
  }
  watcher.on('error', () => undefined);
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      watcher.close();
    },
  };
}
