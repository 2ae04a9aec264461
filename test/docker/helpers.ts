// Shared set-up for the tests that run against a real Docker Engine.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { LABEL, labelFilter } from '../../main/core/docker/labels.js';
import { LabService } from '../../main/core/lab-service.js';
import { defaultPaths } from '../../main/core/paths.js';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const docker = new Docker();

export function newService(): LabService {
  const paths = defaultPaths(repoRoot);
  return new LabService({ ...paths, stateDir: mkdtempSync(path.join(os.tmpdir(), 'lvslab-state-')) }, docker);
}

/** Everything LVS Lab created for this lab id: containers and networks, by label. */
export async function labResources(labId: string) {
  const filters = labelFilter({ [LABEL.managed]: 'true', [LABEL.lab]: labId });
  const [containers, networks] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
  ]);
  return { containers, networks };
}

/** Removes a lab left by an earlier failed run, so that each test starts clean. */
export async function forceDown(service: LabService, labId: string): Promise<void> {
  await service.runtime.down(labId);
}

/** Runs a shell script in a lab node and returns stdout, failing the test on a non-zero exit. */
export async function sh(service: LabService, labId: string, node: string, script: string): Promise<string> {
  const result = await service.runtime.exec(labId, node, script, { timeoutMs: 30_000 });
  if (result.exitCode !== 0)
    throw new Error(`${node}: \`${script}\` exited ${result.exitCode}: ${result.stderr}${result.stdout}`);
  return result.stdout;
}

/**
 * Writes a variant of a real lab to a temp file: the id is changed so that the variant never
 * touches the real lab's resources, and each [from, to] replacement must apply.
 */
export function labVariant(
  labId: string,
  newId: string,
  replacements: [string | RegExp, string][] = [],
): string {
  let text = readFileSync(path.join(repoRoot, 'labs', `${labId}.yaml`), 'utf8').replace(
    `id: ${labId}`,
    `id: ${newId}`,
  );
  for (const [from, to] of replacements) {
    const next = text.replace(from, to);
    if (next === text) throw new Error(`variant ${newId}: ${String(from)} not found in ${labId}`);
    text = next;
  }
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'lvslab-lab-')), `${newId}.yaml`);
  writeFileSync(file, text);
  return file;
}
