// Applies a lab step (its commands, one exec per node, nodes in parallel) and checks it.
import { randomBytes } from 'node:crypto';
import { STDOUT_MATCH_FLAGS, type Check, type LabStep } from '../../../shared/lab-schema.js';
import type { CheckResult, CommandResult, StepCheckResult, StepRunResult } from '../../../shared/results.js';
import type { ExecResult } from '../docker/exec.js';
import { director, nodesWithRole, realServerPages, serviceUrl, type Lab } from '../lab/model.js';
import { evaluateHttp, evaluateStateCheck, type CaptureOutcome } from '../checks/evaluate.js';
import { captureReplies } from '../checks/reply-capture.js';
import { errorText } from '../errors.js';
import { gatherFacts } from '../checks/facts.js';
import { attribute, curlSamplesScript, parseCurlSamples, shellQuote } from '../parsers/index.js';
import { PatternMatcher } from './pattern-matcher.js';

export type NodeExec = (node: string, script: string, timeoutMs?: number) => Promise<ExecResult>;

/**
 * Errors that mean "this is already done", so that running a step twice is harmless:
 * iproute2's RTNETLINK "File exists", ipvsadm's duplicate service or destination.
 */
const ALREADY_DONE = [
  /RTNETLINK answers: File exists/,
  /Service already exists/,
  /Destination already exists/,
];

/** Failures whose cause is the Docker host, not the learner's command, and what to do about them. */
const HINTS: [RegExp, string][] = [
  [
    /Can't initialize ipvs|Protocol not available/,
    "the Docker host's kernel has no IPVS (ip_vs); run `lvs-lab preflight` for the fix on your platform",
  ],
  [
    /Unknown device type|Cannot find device "tunl0"|tunl0.*No such device/,
    "the Docker host's kernel has not loaded ipip, so there is no tunl0; run `lvs-lab preflight`",
  ],
  [
    /proc\/sys.*Read-only file system|permission denied on key/,
    'the engine keeps /proc/sys read-only in containers; run `lvs-lab preflight` for why and the fix',
  ],
  [
    /TABLE_ADD failed|can't initialize arptables table/,
    'the host kernel lacks the ARP tables modules (arp_tables, arptable_filter, arpt_mangle); run `lvs-lab preflight`',
  ],
];

export function hintFor(output: string): string | undefined {
  return HINTS.find(([pattern]) => pattern.test(output))?.[1];
}

export function parseCommandsOutput(
  node: string,
  commands: readonly string[],
  output: string,
  marker: string,
) {
  const results: CommandResult[] = [];
  const pattern = new RegExp(`^${marker} (\\d+)\\n([\\s\\S]*?)^${marker}-rc \\d+ (\\d+)$`, 'gm');
  for (const match of output.matchAll(pattern)) {
    const index = Number(match[1]);
    const text = match[2] ?? '';
    const exitCode = Number(match[3]);
    const alreadyDone = exitCode !== 0 && ALREADY_DONE.some((p) => p.test(text));
    const hint = exitCode !== 0 && !alreadyDone ? hintFor(text) : undefined;
    results.push({
      node,
      command: commands[index] ?? '',
      exitCode,
      output: text.replace(/\n$/, ''),
      alreadyDone,
      ...(hint === undefined ? {} : { hint }),
    });
  }
  return results;
}

export async function runStep(step: LabStep, exec: NodeExec): Promise<StepRunResult> {
  const perNode = await Promise.all(
    Object.entries(step.commands).map(([node, commands]) => runNodeCommands(node, commands, exec)),
  );
  const commands = perNode.flatMap((p) => p.ran);
  const skipped = perNode.flatMap((p) => p.skipped.map((command) => ({ node: p.node, command })));
  const ok = skipped.length === 0 && commands.every((c) => c.exitCode === 0 || c.alreadyDone);
  return { stepId: step.id, ok, commands, skipped };
}

