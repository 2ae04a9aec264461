// The lvs-lab command as a user runs it: the compiled binary, real exit codes, --json output.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { reproSchema } from '../../shared/repro.js';
import type { LabInstanceStatus } from '../../shared/status.js';
import { runLvsLab, type CliResult } from '../cli-runner.js';
import { repoRoot } from './helpers.js';

const stateDir = mkdtempSync(path.join(os.tmpdir(), 'lvslab-cli-'));
const hostHasIpvs = spawnSync('sh', ['-c', 'test -e /proc/net/ip_vs']).status === 0;

/** The command on the host engine: this tier is about the host engine, whatever its kernel lacks. */
function lvsLab(...args: string[]): Promise<CliResult> {
  const [command, ...rest] = args;
  const own = command === undefined || command === 'validate' ? args : [command, '--engine', 'host', ...rest];
  return runLvsLab(own, { env: { LVS_LAB_STATE_DIR: stateDir } });
}

describe('lvs-lab', () => {
  beforeAll(async () => {
    await lvsLab('down', 'tun-arptables');
  });
  afterAll(async () => {
    await lvsLab('down', 'tun-arptables');
  });

  it('up, status, exec and down work against the engine', async () => {
    const up = await lvsLab('up', 'tun-arptables');
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/started tun-arptables/);
    expect(up.stderr).toMatch(/\[node\] server1 done running/);

    const status = await lvsLab('status', '--json');
    const lab = (JSON.parse(status.stdout) as LabInstanceStatus[]).find((l) => l.labId === 'tun-arptables');
    expect(lab?.labId).toBe('tun-arptables');
    expect(lab?.health).toBe('running');
    expect(lab?.nodes.find((n) => n.name === 'server1')?.addresses).toEqual({
      'lvslab-tun-arptables-lan': '172.25.88.1',
    });

    const exec = await lvsLab(
      'exec',
      'server2',
      '--lab',
      'tun-arptables',
      '--',
      'cat',
      '/srv/www/index.html',
    );
    expect(exec.code).toBe(0);
    expect(exec.stdout).toBe('<h1>server2</h1>');
    expect((await lvsLab('exec', 'server2', '--lab', 'tun-arptables', '--', 'sh', '-c', 'exit 3')).code).toBe(
      3,
    );

    const run = await lvsLab('run', 'realserver-arp', '--lab', 'tun-arptables', '--json');
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { check: { ok: boolean } }).check.ok).toBe(true);

    const steps = await lvsLab('steps', '--lab', 'tun-arptables');
    expect(steps.stdout).toMatch(/4\. Hide the VIP from ARP on the real servers \[realserver-arp\] done/);

    const down = await lvsLab('down', 'tun-arptables');
    expect(down.code).toBe(0);
    expect(down.stdout).toBe('removed 4 containers and 1 networks\n');
    expect((await lvsLab('status')).stdout).not.toMatch(/tun-arptables/);
  });

  it('break, faults and fix: the web server stops and comes back; a fault that cannot apply changes nothing', async () => {
    expect((await lvsLab('up', 'tun-arptables')).code).toBe(0);
    const page = () =>
      lvsLab(
        'exec',
        'client',
        '--lab',
        'tun-arptables',
        '--',
        'curl',
        '-s',
        '-m',
        '2',
        'http://172.25.88.2/',
      );
    expect((await page()).stdout).toBe('<h1>server2</h1>');

    const broke = await lvsLab('break', 'server2', 'web-stopped');
    expect(broke.code, broke.stdout + broke.stderr).toBe(0);
    expect(broke.stdout).toMatch(/broke web-stopped on server2\n {2}symptom: The director still sends/);
    expect((await page()).code).not.toBe(0);
    const listed = JSON.parse((await lvsLab('faults', '--json')).stdout) as {
      node: string;
      id: string;
      brokenAt?: string;
    }[];
    expect(listed.filter((f) => f.brokenAt !== undefined).map((f) => `${f.node}/${f.id}`)).toEqual([
      'server2/web-stopped',
    ]);
    expect((await lvsLab('faults')).stdout).toMatch(/web-stopped\s+the web server stopped\s+BROKEN since/);

    const again = await lvsLab('break', 'server2', 'web-stopped');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/web-stopped is already broken on server2/);

    const fixed = await lvsLab('fix', 'server2');
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect(fixed.stdout).toMatch(/fixed web-stopped on server2/);
    expect((await page()).stdout).toBe('<h1>server2</h1>');

    // No step has put the VIP on tunl0 yet: the fault says so and records nothing.
    const cannot = await lvsLab('break', 'server2', 'vip-removed');
    expect(cannot.code).toBe(1);
    expect(cannot.stdout).toMatch(/could not break vip-removed on server2/);
    const nothing = await lvsLab('fix', 'server2');
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toMatch(/nothing is broken on server2/);

    expect((await lvsLab('break', 'client', 'persistence')).stderr).toMatch(
      /fault persistence is for a director, and client is the client/,
    );
    expect((await lvsLab('down', 'tun-arptables')).code).toBe(0);
  });

  it('report saves a repro file; replay on this engine runs it or says why it cannot (exit 4); a malformed file exits 2', async () => {
    expect((await lvsLab('up', 'tun-arptables')).code).toBe(0);
    expect((await lvsLab('break', 'server2', 'web-stopped')).code).toBe(0);
    const file = path.join(stateDir, 'repro.yaml');
    const saved = await lvsLab('report', '-o', file);
    expect(saved.code, saved.stderr).toBe(0);
    const report = reproSchema.parse(parse(readFileSync(file, 'utf8')));
    expect(report.record.map((e) => e.kind)).toEqual(['break']);
    expect(report.faults.map((f) => f.id)).toEqual(['web-stopped']);
    expect(report.environment.engine).toMatch(/^host engine, Linux /);
    expect((await lvsLab('down', 'tun-arptables')).code).toBe(0);

    const replay = await lvsLab('replay', file);
    if (hostHasIpvs) expect(replay.code, replay.stderr).toBe(0);
    else {
      expect(replay.code).toBe(4);
      expect(replay.stderr).toMatch(/cannot replay here: this engine cannot run the lab: .*IPVS/);
    }
    expect((await lvsLab('status')).stdout).not.toMatch(/tun-arptables/);

    writeFileSync(file, 'format: lvs-lab-repro\nversion: 7\n');
    const malformed = await lvsLab('replay', file);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/is not a valid repro file:\n {2}version: /);
  });

  it('capture: tcpdump on two nodes at once, one timeline, the pcap files kept and written with -w', async () => {
    expect((await lvsLab('up', 'tun-arptables')).code).toBe(0);
    const prefix = path.join(stateDir, 'web');
    const capture = lvsLab('capture', 'client:eth0', 'server2', '--seconds', '4', '-w', prefix);
    // While it listens, one request from the client to server2 itself (no step has run yet).
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(
      (await lvsLab('exec', 'client', '--', 'curl', '-s', '-m', '1', 'http://172.25.88.2/')).stdout,
    ).toBe('<h1>server2</h1>');
    const result = await capture;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /client:eth0 +02:42:ac:19:58:fa > [0-9a-f:]+ 172\.25\.88\.250:\d+ > 172\.25\.88\.2:80 \[S\]/,
    );
    expect(result.stdout).toMatch(
      /server2:any +out [0-9a-f:]+ 172\.25\.88\.2:80 > 172\.25\.88\.250:\d+ \[S\.\]/,
    );
    expect(result.stdout).toMatch(/pcap files \(open them in Wireshark\): .*captures\/tun-arptables\//);
    for (const file of [`${prefix}-client-eth0.pcap`, `${prefix}-server2-any.pcap`]) {
      // The classic pcap magic, as tcpdump wrote it.
      expect(readFileSync(file).readUInt32LE(0)).toBe(0xa1b2c3d4);
    }
    const bad = await lvsLab('capture', 'client', '--seconds', '900');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/a capture lasts 1 to 300 seconds, not 900/);
    expect((await lvsLab('down', 'tun-arptables')).code).toBe(0);
  });

  it('fails with a clear message and status 1 when the lab does not run', async () => {
    const result = await lvsLab('steps', '--lab', 'tun-arptables');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /lab tun-arptables is not running\n {2}hint: start one with: lvs-lab up <lab>/,
    );
  });

  it('validate names the file, line and field of each problem', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'lvslab-bad-')), 'bad.yaml');
    writeFileSync(file, 'id: bad\ntitle: t\nsummary: s\ndifficulty: easy\n');
    const result = await lvsLab('validate', file, path.join(repoRoot, 'labs/tun-sysctl.yaml'));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`${file}:4:13: difficulty: .*"beginner"`));
    expect(result.stdout).toMatch(/tun-sysctl.yaml: ok \(lab tun-sysctl\)/);
  });

  it('usage errors exit 2', async () => {
    expect((await lvsLab('frobnicate')).code).toBe(2);
    expect((await lvsLab('up')).code).toBe(2);
  });
});
