// A login shell in a lab container through the Docker exec API, with a TTY: no docker CLI and no
// node-pty. With `Tty: true` the hijacked connection carries raw bytes both ways (stdout and
// stderr merged by the pty, so no demultiplexing), and `exec.resize` sets the pty's size.
//
// Docker has no API to kill an exec'd process (moby #9098, #35703), and closing the hijacked
// connection or its stdin leaves the shell running in the container (measured on Engine 20.10).
// So every shell carries a marker in its environment, and `hangUp` finds it by that marker and
// sends it SIGHUP from a second exec, as a terminal emulator's hang-up would: an interactive
// bash or sh then exits and hangs up its jobs.
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { execScript } from '../docker/exec.js';
import { isNotFound } from '../docker/images.js';
import type { TerminalSize } from './resize.js';

/** bash when the image has it (lab images do), else the POSIX sh; both as login shells. */
export const SHELL_CMD = ['/bin/sh', '-c', 'command -v bash >/dev/null 2>&1 && exec bash -l || exec sh -l'];
/** The environment variable naming the session in its shell: how `hangUp` finds the shell. */
export const SESSION_ENV = 'LVSLAB_TERMINAL';

export interface ShellExec {
  exec: Docker.Exec;
  /** The hijacked connection (a net.Socket): write for the shell's input, read its pty output. */
  stream: Duplex;
}

export async function startShell(
  container: Docker.Container,
  sessionId: string,
  size: TerminalSize,
): Promise<ShellExec> {
  const consoleSize: [number, number] = [size.rows, size.cols];
  const exec = await container.exec({
    Cmd: SHELL_CMD,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: true,
    Env: ['TERM=xterm-256color', `${SESSION_ENV}=${sessionId}`],
    ConsoleSize: consoleSize,
  });
  // ConsoleSize starts the pty at the right size on API 1.42+ (Engine 23+). Engine 20.10 (API
  // 1.41) ignores it and starts at 0x0 (measured: `stty size` says "0 0"), so the caller also
  // resizes right after the start.
  const options: Docker.ExecStartOptions & { ConsoleSize: [number, number] } = {
    hijack: true,
    stdin: true,
    Tty: true,
    ConsoleSize: consoleSize,
  };
  const stream = await exec.start(options);
  return { exec, stream };
}

/**
 * Sets the pty size. The engine answers "not running" until the exec has started, which can
 * lag the hijack answer, so a failure is retried a few times (as the docker CLI does).
 */
export async function resizeShell(
  exec: Docker.Exec,
  size: TerminalSize,
  stillWanted: () => boolean,
  attempts = 5,
): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      await exec.resize({ h: size.rows, w: size.cols });
      return true;
    } catch {
      if (attempt >= attempts || !stillWanted()) return false;
      await delay(20 * attempt);
    }
  }
}

/** Sends SIGHUP to the shell of `sessionId` (the process with the marker whose parent is outside the container). */
export async function hangUp(container: Docker.Container, sessionId: string): Promise<boolean> {
  if (!/^[A-Za-z0-9-]+$/.test(sessionId)) return false;
  // An exec'd process has parent 0 in the container's pid namespace; its children and any
  // daemon it started carry the marker too, but have a parent inside the container.
  const script = `for d in /proc/[0-9]*; do
  tr '\\0' '\\n' < "$d/environ" 2>/dev/null | grep -qx '${SESSION_ENV}=${sessionId}' || continue
  [ "$(sed -n 's/^PPid:[[:space:]]*//p' "$d/status" 2>/dev/null)" = 0 ] && kill -HUP "\${d#/proc/}"
done
exit 0`;
  try {
    return (await execScript(container, script, { timeoutMs: 5_000 })).exitCode === 0;
  } catch {
    return false; // The container is gone or stopped: so is the shell.
  }
}

/**
 * The exit code of the exec, waiting up to `waitMs` for the engine to record it: the stream can
 * end a moment before the engine marks the exec finished. null when unknown (still running, or
 * the container and its execs are gone).
 */
export async function execExitCode(exec: Docker.Exec, waitMs: number): Promise<number | null> {
  const until = Date.now() + waitMs;
  for (;;) {
    try {
      const info = await exec.inspect();
      if (!info.Running) return info.ExitCode;
    } catch {
      return null;
    }
    if (Date.now() >= until) return null;
    await delay(20);
  }
}

export type ContainerState = { kind: 'gone' } | { kind: 'running' | 'stopped'; startedAt: string };

export async function containerState(container: Docker.Container): Promise<ContainerState> {
  try {
    const info = await container.inspect();
    return { kind: info.State.Running ? 'running' : 'stopped', startedAt: info.State.StartedAt };
  } catch (error) {
    if (isNotFound(error)) return { kind: 'gone' };
    throw error;
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
