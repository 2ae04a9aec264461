// The lvs-lab command as a child process on the kernel tier's own engine instance (same state
// folder and instance name), so that no second kernel boots.
import { inject } from 'vitest';
import { runLvsLab, type CliResult } from '../cli-runner.js';

/**
 * Asynchronous: a command of half a minute must not block the test worker, whose messages to
 * the runner time out meanwhile.
 */
export function lvsLab(...args: string[]): Promise<CliResult> {
  return run(args, {});
}

/** The same command with more environment (another labs folder, for one). */
lvsLab.withEnv =
  (extra: Record<string, string>) =>
  (...args: string[]) =>
    run(args, extra);

function run(args: string[], extra: Record<string, string>): Promise<CliResult> {
  return runLvsLab(args, {
    env: {
      DOCKER_HOST: '',
      LVS_LAB_STATE_DIR: inject('kernelStateDir'),
      LVS_LAB_ENGINE_INSTANCE: 'test',
      ...extra,
    },
    timeoutMs: 600_000,
  });
}
