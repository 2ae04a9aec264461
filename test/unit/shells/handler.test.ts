// The API handler's own logic: argument validation, error envelopes, routing of sends and of
// disconnects. The core calls behind it are tested on a real engine in the Docker tier.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { ENGINE_PROGRESS_ID, type EngineInfo } from '../../../shared/engine.js';
import {
  ApiHandler,
  toApiError,
  type EngineControl,
  type ProbeBackend,
  type TerminalBackend,
} from '../../../main/core/api/handler.js';
import { LabService } from '../../../main/core/lab-service.js';
import { defaultPaths } from '../../../main/core/paths.js';
import { LabError } from '../../../main/core/errors.js';
import { LabLoadError } from '../../../main/core/lab/loader.js';

const root = path.resolve(import.meta.dirname, '../../..');

function setup() {
  const calls: string[] = [];
  // Session s1 and probe p1 belong to caller w1.
  const terminals: TerminalBackend = {
    ownerOf: (id) => (id === 's1' ? 'w1' : undefined),
    open: (owner, args) => {
      calls.push(`open ${owner} ${args.node} ${args.cols}x${args.rows}`);
      return Promise.resolve({ sessionId: 's1' });
    },
    openHost: (owner, size) => {
      calls.push(`openHost ${owner} ${size.cols}x${size.rows}`);
      return Promise.resolve({ sessionId: 's1' });
    },
    input: (id, data) => calls.push(`input ${id} ${JSON.stringify(data)}`),
    resize: (id, c, r) => calls.push(`resize ${id} ${c}x${r}`),
    ack: (id, n) => calls.push(`ack ${id} ${n}`),
    close: (id) => {
      calls.push(`close ${id}`);
      return Promise.resolve();
    },
    closeOwner: (owner) => {
      calls.push(`closeOwner ${owner}`);
      return Promise.resolve();
    },
    closeLab: () => Promise.resolve(),
    closeAll: () => {
      calls.push('closeAll');
      return Promise.resolve();
    },
  };
  const probes: ProbeBackend = {
    ownerOf: (id) => (id === 'p1' ? 'w1' : undefined),
    start: () => Promise.resolve({ probeId: 'p1' }),
    stop: (id) => {
      calls.push(`stop ${id}`);
      return Promise.resolve();
    },
    stopOwner: (owner) => {
      calls.push(`stopOwner ${owner}`);
      return Promise.resolve();
    },
    stopLab: () => Promise.resolve(),
    stopAll: () => {
      calls.push('stopAll');
      return Promise.resolve();
    },
  };
  // An engine address where nothing listens: no call in these tests reaches Docker.
  const service = new LabService(
    { ...defaultPaths(root), stateDir: mkdtempSync(path.join(os.tmpdir(), 'lvslab-h-')) },
    new Docker({ socketPath: '/nonexistent/docker.sock' }),
  );
  const handler = new ApiHandler(
    { service, terminals, probes, readIpvs: () => Promise.reject(new Error('unused')) },
    () => undefined,
  );
  return { handler, calls };
}

describe('requests', () => {
  it('runs a valid request and wraps its value', async () => {
    const { handler } = setup();
    const result = await handler.request('w1', 'labs.list', []);
    expect(result.ok).toBe(true);
    const ids = result.ok ? (result.value as { id: string }[]).map((l) => l.id) : [];
    expect(ids).toEqual(
      expect.arrayContaining(['tun-arptables', 'tun-cross-subnet', 'tun-sysctl', 'repro-arp-flux']),
    );
  });

  it('refuses an unknown request by name', async () => {
    const { handler } = setup();
    expect(await handler.request('w1', 'docker.exec', [])).toEqual({
      ok: false,
      error: { message: 'unknown request "docker.exec"' },
    });
  });

  it('refuses bad arguments before anything runs, saying which', async () => {
    const { handler, calls } = setup();
    const result = await handler.request('w1', 'terminal.open', [
      { labId: 'tun-arptables', node: '../etc', cols: 80, rows: 24 },
    ]);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error.message).toMatch(/^bad arguments for terminal.open: 0\.node: /);
    expect(calls).toEqual([]);
    const extra = await handler.request('w1', 'terminal.open', [
      { labId: 'tun-arptables', node: 'server1', cols: 80, rows: 24, image: 'x' },
    ]);
    expect(extra.ok).toBe(false);
    expect(await handler.request('w1', 'lab.up', ['tun-arptables', 'extra'])).toMatchObject({ ok: false });
  });

  it('passes the caller as the owner of what it opens', async () => {
    const { handler, calls } = setup();
    const result = await handler.request('window-7', 'terminal.open', [
      { labId: 'tun-arptables', node: 'server2', cols: 100, rows: 30 },
    ]);
    expect(result).toEqual({ ok: true, value: { sessionId: 's1' } });
    expect(calls).toEqual(['open window-7 server2 100x30']);
  });

  it('closes a terminal whose owner went while it was opening, and says so', async () => {
    const { handler, calls } = setup();
    const opening = handler.request('w1', 'terminal.open', [
      { labId: 'tun-arptables', node: 'server2', cols: 80, rows: 24 },
    ]);
    await handler.disconnect('w1');
    expect(await opening).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/has gone/) as string },
    });
    expect(calls).toEqual(['open w1 server2 80x24', 'closeOwner w1', 'stopOwner w1', 'close s1']);
    // The same owner coming back (an Electron window after a reload) opens as usual.
    expect(
      await handler.request('w1', 'terminal.open', [
        { labId: 'tun-arptables', node: 'server2', cols: 80, rows: 24 },
      ]),
    ).toMatchObject({ ok: true });
  });

  it('turns a failure into a message the page can show', async () => {
    const { handler } = setup();
    const result = await handler.request('w1', 'labs.get', ['no-such-lab']);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error.message).toMatch(/^no lab "no-such-lab" \(labs: tun-arptables/);
  });
});

