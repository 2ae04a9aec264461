// A lab as a bundle and back: which files a lab carries (its file, its base when it extends one,
// the files it places in nodes), packing them, and importing a bundle, a folder or a git
// checkout into the user's labs folder. Importing only reads and writes files: nothing in the
// bundle runs until the user starts the lab.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseDocument } from 'yaml';
import type { LabSummary } from '../../../shared/api.js';
import {
  BUNDLE_LIMITS,
  BundleError,
  formatBytes,
  readBundle,
  writeBundle,
  type BundleEntry,
} from '../bundle/bundle-file.js';
import { readBundleFolder } from '../bundle/read-folder.js';
import { LabError } from '../errors.js';
import type { Lab } from '../lab/model.js';
import { FOLDER_BASE_DIR, FOLDER_LAB_FILE, type LabLibrary } from './lab-library.js';
import { writeUserLab } from './user-labs.js';

const run = promisify(execFile);
/** A clone of a lab repository: small, or something is wrong. */
const GIT_TIMEOUT_MS = 60_000;

export interface PackOptions {
  author: string;
  /** The LVS Lab that packs it: also the oldest that may import it. */
  version: string;
}

/** The files a lab carries, as a bundle holds them: lab.yaml, base/<id>.yaml, and assets. */
export async function labEntries(library: LabLibrary, lab: Lab): Promise<BundleEntry[]> {
  const text = await readFile(lab.source, 'utf8');
  const entries: BundleEntry[] = [];
  if (lab.base === undefined) {
    entries.push({ path: FOLDER_LAB_FILE, data: Buffer.from(text), mode: 0o644 });
    entries.push(...(await assetEntries(lab, path.dirname(lab.source), '')));
    return entries;
  }
  // The bundle names its base by id, whatever path `extends:` gave, and carries it in base/.
  const doc = parseDocument(text);
  doc.set('extends', lab.base);
  entries.push({ path: FOLDER_LAB_FILE, data: Buffer.from(doc.toString()), mode: 0o644 });
  const baseFile = await baseFileOf(library, lab);
  const baseLab = await library.load(baseFile);
  entries.push({ path: `${FOLDER_BASE_DIR}/${lab.base}.yaml`, data: await readFile(baseFile), mode: 0o644 });
  entries.push(...(await assetEntries(baseLab, path.dirname(baseFile), `${FOLDER_BASE_DIR}/`)));
  return entries;
}

