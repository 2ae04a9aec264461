// The probe on the host's Docker Engine: lvs-probe in a lab's client container, driven by the
// ProbeManager, against a real server's own address (this host's kernel has no IPVS, so the VIP
// does not answer here; test/kernel/probe.test.ts covers the VIP on a kernel with IPVS). The lab
// is a variant of tun-arptables with its own id and subnet, so it never meets anyone else's.
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeBatch, ProbeSample } from '../../shared/api.js';
import type { Lab } from '../../main/core/lab/model.js';
import { readIpvsView } from '../../main/core/probe/ipvs-view.js';
import {
  HEARTBEAT_SECONDS,
  ProbeManager,
  probeKillCommand,
  type ProbeStartOptions,
} from '../../main/core/probe/manager.js';
import { createApiHandler } from '../../main/core/app.js';
import { ProbeStats } from '../../main/core/probe/stats.js';
import { forceDown, labVariant, newService, sh } from './helpers.js';

const LAB_ID = 'probetest';
const labFile = labVariant('tun-arptables', LAB_ID, [[/172\.25\.88\./g, '10.199.2.']]);
const SERVER2 = 'http://10.199.2.2/';
const SERVER3 = 'http://10.199.2.3/';
const service = newService();

interface Run {
  probeId: string;
  samples: ProbeSample[];
  batches: ProbeBatch[];
  reason: string;
  wallMs: number;
}

const batches = new Map<string, ProbeBatch[]>();
const ends = new Map<string, (reason: string) => void>();
const manager = new ProbeManager(service.runtime, {
  samples: (batch) => batches.get(batch.probeId)?.push(batch),
  end: (probeId, reason) => ends.get(probeId)?.(reason),
});

/** Starts a probe; `whileRunning` gets its id once the first batch arrived (if given). */
async function probe(
  opts: ProbeStartOptions,
  whileRunning?: (probeId: string) => Promise<void>,
): Promise<Run> {
  const started = performance.now();
  const { probeId } = await manager.start('test', lab, opts);
  const mine: ProbeBatch[] = [];
  batches.set(probeId, mine);
  const reason = await new Promise<string>((resolve) => {
    ends.set(probeId, resolve);
    if (whileRunning) {
      const poll = setInterval(() => {
        if (mine.length === 0) return;
        clearInterval(poll);
        void whileRunning(probeId);
      }, 20);
    }
  });
  return {
    probeId,
    batches: mine,
    samples: mine.flatMap((b) => b.samples),
    reason,
    wallMs: performance.now() - started,
  };
}

let lab: Lab;

beforeAll(async () => {
  await forceDown(service, LAB_ID);
  lab = await service.resolveLab(labFile);
  await service.up(labFile);
});

afterAll(async () => {
  await manager.stopAll();
  await service.runtime.down(LAB_ID);
});

