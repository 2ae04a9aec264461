// Where labs come from: LVS Lab's own (labs/ and labs/repro/, read-only in a packaged app) and
// the user's labs folder (a trainer's files, imported bundles, copies). Both are listed together,
// known by id, and each file is loaded with the same rule for finding the lab its `extends:` names.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { LabSource, LabSummary } from '../../../shared/api.js';
import { LabError } from '../errors.js';
import { formatIssue, LabLoadError, loadLabFile, type BaseSearch } from '../lab/loader.js';
import type { Lab } from '../lab/model.js';

/** In the user's folder, a lab in a folder of its own (an import, a copy) is that folder's lab.yaml. */
export const FOLDER_LAB_FILE = 'lab.yaml';
/** Inside such a folder, the lab its `extends:` names, when it came with it (a bundle's base). */
export const FOLDER_BASE_DIR = 'base';

export interface LabLibraryPaths {
  labsDir: string;
  userLabsDir: string;
}

interface LabFileRef {
  file: string;
  source: LabSource;
}

export class LabLibrary {
  constructor(private readonly paths: LabLibraryPaths) {}

  /** The built-in labs, their reproductions, then the user's; each with what is wrong if it does not load. */
  async list(): Promise<LabSummary[]> {
    const refs = await this.labFiles();
    const summaries = await Promise.all(refs.map((ref) => this.summarise(ref)));
    return markDuplicateIds(summaries);
  }

  /** A lab by id, or by the path of a lab file (a trainer's own, anywhere). */
  async resolve(ref: string): Promise<Lab> {
    if (ref.includes('/') || /\.ya?ml$/.test(ref)) return this.load(ref);
    // A broken lab's load fails again here, with its issues for the caller to show.
    return this.load((await this.find(ref)).file);
  }

  /** A lab's summary by id, or a clear error listing the ids there are. */
  async find(labId: string): Promise<LabSummary> {
    const labs = await this.list();
    const found = labs.find((l) => l.id === labId);
    if (!found) {
      throw new LabError(
        `no lab "${labId}" (labs: ${labs.map((l) => l.id).join(', ')})`,
        'or give the path of a lab file',
      );
    }
    return found;
  }

  /** Loads a lab file with the library's rule for its base. */
  load(file: string): Promise<Lab> {
    return loadLabFile(file, this.baseSearch(file));
  }

  /**
   * Where a lab file's `extends:` looks: the lab's own folder first (a bundle carries its base
   * in base/), then the user's labs, then LVS Lab's. A path may not leave the lab's own folder.
   */
  baseSearch(file: string): BaseSearch {
    const absolute = path.resolve(file);
    const dir = path.dirname(absolute);
    const builtinRoot = path.resolve(this.paths.labsDir);
    const inBuiltin = dir === builtinRoot || dir === path.join(builtinRoot, 'repro');
    const root = inBuiltin ? builtinRoot : dir;
    const idDirs = [path.join(dir, FOLDER_BASE_DIR), root, this.paths.userLabsDir, builtinRoot];
    return { root, idDirs: [...new Set(idDirs.map((d) => path.resolve(d)))] };
  }

  isUserFile(file: string): boolean {
    const relative = path.relative(path.resolve(this.paths.userLabsDir), path.resolve(file));
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  }

  private async labFiles(): Promise<LabFileRef[]> {
    const builtin = [this.paths.labsDir, path.join(this.paths.labsDir, 'repro')];
    const builtinFiles = (await Promise.all(builtin.map(yamlFilesIn))).flat();
    return [
      ...builtinFiles.map((file) => ({ file, source: 'builtin' as const })),
      ...(await this.userLabFiles()).map((file) => ({ file, source: 'user' as const })),
    ];
  }

  /** Lab files directly in the user's folder, and each sub-folder's lab.yaml. */
  private async userLabFiles(): Promise<string[]> {
    const dir = this.paths.userLabsDir;
    if (!existsSync(dir)) return [];
    const entries = await readdir(dir, { withFileTypes: true });
    const files: string[] = [];
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isFile() && /\.ya?ml$/.test(entry.name)) files.push(path.join(dir, entry.name));
      else if (entry.isDirectory() && existsSync(path.join(dir, entry.name, FOLDER_LAB_FILE)))
        files.push(path.join(dir, entry.name, FOLDER_LAB_FILE));
    }
    return files;
  }

  private async summarise({ file, source }: LabFileRef): Promise<LabSummary> {
    try {
      const lab = await this.load(file);
      return {
        id: lab.id,
        title: lab.title,
        summary: lab.summary.trim(),
        difficulty: lab.difficulty,
        seed: `seed ${lab.seed.document}${lab.seed.section ? ` ${lab.seed.section}` : ''}`,
        file,
        steps: lab.steps.length,
        source,
        ...(lab.base === undefined ? {} : { base: lab.base }),
        ...(lab.warnings.length === 0 ? {} : { warnings: lab.warnings.map(formatIssue) }),
      };
    } catch (error) {
      const message =
        error instanceof LabLoadError ? error.issues.map(formatIssue).join('\n') : String(error);
      return brokenSummary(file, source, message);
    }
  }
}

function brokenSummary(file: string, source: LabSource, error: string): LabSummary {
  // A broken lab has no id to read: it goes by its file (or its folder's) name.
  const base =
    path.basename(file) === FOLDER_LAB_FILE ? path.basename(path.dirname(file)) : path.basename(file);
  return {
    id: base.replace(/\.ya?ml$/, ''),
    title: '',
    summary: '',
    difficulty: '',
    seed: '',
    file,
    steps: 0,
    source,
    error,
  };
}

/** Ids name labs everywhere (CLI, API, Docker labels): a second lab with an id already taken is broken. */
function markDuplicateIds(summaries: LabSummary[]): LabSummary[] {
  const firstFile = new Map<string, string>();
  return summaries.map((summary) => {
    if (summary.error !== undefined) return summary;
    const first = firstFile.get(summary.id);
    if (first === undefined) {
      firstFile.set(summary.id, summary.file);
      return summary;
    }
    return brokenSummary(
      summary.file,
      summary.source,
      `${summary.file}:1:1: id: the id ${summary.id} is already the id of ${first}; give this lab another id`,
    );
  });
}

async function yamlFilesIn(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  return (await readdir(dir))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}
