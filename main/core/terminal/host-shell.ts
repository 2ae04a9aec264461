// A shell on the machine running LVS Lab, in a pseudo-terminal (node-pty): the Host tab, for
// `lvs-lab`, `docker` and `tcpdump -i <lab bridge>` beside the nodes' shells. Its output is read
// as raw bytes (`encoding: null`), exactly as a node's exec stream is, so that the session's
// batching, flow control and UTF-8 handling are the same for both.
import { accessSync, constants, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IPty } from 'node-pty';
import { setTimeout as delay } from 'node:timers/promises';
import { LabError } from '../errors.js';
import type { InputTarget } from './input-queue.js';
import type { TerminalSize } from './resize.js';
import type { ShellSource } from './shell-source.js';

/** How the host shell is started: the user's shell, through /bin/sh (see hostShellLaunch). */
export interface HostShellLaunch {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

/**
 * Variables not handed to the shell: npm's, when LVS Lab was started by `npm run` (npm_config_*
 * would change what an `npm` typed there does), Electron's, and those that describe another
 * terminal (node-pty drops the same ones when it is given process.env itself).
 */
const DROPPED_ENV = [
  /^npm_/i,
  /^INIT_CWD$/,
  /^ELECTRON_RUN_AS_NODE$/,
  /^(TMUX|TMUX_PANE|STY|WINDOW|WINDOWID|TERMCAP|COLUMNS|LINES)$/,
];

/**
 * The user's login shell ($SHELL, else /bin/bash, else /bin/sh), with TERM=xterm-256color. In a
 * repository (`root` holds bin/, with the `lvs-lab` command) it starts there with that bin/ first
 * on PATH, so that `lvs-lab` works as typed; elsewhere (a packaged app's resources) in the home
 * folder.
 *
 * It runs as an interactive shell, not with `-l`, as most Linux terminal emulators start it: a
 * login shell reads /etc/profile, which on Debian sets PATH afresh and would drop bin/ again.
 * The environment already comes from the user's login session, through the app.
 *
 * The shell is exec'd by /bin/sh after `stty iutf8`: node-pty sets the pty's IUTF8 flag only
 * when it decodes the output itself, and without it the kernel's line editing (a `read` or
 * `cat` at its prompt) would erase half of a multi-byte character on Backspace.
 */
export function hostShellLaunch(
  root: string | null,
  env: NodeJS.ProcessEnv = process.env,
  isExecutable: (file: string) => boolean = executable,
  isDirectory: (dir: string) => boolean = directory,
): HostShellLaunch {
  const candidates = [env.SHELL, '/bin/bash'].filter(
    (file): file is string => file !== undefined && path.isAbsolute(file),
  );
  const shell = candidates.find((file) => isExecutable(file)) ?? '/bin/sh';
  const bin = root === null ? null : path.join(root, 'bin');
  const inRepository = root !== null && bin !== null && isDirectory(bin);
  const clean: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && !DROPPED_ENV.some((pattern) => pattern.test(key))) clean[key] = value;
  }
  const systemPath = env.PATH ?? '/usr/local/bin:/usr/bin:/bin';
  return {
    file: '/bin/sh',
    args: ['-c', 'stty iutf8 2>/dev/null; exec "$0"', shell],
    cwd: inRepository ? root : (env.HOME ?? os.homedir()),
    env: {
      ...clean,
      PATH: inRepository ? `${bin}${path.delimiter}${systemPath}` : systemPath,
      TERM: 'xterm-256color',
      COLORTERM: 'truecolor',
    },
  };
}

/** The user the host shell runs as, for the page to say so. */
export function hostUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    // A uid without a passwd entry (some containers).
    return process.env.USER ?? `uid ${String(process.getuid?.() ?? '?')}`;
  }
}

let ptyModule: Promise<typeof import('node-pty')> | null = null;

/**
 * node-pty is loaded on the first host shell, not with the app: a native addon that did not
 * build must cost the Host tab only, never the node terminals or the app's start.
 */
