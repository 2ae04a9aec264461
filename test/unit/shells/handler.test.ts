// The API handler's own logic: argument validation, error envelopes, routing of sends and of
// disconnects. The core calls behind it are tested on a real engine in the Docker tier.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import {
  ApiHandler,
  toApiError,
  type ProbeBackend,
  type TerminalBackend,
} from '../../../main/core/api/handler.js';
import { LabService } from '../../../main/core/lab-service.js';
import { defaultPaths } from '../../../main/core/paths.js';
import { LabError } from '../../../main/core/runtime/lab-runtime.js';
import { LabLoadError } from '../../../main/core/lab/loader.js';

const root = path.resolve(import.meta.dirname, '../../..');

function setup() {
  const calls: string[] = [];
  const terminals: TerminalBackend = {
    open: (owner, args) => {
      calls.push(`open ${owner} ${args.node} ${args.cols}x${args.rows}`);
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
    start: () => Promise.resolve({ probeId: 'p1' }),
    stop: () => Promise.resolve(),
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
    expect(toApiError(Object.assign(new Error('connect ENOENT'), { code: 'ENOENT' }))).toMatchObject({
      message: 'the Docker Engine is not running',
    });
  });
});
