// The host terminal in the API: the shapes of its requests, the policy that keeps it off in
// browser mode unless asked, and the same ownership checks as a node's terminal.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { requestArgs } from '../../../shared/api.js';
import { REQUEST_NAMES } from '../../../shared/api-names.js';
import { ApiHandler, type ProbeBackend, type TerminalBackend } from '../../../main/core/api/handler.js';
import { LabService } from '../../../main/core/lab-service.js';
import { defaultPaths } from '../../../main/core/paths.js';
import { hostTerminalFeatures } from '../../../main/core/terminal/host-terminal-policy.js';

const root = path.resolve(import.meta.dirname, '../../..');

describe('request shapes', () => {
  it('terminal.openHost takes a size and nothing else', () => {
    const openHost = requestArgs['terminal.openHost'];
    expect(openHost.safeParse([{ cols: 120, rows: 40 }]).success).toBe(true);
    for (const bad of [
      [],
      [{ cols: 120 }],
      [{ cols: 0, rows: 40 }],
      [{ cols: 120, rows: 1001 }],
      [{ cols: 12.5, rows: 40 }],
      [{ cols: 120, rows: 40, shell: '/bin/dash' }],
      [{ cols: 120, rows: 40, cwd: '/' }],
      [{ cols: 120, rows: 40 }, 'extra'],
    ]) {
      expect(openHost.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('terminal.open still takes only a lab node, never the host', () => {
    const open = requestArgs['terminal.open'];
    expect(open.safeParse([{ labId: 'tun-arptables', node: 'server1', cols: 80, rows: 24 }]).success).toBe(
      true,
    );
    expect(open.safeParse([{ labId: 'tun-arptables', node: '@host', cols: 80, rows: 24 }]).success).toBe(
      false,
    );
    expect(open.safeParse([{ host: true, cols: 80, rows: 24 }]).success).toBe(false);
  });

  it('app.features takes no arguments, and both are API names', () => {
    expect(requestArgs['app.features'].safeParse([]).success).toBe(true);
    expect(requestArgs['app.features'].safeParse([{}]).success).toBe(false);
    expect(REQUEST_NAMES).toEqual(expect.arrayContaining(['terminal.openHost', 'app.features']));
  });
});

describe('the policy', () => {
  it('is off unless the shell turns it on, and says how', () => {
    expect(hostTerminalFeatures(false)).toEqual({
      hostTerminal: false,
      hostTerminalReason:
        'the host terminal is off: start with `lvs-lab serve --host-terminal` to turn it on',
    });
    expect(hostTerminalFeatures(true, 'linux')).toEqual({
      hostTerminal: true,
      hostUser: os.userInfo().username,
    });
    expect(hostTerminalFeatures(true, 'win32').hostTerminal).toBe(false);
  });
});

function setup(features?: ReturnType<typeof hostTerminalFeatures>) {
  const calls: string[] = [];
  const owners = new Map<string, string>();
  let next = 0;
  const terminals: TerminalBackend = {
    ownerOf: (id) => owners.get(id),
    open: () => Promise.reject(new Error('unused')),
    openHost: (owner, size) => {
      const sessionId = `h${++next}`;
      owners.set(sessionId, owner);
      calls.push(`openHost ${owner} ${size.cols}x${size.rows}`);
      return Promise.resolve({ sessionId });
    },
    input: (id, data) => calls.push(`input ${id} ${data}`),
    resize: (id, c, r) => calls.push(`resize ${id} ${c}x${r}`),
    ack: (id, n) => calls.push(`ack ${id} ${n}`),
    close: (id) => {
      owners.delete(id);
      calls.push(`close ${id}`);
      return Promise.resolve();
    },
    closeOwner: () => Promise.resolve(),
    closeLab: () => Promise.resolve(),
    closeAll: () => Promise.resolve(),
  };
  const probes: ProbeBackend = {
    ownerOf: () => undefined,
    start: () => Promise.reject(new Error('unused')),
    stop: () => Promise.resolve(),
    stopOwner: () => Promise.resolve(),
    stopLab: () => Promise.resolve(),
    stopAll: () => Promise.resolve(),
  };
  const service = new LabService(
    { ...defaultPaths(root), stateDir: mkdtempSync(path.join(os.tmpdir(), 'lvslab-ht-')) },
    new Docker({ socketPath: '/nonexistent/docker.sock' }),
  );
  const handler = new ApiHandler(
    {
      service,
      terminals,
      probes,
      readIpvs: () => Promise.reject(new Error('unused')),
      ...(features ? { features } : {}),
    },
    () => undefined,
  );
  return { handler, calls };
}

describe('the handler', () => {
  it('refuses host opens while the host terminal is off, naming the flag, and opens nothing', async () => {
    for (const handler of [setup().handler, setup(hostTerminalFeatures(false)).handler]) {
      const result = await handler.request('tab:1', 'terminal.openHost', [{ cols: 80, rows: 24 }]);
      expect(result).toMatchObject({
        ok: false,
        error: { message: expect.stringContaining('lvs-lab serve --host-terminal') as string },
      });
      expect(await handler.request('tab:1', 'app.features', [])).toEqual({
        ok: true,
        value: hostTerminalFeatures(false),
      });
    }
    const { handler, calls } = setup();
    await handler.request('tab:1', 'terminal.openHost', [{ cols: 80, rows: 24 }]);
    expect(calls).toEqual([]);
  });

  it('opens a host shell for its caller when on, and says so in the features', async () => {
    const { handler, calls } = setup(hostTerminalFeatures(true, 'linux'));
    expect(await handler.request('window-1', 'app.features', [])).toEqual({
      ok: true,
      value: { hostTerminal: true, hostUser: os.userInfo().username },
    });
    expect(await handler.request('window-1', 'terminal.openHost', [{ cols: 100, rows: 30 }])).toEqual({
      ok: true,
      value: { sessionId: 'h1' },
    });
    expect(calls).toEqual(['openHost window-1 100x30']);
    expect(
      await handler.request('window-1', 'terminal.openHost', [{ cols: 100, rows: 30, shell: 'x' }]),
    ).toMatchObject({ ok: false });
  });

  it("keeps a host session its owner's: other callers can neither type into, resize, ack nor close it", async () => {
    const { handler, calls } = setup(hostTerminalFeatures(true, 'linux'));
    await handler.request('tab:a', 'terminal.openHost', [{ cols: 80, rows: 24 }]);
    calls.length = 0;
    expect(handler.send('tab:b', 'terminal.input', ['h1', 'rm -rf ~\r'])).toBe(false);
    expect(handler.send('tab:b', 'terminal.resize', ['h1', 10, 10])).toBe(false);
    expect(handler.send('tab:b', 'terminal.ack', ['h1', 5000])).toBe(false);
    expect(await handler.request('tab:b', 'terminal.close', ['h1'])).toMatchObject({
      ok: false,
      error: { message: 'no terminal session h1 of yours' },
    });
    expect(calls).toEqual([]);
    expect(handler.send('tab:a', 'terminal.input', ['h1', 'ls\r'])).toBe(true);
    expect(await handler.request('tab:a', 'terminal.close', ['h1'])).toEqual({ ok: true, value: null });
    expect(calls).toEqual(['input h1 ls\r', 'close h1']);
  });

  it('closes a host shell whose owner went while it was opening', async () => {
    const { handler, calls } = setup(hostTerminalFeatures(true, 'linux'));
    const opening = handler.request('tab:a', 'terminal.openHost', [{ cols: 80, rows: 24 }]);
    await handler.disconnect('tab:a');
    expect(await opening).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/has gone/) as string },
    });
    expect(calls).toEqual(['openHost tab:a 80x24', 'close h1']);
  });
});