describe('lvs-probe through the ProbeManager, against a real server', () => {
  it('attributes every answer to that server, at the asked rate, within the duration', async () => {
    const run = await probe({ ratePerSecond: 50, durationSeconds: 2, url: SERVER2 });
    expect(run.reason).toBe('duration');
    // ceil(rate × duration) requests, each numbered once.
    expect(run.samples.map((s) => s.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
    const bad = run.samples.filter((s) => s.node !== 'server2' || s.error !== null || s.status !== 200);
    expect(bad).toEqual([]);
    // The rate: request k starts k × 20 ms after the first, give or take scheduling jitter.
    const starts = run.samples.map((s) => s.at).sort((a, b) => a - b);
    const span = (starts.at(-1) ?? 0) - (starts[0] ?? 0);
    expect(span).toBeGreaterThan(1900);
    expect(span).toBeLessThan(2100);
    const stats = new ProbeStats({ nodes: ['server2', 'server3'] });
    stats.add(run.samples);
    const snapshot = stats.snapshot();
    expect(snapshot.ratePerSecond).toBeGreaterThan(45);
    expect(snapshot.ratePerSecond).toBeLessThan(55);
    expect(snapshot.servers).toEqual([
      { node: 'server2', count: 100, share: 1, expected: null },
      { node: 'server3', count: 0, share: 0, expected: null },
    ]);
    // Samples come in batches, not one by one.
    expect(run.batches.length).toBeGreaterThan(1);
    expect(run.batches.length).toBeLessThan(50);
    // The duration bound: 2 s of requests, then the end (exec start-up and tear-down included).
    expect(run.wallMs).toBeLessThan(6000);
  });

  it('a silent server gives timeouts without slowing the rate', async () => {
    await sh(service, LAB_ID, 'server2', 'iptables -A INPUT -p tcp --dport 8080 -j DROP');
    const run = await probe({
      ratePerSecond: 40,
      durationSeconds: 1,
      url: 'http://10.199.2.2:8080/',
      timeoutMs: 300,
    });
    expect(run.reason).toBe('duration');
    expect(run.samples).toHaveLength(40);
    expect(run.samples.every((s) => s.error === 'timeout' && s.status === null && s.node === null)).toBe(
      true,
    );
    for (const s of run.samples) expect(s.latencyMs).toBeGreaterThanOrEqual(299);
    const starts = run.samples.map((s) => s.at).sort((a, b) => a - b);
    expect((starts.at(-1) ?? 0) - (starts[0] ?? 0)).toBeLessThan(1100);
  });

  it('stop ends a running probe promptly, with its end event, and leaves no process behind', async () => {
    let stoppedAt = 0;
    let stopMs = 0;
    const run = await probe({ ratePerSecond: 20, durationSeconds: 60, url: SERVER2 }, async (probeId) => {
      stoppedAt = performance.now();
      await manager.stop(probeId);
      stopMs = performance.now() - stoppedAt;
    });
    expect(run.reason).toBe('stopped');
    expect(stopMs).toBeLessThan(1500);
    expect(run.samples.length).toBeGreaterThan(0);
    expect(run.samples.length).toBeLessThan(60);
    expect(manager.list()).toEqual([]);
    const left = await service.runtime.exec(LAB_ID, 'client', "pgrep -f '^lvs-probe ' || true");
    expect(left.stdout.trim()).toBe('');
  });

  it('a probe killed in the container (as the stop fallback does, by its tag) ends with that reason', async () => {
    const run = await probe({ ratePerSecond: 20, durationSeconds: 60, url: SERVER2 }, async (probeId) => {
      // The manager's own fallback command, run as it runs it.
      const client = await service.runtime.nodeContainer(LAB_ID, 'client');
      const exec = await client.exec({
        Cmd: probeKillCommand(probeId),
        AttachStdout: true,
        AttachStderr: true,
      });
      await exec.start({ Detach: true });
    });
    expect(run.reason).toBe('stopped: lvs-probe was killed in the client container');
    expect(run.wallMs).toBeLessThan(10_000);
  });

  /** Runs lvs-probe through the exec API as the manager does, but driven by the test. */
  async function rawProbe(tag: string): Promise<{ stream: Duplex; running: () => Promise<boolean> }> {
    const container = await service.runtime.nodeContainer(LAB_ID, 'client');
    const exec = await container.exec({
      Cmd: ['lvs-probe', '--tag', tag, '--url', SERVER2, '--rate', '5', '--duration', '60'].concat([
        '--heartbeat',
        String(HEARTBEAT_SECONDS),
      ]),
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
    });
    const stream: Duplex = await exec.start({ hijack: true, stdin: true });
    stream.resume();
    const running = async () =>
      (
        await service.runtime.exec(LAB_ID, 'client', `pgrep -f '^lvs-probe --tag ${tag} ' || true`)
      ).stdout.trim() !== '';
    return { stream, running };
  }

  async function secondsUntilGone(running: () => Promise<boolean>): Promise<number> {
    const since = performance.now();
    while ((await running()) && performance.now() - since < 20_000) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await running()).toBe(false);
    return (performance.now() - since) / 1000;
  }

  it('a host whose connection drops (a killed process): the probe ends at once', async () => {
    const { stream, running } = await rawProbe('dropped');
    stream.write('\n');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await running()).toBe(true);
    stream.destroy();
    expect(await secondsUntilGone(running)).toBeLessThan(2);
  });

  it('a host that stops writing while its connection stays up: the probe ends after the heartbeat', async () => {
    const { stream, running } = await rawProbe('silent');
    const since = performance.now();
    expect(await running()).toBe(true);
    await secondsUntilGone(running);
    const seconds = (performance.now() - since) / 1000;
    expect(seconds).toBeGreaterThan(HEARTBEAT_SECONDS - 1.5);
    expect(seconds).toBeLessThan(HEARTBEAT_SECONDS + 2);
    stream.destroy();
  });

  it('a probe stopped while it is starting ends promptly, and nothing is left running', async () => {
    const reasons: string[] = [];
    const own = new ProbeManager(service.runtime, {
      samples: () => undefined,
      end: (_id, reason) => reasons.push(reason),
    });
    const since = performance.now();
    const starting = own.start('test', lab, { ratePerSecond: 20, durationSeconds: 60, url: SERVER2 });
    await own.stopLab(LAB_ID);
    await starting;
    expect(reasons).toEqual(['stopped: the lab is going down']);
    expect(performance.now() - since).toBeLessThan(3000);
    expect(own.list()).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const left = await service.runtime.exec(LAB_ID, 'client', "pgrep -f '^lvs-probe ' || true");
    expect(left.stdout.trim()).toBe('');
  });

  it('through the API: a probe stopped while it is starting still tells its owner it ended', async () => {
    const events: { owner: string; name: string; args: unknown[] }[] = [];
    const handler = createApiHandler(
      service.paths,
      (target, name, ...args) => {
        if (target !== 'all') events.push({ owner: target.owner, name, args });
      },
      service,
    );
    const starting = handler.request('tab-a', 'probe.start', [
      { labId: LAB_ID, ratePerSecond: 20, durationSeconds: 60 },
    ]);
    // The tab goes away before start() has returned.
    await handler.disconnect('tab-a');
    const started = await starting;
    const deadline = Date.now() + 10_000;
    while (!events.some((e) => e.name === 'probe.end') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(started).toMatchObject({ ok: true });
    const probeId = started.ok ? (started.value as { probeId: string }).probeId : '';
    expect(events.filter((e) => e.name === 'probe.end')).toEqual([
      { owner: 'tab-a', name: 'probe.end', args: [probeId, 'stopped'] },
    ]);
    // Nothing of it is left for anyone to stop.
    expect(await handler.request('tab-a', 'probe.stop', [probeId])).toMatchObject({ ok: false });
    await handler.shutdown();
  });

  it('one probe per lab: the same owner replaces it, another owner is refused', async () => {
    const first = await manager.start('alice', lab, { ratePerSecond: 5, durationSeconds: 30, url: SERVER2 });
    const firstEnd = new Promise<string>((resolve) => ends.set(first.probeId, resolve));
    await expect(
      manager.start('bob', lab, { ratePerSecond: 5, durationSeconds: 30, url: SERVER2 }),
    ).rejects.toThrow(/already running on lab probetest/);
    const second = await manager.start('alice', lab, { ratePerSecond: 5, durationSeconds: 30, url: SERVER2 });
    expect(await firstEnd).toBe('replaced');
    const secondEnd = new Promise<string>((resolve) => ends.set(second.probeId, resolve));
    await manager.stopOwner('alice');
    expect(await secondEnd).toBe('stopped');
  });

  it('refuses what it cannot do before touching the lab', async () => {
    await expect(manager.start('test', lab, { ratePerSecond: 5000, durationSeconds: 1 })).rejects.toThrow(
      /rate/,
    );
    await expect(manager.start('test', lab, { ratePerSecond: 5, durationSeconds: 7200 })).rejects.toThrow(
      /duration/,
    );
    await expect(
      manager.start('test', lab, { ratePerSecond: 5, durationSeconds: 1, url: 'https://10.199.2.2/' }),
    ).rejects.toThrow(/plain HTTP/);
  });

  it('the IPVS view says this kernel has no IPVS, and shows the real server sending the answers', async () => {
    const before = await readIpvsView(service.runtime, lab);
    await probe({ ratePerSecond: 100, durationSeconds: 0.5, url: SERVER2 });
    const after = await readIpvsView(service.runtime, lab);
    expect(after.labId).toBe(LAB_ID);
    expect(after.services).toEqual([]);
    expect(after.error).toMatch(/IPVS/);
    expect(after.nodes?.map((n) => [n.node, n.role, n.error])).toEqual([
      ['server1', 'director', null],
      ['server2', 'realserver', null],
      ['server3', 'realserver', null],
    ]);
    const tx = (view: typeof after, node: string) =>
      view.nodes?.find((n) => n.node === node)?.interfaces.find((i) => i.device === 'eth0')?.txPackets ?? 0;
    // 50 answers of at least 4 packets each (SYN-ACK, answer, FIN, ACKs).
    expect(tx(after, 'server2') - tx(before, 'server2')).toBeGreaterThanOrEqual(150);
    expect(tx(after, 'server3') - tx(before, 'server3')).toBeLessThan(20);
  });

  it('a stopped web server gives refused errors at once, not a hang', async () => {
    await sh(service, LAB_ID, 'server3', 'pkill httpd; sleep 0.2; ! pgrep httpd');
    const run = await probe({ ratePerSecond: 20, durationSeconds: 1, url: SERVER3 });
    expect(run.reason).toBe('duration');
    expect(run.samples).toHaveLength(20);
    expect(run.samples.every((s) => s.error === 'refused' && s.node === null && s.status === null)).toBe(
      true,
    );
    for (const s of run.samples) expect(s.latencyMs).toBeLessThan(200);
    expect(run.wallMs).toBeLessThan(5000);
  });
});
