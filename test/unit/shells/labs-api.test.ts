// The trainer's requests through the API as a page sends them: copy, export, import and remove,
// each validated at the boundary, into a labs folder of the test's own. No engine is reached.
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { ApiHandler } from '../../../main/core/api/handler.js';
import { LabService } from '../../../main/core/lab-service.js';
import { defaultPaths } from '../../../main/core/paths.js';
import type { BundleFile, LabSummary } from '../../../shared/api.js';

const root = path.resolve(import.meta.dirname, '../../..');

function setup() {
  const userLabsDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'lvslab-labs-api-')), 'labs');
  const service = new LabService(
    { ...defaultPaths(root), stateDir: mkdtempSync(path.join(os.tmpdir(), 'lvslab-h-')), userLabsDir },
    new Docker({ socketPath: '/nonexistent/docker.sock' }),
  );
  const unused = () => Promise.reject(new Error('unused'));
  const handler = new ApiHandler(
    {
      service,
      terminals: {} as never,
      probes: {} as never,
      readIpvs: unused,
    },
    () => undefined,
  );
  return { handler, userLabsDir };
}

async function value<T>(
  result: Promise<{ ok: true; value: unknown } | { ok: false; error: { message: string } }>,
) {
  const settled = await result;
  if (!settled.ok) throw new Error(settled.error.message);
  return settled.value as T;
}

describe('the labs requests', () => {
  it('copies a lab, exports it and removes it; a shipped lab cannot be removed', async () => {
    const { handler, userLabsDir } = setup();
    const copy = await value<LabSummary>(handler.request('w1', 'labs.copy', ['tun-sysctl']));
    expect(copy).toMatchObject({ id: 'tun-sysctl-copy', source: 'user' });
    const bundle = await value<BundleFile>(handler.request('w1', 'labs.export', ['tun-sysctl-copy']));
    expect(bundle.fileName).toBe('tun-sysctl-copy.lvslab');
    // Removing asks the engine whether the lab runs: none can be reached, so none runs.
    const removed = await handler.request('w1', 'labs.remove', ['tun-sysctl-copy']);
    expect(removed).toEqual({ ok: true, value: null });
    expect(readdirSync(userLabsDir)).toEqual([]);
    const builtin = await handler.request('w1', 'labs.remove', ['tun-sysctl']);
    expect(builtin.ok ? '' : builtin.error.message).toMatch(/one of LVS Lab's labs and cannot be removed/);
  });

  it('refuses an upload that is not base64, or too large, before anything runs', async () => {
    const { handler, userLabsDir } = setup();
    const bad = await handler.request('w1', 'labs.import', [{ fileName: 'x.lvslab', base64: 'not base64!' }]);
    expect(bad.ok ? '' : bad.error.message).toMatch(/^bad arguments for labs.import: 0\.base64/);
    const huge = await handler.request('w1', 'labs.import', [
      { fileName: 'x.lvslab', base64: 'A'.repeat(6_000_004) },
    ]);
    expect(huge.ok ? '' : huge.error.message).toMatch(/^bad arguments for labs.import/);
    expect(readdirSync(path.dirname(userLabsDir))).toEqual([]);
  });

  it('answers a refused bundle with the reason, and writes nothing', async () => {
    const { handler, userLabsDir } = setup();
    const result = await handler.request('w1', 'labs.import', [
      { fileName: 'x.lvslab', base64: Buffer.from('plain text, not a bundle').toString('base64') },
    ]);
    expect(result.ok ? '' : result.error.message).toMatch(/not an LVS Lab bundle/);
    expect(readdirSync(path.dirname(userLabsDir))).toEqual([]);
  });
});
