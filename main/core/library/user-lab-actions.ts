// What a trainer does with labs as files, for every shell: make a copy, import, export, pack,
// remove. The CLI and the API handler call these; none of them starts or runs anything.
import path from 'node:path';
import type { LabSummary } from '../../../shared/api.js';
import { LabError } from '../errors.js';
import { FOLDER_LAB_FILE, type LabLibrary } from './lab-library.js';
import {
  importBundle,
  importFrom,
  importSourceOf,
  labEntries,
  labFileInFolder,
  packLab,
} from './lab-bundle.js';
import { copyId, removeUserLab, renameLabText, writeUserLab } from './user-labs.js';

export class UserLabActions {
  constructor(
    private readonly library: LabLibrary,
    private readonly userLabsDir: string,
    /** This LVS Lab's version: what a bundle it packs requires, and what a bundle is checked against. */
    private readonly version: string,
  ) {}

  /** "Make my own copy": the lab (and its base, and its files) in a folder of the user's, under a new id. */
  async copy(labId: string): Promise<LabSummary> {
    const lab = await this.library.resolve(labId);
    const taken = new Set((await this.library.list()).map((l) => l.id));
    const id = copyId(lab.id, taken);
    const entries = (await labEntries(this.library, lab)).map((entry) =>
      entry.path === FOLDER_LAB_FILE
        ? {
            ...entry,
            data: Buffer.from(renameLabText(entry.data.toString('utf8'), id, `${lab.title} (my copy)`)),
          }
        : entry,
    );
    return writeUserLab(this.library, this.userLabsDir, id, entries, `${id} (copy of ${lab.id})`);
  }

  /** A bundle's bytes (an upload, a file dialog), into the user's labs. */
  importBytes(bytes: Buffer, displayName: string): Promise<LabSummary> {
    return importBundle(this.library, this.userLabsDir, bytes, displayName, this.version);
  }

  /** A .lvslab file, a lab folder or a git URL[@ref] (the CLI's `import`). */
  async importArg(arg: string, author: string): Promise<LabSummary> {
    return importFrom(this.library, this.userLabsDir, await importSourceOf(arg), {
      author,
      version: this.version,
    });
  }

  /** A lab by id as a bundle, named after it. */
  async export(labId: string, author?: string): Promise<{ fileName: string; bytes: Buffer }> {
    const lab = await this.library.resolve(labId);
    const bytes = await packLab(this.library, lab, {
      author: author ?? lab.author ?? 'unknown',
      version: this.version,
    });
    return { fileName: `${lab.id}.lvslab`, bytes };
  }

  /** A lab file, or a folder holding one, as a bundle (the CLI's `pack`). */
  async pack(fileOrDir: string, author?: string): Promise<{ labId: string; bytes: Buffer }> {
    const file = /\.ya?ml$/.test(fileOrDir) ? fileOrDir : await labFileInFolder(fileOrDir);
    const lab = await this.library.load(path.resolve(file));
    const bytes = await packLab(this.library, lab, {
      author: author ?? lab.author ?? 'unknown',
      version: this.version,
    });
    return { labId: lab.id, bytes };
  }

  /**
   * Removes one of the user's labs; a running lab must be stopped first. `runningLabs` asks the
   * engine: when it cannot be reached, no lab runs on it, and the removal goes ahead.
   */
  async remove(labId: string, runningLabs: () => Promise<string[]>): Promise<void> {
    const running = await runningLabs().catch((): string[] => []);
    if (running.includes(labId))
      throw new LabError(`lab ${labId} is running`, `stop it first: lvs-lab down ${labId}`);
    await removeUserLab(this.library, this.userLabsDir, labId);
  }
}
