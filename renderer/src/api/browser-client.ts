// LabApi over the browser-mode server. The page is served from the server's origin and the
// HttpOnly cookie set at `/?token=...` authenticates both channels, so no token appears here.
//
// - Requests: POST api/request/<name> with JSON {args}; the answer is an ApiResult.
// - Events and sends: one WebSocket at api/ws (relative to the page). Text frames are JSON
//   {"type":"event",name,args} from the server and {"type":"send",name,args} from the page;
//   terminal output arrives as binary frames (see frames.ts).
// - The socket reconnects with backoff; sends made while it is down are dropped (an ack or a
//   keystroke replayed later would be wrong), and the page shows a banner until it is back.
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
  /** The page's URL; requests and the socket are relative to it. */
  pageUrl?: string;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  createSocket?: (url: string) => SocketLike;
  /** Delay before reconnect attempt n (0-based), in ms. */
  backoff?: (attempt: number) => number;
  /** This page's identity towards the server: its terminals and probes are routed to it alone. */
  tabId?: string;
}

export interface BrowserClient extends LabApi {
  connection: ConnectionSource;
  /** Closes the socket for good (tests, page teardown). */
  dispose(): void;
}

const SOCKET_OPEN = 1;

// Events the page accepts from text frames. terminal.data never comes as text: its bytes would
// have to be decoded and re-encoded, which is exactly what the binary frame avoids.
const TEXT_EVENTS = new Set<string>(EVENT_NAMES.filter((name) => name !== 'terminal.data'));

/** 0.5 s, 1 s, 2 s, ... up to 10 s, with jitter so that many pages do not reconnect in step. */
export function defaultBackoff(attempt: number): number {
  return Math.min(10_000, 500 * 2 ** attempt) + Math.floor(Math.random() * 250);
}

/** ws:// or wss:// for api/ws, matching the page's scheme, naming this tab. */
export function socketUrl(pageUrl: string, tabId: string): string {
  const url = new URL('api/ws', pageUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = `?tab=${encodeURIComponent(tabId)}`;
  url.hash = '';
  return url.toString();
}

/** The header that names the tab on every request, so that what it opens is routed to it. */
export const TAB_HEADER = 'x-lvslab-tab';

function isApiResult(value: unknown): value is ApiResult<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const result = value as Record<string, unknown>;
  if (result.ok === true) return 'value' in result;
  return result.ok === false && typeof result.error === 'object' && result.error !== null;
}

function failureHint(status: number): string | undefined {
  if (status === 401 || status === 403)
    return 'The session cookie is missing or expired: open the address with ?token=... that lvs-lab printed.';
  return undefined;
}

type AnyListener = (...args: unknown[]) => void;

export function createBrowserClient(options: BrowserClientOptions = {}): BrowserClient {
  const pageUrl = options.pageUrl ?? document.baseURI;
  const doFetch = options.fetch ?? ((url: string, init: RequestInit) => fetch(url, init));
  const createSocket = options.createSocket ?? ((url: string): SocketLike => new WebSocket(url));
  const backoff = options.backoff ?? defaultBackoff;
  // A new id per page load: a reloaded page is a new tab, and the server closes the old one's
  // terminals when its socket goes.
  const tabId = options.tabId ?? crypto.randomUUID();

  const listeners = new Map<string, Set<AnyListener>>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = { status: 'connecting', attempt: 0, retryAt: null };
  let socket: SocketLike | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;

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

  function onMessage(data: unknown): void {
    if (typeof data === 'string') {
      const frame = parseTextFrame(data);
      if (frame && TEXT_EVENTS.has(frame.name)) emit(frame.name, frame.args);
      return;
    }
    if (data instanceof ArrayBuffer || data instanceof Uint8Array) {
      const frame = decodeBinaryFrame(data);
      if (frame) emit('terminal.data', [frame.sessionId, frame.data]);
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
      ws = createSocket(socketUrl(pageUrl, tabId));
    } catch {
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      if (socket !== ws) return;
      setState({ status: 'open', attempt: 0, retryAt: null });
    };
    ws.onmessage = (event) => {
      if (socket === ws) onMessage(event.data as unknown);
    };
    // A failed connect fires error then close; reconnecting on close alone covers both.
    ws.onerror = () => undefined;
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      scheduleReconnect();
    };
  }

  async function request<N extends keyof ApiRequests>(
    name: N,
    ...args: ApiRequests[N]['args']
  ): Promise<ApiRequests[N]['result']> {
    let response: Response;
    try {
      response = await doFetch(new URL('api/request/' + name, pageUrl).toString(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TAB_HEADER]: tabId },
        body: JSON.stringify({ args }),
        credentials: 'same-origin',
      });
    } catch {
      throw new LabApiError(`The lab server cannot be reached (${name})`, {
        hint: 'Is lvs-lab still running? Reload the page once it is.',
      });
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new LabApiError(`The lab server answered ${response.status} to ${name} without a result`, {
        hint: failureHint(response.status),
      });
    }
    if (!isApiResult(body)) {
      throw new LabApiError(`The lab server answered ${name} with something that is not a result`, {
        hint: failureHint(response.status),
      });
    }
    if (!body.ok) throw LabApiError.from(body.error);
    return body.value as ApiRequests[N]['result'];
  }

  function send<N extends keyof ApiSends>(name: N, ...args: ApiSends[N]): void {
    if (socket?.readyState !== SOCKET_OPEN) return;
    socket.send(JSON.stringify({ type: 'send', name, args }));
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
      if (retryTimer !== null) clearTimeout(retryTimer);
      const ws = socket;
      socket = null;
      ws?.close();
    },
  };
}
