// Browser mode on a real engine: the server refuses everything without its token, refuses other
// hosts and origins, serves the API with the token, pushes events over its WebSocket, and
// carries a real terminal session end to end, owned by the connection that opened it.
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApiHandler } from '../../main/core/app.js';
import { BrowserServer } from '../../main/server/browser-server.js';
import { forceDown, labVariant, newService, repoRoot } from './helpers.js';

const service = newService();
let server: BrowserServer;
let base: string;
let token: string;
// Its own lab on its own subnet, so that nothing else on the engine is touched.
const labFile = labVariant('tun-arptables', 'servetest', [[/172\.25\.88\./g, '10.199.3.']]);

beforeAll(async () => {
  server = new BrowserServer({
    // The page source is enough to test serving; the built renderer is tested end to end.
    staticDir: `${repoRoot}/renderer`,
    createHandler: (emit) => createApiHandler(service.paths, emit, service),
  });
  const { url } = await server.listen();
  base = new URL(url).origin;
  token = server.token;
  await forceDown(service, 'servetest');
});

afterAll(async () => {
  await server.close();
  await forceDown(service, 'servetest');
});

const cookieName = () => `lvslab_token_${new URL(base).port}`;
const cookie = () => ({ cookie: `${cookieName()}=${token}` });

async function call(name: string, args: unknown[], headers: Record<string, string> = cookie()) {
  const res = await fetch(`${base}/api/request/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ args }),
  });
  return {
    status: res.status,
    body:
      res.status === 200
        ? ((await res.json()) as { ok: boolean; value?: unknown; error?: { message: string } })
        : await res.text(),
  };
}

describe('access', () => {
  it('refuses a request without the token, or with a wrong one', async () => {
    expect((await call('labs.list', [], {})).status).toBe(403);
    expect((await call('labs.list', [], { cookie: `${cookieName()}=guess` })).status).toBe(403);
    expect((await call('labs.list', [], { authorization: 'Bearer guess' })).status).toBe(403);
    expect((await fetch(`${base}/index.html`)).status).toBe(403);
    expect((await fetch(`${base}/?token=guess`)).status).toBe(403);
  });

  it('trades the token in the address for an HttpOnly SameSite cookie and a clean URL', async () => {
    const res = await fetch(`${base}/?token=${token}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    expect(res.headers.get('set-cookie')).toBe(`${cookieName()}=${token}; HttpOnly; SameSite=Strict; Path=/`);
  });

  it("scopes its cookie to its own port: a second server's cookie neither replaces nor opens this one", async () => {
    const second = new BrowserServer({
      staticDir: `${repoRoot}/renderer`,
      createHandler: (emit) => createApiHandler(service.paths, emit, service),
    });
    const { port } = await second.listen();
    try {
      const res = await fetch(`http://127.0.0.1:${port}/?token=${second.token}`, { redirect: 'manual' });
      const set = res.headers.get('set-cookie') ?? '';
      expect(set.split('=')[0]).toBe(`lvslab_token_${port}`);
      expect(set.split('=')[0]).not.toBe(cookieName());
      // A browser holds both cookies at once; each server reads its own.
      const both = { cookie: `${set.split(';')[0] ?? ''}; ${cookie().cookie}` };
      expect((await call('labs.list', [], both)).status).toBe(200);
      expect((await call('labs.list', [], { cookie: `${cookieName()}=${second.token}` })).status).toBe(403);
    } finally {
      await second.close();
    }
  });

  it('answers a malformed escape with 400 and a file it cannot read with 500, and keeps serving', async () => {
    expect((await fetch(`${base}/%E0%A4%A`, { headers: cookie() })).status).toBe(400);
    expect((await call('labs.%zz', [])).status).toBe(400);
    // A folder without the page: every read fails.
    const empty = new BrowserServer({
      staticDir: mkdtempSync(path.join(os.tmpdir(), 'lvslab-static-')),
      createHandler: (emit) => createApiHandler(service.paths, emit, service),
    });
    const { url } = await empty.listen();
    try {
      const origin = new URL(url).origin;
      const opened = await fetch(url, { redirect: 'manual' });
      const emptyCookie = { cookie: (opened.headers.get('set-cookie') ?? '').split(';')[0] ?? '' };
      const res = await fetch(`${origin}/`, { headers: emptyCookie });
      expect(res.status).toBe(500);
      expect(await res.text()).toMatch(/could not read index\.html/);
      expect((await fetch(`${origin}/`, { headers: emptyCookie })).status).toBe(500);
    } finally {
      await empty.close();
    }
    expect((await call('labs.list', [])).status).toBe(200);
  });

  it('refuses another origin and another host name even with the token', async () => {
    expect((await call('labs.list', [], { ...cookie(), origin: 'http://evil.example' })).status).toBe(403);
    // fetch() cannot set Host, as a rebinding page could not either; a raw request can.
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        `${base}/api/request/labs.list`,
        {
          method: 'POST',
          headers: {
            ...cookie(),
            host: `rebind.example:${new URL(base).port}`,
            'content-type': 'application/json',
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end('{"args":[]}');
    });
    expect(status).toBe(403);
  });

  it('refuses a WebSocket without the token', async () => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/ws`);
    const outcome = await new Promise<string>((resolve) => {
      ws.on('open', () => {
        resolve('open');
      });
      ws.on('error', (e) => {
        resolve(e.message);
      });
    });
    expect(outcome).toMatch(/403/);
  });

  it('serves the API and the page with the token', async () => {
    const list = await call('labs.list', []);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ ok: true });
    const page = await fetch(`${base}/`, { headers: cookie() });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/Content-Security-Policy/);
    // frame-ancestors works only as a header, so the policy is sent as one too.
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
  });

  it('answers bad arguments with an error, not a crash', async () => {
    const bad = await call('lab.up', [42]);
    expect(bad.body).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/^bad arguments for lab.up/) as string },
    });
  });
});

describe('a lab over the browser API', () => {
  /** A page's socket: requests over it, with the events and terminal bytes it received. */
  interface Tab {
    ws: WebSocket;
    events: { name: string; args: unknown[] }[];
    terminal: () => string;
    binaryFrames: () => number;
    request: (
      name: string,
      args: unknown[],
    ) => Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>;
    send: (name: string, args: unknown[]) => void;
  }

  async function connect(query = ''): Promise<Tab> {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/ws${query}`, {
      headers: { ...cookie(), origin: base },
    });
    const events: Tab['events'] = [];
    const results = new Map<number, (result: unknown) => void>();
    let bytes = Buffer.alloc(0);
    let frames = 0;
    ws.on('message', (data: Buffer, isBinary) => {
      if (isBinary) {
        expect(data[0]).toBe(1);
        frames++;
        bytes = Buffer.concat([bytes, data.subarray(2 + (data[1] ?? 0))]);
        return;
      }
      const frame = JSON.parse(data.toString()) as {
        type: string;
        id?: number;
        result?: unknown;
        name: string;
        args: unknown[];
      };
      if (frame.type === 'result') results.get(frame.id ?? -1)?.(frame.result);
      else events.push(frame);
    });
    await new Promise((resolve, reject) => {
      ws.on('open', resolve);
      ws.on('error', reject);
    });
    let nextId = 1;
    return {
      ws,
      events,
      terminal: () => bytes.toString('utf8'),
      binaryFrames: () => frames,
      request: (name, args) =>
        new Promise((resolve) => {
          const id = nextId++;
          results.set(id, resolve as (result: unknown) => void);
          ws.send(JSON.stringify({ type: 'request', id, name, args }));
        }),
      send: (name, args) => {
        ws.send(JSON.stringify({ type: 'send', name, args }));
      },
    };
  }

  async function until(what: () => boolean, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!what() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  }

  it('greets each socket with its own resume key, and a made-up key is a new owner', async () => {
    const a = await connect();
    const b = await connect('?resume=made-up-key');
    await until(() => a.events.length > 0 && b.events.length > 0, 2000);
    const keyA = (a.events[0] as unknown as { type: string; resume: string }).resume;
    const keyB = (b.events[0] as unknown as { type: string; resume: string }).resume;
    expect(keyA).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(keyB).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(keyB).not.toBe('made-up-key');
    expect(keyA).not.toBe(keyB);
    a.ws.close();
    b.ws.close();
  });

  it('starts a lab, opens a terminal for one tab, echoes to that tab only; another tab can neither type into it nor close it', async () => {
    const tab = await connect();
    // Another tab sees lab events, never this tab's terminal bytes.
    const other = await connect();

    const up = await tab.request('lab.up', [labFile.replace(/.*\//, '').replace('.yaml', '')]);
    // The variant lives in a temp folder, not in labs/: starting it by id is refused with the list.
    expect(up).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/^no lab "servetest"/) as string },
    });
    await service.up(labFile);

    const opened = await tab.request('terminal.open', [
      { labId: 'servetest', node: 'server2', cols: 100, rows: 30 },
    ]);
    expect(opened).toMatchObject({ ok: true });
    const { sessionId } = opened.value as { sessionId: string };
    tab.send('terminal.input', [sessionId, 'echo served-$((6*7))\r']);
    await until(() => tab.terminal().includes('served-42'));
    expect(tab.terminal()).toContain('served-42');

    // The other tab knows the session id (say it guessed it): its keystrokes go nowhere.
    other.send('terminal.input', [sessionId, 'echo intruder-$((6*7))\r']);
    other.send('terminal.resize', [sessionId, 20, 5]);
    tab.send('terminal.input', [sessionId, 'echo after-$((6*7))\r']);
    await until(() => tab.terminal().includes('after-42'));
    expect(tab.terminal()).toContain('after-42');
    expect(tab.terminal()).not.toContain('intruder');
    expect(await other.request('terminal.close', [sessionId])).toMatchObject({
      ok: false,
      error: { message: `no terminal session ${sessionId} of yours` },
    });
    // Nor can a script with the bearer token, which is an owner of its own.
    expect((await call('terminal.close', [sessionId])).body).toMatchObject({ ok: false });
    expect(other.binaryFrames()).toBe(0);

    const down = await tab.request('lab.down', ['servetest']);
    expect(down).toMatchObject({ ok: true, value: { containers: 4, networks: 1 } });
    await until(() => other.events.some((e) => e.name === 'lab.changed'));
    expect(tab.events.some((e) => e.name === 'lab.changed')).toBe(true);
    expect(other.events.some((e) => e.name === 'lab.changed')).toBe(true);
    expect(tab.events.some((e) => e.name === 'terminal.exit' && e.args[0] === sessionId)).toBe(true);
    expect(other.events.some((e) => e.name === 'terminal.exit')).toBe(false);
    tab.ws.close();
    other.ws.close();
  });
});
