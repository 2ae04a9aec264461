// LabApi over the browser-mode server. The page is served from the server's origin and the
// HttpOnly cookie set at `/?token=...` authenticates the socket, so no token appears here.
//
// Everything goes over one WebSocket at api/ws (relative to the page), because what a page opens
// (terminals, probes) belongs to its connection, an identity the server mints:
// - Requests: text frame {"type":"request",id,name,args}; the server answers
//   {"type":"result",id,result} with an ApiResult.
// - Sends: {"type":"send",name,args}. Events: {"type":"event",name,args}; terminal output comes as
//   binary frames (see frames.ts).
// - The server's first frame, {"type":"hello",resume}, carries a key; a reconnect presents it
//   and stays the same owner, so a network blip does not cost the page its terminals.
// - Before the socket first opens, sends (keystrokes typed at once) and requests wait in a
//   bounded queue. After a drop, the socket reconnects with backoff; requests wait for it for a
//   while, sends are dropped (an ack or a keystroke replayed much later would be wrong), and the
//   page shows a banner until it is back.
import type { ApiEvents, ApiRequests, ApiResult, ApiSends, EventName, LabApi } from '../../../shared/api.js';
import { EVENT_NAMES } from '../../../shared/api-names.js';
import type { ConnectionSource, ConnectionState } from './connection.js';
import { LabApiError } from './errors.js';
import { decodeBinaryFrame, parseTextFrame } from './frames.js';

/** The part of a WebSocket the client uses, so tests can pass a fake. */
export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((event: Event) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
}

export interface BrowserClientOptions {
  /** The page's URL; the socket is relative to it. */
  pageUrl?: string;
  createSocket?: (url: string) => SocketLike;
  /** Delay before reconnect attempt n (0-based), in ms. */
  backoff?: (attempt: number) => number;
  /** How long a request waits for the socket to open before it fails, in ms. */
  requestWaitMs?: number;
}

export interface BrowserClient extends LabApi {
  connection: ConnectionSource;
  /** Closes the socket for good (tests, page teardown). */
  dispose(): void;
}

const SOCKET_OPEN = 1;

/** Bounds of the queue of sends made before the socket first opened. */
export const SEND_QUEUE_LIMITS = { frames: 1024, chars: 1 << 20 } as const;
const DEFAULT_REQUEST_WAIT_MS = 15_000;

// Events the page accepts from text frames. terminal.data never comes as text: its bytes would
// have to be decoded and re-encoded, which is exactly what the binary frame avoids.
const TEXT_EVENTS = new Set<string>(EVENT_NAMES.filter((name) => name !== 'terminal.data'));

/** 0.5 s, 1 s, 2 s, ... up to 10 s, with jitter so that many pages do not reconnect in step. */
export function defaultBackoff(attempt: number): number {
  return Math.min(10_000, 500 * 2 ** attempt) + Math.floor(Math.random() * 250);
}

/** ws:// or wss:// for api/ws, matching the page's scheme, with the resume key once the server gave one. */
export function socketUrl(pageUrl: string, resume: string | null = null): string {
  const url = new URL('api/ws', pageUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = resume === null ? '' : `?resume=${encodeURIComponent(resume)}`;
  url.hash = '';
  return url.toString();
}

function isApiResult(value: unknown): value is ApiResult<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const result = value as Record<string, unknown>;
  if (result.ok === true) return 'value' in result;
  return result.ok === false && typeof result.error === 'object' && result.error !== null;
}

type AnyListener = (...args: unknown[]) => void;

interface PendingRequest {
  name: string;
  frame: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  /** Fails the request if the socket does not open in time; cleared once it is sent. */
  waitTimer: ReturnType<typeof setTimeout> | null;
  sent: boolean;
}