describe('sends', () => {
  it('routes valid sends and drops invalid ones', () => {
    const { handler, calls } = setup();
    expect(handler.send('w1', 'terminal.input', ['s1', 'ls\r'])).toBe(true);
    expect(handler.send('w1', 'terminal.resize', ['s1', 120, 40])).toBe(true);
    expect(handler.send('w1', 'terminal.ack', ['s1', 5000])).toBe(true);
    expect(handler.send('w1', 'terminal.resize', ['s1', 0, 40])).toBe(false);
    expect(handler.send('w1', 'terminal.ack', ['s1', -1])).toBe(false);
    expect(handler.send('w1', 'terminal.input', ['s 1', 'x'])).toBe(false);
    expect(handler.send('w1', 'shell.exec', ['rm -rf /'])).toBe(false);
    expect(calls).toEqual(['input s1 "ls\\r"', 'resize s1 120x40', 'ack s1 5000']);
  });

  it("drops every send for another caller's session, and for a session nobody owns", () => {
    const { handler, calls } = setup();
    expect(handler.send('w2', 'terminal.input', ['s1', 'rm -rf /\r'])).toBe(false);
    expect(handler.send('w2', 'terminal.resize', ['s1', 120, 40])).toBe(false);
    expect(handler.send('w2', 'terminal.ack', ['s1', 5000])).toBe(false);
    expect(handler.send('w1', 'terminal.input', ['s9', 'x'])).toBe(false);
    expect(calls).toEqual([]);
    expect(handler.send('w1', 'terminal.input', ['s1', 'x'])).toBe(true);
    expect(calls).toEqual(['input s1 "x"']);
  });

  it("refuses to close another caller's terminal or stop its probe, with the same words as for an unknown id", async () => {
    const { handler, calls } = setup();
    const close = await handler.request('w2', 'terminal.close', ['s1']);
    const stop = await handler.request('w2', 'probe.stop', ['p1']);
    const unknown = await handler.request('w1', 'terminal.close', ['s9']);
    expect(close).toMatchObject({ ok: false, error: { message: 'no terminal session s1 of yours' } });
    expect(stop).toMatchObject({ ok: false, error: { message: 'no probe p1 of yours' } });
    expect(unknown).toMatchObject({ ok: false, error: { message: 'no terminal session s9 of yours' } });
    expect(calls).toEqual([]);
    expect(await handler.request('w1', 'terminal.close', ['s1'])).toEqual({ ok: true, value: null });
    expect(await handler.request('w1', 'probe.stop', ['p1'])).toEqual({ ok: true, value: null });
    expect(calls).toEqual(['close s1', 'stop p1']);
  });

  it('shutdown hangs up every shell and stops every probe', async () => {
    const { handler, calls } = setup();
    await handler.shutdown();
    expect(calls.sort()).toEqual(['closeAll', 'stopAll']);
  });

  it('a disconnect closes what the caller opened', async () => {
    const { handler, calls } = setup();
    await handler.disconnect('window-3');
    expect(calls.sort()).toEqual(['closeOwner window-3', 'stopOwner window-3']);
  });
});

