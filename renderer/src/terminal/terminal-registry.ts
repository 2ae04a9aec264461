// Terminal sessions of the lab the page shows, one per node, and the host's (key HOST_TERMINAL)
// when the app offers one, outside React and zustand: xterm instances must outlive the
// components that show them (switching tabs re-parents the element, so the scrollback survives),
// and their bytes must not go through a store. The metadata (state, exit) is mirrored into the
// terminals store for the views.
//
// One subscription per event routes terminal.data and terminal.exit by session id. Data can
// arrive before terminal.open has answered (the events and the answer travel separately), so it
// is held briefly for ids not known yet.
import type { LabApi } from '../../../shared/api.js';
import type { LabInstanceStatus } from '../../../shared/status.js';
import { toErrorInfo } from '../api/errors.js';
import { useTerminalsStore, type TerminalStatus } from '../stores/terminals-store.js';
import type { Theme } from '../stores/ui-store.js';
import { AckBatcher } from './ack-batcher.js';
import { memoryLedger, type SessionLedger } from './session-ledger.js';
import { notice, type TerminalSize, type TerminalView, type TerminalViewFactory } from './terminal-view.js';

interface Controller {
  labId: string;
  node: string;
  view: TerminalView;
  sessionId: string | null;
  status: TerminalStatus;
  opening: Promise<string | null> | null;
  /** Bumped for every new session and on dispose: late answers of an older open are dropped. */
  generation: number;
  acks: AckBatcher | null;
  /** The size the core last heard of, to send resize only on a real change. */
  sentSize: TerminalSize | null;
  /** The container the session ran in, and whether the node was seen stopped since. */
  containerId: string | null;
  sawNodeDown: boolean;
  disposed: boolean;
  /** Keystrokes typed while the shell was connecting, delivered in order once it opens. */
  pendingInput: string[];
  pendingChars: number;
}

interface EarlyData {
  chunks: Uint8Array[];
  bytes: number;
  /** Bytes dropped for lack of room: still acked once the session is known, or the core stalls. */
  dropped: number;
  exit: { code: number | null; reason: string } | null;
  at: number;
}

/**
 * The registry key of the shell on the host. Node names match ^[a-z][a-z0-9-]*$, so no node can
 * be called this. The host's session is the page's, not a lab's: it outlives lab switches.
 */
export const HOST_TERMINAL = '@host';

/** How much typing is kept for a shell that is still connecting (a slow engine takes seconds). */
export const PENDING_INPUT_MAX_CHARS = 64 * 1024;
const EARLY_TTL_MS = 10_000;
const EARLY_MAX_BYTES = 1_000_000;
const CLOSED_MEMORY = 200;

/** Where a terminal's shell runs, in words. */
function shellPlace(node: string): string {
  return node === HOST_TERMINAL ? 'the host' : node;
}

/** A function, not an inline test, so that the type checker does not assume a status it saw earlier. */
function isOpen(ctrl: Controller): boolean {
  return ctrl.status === 'open';
}

function clampSize(n: number): number {
  return Math.max(1, Math.min(1000, Math.floor(n) || 1));
}

type StoreApi = Pick<typeof useTerminalsStore, 'getState'>;

export class TerminalRegistry {
  private readonly controllers = new Map<string, Controller>();
  private readonly bySession = new Map<string, Controller>();
  private readonly early = new Map<string, EarlyData>();
  /** Sessions this page closed: their late bytes are dropped, not held. */
  private readonly closed = new Set<string>();
  /** Sessions open on the core, mirrored into the ledger. */
  private readonly live = new Set<string>();
  private labId: string | null = null;
  private instance: LabInstanceStatus | null = null;

  constructor(
    private readonly api: LabApi,
    private readonly createView: TerminalViewFactory,
    private readonly store: StoreApi = useTerminalsStore,
    private readonly now: () => number = () => Date.now(),
    private readonly ledger: SessionLedger = memoryLedger(),
  ) {}

  /** Subscribes to the terminal events and closes what a previous page left; returns the unsubscribe. */
  start(): () => void {
    const stale = this.ledger.load();
    this.ledger.save([]);
    for (const sessionId of stale) this.forget(sessionId);
    const offData = this.api.on('terminal.data', (sessionId, data) => {
      this.onData(sessionId, data);
    });
    const offExit = this.api.on('terminal.exit', (sessionId, code, reason) => {
      this.onExit(sessionId, code, reason);
    });
    return () => {
      offData();
      offExit();
    };
  }

