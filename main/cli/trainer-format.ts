// Text for the trainer's commands, as pure functions (the JSON form is the report itself).
import type { LabTestReport } from '../core/lab-test/lab-test.js';

const mark = (ok: boolean) => (ok ? 'ok  ' : 'FAIL');

/** `lvs-lab test`: per step, each check before and after, then the probe and the verdict. */
export function testReport(report: LabTestReport): string {
  const lines = [`test ${report.lab} on ${report.engine} (${report.file})`];
  if (report.verdict === 'skip') return [...lines, `SKIP: ${report.reason ?? ''}`].join('\n');
  for (const step of report.steps) {
    lines.push(`${mark(step.ok)} step ${step.stepId}: ${step.title}`);
    for (const failure of step.commandFailures) lines.push(`       command failed: ${failure}`);
    for (const check of step.checks) {
      const before = check.before
        ? check.holdsBefore
          ? 'held before (holdsBefore)'
          : 'WEAK: already passed before the step'
        : 'failed before';
      const after = check.after ? 'passes after' : `FAILS after${check.reason ? `: ${check.reason}` : ''}`;
      lines.push(`       ${check.label}: ${before}, ${after}`);
    }
  }
  if (report.probe) {
    const answers = Object.entries(report.probe.answers)
      .map(([node, n]) => `${node} ${n}`)
      .join(', ');
    lines.push(
      `probe: ${report.probe.requests} requests: ${answers || 'no answer'}${report.probe.failures > 0 ? `, ${report.probe.failures} failed` : ''}`,
      `       order: ${report.probe.sequence.join(' ')}`,
    );
  }
  if (report.weakChecks.length > 0) {
    lines.push('weak checks (they pass before their step, so they cannot show it was needed;');
    lines.push('  make them fail without the step, or mark them holdsBefore: true):');
    for (const weak of report.weakChecks) lines.push(`  step ${weak.stepId}: ${weak.label}`);
  }
  lines.push(
    `${report.verdict === 'pass' ? 'PASS' : 'FAIL'}${report.reason ? `: ${report.reason}` : ''} (${report.seconds} s)`,
  );
  return lines.join('\n');
}
