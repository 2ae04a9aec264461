// Runs a command in a lab container through the Docker exec API and collects its output.
// Docker has no API to kill an exec'd process, so the command itself runs under `timeout`
// inside the container: a hung command ends there instead of lingering after we give up.
import { PassThrough } from 'node:stream';
import type DockerModem from 'docker-modem';
import type Docker from 'dockerode';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface ExecOptions {
  timeoutMs?: number;
  env?: string[];
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
  const stdout = collect();
  const stderr = collect();
  (container.modem as DockerModem).demuxStream(stream, stdout.sink, stderr.sink);

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
  return { exitCode, stdout: stdout.text(), stderr: stderr.text(), timedOut: exitCode === TIMEOUT_EXIT };
}

function collect() {
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { sink, text: () => Buffer.concat(chunks).toString('utf8') };
}
