// Writing to the user's labs folder: a copy of a lab, an imported bundle, a removal. Each lab
// written here gets a folder of its own (lab.yaml, its files, its base), assembled in a hidden
// temporary folder and renamed into place, so that a failure leaves nothing half-written.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { LabSummary } from '../../../shared/api.js';
import type { BundleEntry } from '../bundle/bundle-file.js';
import { LabError } from '../errors.js';
import { LabLoadError } from '../lab/loader.js';
import { FOLDER_LAB_FILE, type LabLibrary } from './lab-library.js';

/** Ids are names (lowercase, digits, dashes, at most 31 characters): see shared/lab-schema.ts. */
const MAX_ID_LENGTH = 31;
/** How many "-copy-N" names are tried before giving up (the folder would be full of copies). */
const MAX_COPY_SUFFIX = 99;

/**
 * Writes files as a new lab folder named after `labId`, then loads it. A folder that does not
 * load as a lab is removed again and its issues thrown: nothing broken is left behind.
 */
export async function writeUserLab(
  library: LabLibrary,
  userLabsDir: string,
  labId: string,
  files: BundleEntry[],
  displayName: string,
): Promise<LabSummary> {
  const taken = (await library.list()).find((l) => l.id === labId);
  if (taken)
    throw new LabError(
      `there is already a lab ${labId} (${taken.file})`,
      taken.source === 'user'
        ? `remove it first: lvs-lab remove ${labId}`
        : "it is one of LVS Lab's labs: give yours another id",
    );
  const target = path.join(userLabsDir, labId);
  if (existsSync(target))
    throw new LabError(
      `your labs folder already has ${target}`,
      `remove the lab ${labId} first (lvs-lab remove ${labId}), or rename that folder`,
    );
  await mkdir(userLabsDir, { recursive: true });
  const staging = path.join(userLabsDir, `.incoming-${randomBytes(4).toString('hex')}`);
  try {
    await writeEntries(staging, files);
    const lab = await library.load(path.join(staging, FOLDER_LAB_FILE)).catch((error: unknown) => {
      // Issues name the hidden staging folder otherwise: name what the user gave instead.
      if (!(error instanceof LabLoadError)) throw error;
      throw new LabLoadError(
        error.issues.map((issue) => ({ ...issue, file: issue.file.replace(staging, displayName) })),
      );
    });
    if (lab.id !== labId) throw new LabError(`${displayName}: the lab's id is ${lab.id}, not ${labId}`);
    await rename(staging, target);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  const summary = (await library.list()).find((l) => l.file === path.join(target, FOLDER_LAB_FILE));
  if (!summary) throw new LabError(`the lab written to ${target} is not listed`);
  if (summary.error !== undefined) {
    await rm(target, { recursive: true, force: true });
    throw new LabError(`the lab ${labId} was not kept:\n${summary.error}`);
  }
  return summary;
}

/** Writes a bundle's files under a new folder (the names were checked when the bundle was read). */
export async function writeEntries(dir: string, files: readonly BundleEntry[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const file of files) {
    const destination = path.join(dir, ...file.path.split('/'));
    await mkdir(path.dirname(destination), { recursive: true });
    // `wx`: never through a file that is already there (nor a link someone put there).
    await writeFile(destination, file.data, { flag: 'wx' });
    await chmod(destination, file.mode);
  }
}

/** The first free id of the form `<id>-copy`, `<id>-copy-2`, … that fits in an id. */
export function copyId(labId: string, taken: ReadonlySet<string>): string {
  for (let n = 1; n <= MAX_COPY_SUFFIX; n++) {
    const suffix = n === 1 ? '-copy' : `-copy-${n}`;
    const candidate = `${labId.slice(0, MAX_ID_LENGTH - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
  throw new LabError(`there are already ${MAX_COPY_SUFFIX} copies of ${labId}`, 'remove some of them first');
}

/**
 * The lab file's text with a new id and title. The YAML document is edited, not rebuilt, so the
 * trainer's comments and layout survive.
 */
export function renameLabText(text: string, id: string, title: string): string {
  const doc = parseDocument(text);
  doc.set('id', id);
  doc.set('title', title);
  return doc.toString();
}

/** Removes a lab from the user's folder: its own folder, or its single file. */
export async function removeUserLab(library: LabLibrary, userLabsDir: string, labId: string): Promise<void> {
  const found = await library.find(labId);
  if (found.source !== 'user' || !library.isUserFile(found.file))
    throw new LabError(`${labId} is one of LVS Lab's labs and cannot be removed`, 'only your own labs can');
  const folder = path.dirname(found.file);
  const isOwnFolder =
    path.basename(found.file) === FOLDER_LAB_FILE && path.dirname(folder) === path.resolve(userLabsDir);
  await rm(isOwnFolder ? folder : found.file, { recursive: isOwnFolder, force: true });
}
