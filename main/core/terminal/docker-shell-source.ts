// A terminal session's shell in a lab node: the hijacked connection of a Docker exec with a TTY
// (docker-shell.ts starts it). The connection stays paused until the session starts reading, so
// nothing the shell prints early is lost.
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { containerState, delay, execExitCode, hangUp, type ContainerState } from './docker-shell.js';
import type { ShellSource } from './shell-source.js';
import type { TerminalSize } from './resize.js';

export class DockerShellSource implements ShellSource {
  readonly done: Promise<void>;

  constructor(
    private readonly sessionId: string,
    private readonly node: string,
    private readonly container: Docker.Container,
    readonly exec: Docker.Exec,
    private readonly stream: Duplex,
    /** The container as it was when the shell started, to tell a restart from an exit. */
    private readonly startState: ContainerState,
  ) {
    // An error before anything reads the stream still needs a listener, or it would be thrown.
    this.done = new Promise<void>((resolve) => {
      stream.once('end', () => {
        resolve();
      });
      stream.once('close', () => {
        resolve();
      });
      stream.on('error', () => {
        resolve();
      });
    });
  }

  get input(): Duplex {
    return this.stream;
  }

  start(onData: (chunk: Uint8Array) => void): void {
    this.stream.on('data', onData);
  }

  pause(): void {
    this.stream.pause();
  }

  resume(): void {
    this.stream.resume();
  }

  resize(size: TerminalSize): void {
    // Best effort: after the shell exited the engine answers "not running"; nothing to report.
    this.exec.resize({ h: size.rows, w: size.cols }).catch(() => undefined);
  }

  async hangUp(graceMs: number): Promise<void> {
    const hungUp = await hangUp(this.container, this.sessionId);
    if (!hungUp && this.stream.writable) this.stream.write('\x04'); // EOF: ends a shell at its prompt.
    await Promise.race([this.done, delay(graceMs)]);
  }

  async release(): Promise<void> {
    // Closing our side does not end the shell (Docker cannot kill an exec): it was hung up
    // before, or it ends with its container.
    this.stream.end();
    await Promise.race([this.done, delay(100)]);
    this.stream.destroy();
  }

  exitCode(waitMs: number): Promise<number | null> {
    return execExitCode(this.exec, waitMs);
  }

  /** Why the shell ended by itself: it exited, was killed, or its node stopped or restarted. */
  async describeEnd(code: number | null, settleMs: number): Promise<string> {
    const before = this.startState.kind === 'gone' ? '' : this.startState.startedAt;
    const look = () => containerState(this.container).catch((): ContainerState => ({ kind: 'gone' }));
    let state = await look();
    const killed = code === null || code >= 128;
    // A killed container is marked stopped a moment after its processes die.
    const until = Date.now() + settleMs;
    while (killed && state.kind === 'running' && state.startedAt === before && Date.now() < until) {
      await delay(50);
      state = await look();
    }
    if (state.kind === 'gone') return `node ${this.node} was removed`;
    if (state.kind === 'stopped') return `node ${this.node} stopped`;
    if (state.startedAt !== before) return `node ${this.node} restarted`;
    if (code === null) return 'the shell ended';
    if (code >= 128) return `the shell was killed by signal ${code - 128}`;
    return 'the shell exited';
  }

  dispose(): void {
    this.stream.destroy();
  }
}