async function loadPty(): Promise<typeof import('node-pty')> {
  ptyModule ??= import('node-pty');
  try {
    return await ptyModule;
  } catch (error) {
    ptyModule = null;
    throw new LabError(
      `the host terminal needs node-pty, which did not load: ${(error as Error).message}`,
      '`npm ci` builds its native addon with node-gyp (python3, make and a C++ compiler); run it again and look for its errors',
    );
  }
}

export async function spawnHostShell(launch: HostShellLaunch, size: TerminalSize): Promise<HostShellSource> {
  const { spawn } = await loadPty();
  const pty = spawn(launch.file, launch.args, {
    name: 'xterm-256color',
    cols: size.cols,
    rows: size.rows,
    cwd: launch.cwd,
    env: launch.env,
    encoding: null,
  });
  return new HostShellSource(pty);
}

export class HostShellSource implements ShellSource {
  readonly done: Promise<void>;
  readonly input: InputTarget;
  private listener: ((chunk: Uint8Array) => void) | null = null;
  private exit: { exitCode: number; signal: number } | null = null;

  constructor(private readonly pty: IPty) {
    // node-pty reads from the moment it spawns: hold the output back until start().
    pty.pause();
    // With `encoding: null` the chunks are Buffers, whatever the typings say.
    pty.onData((chunk: string | Buffer) => {
      this.listener?.(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    });
    // node-pty reports the exit after the last output (it waits for the pty to close).
    this.done = new Promise<void>((resolve) => {
      pty.onExit(({ exitCode, signal }) => {
        this.exit = { exitCode, signal: signal ?? 0 };
        resolve();
      });
    });
    const exited = () => this.exited;
    // node-pty queues what the pty does not take yet and retries: it never reports a full
    // input, so 'drain' is never waited for.
    this.input = {
      get writable() {
        return !exited();
      },
      write: (data) => {
        pty.write(data);
        return true;
      },
      once: () => undefined,
    };
  }

  /** Whether the shell has exited (read afresh: it changes across an await). */
  get exited(): boolean {
    return this.exit !== null;
  }

  /** The shell's process id (the shell itself: /bin/sh exec'd it). */
  get pid(): number {
    return this.pty.pid;
  }

  start(onData: (chunk: Uint8Array) => void): void {
    this.listener = onData;
    this.pty.resume();
  }

  pause(): void {
    this.pty.pause();
  }

  resume(): void {
    this.pty.resume();
  }

  resize(size: TerminalSize): void {
    if (this.exit !== null) return;
    try {
      this.pty.resize(size.cols, size.rows);
    } catch {
      // The pty closed between the check and the call: nothing to resize.
    }
  }

  async hangUp(graceMs: number): Promise<void> {
    if (this.exit !== null) return;
    this.pty.kill('SIGHUP');
    await Promise.race([this.done, delay(graceMs)]);
    // A shell that ignores SIGHUP (trap '' HUP) would outlive its terminal: the host is no
    // container that ends it later.
    if (!this.exited) {
      this.pty.kill('SIGKILL');
      await Promise.race([this.done, delay(graceMs)]);
    }
  }

  async release(): Promise<void> {
    if (this.exit === null) this.pty.kill('SIGHUP');
    await Promise.race([this.done, delay(100)]);
  }

  exitCode(): Promise<number | null> {
    const exit = this.exit;
    if (exit === null) return Promise.resolve(null);
    return Promise.resolve(exit.signal > 0 ? 128 + exit.signal : exit.exitCode);
  }

  describeEnd(): Promise<string> {
    const exit = this.exit;
    if (exit === null) return Promise.resolve('the shell ended');
    return Promise.resolve(
      exit.signal > 0 ? `the shell was killed by signal ${exit.signal}` : 'the shell exited',
    );
  }

  dispose(): void {
    // node-pty closes the pty itself once the shell has exited.
  }
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function directory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
