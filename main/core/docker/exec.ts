// Runs a command in a lab container through the Docker exec API and collects its output.
// Docker has no API to kill an exec'd process, so the command itself runs under `timeout`
// inside the container: a hung command ends there instead of lingering after we give up.
// Each stream is kept up to a cap (head and tail), so that no command can fill the app's memory.
import type Docker from 'dockerode';
import { DEFAULT_OUTPUT_CAP, HeadTailBuffer } from './capped-output.js';
import { DockerStreamDemuxer } from './demux.js';

export interface ExecResult {
  exitCode: number;
  /** Past the cap, the head, a `[… N bytes dropped …]` line and the tail. */
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Bytes left out of the middle of each stream; absent when nothing was. */
  dropped?: { stdout: number; stderr: number };
}

export interface ExecOptions {
  timeoutMs?: number;
  env?: string[];
  /** Bytes kept per stream (default 1 MiB). */
  outputCapBytes?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;
/** Exit status of coreutils `timeout` when the time limit was hit. */
const TIMEOUT_EXIT = 124;

export async function execScript(
  container: Docker.Container,
  script: string,
  options: ExecOptions = {},
): Promise<ExecResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  const exec = await container.exec({
    Cmd: ['timeout', '-k', '2', String(seconds), 'sh', '-c', script],
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    Env: options.env ?? [],
  });
  const stream = await exec.start({ hijack: true, stdin: false });
  const cap = options.outputCapBytes ?? DEFAULT_OUTPUT_CAP;
  const stdout = new HeadTailBuffer(cap);
  const stderr = new HeadTailBuffer(cap);
  const demux = new DockerStreamDemuxer(
    (chunk) => {
      stdout.write(chunk);
    },
    (chunk) => {
      stderr.write(chunk);
    },
  );
  stream.on('data', (chunk: Buffer) => {
    demux.push(chunk);
  });

  // A safety net above the in-container timeout, in case the engine stops answering.
  await new Promise<void>((resolve, reject) => {
    const guard = setTimeout(() => {
      stream.destroy();
      resolve();
    }, timeoutMs + 5_000);
    stream.on('end', () => {
      clearTimeout(guard);
      resolve();
    });
    stream.on('error', (error) => {
      clearTimeout(guard);
      reject(error);
    });
  });
  const info = await exec.inspect();
  const exitCode = info.ExitCode ?? -1;
  const dropped = { stdout: stdout.droppedBytes, stderr: stderr.droppedBytes };
  return {
    exitCode,
    stdout: stdout.text(),
    stderr: stderr.text(),
    timedOut: exitCode === TIMEOUT_EXIT,
    ...(dropped.stdout + dropped.stderr > 0 ? { dropped } : {}),
  };
}
