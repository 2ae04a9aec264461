// A repro file on a real kernel, through the command a developer runs. repro-rp-filter is set up
// and saved with `report`; `replay` re-creates it from the file and sees the same outcome (exit 0).
// The same report with a fix appended to its record (rp_filter relaxed on server3, the server
// that drops the tunnelled requests) replays to a different outcome (exit 1), and says what.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { reproSchema } from '../../shared/repro.js';
import { lvsLab } from './cli.js';

const LAB = 'repro-rp-filter';
const dir = mkdtempSync(path.join(os.tmpdir(), 'lvslab-repro-'));
const reportFile = path.join(dir, 'rp-filter.lvsrepro.yaml');

afterAll(async () => {
  await lvsLab('down', LAB);
});

describe('report and replay of repro-rp-filter, on a real kernel', () => {
  it('report saves the pinned lab, the record of its steps, the environment and the symptom', async () => {
    expect((await lvsLab('up', LAB)).code).toBe(0);
    const run = await lvsLab('run', '--all', '--lab', LAB);
    expect(run.code, run.stdout).toBe(0);
    const saved = await lvsLab('report', '-o', reportFile, '--lab', LAB);
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stdout).toMatch(/saved .*: lab repro-rp-filter, 6 recorded actions, on built-in kernel/);

    const report = reproSchema.parse(parse(readFileSync(reportFile, 'utf8')));
    expect(report.record.map((e) => (e.kind === 'step' ? e.stepId : e.kind))).toEqual([
      'director-tunnel',
      'director-ipvs',
      'realserver-tunnel',
      'realserver-arp',
      'rp-filter-server2-only',
      'symptom',
    ]);
    expect(report.lab.file).not.toMatch(/^extends:/m);
    expect(report.environment.modules).toEqual(expect.arrayContaining(['ip_vs', 'ipip']));
    expect(report.environment.sysctls.server3?.['net.ipv4.conf.tunl0.rp_filter']).toBe('1');
    // The symptom itself: server3 drops every request the director tunnels to it.
    expect(report.outcome.probe.answers).toEqual({ server2: 6 });
    expect(report.outcome.probe.failures).toBe(6);
    expect((await lvsLab('down', LAB)).code).toBe(0);
  });

  it('replay re-creates the lab from the file and sees the same outcome: exit 0', async () => {
    const replay = await lvsLab('replay', reportFile);
    expect(replay.code, replay.stdout + replay.stderr).toBe(0);
    expect(replay.stdout).toMatch(/the same outcome as the repro of repro-rp-filter/);
    // Nothing is left running after a replay.
    expect((await lvsLab('status')).stdout).not.toMatch(/repro-rp-filter/);
  });

  it('the same report with a fix appended replays to a different outcome: exit 1, saying what differs', async () => {
    const report = parse(readFileSync(reportFile, 'utf8')) as { record: unknown[] };
    report.record.push({
      at: new Date().toISOString(),
      kind: 'exec',
      node: 'server3',
      command: 'sysctl -w net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.tunl0.rp_filter=0',
    });
    const fixedFile = path.join(dir, 'rp-filter-fixed.lvsrepro.yaml');
    writeFileSync(fixedFile, stringify(report));
    const replay = await lvsLab('replay', fixedFile);
    expect(replay.code, replay.stdout + replay.stderr).toBe(1);
    expect(replay.stdout).toMatch(/a different outcome from the repro of repro-rp-filter/);
    expect(replay.stdout).toMatch(/probe: server3 answered 0 of 12 before, 6 now/);
    expect(replay.stdout).toMatch(/probe: 6 of 12 requests failed before, 0 now/);
    expect(replay.stdout).toMatch(/server3: net\.ipv4\.conf\.tunl0\.rp_filter was 1, now 0/);
  });
});
