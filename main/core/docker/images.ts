// LVS Lab's images (the lab node image from lab-images/node, the built-in kernel's from
// lab-images/kernel), each tagged by a hash of its build context so that a changed Dockerfile is
// rebuilt and an unchanged one is never rebuilt.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import type { ProgressListener } from '../../../shared/progress.js';
import { errorText } from '../errors.js';
import { LABEL } from './labels.js';

export const NODE_IMAGE_REPO = 'lvs-lab/node';
export const KERNEL_IMAGE_REPO = 'lvs-lab/kernel';

/**
 * The images a Dockerfile builds FROM, its own stages left out: the node image and the kernel's
 * rest on different Debian releases, and each must be there (or pulled) before its build.
 */
export function baseImagesOf(dockerfile: string): string[] {
  const stages = new Set<string>();
  const bases: string[] = [];
  for (const line of dockerfile.split('\n')) {
    const from = /^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?\s*$/i.exec(line);
    if (!from?.[1]) continue;
    const image = from[1];
    if (!stages.has(image.toLowerCase()) && !bases.includes(image)) bases.push(image);
    if (from[2]) stages.add(from[2].toLowerCase());
  }
  return bases;
}

export async function contextFiles(contextDir: string): Promise<string[]> {
  const entries = await readdir(contextDir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(contextDir, path.join(e.parentPath, e.name)))
    .filter((file) => file !== 'README.md')
    .sort();
}

/** Bump when the way the image is built changes (labels, build options) but not its files. */
const RECIPE_VERSION = '2';

export async function contextHash(contextDir: string): Promise<string> {
  const hash = createHash('sha256').update(RECIPE_VERSION).update('\0');
  for (const file of await contextFiles(contextDir)) {
    hash
      .update(file)
      .update('\0')
      .update(await readFile(path.join(contextDir, file)))
      .update('\0');
  }
  return hash.digest('hex').slice(0, 12);
}

export async function nodeImageTag(contextDir: string): Promise<string> {
  return imageTag(NODE_IMAGE_REPO, contextDir);
}

export async function imageTag(repo: string, contextDir: string): Promise<string> {
  return `${repo}:${await contextHash(contextDir)}`;
}

export async function imageExists(docker: Docker, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/** Builds the node image unless an image with the same context hash is already there. */
export function ensureNodeImage(
  docker: Docker,
  contextDir: string,
  onProgress: ProgressListener = () => undefined,
): Promise<string> {
  return ensureImage(docker, NODE_IMAGE_REPO, contextDir, onProgress);
}

/** Builds `repo` from `contextDir` unless an image with the same context hash is already there. */
export async function ensureImage(
  docker: Docker,
  repo: string,
  contextDir: string,
  onProgress: ProgressListener = () => undefined,
): Promise<string> {
  const tag = await imageTag(repo, contextDir);
  if (await imageExists(docker, tag)) {
    onProgress({ phase: 'image', name: tag, state: 'working', fraction: 1, message: 'image present' });
    return tag;
  }
  const dockerfile = await readFile(path.join(contextDir, 'Dockerfile'), 'utf8');
  for (const base of baseImagesOf(dockerfile)) await ensureBaseImage(docker, base, tag, onProgress);
  const files = await contextFiles(contextDir);
  const stream = await docker.buildImage(
    { context: contextDir, src: files },
    // Only the context hash: containers inherit their image's labels, so a "managed" label here
    // would make every container anyone runs from this image look like a lab resource.
    { t: tag, labels: { [LABEL.contextHash]: tag.split(':')[1] ?? '' }, rm: true, forcerm: true },
  );
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null, output: BuildEvent[]) => {
        const failed = output.find((event) => event.error !== undefined);
        if (error) reject(error);
        else if (failed) reject(new Error(`building ${tag} failed: ${failed.error ?? ''}`));
        else resolve();
      },
      (event: BuildEvent) => {
        const line = (event.stream ?? event.status ?? '').trim();
        // Keep the lines a person reads: the steps and what they print, not layer bookkeeping.
        if (!line || line.startsWith('--->') || line.startsWith('Removing intermediate')) return;
        const step = /^Step (\d+)\/(\d+)/.exec(line);
        onProgress({
          phase: 'image',
          name: tag,
          state: 'working',
          fraction: step ? Number(step[1]) / Number(step[2]) : null,
          message: line,
        });
      },
    );
  });
  return tag;
}

/** A base image is pulled where a registry answers; without one, the script makes it offline. */
async function ensureBaseImage(
  docker: Docker,
  base: string,
  tag: string,
  onProgress: ProgressListener,
): Promise<void> {
  if (await imageExists(docker, base)) return;
  onProgress({
    phase: 'image',
    name: tag,
    state: 'working',
    fraction: 0,
    message: `base image ${base} missing; trying to pull it`,
  });
  try {
    await pull(docker, base);
  } catch (error) {
    throw new Error(
      `the base image ${base} is not on this engine and cannot be pulled (${errorText(error)}). ` +
        `Without a registry, create it offline with: sudo bash lab-images/bootstrap-base.sh ${base}`,
    );
  }
}

interface BuildEvent {
  stream?: string;
  status?: string;
  error?: string;
}

async function pull(docker: Docker, image: string): Promise<void> {
  const stream = await docker.pull(image);
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (error: Error | null) => {
      if (error) reject(error);
      else resolve();
    });
  });
}

export function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { statusCode?: number }).statusCode === 404;
}

/**
 * Copies an image from one engine to another (docker save | docker load, over the API), for an
 * engine that cannot build it itself: one with no registry and no network, such as the kernel
 * test tier's engine inside user-mode Linux.
 */
export async function copyImage(from: Docker, to: Docker, image: string): Promise<void> {
  if (await imageExists(to, image)) return;
  const tar = await from.getImage(image).get();
  const response = await to.loadImage(tar);
  await new Promise<void>((resolve, reject) => {
    to.modem.followProgress(response, (error: Error | null, output: BuildEvent[]) => {
      const failed = output.find((event) => event.error !== undefined);
      if (error) reject(error);
      else if (failed) reject(new Error(`loading ${image} failed: ${failed.error ?? ''}`));
      else resolve();
    });
  });
  if (!(await imageExists(to, image)))
    throw new Error(`loading ${image} reported success, but the image is not there`);
}
