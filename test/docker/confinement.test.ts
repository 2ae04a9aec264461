// A lab node is a sandbox for whatever a learner pastes: it may change its own network namespace
// and nothing of the Docker host. Proven from a real node on a real engine. Every write attempt
// writes back the value already there, so that a broken confinement fails the test without
// changing the host.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forceDown, newService } from './helpers.js';

const service = newService();
const LAB = 'tun-arptables';

/** Writes a file's own value back from server2; returns the exit code and what the shell said. */
async function rewrite(path: string): Promise<{ exitCode: number; output: string }> {
  const result = await service.runtime.exec(LAB, 'server2', `v=$(cat ${path}) && echo "$v" > ${path}`, {
    timeoutMs: 30_000,
  });
  return { exitCode: result.exitCode, output: `${result.stdout}${result.stderr}` };
}

describe('lab node confinement', () => {
  beforeAll(async () => {
    await forceDown(service, LAB);
    await service.up(LAB);
  });
  afterAll(async () => {
    await forceDown(service, LAB);
  });

  it.each(['/proc/sys/kernel/core_pattern', '/proc/sys/vm/swappiness', '/proc/sys/fs/file-max'])(
    'cannot write %s of the host kernel',
    async (file) => {
      const before = readFileSync(file, 'utf8');
      const { exitCode, output } = await rewrite(file);
      expect(exitCode, output).not.toBe(0);
      expect(output).toMatch(/read-only file system|permission denied/i);
      expect(readFileSync(file, 'utf8')).toBe(before);
    },
  );

  it('cannot write /proc/sysrq-trigger', async () => {
    // Writing "h" only prints help to the kernel log; it must still be refused.
    const result = await service.runtime.exec(LAB, 'server2', 'echo h > /proc/sysrq-trigger', {
      timeoutMs: 30_000,
    });
    expect(result.exitCode, result.stderr).not.toBe(0);
  });

  it('every /proc/sys subtree but net is mounted read-only in the node', async () => {
    const result = await service.runtime.exec(
      LAB,
      'server2',
      // For each top-level entry: its name and whether a read-only mount covers it.
      `for d in /proc/sys/*; do if grep -q " $d proc ro," /proc/self/mounts; then echo "$d ro"; else echo "$d rw"; fi; done`,
      { timeoutMs: 30_000 },
    );
    const lines = result.stdout.trim().split('\n');
    expect(lines).toContain('/proc/sys/net rw');
    expect(lines.filter((l) => l.endsWith(' rw'))).toEqual(['/proc/sys/net rw']);
    expect(lines).toEqual(expect.arrayContaining(['/proc/sys/kernel ro', '/proc/sys/vm ro']));
  });

  it("keeps Docker's default masks: /proc/kcore and /proc/keys show nothing of the host", async () => {
    const result = await service.runtime.exec(
      LAB,
      'server2',
      'wc -c < /proc/kcore 2>/dev/null || echo gone; wc -c < /proc/keys 2>/dev/null || echo gone',
      { timeoutMs: 30_000 },
    );
    for (const line of result.stdout.trim().split('\n')) expect(['0', 'gone']).toContain(line.trim());
  });

  it('the lab settings of its own network namespace work: rp_filter and arp_ignore', async () => {
    const result = await service.runtime.exec(
      LAB,
      'server2',
      'sysctl -w net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.all.arp_ignore=1 && sysctl -n net.ipv4.conf.all.rp_filter net.ipv4.conf.all.arp_ignore',
      { timeoutMs: 30_000 },
    );
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.trim().split('\n').slice(-2)).toEqual(['0', '1']);
  });
});
