// The terminals of every shell (Electron windows and browser connections alike): a login shell
// per session, in a lab node (attached through the Docker exec API with a TTY) or on the host
// (a pseudo-terminal, when the app allows it). Output goes to the sink as raw bytes, batched,
// under ack-based flow control; input, resizes and acks come back by session id. Every session
// that `open` announced ends with exactly one `exit` event, after its last `data` event,
// whatever ended it. Both kinds of shell are a ShellSource behind the same Session: one home
// for batching and flow control.
import { randomUUID } from 'node:crypto';
import type { TerminalOpenArgs } from '../../../shared/api.js';
import { LabError } from '../errors.js';
import type { LabRuntime } from '../runtime/lab-runtime.js';
import { BATCH_DELAY_MS, BATCH_IMMEDIATE_BYTES, BATCH_MAX_BYTES, OutputBatcher } from './batcher.js';
import { containerState, resizeShell, startShell, type ContainerState } from './docker-shell.js';
import { DockerShellSource } from './docker-shell-source.js';
import { FlowController, HIGH_WATERMARK, LOW_WATERMARK } from './flow-control.js';
import { hostShellLaunch, spawnHostShell } from './host-shell.js';
import { InputQueue } from './input-queue.js';
import { clampSize, RESIZE_DELAY_MS, ResizeCoalescer, type TerminalSize } from './resize.js';
import type { ShellSource } from './shell-source.js';

/** Where output and ends go: the shell routes them to the session's window or connection. */
export interface TerminalSink {
  data(sessionId: string, bytes: Uint8Array): void;
  exit(sessionId: string, exitCode: number | null, reason: string): void;
}

export interface TerminalOptions {
  /** Output is joined for this long while it keeps coming. */
  batchDelayMs: number;
  /** ... or until this much is waiting. */
  batchMaxBytes: number;
  /** After a quiet spell, this much output goes out without waiting (echoes, prompts). */
  batchImmediateBytes: number;
  /** Pause reading past this many unacked bytes. */
  highWatermark: number;
  /** Resume below this many. */
  lowWatermark: number;
  /** Resizes within this delay are coalesced, the last one wins. */
  resizeDelayMs: number;
  /** After a hang-up, how long the shell gets to exit before the connection is dropped. */
  closeGraceMs: number;
  /**
   * After the output ends, how long to wait for the engine to record the exit code and, when
   * the shell was killed, the container's new state (a killed container is marked stopped a
   * moment after its processes die).
   */
  exitSettleMs: number;
}

export const DEFAULT_TERMINAL_OPTIONS: TerminalOptions = {
  batchDelayMs: BATCH_DELAY_MS,
  batchMaxBytes: BATCH_MAX_BYTES,
  batchImmediateBytes: BATCH_IMMEDIATE_BYTES,
  highWatermark: HIGH_WATERMARK,
  lowWatermark: LOW_WATERMARK,
  resizeDelayMs: RESIZE_DELAY_MS,
  closeGraceMs: 2_000,
  exitSettleMs: 1_000,
};

export class TerminalError extends LabError {
  constructor(message: string, hint?: string) {
    super(message, hint);
    this.name = 'TerminalError';
  }
}

/** Why a session was closed from this side, and whether its shell is hung up first. */
interface CloseCause {
  reason: string;
  hangUp: boolean;
}

interface PendingOpen {
  owner: string;
  /** null for a host shell. */
  labId: string | null;
  cancelled: CloseCause | null;
}

/** Where host shells start: the folder holding labs/ and bin/ (null: the home folder). */
export interface HostShellSettings {
  root: string | null;
}

export class TerminalManager {
  private readonly sessions = new Map<string, Session>();
  private readonly opening = new Set<PendingOpen>();
  private readonly options: TerminalOptions;

  constructor(
    private readonly runtime: LabRuntime,
    private readonly sink: TerminalSink,
    options: Partial<TerminalOptions> = {},
    /** null: this manager opens no host shell (the app's policy said no). */
    private readonly hostShell: HostShellSettings | null = null,
  ) {
    this.options = { ...DEFAULT_TERMINAL_OPTIONS, ...options };
    if (this.options.lowWatermark > this.options.highWatermark) {
      throw new Error('terminal flow control: the low watermark must not exceed the high watermark');
    }
  }

  /**
   * Starts a login shell in a node of a running lab, at the given size. The node is found by its
   * labels, never by a container id from the page. No event of the session is emitted before
   * this resolves; the first `data` comes at the earliest on the next turn of the event loop.
   */
  async open(owner: string, args: TerminalOpenArgs): Promise<{ sessionId: string }> {
    const size = clampSize(args.cols, args.rows);
    if (size === null) throw new TerminalError(`bad terminal size ${args.cols}x${args.rows}`);
    const { session, exec } = await this.opened({ owner, labId: args.labId, cancelled: null }, async () => {
      const container = await this.runtime.nodeContainer(args.labId, args.node);
      const sessionId = randomUUID();
      const [state, shell] = await Promise.all([
        containerState(container).catch((): ContainerState => ({ kind: 'gone' })),
        startShell(container, sessionId, size),
      ]);
      const source = new DockerShellSource(sessionId, args.node, container, shell.exec, shell.stream, state);
      const target = { labId: args.labId, node: args.node };
      return { session: new Session(sessionId, owner, target, source, size, this), exec: shell.exec };
    });
    // Engine 20.10 ignores ConsoleSize: set the size now, before anything is drawn.
    await resizeShell(exec, size, () => !session.ending);
    return this.announce(session, `the terminal of ${args.node}`);
  }