/**
 * Runs one node's commands in one exec, in order, stopping at the first that really failed.
 * `preamble` runs first in the same shell (variables for the commands); it must print nothing.
 */
export async function runNodeCommands(
  node: string,
  commands: readonly string[],
  exec: NodeExec,
  preamble = '',
): Promise<{ node: string; ran: CommandResult[]; skipped: string[] }> {
  const marker = `@@lvslab-${randomBytes(6).toString('hex')}`;
  const script = commandsScript(commands, marker);
  const result = await exec(node, preamble === '' ? script : `${preamble}\n${script}`, 120_000);
  const ran = parseCommandsOutput(node, commands, result.stdout, marker);
  const cutOff = commands[ran.length];
  if (result.timedOut && cutOff !== undefined) {
    ran.push({
      node,
      command: cutOff,
      exitCode: 124,
      output: 'timed out: the command did not finish in time',
      alreadyDone: false,
    });
  }
  return { node, ran, skipped: commands.slice(ran.length) };
}

/**
 * One script for a node's commands. Each runs in its own subshell with stderr folded into
 * stdout, so its output keeps its order, and the node stops at the first command that really
 * failed, as a person would.
 */
export function commandsScript(commands: readonly string[], marker: string): string {
  const done = ALREADY_DONE.map((p) => p.source).join('|');
  return commands
    .map(
      (command, i) =>
        `echo '${marker} ${i}'; out=$( ( ${command}\n) 2>&1 ); rc=$?; [ -n "$out" ] && printf '%s\\n' "$out"; ` +
        `echo "${marker}-rc ${i} $rc"; if [ $rc -ne 0 ] && ! printf '%s' "$out" | grep -qE ${shellQuote(done)}; then exit $rc; fi`,
    )
    .join('\n');
}

export async function checkStep(lab: Lab, step: LabStep, exec: NodeExec): Promise<StepCheckResult> {
  const checks = await runChecks(lab, step.checks, exec);
  return { stepId: step.id, ok: checks.every((c) => c.ok), checks };
}

/**
 * Runs the checks in two phases: first those that act (HTTP requests, commands), in order, then
 * one read of every node's state for the rest, so that counters read after the requests.
 */
export async function runChecks(lab: Lab, checks: readonly Check[], exec: NodeExec): Promise<CheckResult[]> {
  const acted = new Map<Check, CheckResult>();
  const captures = new Map<Check, CaptureOutcome>();
  for (const check of checks) {
    if (check.kind === 'http') acted.set(check, await runHttpCheck(lab, check, exec));
    if (check.kind === 'command') acted.set(check, await runCommandCheck(check, exec));
    // Where the replies go is seen in the packets, while requests flow; the counters are read after.
    if (check.kind === 'replies-bypass-director') captures.set(check, await captureFor(lab, check, exec));
  }
  const stateChecks = checks.filter((c) => c.kind !== 'http' && c.kind !== 'command');
  const evaluate = async (list: readonly Check[]) => {
    const facts =
      list.length > 0
        ? await gatherFacts(lab, list, (node, script) => exec(node, script, 30_000))
        : new Map();
    return new Map(list.map((check) => [check, evaluateStateCheck(check, lab, facts, captures)]));
  };
  const results = await evaluate(stateChecks);
  // IPVS copies its packet counters out on its estimator tick, every 2 s, so counters read just
  // after the requests may still be 0. Read those again, a bounded number of times.
  for (let attempt = 0; attempt < STATS_RETRIES; attempt++) {
    const lagging = stateChecks.filter(
      (c) => c.kind === 'replies-bypass-director' && results.get(c)?.reason?.includes('InPkts 0'),
    );
    if (lagging.length === 0) break;
    await new Promise((resolve) => setTimeout(resolve, STATS_SETTLE_MS));
    for (const [check, result] of await evaluate(lagging)) results.set(check, result);
  }
  return checks.map(
    (check) => acted.get(check) ?? results.get(check) ?? evaluateStateCheck(check, lab, new Map()),
  );
}

