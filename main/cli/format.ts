// How the CLI prints results for a person. Colour only on a terminal.
import type { PreflightReport } from '../../shared/preflight.js';
import type { ProgressEvent } from '../../shared/progress.js';
import type { FaultInfo, FaultRunResult, StepCheckResult, StepRunResult } from '../../shared/results.js';
import type { ReproFile } from '../../shared/repro.js';
import type { LabInstanceStatus } from '../../shared/status.js';
import type { ReplayResult } from '../core/repro/replay.js';
import { describePacket, type TimelineEntry } from '../../shared/capture.js';
import type { LabSummary, StepInfo } from '../../shared/api.js';
import type { BuiltinStatus } from '../core/engines/builtin-kernel.js';
import type { LoadModulesResult } from '../core/preflight/load-modules.js';

const tty = process.stdout.isTTY && process.env.NO_COLOR === undefined;
const paint = (code: number) => (text: string) => (tty ? `\x1b[${code}m${text}\x1b[0m` : text);
const green = paint(32);
const red = paint(31);
const yellow = paint(33);
const dim = paint(2);
const bold = paint(1);

const mark = (ok: boolean) => (ok ? green('✓') : red('✗'));

export function progressLine(e: ProgressEvent): string {
  const state = e.state === 'done' ? green('done') : e.state === 'failed' ? red('failed') : '...';
  const fraction = e.fraction != null && e.state === 'working' ? ` ${Math.round(e.fraction * 100)}%` : '';
  return `${dim(`[${e.phase}]`)} ${e.name} ${state}${fraction}${e.message ? dim(` ${e.message}`) : ''}\n`;
}

export function labList(labs: LabSummary[], userLabsDir: string): string {
  const one = (l: LabSummary) =>
    l.error
      ? `${red(l.id)}  ${red('does not load:')}\n${l.error}`
      : `${bold(l.id)}  ${l.title}\n  ${l.difficulty}, ${l.steps} steps, ${l.base ? `builds on ${l.base}` : `follows ${l.seed}`}` +
        `${l.warnings ? `, ${yellow(`${l.warnings.length} lint warning(s)`)}` : ''}\n  ${dim(l.summary)}`;
  const builtin = labs.filter((l) => l.source === 'builtin').map(one);
  const user = labs.filter((l) => l.source === 'user').map(one);
  return [
    ...builtin,
    bold(`Your labs (${userLabsDir})`),
    ...(user.length > 0
      ? user
      : [dim('  none yet: lvs-lab copy LAB, lvs-lab import X.lvslab, or write a lab file there')]),
  ].join('\n\n');
}

export function preflight(report: PreflightReport): string {
  const lines = [bold(`Docker Engine at ${report.endpoint}`)];
  for (const item of report.items) {
    const icon =
      item.status === 'ok'
        ? green('✓')
        : item.status === 'warn'
          ? yellow('!')
          : item.status === 'fail'
            ? red('✗')
            : dim('-');
    lines.push(`${icon} ${item.title}: ${item.detail}`);
    // The fixes for this engine's platform; --json lists every platform's.
    const platform = report.engine?.platform;
    const fixes = item.fixes.filter((f) => platform === undefined || f.platform === platform);
    for (const fix of fixes) lines.push(`    ${dim(`fix (${fix.platform}):`)} ${fix.text}`);
  }
  lines.push(
    report.ok
      ? green('The labs can run on this engine.')
      : red('Some labs cannot run on this engine; see the fixes above.'),
  );
  return lines.join('\n');
}

export function loadModules(result: LoadModulesResult): string {
  const lines = result.loaded.map((m) => `${green('✓')} loaded ${m}`);
  for (const f of result.failed) lines.push(`${red('✗')} ${f.module}: ${f.message}`);
  return lines.join('\n');
}

export function started(status: LabInstanceStatus): string {
  return `${green('started')} ${status.labId} (instance ${status.instance})\n${nodes(status)}\n\nNext: lvs-lab steps`;
}

function nodes(status: LabInstanceStatus): string {
  return status.nodes
    .slice()
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(
      (n) =>
        `  ${n.name.padEnd(10)} ${n.role.padEnd(10)} ${(n.state === 'running' ? green : red)(n.state.padEnd(8))} ${Object.values(n.addresses).join(', ')}`,
    )
    .join('\n');
}