  /**
   * Starts the user's shell on the host, in a pseudo-terminal (host-shell.ts says how). Refused
   * unless the manager was given host shell settings; the API handler refuses first, with how to
   * turn it on. A lab stopping leaves it open: it is no lab's.
   */
  async openHost(owner: string, wanted: TerminalSize): Promise<{ sessionId: string }> {
    const settings = this.hostShell;
    if (settings === null) throw new TerminalError('this LVS Lab opens no shell on the host');
    const size = clampSize(wanted.cols, wanted.rows);
    if (size === null) throw new TerminalError(`bad terminal size ${wanted.cols}x${wanted.rows}`);
    const { session } = await this.opened({ owner, labId: null, cancelled: null }, async () => {
      const source = await spawnHostShell(hostShellLaunch(settings.root), size);
      return { session: new Session(randomUUID(), owner, null, source, size, this) };
    });
    return this.announce(session, 'the host terminal');
  }

  /** Registers a session while it opens, so that closing its owner (or everything) also ends it. */
  private async opened<T extends { session: Session }>(
    pending: PendingOpen,
    start: () => Promise<T>,
  ): Promise<T> {
    this.opening.add(pending);
    try {
      const started = await start();
      const { session } = started;
      this.sessions.set(session.id, session);
      if (pending.cancelled) void session.close(pending.cancelled);
      return started;
    } finally {
      this.opening.delete(pending);
    }
  }

  private async announce(session: Session, what: string): Promise<{ sessionId: string }> {
    if (session.ending) {
      await session.ended;
      throw new TerminalError(
        `${what} ended while it was opening${session.endReason ? `: ${session.endReason}` : ''}`,
        'open it again',
      );
    }
    session.announce();
    return { sessionId: session.id };
  }

  /** Keystrokes and pastes. Unknown or ended sessions are ignored (the hot path never throws). */
  input(sessionId: string, data: string): void {
    this.sessions.get(sessionId)?.input(data);
  }

  resize(sessionId: string, cols: number, rows: number): void {
    this.sessions.get(sessionId)?.resize(cols, rows);
  }

  /** Bytes the page has parsed (xterm's write callback), in bytes of `data` events. */
  ack(sessionId: string, bytes: number): void {
    this.sessions.get(sessionId)?.ack(bytes);
  }

  /** Hangs up the session's shell; resolves once its `exit` event was emitted. */
  async close(sessionId: string): Promise<void> {
    const session = this.sessions.get(sessionId);
    if (!session) {
      throw new TerminalError(
        `no terminal session ${sessionId}: it has ended or never existed`,
        'its exit event said why',
      );
    }
    await session.close({ reason: 'the terminal was closed', hangUp: true });
  }

  /** A window or connection went away: hangs up its sessions, including those still opening. */
  async closeOwner(owner: string): Promise<void> {
    const cause = { reason: 'its window was closed', hangUp: true };
    for (const p of this.opening) if (p.owner === owner) p.cancelled ??= cause;
    await Promise.all(
      [...this.sessions.values()].filter((s) => s.owner === owner).map((s) => s.close(cause)),
    );
  }

  /**
   * A lab is stopping: its containers go away with their shells, so the sessions are only
   * disconnected. Call it before removing the lab, or after: either way each ends once.
   */
  async closeLab(labId: string): Promise<void> {
    const cause = { reason: `lab ${labId} stopped`, hangUp: false };
    for (const p of this.opening) if (p.labId === labId) p.cancelled ??= cause;
    await Promise.all(
      [...this.sessions.values()].filter((s) => s.labId === labId).map((s) => s.close(cause)),
    );
  }

  /** The app is quitting: hangs up every shell, so that none lingers in a lab that keeps running. */
  async closeAll(): Promise<void> {
    const cause = { reason: 'LVS Lab quit', hangUp: true };
    for (const p of this.opening) p.cancelled ??= cause;
    await Promise.all([...this.sessions.values()].map((s) => s.close(cause)));
  }

  /** The owner a session was opened for, to route its events; still known during its `exit`. */
  ownerOf(sessionId: string): string | undefined {
    return this.sessions.get(sessionId)?.owner;
  }

  /** Open sessions (for diagnostics and tests); a host shell has no lab and no node. */
  list(): { sessionId: string; owner: string; labId: string | null; node: string | null }[] {
    return [...this.sessions.values()].map((s) => ({
      sessionId: s.id,
      owner: s.owner,
      labId: s.labId,
      node: s.node,
    }));
  }

