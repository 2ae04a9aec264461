// The engine choice and the built-in kernel's failure paths, against a stand-in for the host
// engine. The kernel tier starts, uses, kills and stops the real thing.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import type { PreflightItem, PreflightReport } from '../../../shared/preflight.js';
import { BuiltinKernel } from '../../../main/core/engines/builtin-kernel.js';
import { hostLacks, kernelName, parseEngineChoice } from '../../../main/core/engines/choose-engine.js';

function report(statuses: Record<string, PreflightItem['status']>, engine = true): PreflightReport {
  return {
    endpoint: 'unix:///var/run/docker.sock',
    engine: engine
      ? {
          version: '20.10',
          apiVersion: '1.41',
          os: 'Debian',
          kernel: '6.18',
          platform: 'linux',
          rootless: false,
        }
      : null,
    items: Object.entries(statuses).map(([id, status]) => ({ id, title: id, status, detail: '', fixes: [] })),
    ok: Object.values(statuses).every((s) => s !== 'fail'),
  };
}

describe('choosing the engine', () => {
  it('the host serves when its kernel has ip_vs, ipip and writable sysctls', () => {
    expect(hostLacks(report({ ipvs: 'ok', ipip: 'ok', sysctl: 'ok', arptables: 'warn' }))).toEqual([]);
  });

  it('names what the host kernel lacks', () => {
    expect(hostLacks(report({ ipvs: 'fail', ipip: 'fail', sysctl: 'ok' }))).toEqual(['ip_vs', 'ipip']);
    expect(hostLacks(report({ ipvs: 'ok', ipip: 'fail', sysctl: 'ok' }))).toEqual(['ipip']);
    // A probe that could not run says nothing is there.
    expect(hostLacks(report({ probe: 'fail' }))).toEqual(['ip_vs', 'ipip', 'writable network sysctls']);
    expect(hostLacks(report({}, false))).toEqual(['a running Docker Engine']);
  });

  it('takes host, builtin or auto, and refuses anything else by name', () => {
    expect(parseEngineChoice(undefined)).toBe('auto');
    expect(parseEngineChoice('builtin')).toBe('builtin');
    expect(() => parseEngineChoice('kvm')).toThrow('--engine takes host, builtin or auto, not "kvm"');
  });

  it("names the guest's kernel from its uname", () => {
    expect(kernelName('Linux lvs-kernel 6.1.176 #1 Sat Jul  4 15:38:16 UTC 2026 x86_64 GNU/Linux')).toBe(
      'Linux 6.1.176 (user-mode)',
    );
    expect(kernelName(null)).toBe('Linux (user-mode)');
  });
});

/** A host engine that records what is asked of it; `start` fails as told. */
function fakeHost(options: { memTotal?: number; startError?: string }) {
  const calls: string[] = [];
  const container = {
    start: () => {
      calls.push('start');
      return options.startError === undefined
        ? Promise.resolve()
        : Promise.reject(Object.assign(new Error(options.startError), { statusCode: 500 }));
    },
    remove: () => {
      calls.push('remove');
      return Promise.resolve();
    },
  };
  const host = {
    info: () => Promise.resolve({ MemTotal: options.memTotal ?? 24 * 1024 ** 3 }),
    createContainer: (spec: { HostConfig?: Docker.HostConfig }) => {
      calls.push(`create ${JSON.stringify(spec.HostConfig?.NetworkMode)}`);
      return Promise.resolve(container);
    },
    getContainer: () => ({
      inspect: () => Promise.reject(Object.assign(new Error('no such container'), { statusCode: 404 })),
      logs: () => Promise.reject(Object.assign(new Error('no such container'), { statusCode: 404 })),
      stop: () => Promise.reject(Object.assign(new Error('no such container'), { statusCode: 404 })),
      remove: () => Promise.reject(Object.assign(new Error('no such container'), { statusCode: 404 })),
    }),
  };
  return { host: host as unknown as Docker, calls };
}

function kernelOn(host: Docker, memoryMiB = 2048): BuiltinKernel {
  const root = path.resolve(import.meta.dirname, '../../..');
  return new BuiltinKernel(host, {
    kernelContext: path.join(root, 'lab-images/kernel'),
    nodeContext: path.join(root, 'lab-images/node'),
    stateDir: mkdtempSync(path.join(os.tmpdir(), 'lvslab-engine-unit-')),
    memoryMiB,
    uid: 1000,
    gid: 1000,
  });
}

describe('the built-in kernel, when it cannot start', () => {
  it('says the host needs the tun module, and leaves no container behind', async () => {
    const { host, calls } = fakeHost({
      startError:
        'error gathering device information while adding custom device "/dev/net/tun": no such file or directory',
    });
    const kernel = kernelOn(host);
    const error = await (kernel as unknown as { createAndStart(image: string): Promise<void> })
      .createAndStart('lvs-lab/kernel:x')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      message: 'the built-in kernel needs /dev/net/tun, and the Docker host has none',
      hint: 'load the tun module on the Docker host: sudo modprobe tun',
    });
    expect(calls).toEqual(['create "none"', 'start', 'remove']);
  });

  it('refuses a host with too little memory before creating anything', async () => {
    const { host, calls } = fakeHost({ memTotal: 2 * 1024 ** 3 });
    const kernel = kernelOn(host, 2048);
    const error = await (kernel as unknown as { createAndStart(image: string): Promise<void> })
      .createAndStart('lvs-lab/kernel:x')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      message: 'the built-in kernel needs about 3072 MiB and the Docker host has 2048 MiB',
    });
    expect(calls).toEqual([]);
  });

  it('one engine per user and instance: its names carry both, its socket lives in the state folder', () => {
    const { host } = fakeHost({});
    const kernel = kernelOn(host);
    expect(kernel.container).toBe('lvs-lab-kernel-1000');
    expect(kernel.volume).toBe('lvs-lab-kernel-disk-1000');
    expect(kernel.socketPath).toMatch(/lvslab-engine-unit-.*\/engine\/docker\.sock$/);
  });

  it('reports an absent engine as absent, not as an error', async () => {
    const { host } = fakeHost({});
    expect(await kernelOn(host).status()).toMatchObject({ state: 'absent', kernel: null });
  });
});
