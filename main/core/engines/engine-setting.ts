// The app's engine setting (automatic, host, built-in kernel), kept in the user's state folder so
// that the next start of the app honours it. `--engine` and LVS_LAB_ENGINE win over it.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EngineChoice } from '../../../shared/engine.js';

const CHOICES: readonly string[] = ['auto', 'host', 'builtin'];

function settingFile(stateDir: string): string {
  return path.join(stateDir, 'engine-choice.json');
}

/** The saved choice, or undefined when none was saved (or the file is not one of ours). */
export async function readEngineSetting(stateDir: string): Promise<EngineChoice | undefined> {
  try {
    const { choice } = JSON.parse(await readFile(settingFile(stateDir), 'utf8')) as { choice?: unknown };
    return typeof choice === 'string' && CHOICES.includes(choice) ? (choice as EngineChoice) : undefined;
  } catch {
    return undefined;
  }
}

export async function writeEngineSetting(stateDir: string, choice: EngineChoice): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  const file = settingFile(stateDir);
  // Write then rename: a crash never leaves half a file.
  await writeFile(`${file}.${process.pid}.tmp`, JSON.stringify({ choice }));
  await rename(`${file}.${process.pid}.tmp`, file);
}
