// Replays a repro file on the current engine: checks that every pinned input is what this LVS
// Lab would use, re-creates the lab from the embedded file, applies the record in order, observes
// the outcome as the report did, compares, and removes the lab.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'yaml';
import { reproSchema, type ReproFile, type ReproOutcome } from '../../../shared/repro.js';
import type { JournalEntry } from '../../../shared/results.js';
import { imageTag, NODE_IMAGE_REPO } from '../docker/images.js';
import { errorText, LabError } from '../errors.js';
import { faultsOf } from '../faults/fault-runner.js';
import type { LabService } from '../lab-service.js';
import { parseLab } from '../lab/loader.js';
import { compareEnvironments, readEnvironment } from './environment.js';
import { compareOutcomes, outcomeOf, probeRound } from './outcome.js';
import { sha256 } from './report.js';

/** A repro file that cannot be read: exit 2, like any other bad input. */
export class ReproFileError extends LabError {}

/** A replay this engine cannot do (a kernel feature or a pinned input is missing): exit 4. */
export class CannotReplayError extends LabError {}

export interface ReplayResult {
  same: boolean;
  differences: string[];
  /** Where this run's environment differs: said, never judged. */
  environment: string[];
  /** Entries of the record that failed to apply, in words. */
  applyErrors: string[];
  outcome: ReproOutcome;
}

/** Reads and checks a repro file, naming the field that is wrong. */
export function readRepro(text: string, file: string): ReproFile {
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new ReproFileError(`${file} is not a YAML repro file: ${errorText(error)}`);
  }
  const parsed = reproSchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
    throw new ReproFileError(`${file} is not a valid repro file:\n  ${issues.join('\n  ')}`);
  }
  const repro = parsed.data;
  if (sha256(repro.lab.file) !== repro.lab.sha256) {
    throw new ReproFileError(
      `${file}: the lab in it was edited after it was saved (its sha256 no longer matches)`,
      'a repro must replay the lab exactly as it ran; save a new report instead',
    );
  }
  return repro;
}

/**
 * The pinned inputs this LVS Lab must have to replay faithfully: the same node image, and the
 * same commands for every fault the record uses.
 */
export async function checkPins(repro: ReproFile, imageContext: string): Promise<void> {
  const image = await imageTag(NODE_IMAGE_REPO, imageContext);
  if (image !== repro.lab.nodeImage) {
    throw new CannotReplayError(
      `this LVS Lab builds node image ${image}; the repro ran on ${repro.lab.nodeImage}, so a replay would not use the same tools`,
      `replay it with the LVS Lab version that made it (${repro.lvsLab.version})`,
    );
  }
  const lab = parseLab(repro.lab.file, `${repro.lab.id} (in the repro file)`);
  const current = new Map(faultsOf(lab).map((e) => [e.fault.id, e.fault]));
  for (const fault of repro.faults) {
    if (!isDeepStrictEqual(current.get(fault.id), fault)) {
      throw new CannotReplayError(
        `fault ${fault.id} is not what it was when the repro was saved: this LVS Lab would run other commands for it`,
        `replay it with the LVS Lab version that made it (${repro.lvsLab.version})`,
      );
    }
  }
}

async function apply(service: LabService, labId: string, entry: JournalEntry): Promise<string | null> {
  try {
    switch (entry.kind) {
      case 'step': {
        const run = await service.applyStep(entry.stepId, labId);
        return run.ok ? null : `step ${entry.stepId}: a command failed`;
      }
      case 'break': {
        const result = await service.breakFault(entry.node, entry.fault, labId);
        return result.ok ? null : `break ${entry.fault} on ${entry.node} failed`;
      }
      case 'fix': {
        const results = await service.fixFault(entry.node, entry.fault, labId);
        return results.every((r) => r.ok) ? null : `fix ${entry.fault} on ${entry.node} failed`;
      }
      case 'exec':
        await service.exec(entry.node, entry.command, labId);
        return null;
    }
  } catch (error) {
    return `${entry.kind} ${'stepId' in entry ? entry.stepId : entry.node}: ${errorText(error)}`;
  }
}

export async function replay(
  service: LabService,
  repro: ReproFile,
  options: { engineName: string; keep?: boolean; say?: (line: string) => void },
): Promise<ReplayResult> {
  const say = options.say ?? (() => undefined);
  await checkPins(repro, service.paths.imageContext);
  const preflight = await service.preflight();
  if (!preflight.ok) {
    const missing = preflight.items.filter((i) => i.status === 'fail').map((i) => i.title);
    throw new CannotReplayError(
      `this engine cannot run the lab: ${missing.join('; ')}`,
      'run `lvs-lab preflight` for the fix, or replay on the built-in kernel (--engine builtin)',
    );
  }
  if ((await service.status()).some((s) => s.labId === repro.lab.id)) {
    throw new LabError(
      `lab ${repro.lab.id} is running: a replay needs it from scratch`,
      `stop it first: lvs-lab down ${repro.lab.id}`,
    );
  }
  // The lab from the file, byte for byte, where the running lab can find it again (its status).
  const dir = path.join(service.paths.stateDir, 'replays');
  await mkdir(dir, { recursive: true });
  const labFile = path.join(dir, `${repro.lab.id}-${repro.lab.sha256.slice(0, 12)}.yaml`);
  await writeFile(labFile, repro.lab.file);
  say(`starting ${repro.lab.id} from the repro file`);
  await service.up(labFile);
  try {
    const applyErrors: string[] = [];
    for (const entry of repro.record) {
      say(`applying ${describeEntry(entry)}`);
      const error = await apply(service, repro.lab.id, entry);
      if (error !== null) applyErrors.push(error);
    }
    say('checking every step and sending a round of requests');
    const { lab } = await service.running(repro.lab.id);
    const exec = service.nodeExec(lab.id);
    const outcome = outcomeOf(await service.check(undefined, lab.id), await probeRound(lab, exec));
    const environment = compareEnvironments(
      repro.environment,
      await readEnvironment(service.docker, lab, exec, options.engineName),
    );
    const differences = compareOutcomes(repro.outcome, outcome);
    return { same: differences.length === 0, differences, environment, applyErrors, outcome };
  } finally {
    if (!options.keep) await service.down(repro.lab.id);
  }
}

export function describeEntry(entry: JournalEntry): string {
  switch (entry.kind) {
    case 'step':
      return `step ${entry.stepId}`;
    case 'break':
    case 'fix':
      return `${entry.kind} ${entry.fault} on ${entry.node}`;
    case 'exec':
      return `exec on ${entry.node}: ${entry.command}`;
  }
}
