// Which steps a learner applied and how their checks went, per running lab instance. Kept in a
// small JSON file so that the CLI, the desktop app and a reloaded window all see the same.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { StepProgress } from '../../shared/api.js';
import type { JournalEntry } from '../../shared/results.js';

/** The journal keeps the latest entries: enough for any repro, bounded in size. */
export const JOURNAL_LIMIT = 2000;

/** A write takes milliseconds; a temp file a minute old belongs to no live writer. */
const STALE_TEMP_MS = 60_000;

/** A fault that is on: broken and not yet fixed. */
export interface ActiveFault {
  node: string;
  fault: string;
  brokenAt: string;
}

export interface LabProgress {
  instance: string;
  steps: Record<string, StepProgress>;
  /** Faults that are on, keyed "node/fault", in the order they were broken. */
  faults?: Record<string, ActiveFault>;
  /** What was done to the lab, in order (steps, faults, exec): a repro file's record. */
  journal?: JournalEntry[];
}

export class ProgressStore {
  /** Updates and resets of one instance run one after another: each reads what the previous wrote. */
  private readonly queues = new Map<string, Promise<unknown>>();
  /**
   * Bumped by every reset. A step that was running when the learner reset its progress must not
   * write its result into the fresh record afterwards: its updates carry the generation it
   * started under, and are dropped once that is old.
   */
  private readonly generations = new Map<string, number>();

  constructor(private readonly dir: string) {}

  private file(instance: string): string {
    return path.join(this.dir, `${instance.replace(/[^a-z0-9-]/gi, '')}.json`);
  }

  async read(instance: string): Promise<LabProgress> {
    try {
      return JSON.parse(await readFile(this.file(instance), 'utf8')) as LabProgress;
    } catch {
      return { instance, steps: {} };
    }
  }

  /** The instance's current generation: pass it to `update` from work that may outlive a reset. */
  generation(instance: string): number {
    return this.generations.get(instance) ?? 0;
  }

  update(
    instance: string,
    stepId: string,
    change: StepProgress,
    generation = this.generation(instance),
  ): Promise<LabProgress> {
    return this.enqueue(instance, () =>
      generation === this.generation(instance) ? this.write(instance, stepId, change) : this.read(instance),
    );
  }

  /** Appends to the lab's journal; a reset wipes it with the rest. */
  record(
    instance: string,
    entry: JournalEntry,
    generation = this.generation(instance),
  ): Promise<LabProgress> {
    return this.enqueue(instance, async () => {
      const progress = await this.read(instance);
      if (generation !== this.generation(instance)) return progress;
      const journal = [...(progress.journal ?? []), entry].slice(-JOURNAL_LIMIT);
      return this.save(instance, { ...progress, journal });
    });
  }

  /** Records a fault as on (`active`) or off (null). Resets wipe faults with the rest. */
  setFault(instance: string, node: string, fault: string, active: ActiveFault | null): Promise<LabProgress> {
    return this.enqueue(instance, async () => {
      const progress = await this.read(instance);
      const key = `${node}/${fault}`;
      const others = Object.entries(progress.faults ?? {}).filter(([k]) => k !== key);
      const faults = Object.fromEntries(active ? [...others, [key, active]] : others);
      return this.save(instance, { ...progress, faults });
    });
  }

  private enqueue<T>(instance: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(instance) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.queues.set(instance, next);
    return next;
  }

  private async write(instance: string, stepId: string, change: StepProgress): Promise<LabProgress> {
    const progress = await this.read(instance);
    progress.steps[stepId] = { ...progress.steps[stepId], ...change };
    return this.save(instance, progress);
  }

  private async save(instance: string, progress: LabProgress): Promise<LabProgress> {
    await mkdir(this.dir, { recursive: true });
    // Write then rename, so that a crash never leaves half a file; the temp name is this
    // process's own, in case another process (the CLI beside the app) writes at the same time.
    const temp = `${this.file(instance)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temp, JSON.stringify(progress, null, 2));
    await rename(temp, this.file(instance));
    await this.removeStaleTemps(instance);
    return progress;
  }

  /** Temp files a crashed write left behind; old enough that no live writer can own them. */
  private async removeStaleTemps(instance: string): Promise<void> {
    const prefix = path.basename(this.file(instance));
    for (const name of await readdir(this.dir)) {
      if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
      const full = path.join(this.dir, name);
      const info = await stat(full).catch(() => null);
      if (info && Date.now() - info.mtimeMs > STALE_TEMP_MS) await rm(full, { force: true });
    }
  }

  /** Forgets the instance's progress, after the updates already queued and before later ones. */
  reset(instance: string): Promise<void> {
    this.generations.set(instance, this.generation(instance) + 1);
    return this.enqueue(instance, () => rm(this.file(instance), { force: true }));
  }
}
