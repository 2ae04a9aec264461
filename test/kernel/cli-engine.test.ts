// The lvs-lab command where the host kernel has no IPVS (as on the build machines), as a user runs
// it: `up` says in one line that it uses LVS Lab's built-in kernel, and every later command
// follows the lab there: run --all passes every check, the probe alternates, status and engine
// status say where the lab runs. The command drives the tier's own engine instance (same state
// folder and instance name), so that no second kernel boots.
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { lvsLab } from './cli.js';
const hostHasIpvs = spawnSync('sh', ['-c', 'test -e /proc/net/ip_vs']).status === 0;

afterAll(async () => {
  await lvsLab('down', 'tun-arptables');
});

describe('lvs-lab on a host without IPVS', () => {
  it.runIf(!hostHasIpvs)('up chooses the built-in kernel and says why in one line', async () => {
    await lvsLab('down', 'tun-arptables');
    const up = await lvsLab('up', 'tun-arptables');
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toMatch(
      /^lvs-lab: the host kernel has no ip_vs and no ipip: using LVS Lab's built-in kernel, Linux 6\.12\.\d+ \(user-mode\)$/m,
    );
  });

  it('run --all passes every check there', async () => {
    const run = await lvsLab('run', '--all', '--json');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const results = JSON.parse(run.stdout) as { check: { ok: boolean } }[];
    expect(results.length).toBeGreaterThanOrEqual(5);
    expect(results.every((r) => r.check.ok)).toBe(true);
  });

  it('the probe alternates between the real servers, with no errors', async () => {
    const probe = await lvsLab('probe', '--rate', '5', '--duration', '4', '--json');
    expect(probe.code, probe.stderr).toBe(0);
    const last = JSON.parse(probe.stdout) as {
      stats?: { errors: number; servers: { node: string; count: number }[] };
    };
    const counts = Object.fromEntries((last.stats?.servers ?? []).map((s) => [s.node, s.count]));
    expect(last.stats?.errors).toBe(0);
    expect(Math.abs((counts.server2 ?? 0) - (counts.server3 ?? 0))).toBeLessThanOrEqual(1);
    expect((counts.server2 ?? 0) + (counts.server3 ?? 0)).toBeGreaterThanOrEqual(15);
  });

  it('engine status says it runs, with its kernel; down then leaves the engine running and empty', async () => {
    const status = JSON.parse((await lvsLab('engine', 'status', '--json')).stdout) as {
      state: string;
      kernel: string;
    };
    expect(status.state).toBe('running');
    expect(status.kernel).toMatch(/^Linux lvs-kernel 6\.12\./);
    expect((await lvsLab('down', 'tun-arptables')).code).toBe(0);
    expect((await lvsLab('status', '--json')).stdout.trim()).toBe('[]');
  });
});
