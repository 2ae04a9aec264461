// Which steps a learner applied and how their checks went, per running lab instance. Kept in a
// small JSON file so that the CLI, the desktop app and a reloaded window all see the same.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface StepProgress {
  appliedAt?: string;
  checkedAt?: string;
  checksOk?: boolean;
}

export interface LabProgress {
  instance: string;
  steps: Record<string, StepProgress>;
}

export class ProgressStore {
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

  async update(instance: string, stepId: string, change: StepProgress): Promise<LabProgress> {
    const progress = await this.read(instance);
    progress.steps[stepId] = { ...progress.steps[stepId], ...change };
    await mkdir(this.dir, { recursive: true });
    // Write then rename, so that a crash never leaves half a file.
    const temp = `${this.file(instance)}.tmp`;
    await writeFile(temp, JSON.stringify(progress, null, 2));
    await rename(temp, this.file(instance));
    return progress;
  }

  async reset(instance: string): Promise<void> {
    await rm(this.file(instance), { force: true });
  }
}