async function captureFor(
  lab: Lab,
  check: Extract<Check, { kind: 'replies-bypass-director' }>,
  exec: NodeExec,
): Promise<CaptureOutcome> {
  const client = check.from ?? nodesWithRole(lab, 'client')[0]?.name;
  if (client === undefined) return { ok: false, error: `lab ${lab.id} has no client to send requests from` };
  try {
    const capture = await captureReplies(exec, {
      director: check.node ?? director(lab).name,
      client,
      url: serviceUrl(lab),
      requests: check.requests,
      timeoutSeconds: 2,
    });
    return { ok: true, capture };
  } catch (error) {
    return { ok: false, error: errorText(error) };
  }
}

/** IPVS's estimator runs every 2 s: two waits of 1.2 s cover one tick with margin. */
const STATS_RETRIES = 2;
const STATS_SETTLE_MS = 1_200;

async function runHttpCheck(
  lab: Lab,
  check: Extract<Check, { kind: 'http' }>,
  exec: NodeExec,
): Promise<CheckResult> {
  const url = check.url ?? serviceUrl(lab);
  try {
    const budget = check.requests * (check.timeoutSeconds + 1) * 1000 + 10_000;
    const result = await exec(
      check.from,
      curlSamplesScript(url, check.requests, check.timeoutSeconds),
      budget,
    );
    return evaluateHttp(check, lab, attribute(parseCurlSamples(result.stdout), realServerPages(lab)));
  } catch (error) {
    return {
      kind: check.kind,
      label: `requests from ${check.from} to ${url}`,
      ok: false,
      reason: (error as Error).message,
    };
  }
}

/** Trainers' patterns run off the main thread, with a time limit (one worker for the process). */
const patterns = new PatternMatcher();

async function runCommandCheck(
  check: Extract<Check, { kind: 'command' }>,
  exec: NodeExec,
): Promise<CheckResult> {
  const label =
    check.reason === undefined ? `\`${check.run}\` on ${check.node} succeeds` : `not: ${check.reason}`;
  try {
    const result = await exec(check.node, check.run, 30_000);
    const output = result.stdout + result.stderr;
    const because = (why: string) => check.reason ?? why;
    if (result.exitCode !== check.exitCode) {
      return {
        kind: check.kind,
        label,
        ok: false,
        reason: because(
          `\`${check.run}\` on ${check.node} exited ${result.exitCode}, expected ${check.exitCode}: ${output.trim().slice(0, 200)}`,
        ),
      };
    }
    if (check.stdoutIncludes !== undefined && !result.stdout.includes(check.stdoutIncludes)) {
      return {
        kind: check.kind,
        label,
        ok: false,
        reason: because(`the output of \`${check.run}\` on ${check.node} lacks "${check.stdoutIncludes}"`),
      };
    }
    if (check.stdoutMatches !== undefined) {
      const outcome = await patterns.test(check.stdoutMatches, STDOUT_MATCH_FLAGS, result.stdout);
      // A pattern that cannot be evaluated is the lab file's fault: said as is, not as the trainer's reason.
      const failure =
        outcome.kind === 'no-match'
          ? because(`the output of \`${check.run}\` on ${check.node} does not match /${check.stdoutMatches}/`)
          : outcome.kind === 'timeout'
            ? `the pattern /${check.stdoutMatches}/ took longer than ${outcome.timeoutMs} ms on the output of \`${check.run}\` on ${check.node}; simplify it (nested repetitions such as (a+)+ backtrack without end)`
            : outcome.kind === 'error'
              ? `the pattern /${check.stdoutMatches}/ could not be evaluated: ${outcome.message}`
              : null;
      if (failure !== null) return { kind: check.kind, label, ok: false, reason: failure };
    }
    return { kind: check.kind, label, ok: true };
  } catch (error) {
    return { kind: check.kind, label, ok: false, reason: (error as Error).message };
  }
}