  get currentLab(): string | null {
    return this.labId;
  }

  /** Serve this lab; a different lab closes every node terminal of the previous one. */
  useLab(labId: string | null): void {
    if (labId === this.labId) return;
    this.closeLabTerminals();
    this.labId = labId;
  }

  /** The node's terminal widget, created on first use (not yet connected). */
  ensure(node: string): TerminalView {
    return this.controller(node).view;
  }

  has(node: string): boolean {
    return this.controllers.has(node);
  }

  /** Opens a session for the node unless one is open or opening; its id, or null on failure. */
  open(node: string): Promise<string | null> {
    const ctrl = this.controller(node);
    if (ctrl.opening) return ctrl.opening;
    if (ctrl.status === 'open' && ctrl.sessionId !== null) return Promise.resolve(ctrl.sessionId);
    const generation = ++ctrl.generation;
    ctrl.status = 'connecting';
    ctrl.sawNodeDown = false;
    this.publish(ctrl, { status: 'connecting', error: null, exitCode: null, reason: null });
    const opening = this.doOpen(ctrl, generation).finally(() => {
      if (ctrl.generation === generation) ctrl.opening = null;
    });
    ctrl.opening = opening;
    return opening;
  }

  /** Drops the node's session (if any) and opens a new one in the same widget. */
  reconnect(node: string): Promise<string | null> {
    const ctrl = this.controller(node);
    this.dropSession(ctrl);
    ctrl.opening = null;
    ctrl.status = 'idle';
    return this.open(node);
  }

  /** "Type into terminal": the text goes to the node's shell without Enter. */
  async typeInto(node: string, text: string): Promise<boolean> {
    const sessionId = await this.open(node);
    if (sessionId === null) return false;
    this.api.send('terminal.input', sessionId, text);
    this.controllers.get(node)?.view.focus();
    return true;
  }

  /** The lab's latest status: reconnects terminals whose node is running again after a stop. */
  onStatus(instance: LabInstanceStatus | null): void {
    this.instance = instance;
    for (const ctrl of this.controllers.values()) {
      if (ctrl.node === HOST_TERMINAL) continue;
      const node = instance?.nodes.find((n) => n.name === ctrl.node);
      if (node?.state !== 'running') {
        ctrl.sawNodeDown = true;
        continue;
      }
      const ended = ctrl.status === 'exited' || ctrl.status === 'error';
      const restarted =
        ctrl.sawNodeDown || (ctrl.containerId !== null && ctrl.containerId !== node.containerId);
      if (ended && restarted) {
        ctrl.view.write(notice(`${ctrl.node} is running again: reconnecting`));
        void this.reconnect(ctrl.node);
      }
    }
  }

  /** The channel to the core was lost and is back: sessions may be gone, so open new ones. */
  onConnectionRestored(): void {
    for (const ctrl of this.controllers.values()) {
      if (ctrl.status !== 'open' && ctrl.status !== 'connecting') continue;
      ctrl.view.write(notice('connection to the lab server was lost: opening a new shell'));
      void this.reconnect(ctrl.node);
    }
  }

  text(node: string): string {
    return this.controllers.get(node)?.view.text() ?? '';
  }

  view(node: string): TerminalView | null {
    return this.controllers.get(node)?.view ?? null;
  }

  applyTheme(theme: Theme): void {
    for (const ctrl of this.controllers.values()) ctrl.view.setTheme(theme);
  }

  /** Closes every session and disposes every widget. */
  closeAll(): void {
    for (const ctrl of this.controllers.values()) this.disposeController(ctrl);
    this.controllers.clear();
    this.bySession.clear();
    this.early.clear();
    this.store.getState().clear();
  }

  /** Closes the lab's node terminals (the lab stopped, or another is shown); the host's stays. */
  closeLabTerminals(): void {
    for (const ctrl of this.controllers.values()) {
      if (ctrl.node === HOST_TERMINAL) continue;
      this.disposeController(ctrl);
      this.controllers.delete(ctrl.node);
    }
    this.store.getState().clear(this.controllers.has(HOST_TERMINAL) ? [HOST_TERMINAL] : []);
  }