/** The file of a derived lab's base, found the way the loader found it. */
async function baseFileOf(library: LabLibrary, lab: Lab): Promise<string> {
  const search = library.baseSearch(lab.source);
  for (const dir of search.idDirs) {
    for (const name of [`${lab.base}.yaml`, `${lab.base}.yml`]) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  // `extends:` gave a path: the base is the lab that file holds.
  const doc = parseDocument(await readFile(lab.source, 'utf8'));
  const given = String(doc.get('extends'));
  return path.resolve(path.dirname(lab.source), given);
}

async function assetEntries(lab: Lab, dir: string, prefix: string): Promise<BundleEntry[]> {
  const entries = new Map<string, BundleEntry>();
  for (const node of lab.nodes) {
    for (const asset of node.assets) {
      const relative = path.relative(dir, asset.path).split(path.sep).join('/');
      entries.set(relative, { path: `${prefix}${relative}`, data: await readFile(asset.path), mode: 0o644 });
    }
  }
  return [...entries.values()];
}

/** A lab as one .lvslab file. */
export async function packLab(library: LabLibrary, lab: Lab, options: PackOptions): Promise<Buffer> {
  return writeBundle(
    {
      id: lab.id,
      title: lab.title,
      author: options.author,
      description: lab.summary.trim(),
      minLvsLabVersion: options.version,
      createdWith: options.version,
      lab: FOLDER_LAB_FILE,
      ...(lab.base === undefined ? {} : { base: `${FOLDER_BASE_DIR}/${lab.base}.yaml` }),
    },
    await labEntries(library, lab),
  );
}

/** Imports a bundle's bytes into the user's labs folder; a bad bundle is refused, nothing written. */
export async function importBundle(
  library: LabLibrary,
  userLabsDir: string,
  bytes: Buffer,
  displayName: string,
  currentVersion: string,
): Promise<LabSummary> {
  const { manifest, files } = readBundle(bytes, { currentVersion });
  if (manifest.lab !== FOLDER_LAB_FILE)
    throw new BundleError(
      `${displayName}: the lab file is ${manifest.lab}; LVS Lab bundles hold it as lab.yaml`,
    );
  return writeUserLab(library, userLabsDir, manifest.id, [...files.values()], displayName);
}

/**
 * What `lvs-lab import` and `pack` take: a .lvslab file, a folder holding a lab (lab.yaml, or
 * its only .yaml file), or a git repository URL with an optional @ref (a local path works too).
 */
export type ImportSource =
  | { kind: 'bundle'; file: string }
  | { kind: 'folder'; dir: string }
  | { kind: 'git'; url: string; ref?: string };

export async function importSourceOf(arg: string): Promise<ImportSource> {
  const git = /^((?:https?|ssh|git|file):\/\/.+?|[\w.-]+@[\w.-]+:.+?|.+?\.git)(?:@([\w./-]+))?$/.exec(arg);
  if (git?.[1] !== undefined && !existsSync(arg))
    return { kind: 'git', url: git[1], ...(git[2] ? { ref: git[2] } : {}) };
  const info = await stat(arg).catch(() => null);
  if (!info)
    throw new LabError(`no such file or folder: ${arg}`, 'give a .lvslab file, a lab folder, or a git URL');
  if (info.isDirectory()) {
    // A local repository is imported as git would clone it: its committed files only.
    if (existsSync(path.join(arg, '.git'))) return { kind: 'git', url: path.resolve(arg) };
    return { kind: 'folder', dir: arg };
  }
  return { kind: 'bundle', file: arg };
}

/** Imports from any source; a folder or a clone is packed first, so that all go through one check. */
export async function importFrom(
  library: LabLibrary,
  userLabsDir: string,
  source: ImportSource,
  options: PackOptions,
): Promise<LabSummary> {
  if (source.kind === 'bundle') {
    const info = await stat(source.file);
    // Refused before it is read into memory; readBundle would refuse it too, once read.
    if (info.size > BUNDLE_LIMITS.maxBundleBytes)
      throw new BundleError(
        `${source.file} is ${formatBytes(info.size)}; a bundle is at most ${formatBytes(BUNDLE_LIMITS.maxBundleBytes)}`,
      );
    return importBundle(
      library,
      userLabsDir,
      await readFile(source.file),
      path.basename(source.file),
      options.version,
    );
  }
  if (source.kind === 'folder') return importFolder(library, userLabsDir, source.dir, options);
  const checkout = await cloneRepository(source.url, source.ref);
  try {
    return await importFolder(library, userLabsDir, checkout, options);
  } finally {
    await rm(path.dirname(checkout), { recursive: true, force: true });
  }
}

async function importFolder(
  library: LabLibrary,
  userLabsDir: string,
  dir: string,
  options: PackOptions,
): Promise<LabSummary> {
  // Read with the bundle's refusals (links, devices, sizes) before anything is loaded.
  await readBundleFolder(dir);
  const lab = await library.load(await labFileInFolder(dir));
  const bundle = await packLab(library, lab, options);
  return importBundle(library, userLabsDir, bundle, dir, options.version);
}

/** The lab of a folder: its lab.yaml, or its only .yaml file. */
export async function labFileInFolder(dir: string): Promise<string> {
  const named = path.join(dir, FOLDER_LAB_FILE);
  if (existsSync(named)) return named;
  const yamls = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f));
  if (yamls.length === 1 && yamls[0] !== undefined) return path.join(dir, yamls[0]);
  throw new LabError(
    yamls.length === 0
      ? `${dir} holds no lab file`
      : `${dir} holds ${yamls.length} .yaml files: ${yamls.join(', ')}`,
    'name the lab file lab.yaml, or give the file itself',
  );
}

/**
 * A shallow clone into a temporary folder. Cloning runs nothing from the repository (hooks are
 * not cloned) and submodules are not fetched; the time is bounded.
 */
async function cloneRepository(url: string, ref?: string): Promise<string> {
  const parent = await mkdtemp(path.join(os.tmpdir(), 'lvslab-git-'));
  const checkout = path.join(parent, 'repo');
  const args = [
    '-c',
    'protocol.file.allow=always',
    'clone',
    '--quiet',
    '--depth',
    '1',
    '--no-recurse-submodules',
  ];
  if (ref !== undefined) args.push('--branch', ref);
  try {
    await run('git', [...args, '--', url, checkout], {
      timeout: GIT_TIMEOUT_MS,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    });
  } catch (error) {
    await rm(parent, { recursive: true, force: true });
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new LabError(
      `cannot clone ${url}${ref === undefined ? '' : ` at ${ref}`}: ${stderr || (error as Error).message}`,
      'check the URL and the branch or tag after @',
    );
  }
  await rm(path.join(checkout, '.git'), { recursive: true, force: true });
  return checkout;
}