describe('errors as the page sees them', () => {
  it('keeps a hint and a lab file’s issues', () => {
    expect(toApiError(new LabError('lab x is not running', 'start it'))).toEqual({
      message: 'lab x is not running',
      hint: 'start it',
    });
    const issue = { file: 'a.yaml', line: 3, column: 5, field: 'id', message: 'bad' };
    expect(toApiError(new LabLoadError([issue]))).toEqual({
      message: 'the lab file has errors',
      issues: [issue],
    });
  });

  it('"Docker Engine not running" only for a failed connection to the engine', () => {
    // What Node throws when the socket file is missing, or nobody listens on a tcp:// engine.
    const noSocket = Object.assign(new Error('connect ENOENT /var/run/docker.sock'), {
      code: 'ENOENT',
      syscall: 'connect',
      address: '/var/run/docker.sock',
    });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2375'), {
      code: 'ECONNREFUSED',
      syscall: 'connect',
      address: '127.0.0.1',
      port: 2375,
    });
    for (const error of [noSocket, refused]) {
      expect(toApiError(error)).toEqual({
        message: 'the Docker Engine is not running',
        hint: 'start it, then open the preflight view for details',
      });
    }
  });

  it('any other missing file keeps its own message, with its path', () => {
    const missing = Object.assign(
      new Error("ENOENT: no such file or directory, open '/opt/lvs-lab/lab-images/node/Dockerfile'"),
      { code: 'ENOENT', syscall: 'open', path: '/opt/lvs-lab/lab-images/node/Dockerfile' },
    );
    expect(toApiError(missing)).toEqual({
      message: "ENOENT: no such file or directory, open '/opt/lvs-lab/lab-images/node/Dockerfile'",
    });
    const scandir = Object.assign(new Error("ENOENT: no such file or directory, scandir '/nowhere/labs'"), {
      code: 'ENOENT',
      syscall: 'scandir',
      path: '/nowhere/labs',
    });
    expect(toApiError(scandir).message).toContain('/nowhere/labs');
  });
});

describe('engine requests', () => {
  /** A handler whose engine control records its calls and fails `use` when told. */
  function withEngines(failUse: string | null) {
    const events: { name: string; args: unknown[] }[] = [];
    const info: EngineInfo = {
      kind: 'builtin',
      choice: 'auto',
      kernel: 'Linux 6.1.176 (user-mode)',
      endpoint: 'unix:///tmp/engine/docker.sock',
      reason: "using LVS Lab's built-in kernel",
      builtin: { state: 'running', kernel: null, detail: null },
    };
    const engines: EngineControl = {
      info: () => Promise.resolve(info),
      endpoint: () => info.endpoint,
      use: (_choice, onProgress) => {
        onProgress({ phase: 'engine', name: 'boot', state: 'working' });
        return failUse === null ? Promise.resolve(info) : Promise.reject(new LabError(failUse));
      },
      stopBuiltin: () => Promise.resolve({ ...info, kind: 'host' }),
      logs: () => Promise.resolve('guest-init: booting'),
    };
    const service = new LabService(
      { ...defaultPaths(root), stateDir: mkdtempSync(path.join(os.tmpdir(), 'lvslab-h-')) },
      new Docker({ socketPath: '/nonexistent/docker.sock' }),
    );
    const none = () => Promise.resolve();
    const handler = new ApiHandler(
      {
        service,
        terminals: {
          ownerOf: () => undefined,
          open: () => Promise.reject(new Error('unused')),
          openHost: () => Promise.reject(new Error('unused')),
          input: () => undefined,
          resize: () => undefined,
          ack: () => undefined,
          close: none,
          closeOwner: none,
          closeLab: none,
          closeAll: none,
        },
        probes: {
          ownerOf: () => undefined,
          start: () => Promise.reject(new Error('unused')),
          stop: none,
          stopOwner: none,
          stopLab: none,
          stopAll: none,
        },
        readIpvs: () => Promise.reject(new Error('unused')),
        engines,
      },
      (_target, name, ...args) => {
        events.push({ name, args });
      },
    );
    return { handler, events };
  }

  it('a switch tells every window the new engine, with its progress under the engine id', async () => {
    const { handler, events } = withEngines(null);
    expect(await handler.request('w1', 'engine.use', ['builtin'])).toMatchObject({ ok: true });
    expect(events.map((e) => e.name)).toEqual(['progress', 'engine.changed']);
    expect(events[0]?.args[0]).toBe(ENGINE_PROGRESS_ID);
  });

  it('a failed switch ends its progress as failed for every window, and answers the error', async () => {
    const { handler, events } = withEngines('the built-in kernel needs /dev/net/tun');
    expect(await handler.request('w1', 'engine.use', ['builtin'])).toMatchObject({
      ok: false,
      error: { message: 'the built-in kernel needs /dev/net/tun' },
    });
    expect(events.map((e) => [e.name, (e.args[1] as { state?: string } | undefined)?.state])).toEqual([
      ['progress', 'working'],
      ['progress', 'failed'],
    ]);
  });

  it('refuses an engine it does not know, and works without engine control only for the rest', async () => {
    const { handler } = withEngines(null);
    expect(await handler.request('w1', 'engine.use', ['kvm'])).toMatchObject({ ok: false });
    const plain = setup().handler;
    expect(await plain.request('w1', 'engine.info', [])).toMatchObject({
      ok: false,
      error: { message: 'this shell of LVS Lab does not manage engines' },
    });
  });
});
