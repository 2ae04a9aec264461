// The compiled lvs-lab as a child process, for the tiers that drive the CLI as a user would.
import { execFile } from 'node:child_process';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the compiled lvs-lab as a user would. Asynchronous on purpose: a test that blocks its
 * worker in spawnSync for a minute starves vitest's own messages ("Timeout calling onTaskUpdate").
 */
export function runLvsLab(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(repoRoot, 'bin/lvs-lab.js'), ...args],
      {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', ...options.env },
        cwd: options.cwd,
        timeout: options.timeoutMs ?? 300_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1,
          stdout,
          stderr,
        });
      },
    );
  });
}
