// The terminals of every shell (Electron windows and browser connections alike): a login shell
// per session in a lab node, attached through the Docker exec API with a TTY. Output goes to
// the sink as raw bytes, batched, under ack-based flow control; input, resizes and acks come
// back by session id. Every session that `open` announced ends with exactly one `exit` event,
// after its last `data` event, whatever ended it.
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { TerminalOpenArgs } from '../../../shared/api.js';
import { LabError, type LabRuntime } from '../runtime/lab-runtime.js';
import { BATCH_DELAY_MS, BATCH_IMMEDIATE_BYTES, BATCH_MAX_BYTES, OutputBatcher } from './batcher.js';
import {
  containerState,
  delay,
  execExitCode,
  hangUp,
  resizeShell,
  startShell,
  type ContainerState,
} from './docker-shell.js';
import { FlowController, HIGH_WATERMARK, LOW_WATERMARK } from './flow-control.js';
import { clampSize, RESIZE_DELAY_MS, ResizeCoalescer, type TerminalSize } from './resize.js';

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
  labId: string;
  cancelled: CloseCause | null;
}

export class TerminalManager {
  private readonly sessions = new Map<string, Session>();
  private readonly opening = new Set<PendingOpen>();
  private readonly options: TerminalOptions;

  constructor(
    private readonly runtime: LabRuntime,
    private readonly sink: TerminalSink,
    options: Partial<TerminalOptions> = {},
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
    const pending: PendingOpen = { owner, labId: args.labId, cancelled: null };
    this.opening.add(pending);
    let session: Session;
    try {
      const container = await this.runtime.nodeContainer(args.labId, args.node);
      const sessionId = randomUUID();
      const [state, shell] = await Promise.all([
        containerState(container).catch((): ContainerState => ({ kind: 'gone' })),
        startShell(container, sessionId, size),
      ]);
      session = new Session(sessionId, owner, args.labId, args.node, container, shell, size, state, this);
      this.sessions.set(sessionId, session);
      if (pending.cancelled) void session.close(pending.cancelled);
    } finally {
      this.opening.delete(pending);
    }
    // Engine 20.10 ignores ConsoleSize: set the size now, before anything is drawn.
    await resizeShell(session.exec, size, () => !session.ending);
    if (session.ending) {
      await session.ended;
      throw new TerminalError(
        `the terminal of ${args.node} ended while it was opening${session.endReason ? `: ${session.endReason}` : ''}`,
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

  /** Open sessions (for diagnostics and tests). */
  list(): { sessionId: string; owner: string; labId: string; node: string }[] {
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

class Session {
  readonly exec: Docker.Exec;
  private readonly stream: Duplex;
  private readonly batcher: OutputBatcher;
  private readonly flow: FlowController;
  private readonly resizer: ResizeCoalescer;
  /** open() has handed out the id: events may flow. */
  private announced = false;
  /** Output is no longer forwarded (the session is being closed from this side). */
  private discarding = false;
  private closeCause: CloseCause | null = null;
  private finishing: Promise<void> | null = null;
  private readonly streamDone: Promise<void>;
  endReason: string | null = null;

  constructor(
    readonly id: string,
    readonly owner: string,
    readonly labId: string,
    readonly node: string,
    private readonly container: Docker.Container,
    shell: { exec: Docker.Exec; stream: Duplex },
    size: TerminalSize,
    private readonly startState: ContainerState,
    private readonly manager: TerminalManager,
  ) {
    const options = manager.settings;
    this.exec = shell.exec;
    this.stream = shell.stream;
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
      { pause: () => this.stream.pause(), resume: () => this.stream.resume() },
      { highWatermark: options.highWatermark, lowWatermark: options.lowWatermark },
    );
    this.resizer = new ResizeCoalescer(
      size,
      (next) => {
        // Best effort: after the shell exited the engine answers "not running"; nothing to report.
        this.exec.resize({ h: next.rows, w: next.cols }).catch(() => undefined);
      },
      options.resizeDelayMs,
    );
    // The stream stays paused (nothing reads it) until announce(); an error before then still
    // needs a listener, or it would be thrown.
    this.streamDone = new Promise<void>((resolve) => {
      this.stream.once('end', () => {
        resolve();
      });
      this.stream.once('close', () => {
        resolve();
      });
      this.stream.on('error', () => {
        resolve();
      });
    });
    void this.streamDone.then(() => this.finish());
  }

  get ending(): boolean {
    return this.finishing !== null || this.closeCause !== null;
  }

  /** Resolves once the session has ended (and its exit event, if announced, was emitted). */
  get ended(): Promise<void> {
    return this.streamDone.then(() => this.finish());
  }

  /** Called by open() right before it resolves; output starts on the next turn of the loop. */
  announce(): void {
    this.announced = true;
    setImmediate(() => {
      this.stream.on('data', (chunk: Buffer) => {
        if (this.discarding) return;
        this.flow.sent(chunk.length);
        this.batcher.push(chunk);
      });
    });
  }

  input(data: string): void {
    if (this.ending || !this.stream.writable) return;
    this.stream.write(data);
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
    // The page asked to close or is gone: what it already got is all it gets.
    this.discarding = true;
    this.batcher.dispose();
    // Read on (and drop), so that the end of the stream can be seen.
    this.flow.reset();
    this.stream.resume();
    const { closeGraceMs } = this.manager.settings;
    if (cause.hangUp) {
      const hungUp = await hangUp(this.container, this.id);
      if (!hungUp && this.stream.writable) this.stream.write('\x04'); // EOF: ends a shell at its prompt.
      await Promise.race([this.streamDone, delay(closeGraceMs)]);
    }
    // Closing our side does not end the shell (Docker cannot kill an exec); it ended above, or
    // it ends with its container.
    this.stream.end();
    await Promise.race([this.streamDone, delay(100)]);
    this.stream.destroy();
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
    const code = await execExitCode(this.exec, closed && !closed.hangUp ? 0 : settle);
    const reason = closed ? closed.reason : await this.describeEnd(code, settle);
    this.endReason = reason;
    this.stream.destroy();
    if (this.announced) this.manager.emitExit(this.id, code, reason);
    this.manager.forget(this.id);
  }

  /** Why the shell ended by itself: it exited, was killed, or its node stopped or restarted. */
  private async describeEnd(code: number | null, settleMs: number): Promise<string> {
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
}
