// The numbers the round-robin panel shows, as pure functions over samples, so that they can be
// tested without a store or a page.
import type { IpvsView, LabDetail, ProbeSample } from '../../../shared/api.js';

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

export interface ServerWeight {
  /** The node's name, or the real server's address when no node is known. */
  key: string;
  weight: number;
}

export interface ExpectedShares {
  scheduler: string;
  /** key -> share 0..1; null when the scheduler gives no fixed split (lc, sh, ...). */
  shares: Record<string, number> | null;
  /** Where the weights came from: the live IPVS table or the lab file. */
  source: 'ipvs' | 'lab';
  note?: string;
}

/**
 * The split the scheduler aims for. rr: equal among servers with weight > 0 (IPVS skips weight 0);
 * wrr: proportional to weight. Others depend on load or on the client's address.
 */
export function expectedShares(
  scheduler: string,
  servers: readonly ServerWeight[],
): Record<string, number> | null {
  const active = servers.filter((s) => s.weight > 0);
  const shares: Record<string, number> = {};
  for (const server of servers) shares[server.key] = 0;
  if (active.length === 0) return shares;
  if (scheduler === 'rr') {
    for (const server of active) shares[server.key] = 1 / active.length;
    return shares;
  }
  if (scheduler === 'wrr') {
    const total = active.reduce((sum, s) => sum + s.weight, 0);
    for (const server of active) shares[server.key] = server.weight / total;
    return shares;
  }
  return null;
}

/** The expected split for a lab, from the live IPVS table when it has the lab's service. */
export function expectedForLab(detail: LabDetail, ipvs: IpvsView | null): ExpectedShares {
  const service =
    ipvs?.error === null
      ? (ipvs.services.find((s) => s.address === detail.service.vip && s.port === detail.service.port) ??
        (ipvs.services.length === 1 ? ipvs.services[0] : undefined))
      : undefined;
  if (service) {
    const servers = service.realServers.map((rs) => ({ key: rs.node ?? rs.address, weight: rs.weight }));
    const shares = expectedShares(service.scheduler, servers);
    return {
      scheduler: service.scheduler,
      shares,
      source: 'ipvs',
      ...(shares === null ? { note: `${service.scheduler} has no fixed split: it depends on load` } : {}),
    };
  }
  // Before the director is configured, or without a table: the lab file's scheduler, weight 1 each.
  const scheduler = detail.service.scheduler;
  const servers = detail.nodes
    .filter((n) => n.role === 'realserver')
    .map((n) => ({ key: n.name, weight: 1 }));
  const shares = expectedShares(scheduler, servers);
  return {
    scheduler,
    shares,
    source: 'lab',
    note:
      shares === null
        ? `${scheduler} has no fixed split: it depends on load`
        : ipvs?.error
          ? `from the lab file: the IPVS table cannot be read (${ipvs.error})`
          : scheduler === 'wrr'
            ? 'weights assumed equal until the IPVS table is read'
            : 'from the lab file; the IPVS table has not been read yet',
  };
}
