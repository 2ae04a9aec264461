// `lvs-lab probe`: a probe on the running lab, one line of figures per second and a summary at
// the end. The text is made here (pure functions) and written through the caller's `write`, so
// the core never prints.
import type { IpvsView } from '../../../shared/api.js';
import { expectationForService, type ExpectedShares } from '../../../shared/expected-shares.js';
import { nodesWithRole, serviceUrl, type Lab } from '../lab/model.js';
import type { LabRuntime } from '../runtime/lab-runtime.js';
import { readIpvsView } from './ipvs-view.js';
import { ProbeManager } from './manager.js';
import { ProbeStats, type ProbeStatsSnapshot } from './stats.js';

export interface LiveProbeOptions {
  ratePerSecond: number;
  durationSeconds: number;
  json: boolean;
  /** Aborting stops the probe early (Ctrl-C); the summary is still printed. */
  signal?: AbortSignal;
}

export interface LiveProbeResult {
  probeId: string;
  labId: string;
  url: string;
  client: string;
  ratePerSecond: number;
  durationSeconds: number;
  reason: string;
  stats: ProbeStatsSnapshot;
  /** The director's table and every node's interface counters, read after the probe. */
  ipvs: IpvsView | null;
}

/**
 * What the scheduler should give each real server, from the director's live table (scheduler,
 * weights, persistence); from the lab file (weight 1 each) when the table cannot be read.
 */
export function expectationFor(
  lab: Lab,
  view: IpvsView | null,
  observed?: Record<string, number>,
): ExpectedShares {
  const realServers = nodesWithRole(lab, 'realserver').map((n) => n.name);
  return expectationForService(lab.service, realServers, view, observed).expected;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/** One line of live figures: per server count, share and expected share, errors, rate, p50. */
export function liveLine(elapsedSeconds: number, s: ProbeStatsSnapshot): string {
  const servers = s.servers
    .map(
      (v) => `${v.node} ${v.count} ${pct(v.share)}${v.expected === null ? '' : ` (exp ${pct(v.expected)})`}`,
    )
    .join(' | ');
  const other = s.unattributed > 0 ? ` | other ${s.unattributed}` : '';
  const p50 = s.latencyMs ? `p50 ${ms(s.latencyMs.p50)} ms` : 'p50 -';
  return `${elapsedSeconds.toFixed(0).padStart(4)}s  ${servers || 'no answers'}${other} | errors ${s.errors} | ${s.ratePerSecond.toFixed(1)} req/s | ${p50}`;
}

/** The closing summary. */
export function summaryText(r: LiveProbeResult): string {
  const s = r.stats;
  const width = Math.max(8, ...s.servers.map((v) => v.node.length));
  const lines = [
    `probe ${r.url} from ${r.client}: ${s.total} requests, ${s.answered} answered, ${s.errors} failed (${r.reason})`,
  ];
  for (const v of s.servers) {
    lines.push(
      `  ${v.node.padEnd(width)} ${String(v.count).padStart(7)}  ${pct(v.share).padStart(6)}` +
        (v.expected === null ? '' : `  expected ${pct(v.expected)}`),
    );
  }
  if (s.unattributed > 0)
    lines.push(
      `  ${'other'.padEnd(width)} ${String(s.unattributed).padStart(7)}  (a page of no known real server)`,
    );
  if (s.errors > 0) {
    const kinds = Object.entries(s.errorsByKind)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    lines.push(`  ${'errors'.padEnd(width)} ${String(s.errors).padStart(7)}  ${kinds}`);
  }
  if (s.expected) lines.push(`  scheduler ${s.expected.scheduler}: ${s.expected.note}`);
  if (s.latencyMs) {
    const l = s.latencyMs;
    lines.push(
      `  latency p50 ${ms(l.p50)} ms, p90 ${ms(l.p90)} ms, p99 ${ms(l.p99)} ms, max ${ms(l.max)} ms`,
    );
  }
  const service = r.ipvs?.services[0];
  if (r.ipvs && service) {
    lines.push(
      `  director: InPkts ${service.stats.inPkts}, OutPkts ${service.stats.outPkts}` +
        (service.stats.inPkts > 0 && service.stats.outPkts === 0
          ? ' (the replies bypass the director)'
          : '') +
        ' (IPVS counters lag up to 2 s)',
    );
  } else if (r.ipvs?.error) {
    lines.push(`  director: ${r.ipvs.error}`);
  }
  return lines.join('\n');
}

/** Runs a probe on the running lab, writing a line per second (text) and the result at the end. */
export async function runLiveProbe(
  runtime: LabRuntime,
  lab: Lab,
  options: LiveProbeOptions,
  write: (line: string) => void,
): Promise<LiveProbeResult> {
  const before = await readIpvsView(runtime, lab);
  const realServers = nodesWithRole(lab, 'realserver').map((n) => n.name);
  const stats = new ProbeStats({ nodes: realServers });
  let resolveEnd: (reason: string) => void = () => undefined;
  const ended = new Promise<string>((resolve) => (resolveEnd = resolve));
  const manager = new ProbeManager(runtime, {
    samples: (batch) => {
      stats.add(batch.samples);
    },
    end: (_id, reason) => {
      resolveEnd(reason);
    },
  });
  const url = serviceUrl(lab);
  const client = nodesWithRole(lab, 'client')[0]?.name ?? '';
  const { probeId } = await manager.start('cli', lab, {
    ratePerSecond: options.ratePerSecond,
    durationSeconds: options.durationSeconds,
  });
  const started = performance.now();
  const onAbort = () => void manager.stop(probeId);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  const ticker = options.json
    ? null
    : setInterval(() => {
        const snapshot = stats.snapshot(expectationFor(lab, before, stats.observed()));
        write(liveLine((performance.now() - started) / 1000, snapshot));
      }, 1000);
  let reason: string;
  try {
    reason = await ended;
  } finally {
    if (ticker) clearInterval(ticker);
    options.signal?.removeEventListener('abort', onAbort);
    await manager.stopAll();
  }
  const after = await readIpvsView(runtime, lab);
  const result: LiveProbeResult = {
    probeId,
    labId: lab.id,
    url,
    client,
    ratePerSecond: options.ratePerSecond,
    durationSeconds: options.durationSeconds,
    reason,
    stats: stats.snapshot(expectationFor(lab, before, stats.observed())),
    ipvs: after,
  };
  write(options.json ? JSON.stringify(result, null, 2) : summaryText(result));
  return result;
}
