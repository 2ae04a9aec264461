// Browser mode: the same renderer and the same API over HTTP and one WebSocket, on 127.0.0.1
// only, behind a random token. The token comes in once, in the address `lvs-lab serve` prints;
// the server turns it into an HttpOnly, SameSite=Strict cookie and redirects to a clean URL.
// Every request without the token is refused, and Host and Origin are checked so that neither
// a web page nor a DNS-rebinding name can reach the API.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiEvents, EventName } from '../../shared/api.js';
import type { ApiHandler, EventSink, EventTarget } from '../core/api/handler.js';

/** The owner of calls that name no tab (scripts using the bearer token). */
export const BROWSER_OWNER = 'browser';
/** Each page load names itself (header on requests, ?tab= on its socket): its terminals and probes are its own. */
const TAB_HEADER = 'x-lvslab-tab';
const TAB_ID = /^[A-Za-z0-9-]{8,64}$/;
/** How long a tab's socket may be gone (a network blip) before its terminals and probes are closed. */
const DISCONNECT_GRACE_MS = 5_000;
/** Sent as a header too: frame-ancestors works only there. Same policy as renderer/index.html. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const MAX_BODY_BYTES = 1_000_000;
const COOKIE = 'lvslab_token';
/** Binary frame type for terminal data: [1][id length][id][bytes]. */
const FRAME_TERMINAL_DATA = 1;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

export interface BrowserServerOptions {
  /** The built renderer (out/renderer). */
  staticDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Builds the API handler once the server knows how to deliver events. */
  createHandler: (emit: EventSink) => ApiHandler;
}

