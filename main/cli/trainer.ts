// The trainer's commands: write a lab (validate, lint, schema, dev), share it (pack, import,
// export, copy, remove) and prove it (test). All but `test` and `dev` work without an engine.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { emitKeypressEvents } from 'node:readline';
import { labJsonSchema } from '../core/lab/json-schema.js';
import { formatIssue, LabLoadError } from '../core/lab/loader.js';
import type { Lab } from '../core/lab/model.js';
import type { LabService } from '../core/lab-service.js';
import { LabLibrary } from '../core/library/lab-library.js';
import { watchFolder } from '../core/library/lab-watcher.js';
import { UserLabActions } from '../core/library/user-lab-actions.js';
import { readBundle } from '../core/bundle/bundle-file.js';
import { writeEntries } from '../core/library/user-labs.js';
import { exitCodeOf, testLab } from '../core/lab-test/lab-test.js';
import { lvsLabVersion } from '../core/repro/report.js';
import { resourceRoot, type AppPaths } from '../core/paths.js';
import { LabError } from '../core/errors.js';
import * as show from './trainer-format.js';

export const TRAINER_COMMANDS = [
  'validate',
  'lint',
  'schema',
  'copy',
  'remove',
  'pack',
  'import',
  'export',
  'test',
  'dev',
] as const;
export type TrainerCommand = (typeof TRAINER_COMMANDS)[number];

export function isTrainerCommand(command: string): command is TrainerCommand {
  return (TRAINER_COMMANDS as readonly string[]).includes(command);
}

export interface TrainerOptions {
  json: boolean;
  output: string | undefined;
  author: string | undefined;
  keep: boolean;
}

/** The engine and the service over it, connected only by the commands that need one. */
export type ConnectEngine = () => Promise<{ service: LabService; engineName: string }>;

export class TrainerUsageError extends Error {}

export async function trainerCommand(
  command: TrainerCommand,
  args: string[],
  options: TrainerOptions,
  paths: AppPaths,
  connect: ConnectEngine,
): Promise<number> {
  const library = new LabLibrary(paths);
  const version = lvsLabVersion(resourceRoot());
  const actions = new UserLabActions(library, paths.userLabsDir, version);
  const out = (data: unknown, text: () => string) => {
    console.log(options.json ? JSON.stringify(data, null, 2) : text());
  };

  switch (command) {
    case 'validate':
    case 'lint':
      return validate(library, args, options.json, command === 'lint');
    case 'schema': {
      const text = `${JSON.stringify(labJsonSchema(), null, 2)}\n`;
      if (options.output === undefined) process.stdout.write(text);
      else await writeFile(options.output, text);
      return 0;
    }
    case 'copy': {
      const labId = required(args[0], 'usage: lvs-lab copy LAB');
      const copied = await actions.copy(labId);
      out(copied, () => `copied ${labId} to your labs as ${copied.id}: ${copied.file}`);
      return 0;
    }
    case 'remove': {
      const labId = required(args[0], 'usage: lvs-lab remove LAB');
      await actions.remove(labId, async () => {
        const { service } = await connect();
        return (await service.status()).map((s) => s.labId);
      });
      out({ removed: labId }, () => `removed ${labId} from your labs`);
      return 0;
    }
    case 'pack': {
      const source = required(args[0], 'usage: lvs-lab pack FILE|DIR -o X.lvslab');
      const packed = await actions.pack(source, options.author);
      const file = options.output ?? `${packed.labId}.lvslab`;
      await writeFile(file, packed.bytes);
      out(
        { file, bytes: packed.bytes.length },
        () => `packed ${packed.labId} into ${file} (${packed.bytes.length} bytes)`,
      );
      return 0;
    }
    case 'export': {
      const labId = required(args[0], 'usage: lvs-lab export LAB [-o FILE]');
      const exported = await actions.export(labId, options.author);
      const file = options.output ?? exported.fileName;
      await writeFile(file, exported.bytes);
      out({ file, bytes: exported.bytes.length }, () => `exported ${labId} to ${file}`);
      return 0;
    }
    case 'import': {
      const source = required(args[0], 'usage: lvs-lab import X.lvslab|DIR|GIT-URL[@ref]');
      const imported = await actions.importArg(source, options.author ?? 'unknown');
      out(imported, () => `imported ${imported.title} as ${imported.id}: ${imported.file}`);
      return 0;
    }
    case 'test': {
      const ref = required(args[0], 'usage: lvs-lab test LAB|FILE|BUNDLE [--json] [--keep]');
      return testCommand(ref, library, version, options, connect);
    }
    case 'dev': {
      const file = required(args[0], 'usage: lvs-lab dev FILE');
      return dev(path.resolve(file), library, connect);
    }
  }
}

function required(value: string | undefined, usage: string): string {
  if (value === undefined) throw new TrainerUsageError(usage);
  return value;
}

