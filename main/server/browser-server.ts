// Browser mode: the same renderer and the same API over HTTP and one WebSocket, on 127.0.0.1
// only, behind a random token. The token comes in once, in the address `lvs-lab serve` prints;
// the server turns it into an HttpOnly, SameSite=Strict cookie and redirects to a clean URL.
// Every request without the token is refused, and Host and Origin are checked so that neither
// a web page nor a DNS-rebinding name can reach the API.
//
// The page makes its requests over its WebSocket, and whatever it opens (terminals, probes)
// belongs to that connection: the owner is an identity the server mints when the socket
// connects, never a name the page chooses. A socket that drops can come back as the same owner
// with the resume key the server sent it at first (random, known only to that page).
// Plain HTTP requests (scripts with the bearer token) have an owner of their own.
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiEvents, EventName } from '../../shared/api.js';
import type { ApiHandler, EventSink, EventTarget } from '../core/api/handler.js';

/** The owner of plain HTTP requests (scripts using the bearer token). */
export const BROWSER_OWNER = 'browser';
/** How long a tab's socket may be gone (a network blip) before its terminals and probes are closed. */
const DISCONNECT_GRACE_MS = 5_000;
/** Sent as a header too: frame-ancestors works only there. Same policy as renderer/index.html. */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
/** The largest request: an uploaded lab bundle (4 MiB, base64-encoded) with room for its JSON. */
const MAX_BODY_BYTES = 6_500_000;
/** Cookies are shared by every port of a host: each server's cookie carries its port in its name,
 * so that two `serve` processes never overwrite each other's. */
const COOKIE_PREFIX = 'lvslab_token_';
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
  /** Resume key → owner, and back, for each tab whose sessions are alive. */
  private readonly resumeKeys = new Map<string, string>();
  private readonly keyOfOwner = new Map<string, string>();

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
      const resume = new URL(req.url ?? '/', 'http://x').searchParams.get('resume');
      this.sockets.handleUpgrade(req, socket, head, (ws) => {
        this.connected(ws, this.ownerFor(resume));
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
        'Set-Cookie': `${this.cookieName()}=${this.token}; HttpOnly; SameSite=Strict; Path=/`,
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
      const name = decodePath(url.pathname.slice('/api/request/'.length));
      if (name === null) {
        send(res, 400, 'text/plain', 'LVS Lab: the address has a malformed % escape');
        return;
      }
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
      const result = await this.handler.request(BROWSER_OWNER, name, args);
      send(res, 200, 'application/json', JSON.stringify(result));
      return;
    }
    return this.serveStatic(url.pathname, res);
  }

  private async serveStatic(pathname: string, res: http.ServerResponse): Promise<void> {
    const decoded = decodePath(pathname);
    if (decoded === null) {
      send(res, 400, 'text/plain', 'LVS Lab: the address has a malformed % escape');
      return;
    }
    const root = path.resolve(this.options.staticDir);
    const wanted = path.resolve(root, `.${decoded}`);
    // Never outside the renderer's folder; anything unknown gets the app (it routes itself).
    let file = wanted.startsWith(root + path.sep) ? wanted : path.join(root, 'index.html');
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) file = path.join(root, 'index.html');
    const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
    // Read whole before answering (the renderer's files are small), so that a read error is a
    // clean 500 and never a half-sent page or an unhandled stream error.
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch (error) {
      send(
        res,
        500,
        'text/plain',
        `LVS Lab could not read ${path.relative(root, file)}: ${(error as Error).message}`,
      );
      return;
    }
    res.writeHead(200, {
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'Content-Type': type,
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    res.end(body);
  }

  /** The owner a resume key names, or a new owner with a new key. */
  private ownerFor(resume: string | null): string {
    const known = resume === null ? undefined : this.resumeKeys.get(resume);
    if (known !== undefined) return known;
    const owner = `tab:${randomUUID()}`;
    const key = randomBytes(24).toString('base64url');
    this.resumeKeys.set(key, owner);
    this.keyOfOwner.set(owner, key);
    return owner;
  }

  private forgetOwner(owner: string): void {
    const key = this.keyOfOwner.get(owner);
    if (key !== undefined) this.resumeKeys.delete(key);
    this.keyOfOwner.delete(owner);
    this.owners.delete(owner);
  }

  private connected(ws: WebSocket, owner: string): void {
    clearTimeout(this.disconnectTimers.get(owner));
    this.disconnectTimers.delete(owner);
    const sockets = this.owners.get(owner) ?? new Set<WebSocket>();
    sockets.add(ws);
    this.owners.set(owner, sockets);
    ws.send(JSON.stringify({ type: 'hello', resume: this.keyOfOwner.get(owner) }));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let message: { type?: unknown; id?: unknown; name?: unknown; args?: unknown };
      try {
        message = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : '') as typeof message;
      } catch {
        // A malformed frame from the page is dropped, like an invalid send.
        return;
      }
      if (typeof message.name !== 'string') return;
      if (message.type === 'send') {
        this.handler.send(owner, message.name, message.args);
      } else if (message.type === 'request' && Number.isSafeInteger(message.id)) {
        const id = message.id as number;
        void this.handler.request(owner, message.name, message.args ?? []).then((result) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'result', id, result }));
        });
      }
    });
    ws.on('close', () => {
      sockets.delete(ws);
      if (sockets.size > 0) return;
      // The tab is gone (closed, or reloaded: a reload is a new tab); a blip comes back in time.
      const timer = setTimeout(() => {
        this.disconnectTimers.delete(owner);
        if ((this.owners.get(owner)?.size ?? 0) > 0) return;
        this.forgetOwner(owner);
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
    const cookie = parseCookies(req.headers.cookie)[this.cookieName()];
    return [bearer, cookie].some((t) => t !== undefined && this.tokenMatches(t));
  }

  private cookieName(): string {
    return `${COOKIE_PREFIX}${this.port}`;
  }

  private tokenMatches(candidate: string): boolean {
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}

/** A path with its % escapes decoded, or null when an escape is malformed. */
function decodePath(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
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