export function createBrowserClient(options: BrowserClientOptions = {}): BrowserClient {
  const pageUrl = options.pageUrl ?? document.baseURI;
  const createSocket = options.createSocket ?? ((url: string): SocketLike => new WebSocket(url));
  const backoff = options.backoff ?? defaultBackoff;
  const requestWaitMs = options.requestWaitMs ?? DEFAULT_REQUEST_WAIT_MS;

  const listeners = new Map<string, Set<AnyListener>>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = { status: 'connecting', attempt: 0, retryAt: null };
  let socket: SocketLike | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;
  let resumeKey: string | null = null;
  let everOpened = false;
  let nextRequestId = 1;
  const requests = new Map<number, PendingRequest>();
  const queuedSends: string[] = [];
  let queuedChars = 0;

  function setState(next: ConnectionState): void {
    state = next;
    for (const listener of connectionListeners) listener(state);
  }

  function emit(name: string, args: unknown[]): void {
    const set = listeners.get(name);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(...args);
      } catch (error) {
        // One view's failing listener must not starve the others of the event.
        console.error(`listener for ${name} failed`, error);
      }
    }
  }

  function settle(id: number, result: unknown): void {
    const pending = requests.get(id);
    if (!pending) return;
    requests.delete(id);
    if (!isApiResult(result)) {
      pending.reject(
        new LabApiError(`The lab server answered ${pending.name} with something that is not a result`),
      );
    } else if (result.ok) {
      pending.resolve(result.value);
    } else {
      pending.reject(LabApiError.from(result.error));
    }
  }

  function onMessage(data: unknown): void {
    if (typeof data === 'string') {
      const frame = parseTextFrame(data);
      if (frame?.type === 'event' && TEXT_EVENTS.has(frame.name)) emit(frame.name, frame.args);
      else if (frame?.type === 'hello') resumeKey = frame.resume;
      else if (frame?.type === 'result') settle(frame.id, frame.result);
      return;
    }
    if (data instanceof ArrayBuffer || data instanceof Uint8Array) {
      const frame = decodeBinaryFrame(data);
      if (frame) emit('terminal.data', [frame.sessionId, frame.data]);
    }
  }

  /** Sends what waited for the socket: the first connect's sends in order, then waiting requests. */
  function flush(ws: SocketLike): void {
    for (const frame of queuedSends.splice(0)) ws.send(frame);
    queuedChars = 0;
    for (const pending of requests.values()) {
      if (pending.sent) continue;
      if (pending.waitTimer !== null) clearTimeout(pending.waitTimer);
      pending.waitTimer = null;
      pending.sent = true;
      ws.send(pending.frame);
    }
  }

  /** The socket went: requests already sent get no answer on a new one. */
  function failSentRequests(): void {
    for (const [id, pending] of requests) {
      if (!pending.sent) continue;
      requests.delete(id);
      pending.reject(
        new LabApiError(`The connection to the lab server dropped during ${pending.name}`, {
          hint: 'It may have finished anyway: the page shows the lab as it is once the connection is back.',
        }),
      );
    }
  }

  function scheduleReconnect(): void {
    if (disposed || retryTimer !== null) return;
    const delay = backoff(state.attempt);
    setState({ status: 'reconnecting', attempt: state.attempt + 1, retryAt: Date.now() + delay });
    retryTimer = setTimeout(() => {
      retryTimer = null;
      connect();
    }, delay);
  }

  function connect(): void {
    if (disposed) return;
    let ws: SocketLike;
    try {
      ws = createSocket(socketUrl(pageUrl, resumeKey));
    } catch {
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      if (socket !== ws) return;
      everOpened = true;
      setState({ status: 'open', attempt: 0, retryAt: null });
      flush(ws);
    };
    ws.onmessage = (event) => {
      if (socket === ws) onMessage(event.data as unknown);
    };
    // A failed connect fires error then close; reconnecting on close alone covers both.
    ws.onerror = () => undefined;
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      failSentRequests();
      scheduleReconnect();
    };
  }

  function request<N extends keyof ApiRequests>(
    name: N,
    ...args: ApiRequests[N]['args']
  ): Promise<ApiRequests[N]['result']> {
    if (disposed) return Promise.reject(new LabApiError(`The page is closing (${name})`));
    const id = nextRequestId++;
    return new Promise<ApiRequests[N]['result']>((resolve, reject) => {
      const pending: PendingRequest = {
        name,
        frame: JSON.stringify({ type: 'request', id, name, args }),
        resolve: resolve as (value: unknown) => void,
        reject,
        waitTimer: null,
        sent: false,
      };
      requests.set(id, pending);
      if (socket?.readyState === SOCKET_OPEN) {
        pending.sent = true;
        socket.send(pending.frame);
        return;
      }
      pending.waitTimer = setTimeout(() => {
        requests.delete(id);
        reject(
          new LabApiError(`The lab server cannot be reached (${name})`, {
            hint: 'Is lvs-lab still running? Reload the page once it is.',
          }),
        );
      }, requestWaitMs);
    });
  }

  function send<N extends keyof ApiSends>(name: N, ...args: ApiSends[N]): void {
    const frame = JSON.stringify({ type: 'send', name, args });
    if (socket?.readyState === SOCKET_OPEN) {
      socket.send(frame);
      return;
    }
    // Only before the first open: what the user typed while the page was still connecting.
    if (everOpened || disposed) return;
    if (
      queuedSends.length >= SEND_QUEUE_LIMITS.frames ||
      queuedChars + frame.length > SEND_QUEUE_LIMITS.chars
    )
      return;
    queuedSends.push(frame);
    queuedChars += frame.length;
  }
  function on<N extends EventName>(name: N, listener: (...args: ApiEvents[N]) => void): () => void {
    let set = listeners.get(name);
    if (!set) {
      set = new Set();
      listeners.set(name, set);
    }
    const stored = listener as AnyListener;
    set.add(stored);
    return () => {
      listeners.get(name)?.delete(stored);
    };
  }

  const connection: ConnectionSource = {
    get: () => state,
    subscribe(listener) {
      connectionListeners.add(listener);
      return () => {
        connectionListeners.delete(listener);
      };
    },
    retryNow() {
      if (state.status !== 'reconnecting' || retryTimer === null) return;
      clearTimeout(retryTimer);
      retryTimer = null;
      connect();
    },
  };

  connect();

  return {
    request,
    send,
    on,
    connection,
    dispose() {
      disposed = true;
      for (const pending of requests.values()) {
        if (pending.waitTimer !== null) clearTimeout(pending.waitTimer);
        pending.reject(new LabApiError(`The page is closing (${pending.name})`));
      }
      requests.clear();
      if (retryTimer !== null) clearTimeout(retryTimer);
      const ws = socket;
      socket = null;
      ws?.close();
    },
  };
}
