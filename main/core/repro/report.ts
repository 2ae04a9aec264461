// Writes a repro file for the running lab: the lab flattened and pinned, the record of what was
// done to it, where it ran, and what it shows now (every step's checks and a round of requests).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import type { EngineKind } from '../../../shared/engine.js';
import type { LabFile } from '../../../shared/lab-schema.js';
import { REPRO_FORMAT, REPRO_VERSION, type ReproFile } from '../../../shared/repro.js';
import { LabError } from '../errors.js';
import type { LabService } from '../lab-service.js';
import type { Lab } from '../lab/model.js';
import { faultsOf } from '../faults/fault-runner.js';
import { readEnvironment } from './environment.js';
import { outcomeOf, probeRound } from './outcome.js';

/** The lab as one plain lab file: a derived lab merged with its base, no `extends`. */
export function flattenLab(lab: Lab): string {
  const file: LabFile = {
    id: lab.id,
    title: lab.title,
    summary: lab.summary,
    difficulty: lab.difficulty,
    ...(lab.author === undefined ? {} : { author: lab.author }),
    seed: lab.seed,
    departures: lab.departures,
    networks: lab.networks,
    nodes: lab.nodes.map(({ interfaces: _interfaces, assets: _assets, ...node }) => node),
    service: lab.service,
    steps: lab.steps,
    faults: lab.faults,
  };
  return stringify(file, { lineWidth: 0 });
}

/** How a repro names the engine it ran on: "built-in kernel, Linux 6.1.176 (user-mode)". */
export function engineLabel(kind: EngineKind, kernel: string): string {
  return `${kind === 'host' ? 'host engine' : 'built-in kernel'}, ${kernel}`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function lvsLabVersion(root: string): string {
  try {
    return (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** A repro carries at most this much of captures: it is a file to hand over, not an archive. */
export const REPORT_CAPTURE_LIMIT = 8 * 1024 * 1024;

/** The pcap files of the lab's latest capture, in base64; none when the lab has no capture. */
export async function latestCaptures(
  stateDir: string,
  labId: string,
): Promise<NonNullable<ReproFile['captures']>> {
  const root = path.join(stateDir, 'captures', labId);
  const folders = (await readdir(root).catch(() => [])).sort();
  const latest = folders.at(-1);
  if (latest === undefined) return [];
  const names = (await readdir(path.join(root, latest))).filter((n) => n.endsWith('.pcap')).sort();
  const files = await Promise.all(
    names.map(async (n) => ({ n, bytes: await readFile(path.join(root, latest, n)) })),
  );
  const size = files.reduce((sum, f) => sum + f.bytes.length, 0);
  if (size > REPORT_CAPTURE_LIMIT) {
    throw new LabError(
      `the latest capture of ${labId} has ${size} bytes of pcap files, more than a repro carries (${REPORT_CAPTURE_LIMIT})`,
      'capture fewer packets (--count) or hand the files over beside the report',
    );
  }
  return files.map((f) => ({ fileName: f.n, base64: f.bytes.toString('base64') }));
}

export async function buildReport(
  service: LabService,
  options: { labId?: string; engineName: string; version: string; withCaptures?: boolean },
): Promise<ReproFile> {
  const { lab } = await service.running(options.labId);
  const { journal } = await service.journal(lab.id);
  const exec = service.nodeExec(lab.id);
  const file = flattenLab(lab);
  const usedFaults = new Set(
    journal.flatMap((e) => (e.kind === 'break' || e.kind === 'fix' ? [e.fault] : [])),
  );
  const checks = await service.check(undefined, lab.id);
  return {
    format: REPRO_FORMAT,
    version: REPRO_VERSION,
    createdAt: new Date().toISOString(),
    lvsLab: { version: options.version },
    lab: { id: lab.id, file, sha256: sha256(file), nodeImage: await service.runningNodeImage(lab) },
    record: journal,
    faults: faultsOf(lab)
      .map((e) => e.fault)
      .filter((f) => usedFaults.has(f.id)),
    environment: await readEnvironment(service.docker, lab, exec, options.engineName),
    outcome: outcomeOf(checks, await probeRound(lab, exec)),
    ...(options.withCaptures ? { captures: await latestCaptures(service.paths.stateDir, lab.id) } : {}),
  };
}

export function reportText(report: ReproFile): string {
  return `# LVS Lab repro file: replay it with \`lvs-lab replay FILE\`\n${stringify(report, { lineWidth: 0 })}`;
}
