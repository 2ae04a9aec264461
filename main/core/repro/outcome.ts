// What a running lab shows, in a form two runs can be compared by: every step's checks, and who
// answered a round of requests from the client.
import type { ReproOutcome } from '../../../shared/repro.js';
import type { StepCheckResult } from '../../../shared/results.js';
import { nodesWithRole, realServerPages, serviceUrl, type Lab } from '../lab/model.js';
import { attribute, curlSamplesScript, parseCurlSamples } from '../parsers/index.js';
import type { NodeExec } from '../engine/step-runner.js';

/** Enough requests for a round robin over a handful of servers to show its pattern. */
export const PROBE_REQUESTS = 12;

export async function probeRound(
  lab: Lab,
  exec: NodeExec,
  requests = PROBE_REQUESTS,
  timeoutSeconds = 2,
): Promise<ReproOutcome['probe']> {
  const client = nodesWithRole(lab, 'client')[0]?.name;
  if (client === undefined) return { requests: 0, answers: {}, failures: 0, sequence: [] };
  const result = await exec(
    client,
    curlSamplesScript(serviceUrl(lab), requests, timeoutSeconds),
    requests * (timeoutSeconds + 1) * 1000 + 10_000,
  );
  const sequence = attribute(parseCurlSamples(result.stdout), realServerPages(lab)).map((s) =>
    s.curlExit !== 0 || s.status === null ? 'failed' : (s.node ?? 'unknown'),
  );
  const answers: Record<string, number> = {};
  for (const node of sequence) if (node !== 'failed') answers[node] = (answers[node] ?? 0) + 1;
  return { requests, answers, failures: sequence.filter((s) => s === 'failed').length, sequence };
}

export function outcomeOf(checks: StepCheckResult[], probe: ReproOutcome['probe']): ReproOutcome {
  return {
    checks: checks.map((step) => ({
      stepId: step.stepId,
      ok: step.ok,
      checks: step.checks.map((c) => ({
        label: c.label,
        ok: c.ok,
        ...(c.reason === undefined ? {} : { reason: c.reason }),
      })),
    })),
    probe,
  };
}

/**
 * What differs between two outcomes, in words; empty when they are the same. A check is judged
 * by whether it passed (its reason may carry counters that differ run to run); the probe by who
 * answered and whether requests failed, with one request of slack per server for a round robin
 * that started on the other server.
 */
export function compareOutcomes(expected: ReproOutcome, actual: ReproOutcome): string[] {
  const differences: string[] = [];
  const actualSteps = new Map(actual.checks.map((s) => [s.stepId, s]));
  for (const step of expected.checks) {
    const now = actualSteps.get(step.stepId);
    if (!now) {
      differences.push(`step ${step.stepId} was not checked`);
      continue;
    }
    step.checks.forEach((check, i) => {
      const other = now.checks[i];
      if (!other) differences.push(`step ${step.stepId}: check "${check.label}" is missing`);
      else if (other.ok !== check.ok) {
        differences.push(
          `step ${step.stepId}: "${check.label}" ${check.ok ? 'passed' : 'failed'} before, ${other.ok ? 'passes' : `fails (${other.reason ?? 'no reason'})`} now`,
        );
      }
    });
  }
  const servers = new Set([...Object.keys(expected.probe.answers), ...Object.keys(actual.probe.answers)]);
  for (const server of [...servers].sort()) {
    const before = expected.probe.answers[server] ?? 0;
    const now = actual.probe.answers[server] ?? 0;
    if ((before === 0) !== (now === 0) || Math.abs(before - now) > 1) {
      differences.push(
        `probe: ${server} answered ${before} of ${expected.probe.requests} before, ${now} now`,
      );
    }
  }
  if ((expected.probe.failures === 0) !== (actual.probe.failures === 0)) {
    differences.push(
      `probe: ${expected.probe.failures} of ${expected.probe.requests} requests failed before, ${actual.probe.failures} now`,
    );
  }
  return differences;
}