  private disposeController(ctrl: Controller): void {
    ctrl.disposed = true;
    ctrl.generation++;
    this.dropSession(ctrl);
    ctrl.view.dispose();
  }

  private controller(node: string): Controller {
    const existing = this.controllers.get(node);
    if (existing) return existing;
    const labId = this.labId;
    if (labId === null && node !== HOST_TERMINAL) throw new Error('no lab selected for terminals');
    const ctrl: Controller = {
      labId: labId ?? '',
      node,
      view: this.createView(node),
      sessionId: null,
      status: 'idle',
      opening: null,
      generation: 0,
      acks: null,
      sentSize: null,
      containerId: null,
      sawNodeDown: false,
      disposed: false,
      pendingInput: [],
      pendingChars: 0,
    };
    ctrl.view.onInput((data) => {
      this.onInput(ctrl, data);
    });
    ctrl.view.onResize((size) => {
      this.sendResize(ctrl, size);
    });
    this.controllers.set(node, ctrl);
    this.publish(ctrl, { status: 'idle' });
    return ctrl;
  }

  private async doOpen(ctrl: Controller, generation: number): Promise<string | null> {
    const size = { cols: clampSize(ctrl.view.cols), rows: clampSize(ctrl.view.rows) };
    let sessionId: string;
    try {
      ({ sessionId } =
        ctrl.node === HOST_TERMINAL
          ? await this.api.request('terminal.openHost', size)
          : await this.api.request('terminal.open', { labId: ctrl.labId, node: ctrl.node, ...size }));
    } catch (error) {
      if (ctrl.disposed || ctrl.generation !== generation) return null;
      const info = toErrorInfo(error);
      ctrl.status = 'error';
      const typed = this.takePendingInput(ctrl).length;
      ctrl.view.write(notice(`could not open a shell on ${shellPlace(ctrl.node)}: ${info.message}`));
      if (typed > 0) ctrl.view.write(notice(`what you typed meanwhile (${typed} characters) was not sent`));
      this.publish(ctrl, { status: 'error', error: info, sessionId: null });
      return null;
    }
    if (ctrl.disposed || ctrl.generation !== generation) {
      // Superseded while opening (reconnect, lab switch): nobody will use this session.
      this.forget(sessionId);
      return null;
    }
    ctrl.sessionId = sessionId;
    ctrl.status = 'open';
    ctrl.sentSize = size;
    this.track(sessionId, true);
    ctrl.acks = new AckBatcher((bytes) => {
      this.api.send('terminal.ack', sessionId, bytes);
    });
    ctrl.containerId = this.instance?.nodes.find((n) => n.name === ctrl.node)?.containerId ?? null;
    this.bySession.set(sessionId, ctrl);
    this.publish(ctrl, { status: 'open', sessionId, error: null });
    this.flushEarly(sessionId, ctrl);
    // The pane may have changed size while the shell was starting (a no-op if it already exited).
    this.sendResize(ctrl, { cols: ctrl.view.cols, rows: ctrl.view.rows });
    // What was typed while connecting, unless the shell already ended (an exit held early).
    const typed = this.takePendingInput(ctrl);
    if (typed.length > 0 && isOpen(ctrl)) this.api.send('terminal.input', sessionId, typed);
    return sessionId;
  }

  private onInput(ctrl: Controller, data: string): void {
    if (ctrl.status === 'open' && ctrl.sessionId !== null) {
      this.api.send('terminal.input', ctrl.sessionId, data);
    } else if (ctrl.status === 'connecting') {
      // Bounded: past the limit the rest is dropped, as a terminal drops what overflows its buffer.
      if (ctrl.pendingChars + data.length > PENDING_INPUT_MAX_CHARS) return;
      ctrl.pendingInput.push(data);
      ctrl.pendingChars += data.length;
    } else if (ctrl.status === 'exited' && data === '\r') {
      void this.reconnect(ctrl.node);
    }
  }

  private takePendingInput(ctrl: Controller): string {
    const typed = ctrl.pendingInput.join('');
    ctrl.pendingInput = [];
    ctrl.pendingChars = 0;
    return typed;
  }

