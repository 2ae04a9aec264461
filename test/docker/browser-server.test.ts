// Browser mode on a real engine: the server refuses everything without its token, refuses other
// hosts and origins, serves the API with the token, pushes events over its WebSocket, and
// carries a real terminal session end to end.
import http from 'node:http';
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

const cookie = () => ({ cookie: `lvslab_token=${token}` });
const TAB = 'tab-0000-aaaa';
const OTHER_TAB = 'tab-0000-bbbb';

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
    expect((await call('labs.list', [], { cookie: 'lvslab_token=guess' })).status).toBe(403);
    expect((await call('labs.list', [], { authorization: 'Bearer guess' })).status).toBe(403);
    expect((await fetch(`${base}/index.html`)).status).toBe(403);
    expect((await fetch(`${base}/?token=guess`)).status).toBe(403);
  });

  it('trades the token in the address for an HttpOnly SameSite cookie and a clean URL', async () => {
    const res = await fetch(`${base}/?token=${token}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    expect(res.headers.get('set-cookie')).toBe(`lvslab_token=${token}; HttpOnly; SameSite=Strict; Path=/`);
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
  async function connect(tab: string): Promise<WebSocket> {
    const socket = new WebSocket(`${base.replace('http', 'ws')}/api/ws?tab=${tab}`, {
      headers: { ...cookie(), origin: base },
    });
    await new Promise((resolve, reject) => {
      socket.on('open', resolve);
      socket.on('error', reject);
    });
    return socket;
  }

  it('starts a lab, opens a terminal for one tab, echoes a command to that tab only, and stops the lab', async () => {
    const ws = await connect(TAB);
    // Another tab sees lab events, never this tab's terminal bytes.
    const other = await connect(OTHER_TAB);
    let otherBinary = 0;
    const otherEvents: string[] = [];
    other.on('message', (data: Buffer, isBinary) => {
      if (isBinary) otherBinary++;
      else otherEvents.push((JSON.parse(data.toString()) as { name: string }).name);
    });
    const events: { name: string; args: unknown[] }[] = [];
    let terminalBytes = Buffer.alloc(0);
    ws.on('message', (data: Buffer, isBinary) => {
      if (isBinary) {
        expect(data[0]).toBe(1);
        terminalBytes = Buffer.concat([terminalBytes, data.subarray(2 + (data[1] ?? 0))]);
      } else events.push(JSON.parse(data.toString()) as { name: string; args: unknown[] });
    });

    const up = await call('lab.up', [labFile.replace(/.*\//, '').replace('.yaml', '')]);
    // The variant lives in a temp folder, not in labs/: starting it by id is refused with the list.
    expect(up.body).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/^no lab "servetest"/) as string },
    });
    await service.up(labFile);

    const tabHeaders = { ...cookie(), 'x-lvslab-tab': TAB };
    const opened = await call(
      'terminal.open',
      [{ labId: 'servetest', node: 'server2', cols: 100, rows: 30 }],
      tabHeaders,
    );
    expect(opened.body).toMatchObject({ ok: true });
    const { sessionId } = (opened.body as { value: { sessionId: string } }).value;
    ws.send(
      JSON.stringify({ type: 'send', name: 'terminal.input', args: [sessionId, 'echo served-$((6*7))\r'] }),
    );
    const deadline = Date.now() + 10_000;
    while (!terminalBytes.toString('utf8').includes('served-42') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(terminalBytes.toString('utf8')).toContain('served-42');
    expect(otherBinary).toBe(0);

    const down = await call('lab.down', ['servetest'], tabHeaders);
    expect(down.body).toMatchObject({ ok: true, value: { containers: 4, networks: 1 } });
    expect(events.some((e) => e.name === 'lab.changed')).toBe(true);
    expect(otherEvents).toContain('lab.changed');
    expect(events.some((e) => e.name === 'terminal.exit' && e.args[0] === sessionId)).toBe(true);
    expect(otherEvents).not.toContain('terminal.exit');
    ws.close();
    other.close();
  });
});
