// `lvs-lab test`, a trainer's CI for a lab: bring it up from scratch, and for each step run its
// checks before the step (they must fail: a check that already holds proves nothing about the
// step) and after it (they must pass); then send a round of requests and tear the lab down.
import type { StepRunResult } from '../../../shared/results.js';
import type { LabStep } from '../../../shared/lab-schema.js';
import { LabError } from '../errors.js';
import type { LabService } from '../lab-service.js';
import type { Lab } from '../lab/model.js';
import { runChecks } from '../engine/step-runner.js';
import { probeRound } from '../repro/outcome.js';

export type TestVerdict = 'pass' | 'fail' | 'skip';

export interface CheckTest {
  label: string;
  /** Passed before its step was applied. */
  before: boolean;
  after: boolean;
  /** The lab says it may hold before its step (`holdsBefore: true`). */
  holdsBefore: boolean;
  /** Passed before its step without `holdsBefore`: it cannot show the step was needed. */
  weak: boolean;
  /** Why it failed after the step. */
  reason?: string;
}

export interface StepTest {
  stepId: string;
  title: string;
  ok: boolean;
  /** Commands that failed (and those skipped after them), as `node: command: output`. */
  commandFailures: string[];
  checks: CheckTest[];
}

export interface LabTestReport {
  lab: string;
  file: string;
  engine: string;
  verdict: TestVerdict;
  /** Why it was skipped, or what failed first. */
  reason?: string;
  steps: StepTest[];
  weakChecks: { stepId: string; label: string }[];
  probe: { requests: number; answers: Record<string, number>; failures: number; sequence: string[] } | null;
  seconds: number;
}

export interface LabTestOptions {
  engineName: string;
  /** Leave the lab running at the end (to look at it). */
  keep?: boolean;
  say?: (line: string) => void;
}

/** The exit code of `lvs-lab test`: 0 pass, 1 fail, 4 skip (the engine lacks a kernel feature). */
export function exitCodeOf(verdict: TestVerdict): number {
  return verdict === 'pass' ? 0 : verdict === 'skip' ? 4 : 1;
}

export async function testLab(
  service: LabService,
  lab: Lab,
  options: LabTestOptions,
): Promise<LabTestReport> {
  const say = options.say ?? (() => undefined);
  const started = Date.now();
  const report: LabTestReport = {
    lab: lab.id,
    file: lab.source,
    engine: options.engineName,
    verdict: 'pass',
    steps: [],
    weakChecks: [],
    probe: null,
    seconds: 0,
  };
  const finish = (verdict: TestVerdict, reason?: string): LabTestReport => ({
    ...report,
    verdict,
    ...(reason === undefined ? {} : { reason }),
    seconds: Math.round((Date.now() - started) / 100) / 10,
  });

  const preflight = await service.preflight();
  if (!preflight.ok) {
    const missing = preflight.items.filter((i) => i.status === 'fail').map((i) => i.title);
    return finish('skip', `this engine cannot run LVS-TUN: ${missing.join('; ')}`);
  }
  if ((await service.status()).some((s) => s.labId === lab.id)) {
    throw new LabError(
      `lab ${lab.id} is running: a test brings it up from scratch`,
      `stop it first: lvs-lab down ${lab.id}`,
    );
  }
  say(`starting ${lab.id}`);
  await service.up(lab.source);
  try {
    const exec = service.nodeExec(lab.id);
    for (const step of lab.steps) {
      say(`step ${step.id}: checks before, apply, checks after`);
      const result = await testStep(service, lab, step, exec);
      report.steps.push(result);
      for (const check of result.checks)
        if (check.weak) report.weakChecks.push({ stepId: step.id, label: check.label });
    }
    say('sending a round of requests');
    report.probe = await probeRound(lab, exec);
  } finally {
    if (!options.keep) {
      say(`removing ${lab.id}`);
      await service.down(lab.id);
    }
  }
  const failed = report.steps.find((s) => !s.ok);
  if (failed) return finish('fail', `step ${failed.stepId} failed`);
  const firstWeak = report.weakChecks[0];
  if (firstWeak)
    return finish(
      'fail',
      `${report.weakChecks.length} weak check(s): "${firstWeak.label}" already passes before step ${firstWeak.stepId}`,
    );
  if (answeredCount(report) === 0)
    return finish('fail', 'no request to the service was answered after the last step');
  return finish('pass');
}

function answeredCount(report: LabTestReport): number {
  return Object.values(report.probe?.answers ?? {}).reduce((a, b) => a + b, 0);
}

async function testStep(
  service: LabService,
  lab: Lab,
  step: LabStep,
  exec: ReturnType<LabService['nodeExec']>,
): Promise<StepTest> {
  const before = await runChecks(lab, step.checks, exec);
  const run = await service.applyStep(step.id, lab.id);
  const after = await runChecks(lab, step.checks, exec);
  const checks = step.checks.map((check, i): CheckTest => {
    const was = before[i]?.ok ?? false;
    const is = after[i];
    const holdsBefore = check.holdsBefore === true;
    return {
      label: is?.label ?? check.kind,
      before: was,
      after: is?.ok ?? false,
      holdsBefore,
      weak: was && !holdsBefore,
      ...(is?.ok === false && is.reason !== undefined ? { reason: is.reason } : {}),
    };
  });
  return {
    stepId: step.id,
    title: step.title,
    ok: run.ok && checks.every((c) => c.after),
    commandFailures: commandFailures(run),
    checks,
  };
}

function commandFailures(run: StepRunResult): string[] {
  return [
    ...run.commands
      .filter((c) => c.exitCode !== 0 && !c.alreadyDone)
      .map((c) => `${c.node}: ${c.command}: ${c.output.trim().split('\n')[0] ?? ''}`),
    ...run.skipped.map((s) => `${s.node}: ${s.command}: not run (an earlier command failed)`),
  ];
}