  private sendResize(ctrl: Controller, size: TerminalSize): void {
    if (ctrl.status !== 'open' || ctrl.sessionId === null) return;
    const cols = clampSize(size.cols);
    const rows = clampSize(size.rows);
    if (ctrl.sentSize?.cols === cols && ctrl.sentSize.rows === rows) return;
    ctrl.sentSize = { cols, rows };
    this.api.send('terminal.resize', ctrl.sessionId, cols, rows);
  }

  private write(ctrl: Controller, data: Uint8Array): void {
    const acks = ctrl.acks;
    ctrl.view.write(data, () => acks?.parsed(data.length));
  }

  private onData(sessionId: string, data: Uint8Array): void {
    const ctrl = this.bySession.get(sessionId);
    if (ctrl) {
      this.write(ctrl, data);
      return;
    }
    if (this.closed.has(sessionId)) return;
    const held = this.holdEarly(sessionId);
    held.chunks.push(data);
    held.bytes += data.length;
    while (held.bytes > EARLY_MAX_BYTES && held.chunks.length > 1) {
      const dropped = held.chunks.shift();
      held.bytes -= dropped?.length ?? 0;
      held.dropped += dropped?.length ?? 0;
    }
  }

  private onExit(sessionId: string, code: number | null, reason: string): void {
    const ctrl = this.bySession.get(sessionId);
    if (!ctrl) {
      if (!this.closed.has(sessionId)) this.holdEarly(sessionId).exit = { code, reason };
      return;
    }
    this.bySession.delete(sessionId);
    this.remember(sessionId);
    this.track(sessionId, false);
    ctrl.sessionId = null;
    ctrl.status = 'exited';
    ctrl.acks = null;
    ctrl.view.write(notice(`process exited: ${reason}`));
    ctrl.view.write('\x1b[2mpress Enter or Reconnect to open a new shell\x1b[0m\r\n');
    this.publish(ctrl, { status: 'exited', sessionId: null, exitCode: code, reason });
  }

  private holdEarly(sessionId: string): EarlyData {
    const now = this.now();
    for (const [id, held] of this.early) {
      if (now - held.at > EARLY_TTL_MS) this.early.delete(id);
    }
    let held = this.early.get(sessionId);
    if (!held) {
      held = { chunks: [], bytes: 0, dropped: 0, exit: null, at: now };
      this.early.set(sessionId, held);
    }
    return held;
  }

  private flushEarly(sessionId: string, ctrl: Controller): void {
    const held = this.early.get(sessionId);
    if (!held) return;
    this.early.delete(sessionId);
    if (held.dropped > 0) ctrl.acks?.parsed(held.dropped);
    for (const chunk of held.chunks) this.write(ctrl, chunk);
    if (held.exit) this.onExit(sessionId, held.exit.code, held.exit.reason);
  }

  private dropSession(ctrl: Controller): void {
    const sessionId = ctrl.sessionId;
    ctrl.generation++;
    ctrl.sessionId = null;
    ctrl.acks = null;
    ctrl.sentSize = null;
    if (sessionId === null) return;
    this.bySession.delete(sessionId);
    this.forget(sessionId);
  }

  /** Closes a session on the core and ignores whatever it still sends. */
  private forget(sessionId: string): void {
    this.remember(sessionId);
    this.track(sessionId, false);
    this.early.delete(sessionId);
    this.api.request('terminal.close', sessionId).catch(() => {
      // Already gone (it exited, or the lab stopped): nothing to close.
    });
  }

  private track(sessionId: string, open: boolean): void {
    const changed = open ? !this.live.has(sessionId) : this.live.has(sessionId);
    if (!changed) return;
    if (open) this.live.add(sessionId);
    else this.live.delete(sessionId);
    this.ledger.save([...this.live]);
  }

  private remember(sessionId: string): void {
    if (this.closed.size >= CLOSED_MEMORY) this.closed.clear();
    this.closed.add(sessionId);
  }

  private publish(ctrl: Controller, change: Parameters<ReturnType<StoreApi['getState']>['update']>[2]): void {
    if (ctrl.disposed) return;
    this.store.getState().update(ctrl.labId, ctrl.node, change);
  }
}
