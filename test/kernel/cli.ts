// The lvs-lab command as a child process on the kernel tier's own engine instance (same state
// folder and instance name), so that no second kernel boots.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { inject } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * Asynchronous: a command of half a minute must not block the test worker, whose messages to
 * the runner time out meanwhile.
 */
export function lvsLab(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(args, {});
}

/** The same command with more environment (another labs folder, for one). */
lvsLab.withEnv =
  (extra: Record<string, string>) =>
  (...args: string[]) =>
    run(args, extra);

function run(
  args: string[],
  extra: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(root, 'bin/lvs-lab.js'), ...args],
      {
        encoding: 'utf8',
        env: {
          ...process.env,
          DOCKER_HOST: '',
          LVS_LAB_STATE_DIR: inject('kernelStateDir'),
          LVS_LAB_ENGINE_INSTANCE: 'test',
          NO_COLOR: '1',
          ...extra,
        },
        timeout: 600_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