export function status(all: LabInstanceStatus[]): string {
  if (all.length === 0) return 'no lab is running';
  return all
    .map((s) => {
      const health =
        s.health === 'running' ? green(s.health) : s.health === 'degraded' ? yellow(s.health) : red(s.health);
      const problems = s.problems.map((p) => `  ${yellow('!')} ${p}`).join('\n');
      const networks = s.networks.map((n) => `${n.name} ${n.subnet}`).join(', ');
      return `${bold(s.labId)} ${health} (instance ${s.instance}, started ${s.startedAt})\n  networks: ${networks || 'none'}\n${nodes(s)}${problems ? `\n${problems}` : ''}`;
    })
    .join('\n\n');
}

export function steps(list: StepInfo[]): string {
  return list
    .map((s, i) => {
      const state =
        s.progress.checksOk === true
          ? green('done')
          : s.progress.checksOk === false
            ? red('checks failed')
            : s.progress.appliedAt
              ? yellow('applied')
              : dim('to do');
      const commands = Object.entries(s.commands)
        .map(([node, cmds]) => cmds.map((c) => `    ${dim(`${node}#`)} ${c}`).join('\n'))
        .join('\n');
      return `${bold(`${i + 1}. ${s.title}`)} ${dim(`[${s.id}]`)} ${state}\n${commands}`;
    })
    .join('\n\n');
}

export function checkResult(result: StepCheckResult): string {
  const lines = [`${mark(result.ok)} ${bold(result.stepId)}`];
  for (const c of result.checks)
    lines.push(`  ${mark(c.ok)} ${c.label}${c.ok ? '' : `\n      ${red(c.reason ?? 'failed')}`}`);
  return lines.join('\n');
}

export function stepResult(run: StepRunResult, check: StepCheckResult): string {
  const lines = [`${mark(run.ok && check.ok)} ${bold(run.stepId)}`];
  for (const c of run.commands) {
    const state =
      c.exitCode === 0 ? green('ok') : c.alreadyDone ? yellow('already done') : red(`exit ${c.exitCode}`);
    lines.push(`  ${dim(`${c.node}#`)} ${c.command}  ${state}`);
    if (c.exitCode !== 0 && c.output)
      lines.push(
        c.output
          .split('\n')
          .map((l) => `      ${l}`)
          .join('\n'),
      );
    if (c.hint) lines.push(`      ${yellow(`hint: ${c.hint}`)}`);
  }
  for (const s of run.skipped) lines.push(`  ${dim(`${s.node}# ${s.command}  not run`)}`);
  for (const c of check.checks)
    lines.push(`  ${mark(c.ok)} ${c.label}${c.ok ? '' : `\n      ${red(c.reason ?? 'failed')}`}`);
  return lines.join('\n');
}

/** The faults each node can take; those that are on are marked. */
export function faults(list: FaultInfo[]): string {
  const lines: string[] = [];
  let node = '';
  for (const f of list) {
    if (f.node !== node) {
      node = f.node;
      lines.push(bold(node));
    }
    const where = f.runsOn === f.node ? '' : dim(` (runs on ${f.runsOn})`);
    const on = f.brokenAt === undefined ? '' : `  ${red(`BROKEN since ${f.brokenAt}`)}`;
    lines.push(`  ${f.id.padEnd(18)} ${f.title}${where}${on}`);
  }
  lines.push(dim('Break one with: lvs-lab break NODE FAULT; put it back with: lvs-lab fix NODE [FAULT]'));
  return lines.join('\n');
}

/** One break or fix: what happened, and for a break the symptom to look for. */
export function faultRun(result: FaultRunResult, symptom?: string): string {
  const verb = result.action === 'break' ? 'broke' : 'fixed';
  const lines = [
    result.ok
      ? `${mark(true)} ${verb} ${bold(result.fault)} on ${result.node}`
      : `${mark(false)} could not ${result.action} ${bold(result.fault)} on ${result.node}`,
  ];
  // The commands are the fault's own scripts: show only the one that failed, with its output.
  for (const c of result.commands.filter((c) => c.exitCode !== 0 && !c.alreadyDone)) {
    lines.push(`  ${dim('failed:')} ${c.command}`, ...c.output.split('\n').map((l) => `      ${l}`));
  }
  if (result.rolledBack !== undefined) {
    lines.push(
      result.rolledBack
        ? '  what it had changed was put back'
        : red('  what it had changed could not be put back: it stays recorded as broken, for fix to retry'),
    );
  }
  if (result.ok && symptom) lines.push(`  ${dim('symptom:')} ${symptom}`);
  return lines.join('\n');
}

/** The merged timeline of a capture: time from the first packet, node and interface, the packet. */
export function captureTimeline(entries: TimelineEntry[], dir: string, written: string[]): string {
  const first = entries[0]?.timeUs ?? 0;
  const shown = entries.slice(0, CAPTURE_LINES);
  const lines = shown.map((e) => {
    const at = `+${((e.timeUs - first) / 1_000_000).toFixed(6)}`;
    const where = `${e.node}:${e.iface}`.padEnd(16);
    const dir_ = e.packet.direction === null ? '   ' : e.packet.direction.padEnd(3);
    const macs =
      e.packet.macSource === null
        ? ''
        : dim(
            `${e.packet.macSource}${e.packet.macDestination === null ? '' : ` > ${e.packet.macDestination}`} `,
          );
    return `${dim(at)} ${where} ${dir_} ${macs}${describePacket(e.packet)}`;
  });
  if (entries.length > shown.length)
    lines.push(dim(`… ${entries.length - shown.length} more packets in the files`));
  if (entries.length === 0) lines.push('no packets');
  lines.push(dim(`pcap files (open them in Wireshark): ${dir}`));
  for (const file of written) lines.push(dim(`written: ${file}`));
  return lines.join('\n');
}

/** A capture prints at most this many lines; the files have everything. */
const CAPTURE_LINES = 500;

export function reportSaved(report: ReproFile, file: string): string {
  const failed = report.outcome.checks.flatMap((s) =>
    s.checks.filter((c) => !c.ok).map((c) => `${s.stepId}: ${c.label}`),
  );
  const answers = Object.entries(report.outcome.probe.answers)
    .map(([node, n]) => `${node} ${n}`)
    .join(', ');
  return [
    `${mark(true)} saved ${bold(file)}: lab ${report.lab.id}, ${report.record.length} recorded actions, on ${report.environment.engine}`,
    `  checks: ${failed.length === 0 ? green('all pass') : red(`${failed.length} fail (${failed.join('; ')})`)}`,
    `  probe: ${answers || 'no answer'}${report.outcome.probe.failures > 0 ? red(`, ${report.outcome.probe.failures} failed`) : ''} of ${report.outcome.probe.requests}`,
    dim(`Replay it anywhere with: lvs-lab replay ${file}`),
  ].join('\n');
}

export function replayResult(repro: ReproFile, result: ReplayResult): string {
  const lines = [
    result.same
      ? `${mark(true)} the same outcome as the repro of ${repro.lab.id} (saved ${repro.createdAt})`
      : `${mark(false)} a different outcome from the repro of ${repro.lab.id} (saved ${repro.createdAt})`,
    ...result.differences.map((d) => `  ${red(d)}`),
  ];
  if (result.applyErrors.length > 0)
    lines.push(dim('  while applying the record:'), ...result.applyErrors.map((e) => `    ${e}`));
  if (result.environment.length > 0)
    lines.push(dim('  where this run differs:'), ...result.environment.map((e) => `    ${e}`));
  return lines.join('\n');
}

export function orphans(list: LabInstanceStatus[]): string {
  const lines = ['Found labs left behind:'];
  for (const o of list)
    lines.push(`  ${o.labId} (instance ${o.instance}): ${o.problems.join('; ') || o.health}`);
  lines.push('Remove them with: lvs-lab cleanup --yes');
  return lines.join('\n');
}

/** Quotes an argument of `exec NODE -- CMD...` for the node's shell. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A clear sentence for the usual ways the engine is out of reach. */
export function engineError(error: unknown): string | null {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT' || code === 'ECONNREFUSED') {
    return 'the Docker Engine is not running (run `lvs-lab preflight` for how to start it)';
  }
  if (code === 'EACCES')
    return 'permission denied on the Docker socket (run `lvs-lab preflight` for the fix)';
  return null;
}

export function engineStatus(status: BuiltinStatus): string {
  const lines = [`built-in kernel: ${status.state}${status.kernel ? ` (${status.kernel})` : ''}`];
  if (status.state === 'running') lines.push(`  engine socket: unix://${status.socketPath}`);
  if (status.detail) lines.push(`  ${status.detail}`);
  if (status.state === 'absent' || status.state === 'stopped')
    lines.push('  start it with: lvs-lab engine start');
  return lines.join('\n');
}

/** The preflight's last word: which engine runs the labs here. */
export function engineVerdict(serves: 'host' | 'builtin', hostLacks: string[]): string {
  if (serves === 'host') return green('The host engine runs the labs: its kernel has ip_vs and ipip.');
  return [
    `The labs run on LVS Lab's built-in kernel instead${hostLacks.length > 0 ? ` (the host kernel has no ${hostLacks.join(' and no ')})` : ''}:`,
    '  Linux 6.12 with IPVS, IPIP and arptables, and a Docker Engine inside, in one container on this engine.',
    '  `lvs-lab up` starts it by itself; `lvs-lab engine start` starts it now (about a minute the first time).',
  ].join('\n');
}
