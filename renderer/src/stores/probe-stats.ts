// The numbers the round-robin panel shows, as pure functions over samples, so that they can be
// tested without a store or a page.
import type { IpvsView, LabDetail, ProbeSample } from '../../../shared/api.js';
import { expectationForService } from '../../../shared/expected-shares.js';

/** The p-th percentile (0..100) of values, nearest-rank; null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? null;
}

export function latencyPercentiles(samples: readonly ProbeSample[]): {
  p50: number | null;
  p95: number | null;
} {
  const values = samples
    .filter((s) => s.error === null && s.latencyMs !== null)
    .map((s) => s.latencyMs as number);
  return { p50: percentile(values, 50), p95: percentile(values, 95) };
}

/** Answers per second over the last windowMs of probe time (sample.at is ms since the start). */
export function rollingRate(samples: readonly ProbeSample[], windowMs = 5000): number {
  const last = samples[samples.length - 1];
  if (!last) return 0;
  const from = last.at - windowMs;
  let n = 0;
  for (let i = samples.length - 1; i >= 0; i--) {
    const sample = samples[i];
    if (!sample || sample.at <= from) break;
    n++;
  }
  const span = Math.min(windowMs, Math.max(last.at, 1));
  return (n * 1000) / span;
}

export function isTimeout(error: string): boolean {
  return /time(d)?\s*out/i.test(error);
}

/**
 * The split the panel shows beside the answers: the shared model (shared/expected-shares.ts,
 * the CLI's too) in the panel's terms.
 */
export interface ExpectedShares {
  scheduler: string;
  /** node (or address) -> share 0..1; null when no split can be predicted (the note says why). */
  shares: Record<string, number> | null;
  /** Where the scheduler and weights came from: the live IPVS table or the lab file. */
  source: 'ipvs' | 'lab';
  note?: string;
}

/**
 * The expected split for a lab, from the live IPVS table when it has the lab's service.
 * `observed`, the answers per node so far, names the one server of a hashing or persistent
 * service; without it that split is not predicted.
 */
export function expectedForLab(
  detail: LabDetail,
  ipvs: IpvsView | null,
  observed?: Readonly<Record<string, number>>,
): ExpectedShares {
  const realServers = detail.nodes.filter((n) => n.role === 'realserver').map((n) => n.name);
  const { expected, source } = expectationForService(detail.service, realServers, ipvs, observed);
  return {
    scheduler: expected.scheduler,
    shares: Object.keys(expected.shares).length > 0 ? expected.shares : null,
    source,
    note: source === 'ipvs' ? expected.note : `${expected.note}; ${fromLabFile(ipvs)}`,
  };
}

function fromLabFile(ipvs: IpvsView | null): string {
  if (ipvs === null) return 'from the lab file, weight 1 each, until the IPVS table is read';
  if (ipvs.error !== null)
    return `from the lab file, weight 1 each: the IPVS table cannot be read (${ipvs.error})`;
  return "from the lab file, weight 1 each: the director has no IPVS service for the lab's VIP yet";
}
