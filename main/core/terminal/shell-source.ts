// What a terminal session needs of the shell behind it. A session (terminal-manager.ts) owns
// what every terminal shares: batching, ack-based flow control, bounded input, coalesced
// resizes, and the one `exit` event after the last `data`. A source is only the shell's end of
// that: a login shell in a lab node over the Docker exec API (docker-shell-source.ts), or a
// shell on the host in a pseudo-terminal (host-shell.ts).
import type { InputTarget } from './input-queue.js';
import type { TerminalSize } from './resize.js';

export interface ShellSource {
  /**
   * Starts handing output over, as raw bytes in order (never decoded: a chunk may end inside a
   * UTF-8 character). Called once, when the session is announced; nothing is read before.
   */
  start(onData: (chunk: Uint8Array) => void): void;
  /** Stops reading output, so that the shell's writes block once its pty is full. */
  pause(): void;
  resume(): void;
  /** Where typed input goes; `write` returns false while the shell is not reading it. */
  readonly input: InputTarget;
  /** Best effort: a shell that has exited has no size to set. */
  resize(size: TerminalSize): void;
  /** Resolves once the output has ended, whatever ended it; never rejects. */
  readonly done: Promise<void>;
  /**
   * Ends the shell as closing a terminal window does (SIGHUP, which an interactive shell passes
   * on to its jobs). Resolves once the output has ended, or after `graceMs` at most.
   */
  hangUp(graceMs: number): Promise<void>;
  /** Lets go of the shell: our end of its connection closes. Resolves soon, ended or not. */
  release(): Promise<void>;
  /** After `done`: the exit code, waiting up to `waitMs` for it to be known; null when unknown. */
  exitCode(waitMs: number): Promise<number | null>;
  /** After `done`, when nobody closed the session: why the shell ended, in words. */
  describeEnd(exitCode: number | null, settleMs: number): Promise<string>;
  /** Frees what is left (sockets, file descriptors). */
  dispose(): void;
}