  /** @internal Session → manager. */
  emitData(sessionId: string, bytes: Uint8Array): void {
    try {
      this.sink.data(sessionId, bytes);
    } catch {
      // A sink that throws (a window destroyed mid-send) must not take the stream down with it.
    }
  }

  /** @internal */
  emitExit(sessionId: string, exitCode: number | null, reason: string): void {
    try {
      this.sink.exit(sessionId, exitCode, reason);
    } catch {
      // As above.
    }
  }

  /** @internal */
  forget(sessionId: string): void {
    this.sessions.delete(sessionId);
  }

  /** @internal */
  get settings(): TerminalOptions {
    return this.options;
  }
}

/** A lab node's shell, or null for the host's. */
type SessionTarget = { labId: string; node: string } | null;

class Session {
  readonly labId: string | null;
  readonly node: string | null;
  private readonly batcher: OutputBatcher;
  private readonly flow: FlowController;
  private readonly resizer: ResizeCoalescer;
  private readonly inputQueue: InputQueue;
  /** open() has handed out the id: events may flow. */
  private announced = false;
  /** Output is no longer forwarded (the session is being closed from this side). */
  private discarding = false;
  private closeCause: CloseCause | null = null;
  private finishing: Promise<void> | null = null;
  endReason: string | null = null;

  constructor(
    readonly id: string,
    readonly owner: string,
    target: SessionTarget,
    private readonly source: ShellSource,
    size: TerminalSize,
    private readonly manager: TerminalManager,
  ) {
    const options = manager.settings;
    this.labId = target?.labId ?? null;
    this.node = target?.node ?? null;
    this.batcher = new OutputBatcher(
      (bytes) => {
        this.manager.emitData(this.id, bytes);
      },
      {
        delayMs: options.batchDelayMs,
        maxBytes: options.batchMaxBytes,
        immediateBytes: options.batchImmediateBytes,
      },
    );
    this.flow = new FlowController(
      {
        pause: () => {
          source.pause();
        },
        resume: () => {
          source.resume();
        },
      },
      { highWatermark: options.highWatermark, lowWatermark: options.lowWatermark },
    );
    this.inputQueue = new InputQueue(source.input, (maxBytes) => {
      this.notice(
        `the shell is not reading its input and ${Math.round(maxBytes / 1024)} KiB of it wait; more typing or pasting is dropped until it reads again`,
      );
    });
    this.resizer = new ResizeCoalescer(
      size,
      (next) => {
        source.resize(next);
      },
      options.resizeDelayMs,
    );
    void source.done.then(() => this.finish());
  }

  get ending(): boolean {
    return this.finishing !== null || this.closeCause !== null;
  }

  /** Resolves once the session has ended (and its exit event, if announced, was emitted). */
  get ended(): Promise<void> {
    return this.source.done.then(() => this.finish());
  }

  /** Called by open() right before it resolves; output starts on the next turn of the loop. */
  announce(): void {
    this.announced = true;
    setImmediate(() => {
      this.source.start((chunk) => {
        if (this.discarding) return;
        this.flow.sent(chunk.length);
        this.batcher.push(chunk);
      });
    });
  }

  input(data: string): void {
    if (this.ending) return;
    this.inputQueue.write(data);
  }

  /**
   * A line from LVS Lab itself in the terminal, where the user is looking. It goes through the
   * batcher and flow control like the shell's own output.
   */
  private notice(text: string): void {
    if (this.discarding || !this.announced) return;
    const bytes = Buffer.from(`\r\n[LVS Lab: ${text}]\r\n`);
    this.flow.sent(bytes.length);
    this.batcher.push(bytes);
  }

  resize(cols: number, rows: number): void {
    if (!this.ending) this.resizer.request(cols, rows);
  }

  ack(bytes: number): void {
    this.flow.ack(bytes);
  }

  async close(cause: CloseCause): Promise<void> {
    if (this.ending) return this.ended;
    this.closeCause = cause;
    // The page asked to close or is gone: what it already got is all it gets, and what it typed
    // but the shell did not take is forgotten.
    this.discarding = true;
    this.inputQueue.clear();
    this.batcher.dispose();
    // Read on (and drop), so that the end of the output can be seen.
    this.flow.reset();
    this.source.resume();
    if (cause.hangUp) await this.source.hangUp(this.manager.settings.closeGraceMs);
    await this.source.release();
    return this.ended;
  }

  private finish(): Promise<void> {
    this.finishing ??= this.doFinish();
    return this.finishing;
  }

  private async doFinish(): Promise<void> {
    this.resizer.dispose();
    this.batcher.dispose(); // Flushes the last output before the exit event.
    this.flow.reset();
    const settle = this.manager.settings.exitSettleMs;
    const closed = this.closeCause;
    // After a close without hang-up the shell still runs: one look is enough.
    const code = await this.source.exitCode(closed && !closed.hangUp ? 0 : settle);
    const reason = closed ? closed.reason : await this.source.describeEnd(code, settle);
    this.endReason = reason;
    this.source.dispose();
    if (this.announced) this.manager.emitExit(this.id, code, reason);
    this.manager.forget(this.id);
  }
}