export class BrowserServer {
  readonly token = randomBytes(24).toString('base64url');
  private readonly server: http.Server;
  private readonly sockets = new WebSocketServer({ noServer: true, maxPayload: 2_000_000 });
  private readonly handler: ApiHandler;
  private port = 0;
  /** Open sockets per owner (one per tab, more during a reconnect). */
  private readonly owners = new Map<string, Set<WebSocket>>();
  private readonly disconnectTimers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly options: BrowserServerOptions) {
    this.handler = options.createHandler((target, name, ...args) => {
      this.deliver(target, name, args);
    });
    this.server = http.createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => {
        if (!res.headersSent) send(res, 500, 'text/plain', `internal error: ${String(error)}`);
      });
    });
    this.server.on('upgrade', (req, socket, head) => {
      if (!this.trusted(req) || new URL(req.url ?? '/', 'http://x').pathname !== '/api/ws') {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
        return;
      }
      const tab = new URL(req.url ?? '/', 'http://x').searchParams.get('tab');
      this.sockets.handleUpgrade(req, socket, head, (ws) => {
        this.connected(ws, tab !== null && TAB_ID.test(tab) ? `tab:${tab}` : BROWSER_OWNER);
      });
    });
  }

  async listen(): Promise<{ url: string; port: number }> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, '127.0.0.1', () => {
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    return { url: `http://127.0.0.1:${this.port}/?token=${this.token}`, port: this.port };
  }

  async close(): Promise<void> {
    for (const timer of this.disconnectTimers.values()) clearTimeout(timer);
    for (const ws of this.sockets.clients) ws.terminate();
    await this.handler.shutdown();
    await new Promise<void>((resolve) =>
      this.server.close(() => {
        resolve();
      }),
    );
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    if (!this.hostAllowed(req)) {
      send(res, 403, 'text/plain', 'LVS Lab answers only on 127.0.0.1 and localhost');
      return;
    }
    const offered = url.searchParams.get('token');
    if (offered !== null) {
      if (!this.tokenMatches(offered)) {
        send(res, 403, 'text/plain', 'LVS Lab: wrong token');
        return;
      }
      url.searchParams.delete('token');
      res.writeHead(303, {
        'Set-Cookie': `${COOKIE}=${this.token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: `${url.pathname}${url.search}`,
        'Cache-Control': 'no-store',
      });
      res.end();
      return;
    }
    if (!this.trusted(req)) {
      send(
        res,
        403,
        'text/plain',
        'LVS Lab: open the address that `lvs-lab serve` printed; it carries the access token',
      );
      return;
    }
    if (url.pathname.startsWith('/api/request/')) {
      if (req.method !== 'POST') {
        send(res, 405, 'text/plain', 'POST only');
        return;
      }
      const name = decodeURIComponent(url.pathname.slice('/api/request/'.length));
      const body = await readBody(req);
      let args: unknown = [];
      try {
        args = (JSON.parse(body || '{}') as { args?: unknown }).args ?? [];
      } catch {
        send(
          res,
          400,
          'application/json',
          JSON.stringify({ ok: false, error: { message: 'the request body is not JSON' } }),
        );
        return;
      }
      const tab = req.headers[TAB_HEADER];
      const owner = typeof tab === 'string' && TAB_ID.test(tab) ? `tab:${tab}` : BROWSER_OWNER;
      const result = await this.handler.request(owner, name, args);
      send(res, 200, 'application/json', JSON.stringify(result));
      return;
    }
    return this.serveStatic(url.pathname, res);
  }

  private async serveStatic(pathname: string, res: http.ServerResponse): Promise<void> {
    const root = path.resolve(this.options.staticDir);
    const wanted = path.resolve(root, `.${decodeURIComponent(pathname)}`);
    // Never outside the renderer's folder; anything unknown gets the app (it routes itself).
    let file = wanted.startsWith(root + path.sep) ? wanted : path.join(root, 'index.html');
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) file = path.join(root, 'index.html');
    const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, {
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'Content-Type': type,
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    createReadStream(file).pipe(res);
  }

  private connected(ws: WebSocket, owner: string): void {
    clearTimeout(this.disconnectTimers.get(owner));
    this.disconnectTimers.delete(owner);
    const sockets = this.owners.get(owner) ?? new Set<WebSocket>();
    sockets.add(ws);
    this.owners.set(owner, sockets);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      try {
        const text = Buffer.isBuffer(data) ? data.toString('utf8') : '';
        const message = JSON.parse(text) as { type?: string; name?: string; args?: unknown };
        if (message.type === 'send' && typeof message.name === 'string') {
          this.handler.send(owner, message.name, message.args);
        }
      } catch {
        // A malformed frame from the page is dropped, like an invalid send.
      }
    });
    ws.on('close', () => {
      sockets.delete(ws);
      if (sockets.size > 0) return;
      // The tab is gone (closed, or reloaded: a reload is a new tab); a blip comes back in time.
      const timer = setTimeout(() => {
        this.disconnectTimers.delete(owner);
        if ((this.owners.get(owner)?.size ?? 0) > 0) return;
        this.owners.delete(owner);
        void this.handler.disconnect(owner);
      }, DISCONNECT_GRACE_MS);
      this.disconnectTimers.set(owner, timer);
    });
  }

  private deliver<N extends EventName>(target: EventTarget, name: N, args: ApiEvents[N]): void {
    let frame: Buffer | string;
    if (name === 'terminal.data') {
      const [sessionId, bytes] = args as ApiEvents['terminal.data'];
      const id = Buffer.from(sessionId, 'ascii');
      const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      frame = Buffer.concat([Buffer.from([FRAME_TERMINAL_DATA, id.length]), id, data]);
    } else {
      frame = JSON.stringify({ type: 'event', name, args });
    }
    const sockets = target === 'all' ? this.sockets.clients : (this.owners.get(target.owner) ?? []);
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(frame);
  }

  private hostAllowed(req: http.IncomingMessage): boolean {
    return req.headers.host === `127.0.0.1:${this.port}` || req.headers.host === `localhost:${this.port}`;
  }

  /** The token (cookie or bearer header), a local Host, and a same-origin Origin when one is sent. */
  private trusted(req: http.IncomingMessage): boolean {
    if (!this.hostAllowed(req)) return false;
    const origin = req.headers.origin;
    if (
      origin !== undefined &&
      origin !== `http://127.0.0.1:${this.port}` &&
      origin !== `http://localhost:${this.port}`
    )
      return false;
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const cookie = parseCookies(req.headers.cookie)[COOKIE];
    return [bearer, cookie].some((t) => t !== undefined && this.tokenMatches(t));
  }

  private tokenMatches(candidate: string): boolean {
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key) out[key] = value.join('=');
  }
  return out;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(body);
}