async function validate(
  library: LabLibrary,
  files: string[],
  json: boolean,
  lintOnly: boolean,
): Promise<number> {
  if (files.length === 0)
    throw new TrainerUsageError(`usage: lvs-lab ${lintOnly ? 'lint' : 'validate'} FILE...`);
  const results = await Promise.all(
    files.map(async (file) => {
      try {
        const lab = await library.load(file);
        return { file, ok: true, id: lab.id, issues: [], warnings: lab.warnings };
      } catch (error) {
        if (error instanceof LabLoadError)
          return { file, ok: false, id: null, issues: error.issues, warnings: [] };
        throw error;
      }
    }),
  );
  if (json) console.log(JSON.stringify(results, null, 2));
  else {
    for (const r of results) {
      for (const issue of r.issues) console.error(formatIssue(issue));
      for (const warning of r.warnings) console.error(`${formatIssue(warning)} (warning)`);
      if (r.ok)
        console.log(
          `${r.file}: ok (lab ${r.id ?? ''})${r.warnings.length > 0 ? `, ${r.warnings.length} lint warning(s)` : ''}`,
        );
    }
  }
  // `lint` fails on warnings too, for a trainer's CI; `validate` only on errors.
  return results.every((r) => r.ok && (!lintOnly || r.warnings.length === 0)) ? 0 : 1;
}

/** `test` takes a lab id, a lab file, or a bundle (unpacked into a temporary folder, never imported). */
async function testCommand(
  ref: string,
  library: LabLibrary,
  version: string,
  options: TrainerOptions,
  connect: ConnectEngine,
): Promise<number> {
  let unpacked: string | null = null;
  try {
    let lab: Lab;
    if (ref.endsWith('.lvslab')) {
      const { files } = readBundle(await readFile(ref), { currentVersion: version });
      unpacked = await mkdtemp(path.join(os.tmpdir(), 'lvslab-test-'));
      await writeEntries(path.join(unpacked, 'lab'), [...files.values()]);
      lab = await library.load(path.join(unpacked, 'lab', 'lab.yaml'));
    } else lab = await library.resolve(ref);
    const { service, engineName } = await connect();
    const report = await testLab(service, lab, {
      engineName,
      keep: options.keep,
      say: (line) => {
        if (!options.json) process.stderr.write(`lvs-lab: ${line}\n`);
      },
    });
    console.log(options.json ? JSON.stringify(report, null, 2) : show.testReport(report));
    return exitCodeOf(report.verdict);
  } finally {
    // A kept lab still needs its file: the temporary folder then stays.
    if (unpacked !== null && !options.keep) await rm(unpacked, { recursive: true, force: true });
  }
}

/**
 * The authoring loop: say what is wrong with the file at each save, with its line; a running
 * lab takes new steps, checks and faults at once (they are read from the file each time), and
 * a changed topology offers a restart (press r).
 */
async function dev(file: string, library: LabLibrary, connect: ConnectEngine): Promise<number> {
  let restartOffered = false;
  const report = async () => {
    const stamp = new Date().toLocaleTimeString();
    let lab: Lab;
    try {
      lab = await library.load(file);
    } catch (error) {
      if (!(error instanceof LabLoadError)) throw error;
      console.log(`[${stamp}] ${path.basename(file)} has errors:`);
      for (const issue of error.issues) console.log(`  ${formatIssue(issue)}`);
      return;
    }
    console.log(`[${stamp}] ${lab.id}: ok, ${lab.steps.length} steps`);
    for (const warning of lab.warnings) console.log(`  ${formatIssue(warning)} (warning)`);
    const running = await runningInstance(lab, connect);
    if (running === null) {
      console.log('  not running: start it with `lvs-lab up` (this command keeps watching)');
    } else if (running.topologyChanged) {
      restartOffered = true;
      console.log('  its networks, nodes or service changed: press r to restart the lab with them');
    } else {
      console.log('  running: steps, checks and faults apply to it now');
    }
  };
  // Watching starts first, so that a save during the first report is not missed.
  const watcher = watchFolder(path.dirname(file), report, { persistent: true });
  await report();
  console.log(`watching ${file} (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      watcher.close();
      if (process.stdin.isTTY) process.stdin.setRawMode(false);
      process.stdin.pause();
      resolve();
    };
    process.once('SIGINT', stop);
    if (process.stdin.isTTY) {
      emitKeypressEvents(process.stdin);
      process.stdin.setRawMode(true);
      process.stdin.on('keypress', (_text: string, key: { name?: string; ctrl?: boolean }) => {
        if (key.ctrl && key.name === 'c') stop();
        else if (key.name === 'r' && restartOffered) {
          restartOffered = false;
          void restart(file, library, connect).then(report);
        }
      });
    }
  });
  return 0;
}

async function runningInstance(lab: Lab, connect: ConnectEngine) {
  try {
    const { service } = await connect();
    return (await service.status()).find((s) => s.labId === lab.id) ?? null;
  } catch {
    // No engine: the loop still says what is wrong with the file.
    return null;
  }
}

async function restart(file: string, library: LabLibrary, connect: ConnectEngine): Promise<void> {
  try {
    const lab = await library.load(file);
    const { service } = await connect();
    console.log(`restarting ${lab.id}…`);
    await service.down(lab.id);
    await service.up(file);
    console.log(`${lab.id} restarted; its steps start from the beginning`);
  } catch (error) {
    console.log(`restart failed: ${error instanceof LabError ? error.message : String(error)}`);
  }
}
