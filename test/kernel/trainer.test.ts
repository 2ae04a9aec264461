// The trainer's CI on a real kernel. `lvs-lab test` passes on every lab LVS Lab ships (the seed
// labs, the routed-VIP lab and the reproductions): each check fails before its step and passes
// after it, or says why it may hold before. A lab with a check that cannot fail is reported weak.
// And the guide's worked example goes pack → import into a clean labs folder → test, through
// the command a trainer runs.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testLab, type LabTestReport } from '../../main/core/lab-test/lab-test.js';
import { lvsLab } from './cli.js';
import { kernelLabService } from './service.js';

const root = path.resolve(import.meta.dirname, '../..');
const service = kernelLabService('trainer');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'lvslab-kernel-trainer-'));

/** What went wrong, for the failure message: every step's checks that did not behave. */
function explain(report: LabTestReport): string {
  const bad = report.steps.flatMap((s) => [
    ...s.commandFailures.map((f) => `${s.stepId}: ${f}`),
    ...s.checks
      .filter((c) => c.weak || !c.after)
      .map((c) => `${s.stepId}: ${c.label} (before ${c.before}, after ${c.after})`),
  ]);
  return `${report.verdict}: ${report.reason ?? ''}\n${bad.join('\n')}`;
}

afterAll(async () => {
  for (const lab of ['my-first-tun', 'weak-check']) await service.runtime.down(lab);
});

describe('lvs-lab test on every shipped lab', async () => {
  const labs = (await service.listLabs()).filter((l) => l.source === 'builtin');

  it('lists the shipped labs, all loading', () => {
    expect(labs.map((l) => l.id)).toContain('tun-routed-vip');
    expect(labs.filter((l) => l.error !== undefined)).toEqual([]);
  });

  for (const summary of labs) {
    it(`${summary.id}: every check fails before its step and passes after it; the service answers`, async () => {
      const lab = await service.resolveLab(summary.id);
      const report = await testLab(service, lab, { engineName: 'built-in kernel' });
      expect(report.verdict, explain(report)).toBe('pass');
      expect(report.weakChecks).toEqual([]);
      expect(Object.values(report.probe?.answers ?? {}).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      expect((await service.status()).some((s) => s.labId === lab.id)).toBe(false);
    });
  }
});

describe('a check that cannot fail', () => {
  it('is reported as weak, and the test fails', async () => {
    const text = readFileSync(path.join(root, 'test/fixtures/trainer/first-lab/lab.yaml'), 'utf8')
      .replace('id: my-first-tun', 'id: weak-check')
      .replace(
        '      - { kind: address, node: director, device: eth0, prefix: 32 }',
        '      - { kind: address, node: director, device: eth0, prefix: 32 }\n' +
          "      - { kind: command, node: director, run: 'true', reason: never fails }",
      );
    const dir = path.join(scratch, 'weak');
    await cp(path.join(root, 'test/fixtures/trainer/first-lab'), dir, { recursive: true });
    writeFileSync(path.join(dir, 'lab.yaml'), text);
    const report = await testLab(service, await service.resolveLab(path.join(dir, 'lab.yaml')), {
      engineName: 'built-in kernel',
    });
    expect(report.verdict).toBe('fail');
    expect(report.weakChecks).toEqual([
      { stepId: 'director-vip', label: expect.stringContaining('never fails') as string },
    ]);
    expect(report.reason).toMatch(/1 weak check/);
  });
});

describe("the guide's worked example, as a trainer ships it", () => {
  it('pack, import into a clean labs folder, test: exit 0', async () => {
    const bundle = path.join(scratch, 'my-first-tun.lvslab');
    const packed = await lvsLab('pack', path.join(root, 'test/fixtures/trainer/first-lab'), '-o', bundle);
    expect(packed.code, packed.stderr).toBe(0);
    const clean = mkdtempSync(path.join(os.tmpdir(), 'lvslab-kernel-clean-labs-'));
    const env = { LVS_LAB_USER_LABS: clean };
    const imported = await lvsLab.withEnv(env)('import', bundle);
    expect(imported.code, imported.stderr).toBe(0);
    const tested = await lvsLab.withEnv(env)('test', 'my-first-tun', '--json');
    expect(tested.code, tested.stdout + tested.stderr).toBe(0);
    const report = JSON.parse(tested.stdout) as LabTestReport;
    expect(report.probe?.answers).toEqual({ rs1: 6, rs2: 6 });
  });
});
