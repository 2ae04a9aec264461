// The share of the answers each real server should get from a scheduler, for the probe: one
// model for the CLI (main/core/probe) and the GUI (renderer/src/stores/probe-stats.ts), so that
// both say the same. Pure, and it imports only shared types: the renderer runs it too.
import type { IpvsView } from './api.js';

export interface RealServerWeight {
  node: string;
  weight: number;
}

export interface ExpectedShares {
  scheduler: string;
  /**
   * equal: the same share for every server of weight > 0; weights: weight / sum of weights;
   * one-server: every answer from one server, which one cannot be known in advance; none: no
   * server can be chosen (all weights 0); unknown: this scheduler has no share worth predicting.
   */
  basis: 'equal' | 'weights' | 'one-server' | 'none' | 'unknown';
  /** Expected fraction (0..1) of the attributed answers per node; empty when none can be given. */
  shares: Record<string, number>;
  /** One sentence for the panel: why these shares. */
  note: string;
}

/**
 * The share of answers each real server should get from the probe: one client address, many
 * short independent connections (a new TCP connection per request).
 *
 * - rr: equal among the servers of weight > 0 (rr ignores weights but skips weight 0).
 * - wrr: weight / sum of weights.
 * - lc: equal among weight > 0. lc picks the server with the least `activeconns * 256 +
 *   inactconns`. The probe's connections are short, and in LVS-TUN the director sees only the
 *   client's half of each, so every finished connection lingers as inactive (FIN_WAIT, for the
 *   tcpfin timeout, 2 minutes by default). That count is then a running tally of the recent
 *   connections per server, and choosing the smallest tally hands them out in turn: equal counts.
 * - wlc: weight-proportional, for the same reason: it picks the smallest tally / weight, which
 *   keeps each server's tally proportional to its weight.
 *   Both are steady-state figures. The tally also holds the connections of the last 2 minutes
 *   from before the probe, so right after other traffic lc and wlc first even that out: measured
 *   on the kernel tier, wlc 3:1 right after an lc run sent 119 of 120 requests to the weight-3
 *   server (its tally was the smaller one), and the next run 89:31. InActConn in the IPVS view
 *   shows the tally.
 * - sh (source hashing), and any persistent service: one client address always lands on one
 *   server. Given `observed` counts, the server that answered most is taken as that server
 *   (share 1, the others 0); without them, no share can be given. A reused client port whose old
 *   connection entry still lingers goes to that entry's server instead (conn_reuse_mode), so a
 *   few answers from another server are possible right after a scheduler change.
 * - dh (destination hashing; the probe has one destination) and mh (Maglev hashing of the
 *   source): one server too.
 * - Other schedulers (lblc, lblcr, sed, nq, ...) depend on timing and load: unknown.
 */
export function expectedShares(
  scheduler: string,
  servers: readonly RealServerWeight[],
  options: { persistent?: boolean; observed?: Readonly<Record<string, number>> } = {},
): ExpectedShares {
  const usable = servers.filter((s) => s.weight > 0);
  if (servers.length > 0 && usable.length === 0) {
    return {
      scheduler,
      basis: 'none',
      shares: {},
      note: 'every real server has weight 0: the service sends requests nowhere',
    };
  }
  const oneServer = (why: string): ExpectedShares => {
    const observed = options.observed ?? {};
    let best: string | null = null;
    for (const s of usable) {
      const count = observed[s.node] ?? 0;
      if (count > 0 && (best === null || count > (observed[best] ?? 0))) best = s.node;
    }
    const shares =
      best === null ? {} : Object.fromEntries(usable.map((s) => [s.node, s.node === best ? 1 : 0]));
    return { scheduler, basis: 'one-server', shares, note: why };
  };
  if (options.persistent) {
    return oneServer('the service is persistent: one client address sticks to one real server');
  }
  const equal = (note: string): ExpectedShares => ({
    scheduler,
    basis: 'equal',
    shares: Object.fromEntries(usable.map((s) => [s.node, 1 / usable.length])),
    note,
  });
  const weighted = (note: string): ExpectedShares => {
    const sum = usable.reduce((total, s) => total + s.weight, 0);
    return {
      scheduler,
      basis: 'weights',
      shares: Object.fromEntries(usable.map((s) => [s.node, s.weight / sum])),
      note,
    };
  };
  switch (scheduler) {
    case 'rr':
      return equal('round robin: each real server in turn; weights are ignored, weight 0 is skipped');
    case 'wrr':
      return weighted('weighted round robin: in proportion to the weights');
    case 'lc':
      return equal(
        'least connections: short connections linger as inactive on the director (2 min), so they even out over time',
      );
    case 'wlc':
      return weighted(
        'weighted least connections: short connections linger as inactive (2 min), so they follow the weights over time',
      );
    case 'sh':
      return oneServer('source hashing: one client address always goes to the same real server');
    case 'dh':
      return oneServer('destination hashing: one destination always goes to the same real server');
    case 'mh':
      return oneServer('Maglev hashing of the source: one client address goes to one real server');
    default:
      return {
        scheduler,
        basis: 'unknown',
        shares: {},
        note: `${scheduler} depends on load and timing; no share is predicted`,
      };
  }
}

/** The lab's service as the lab file declares it. */
export interface DeclaredService {
  vip: string;
  port: number;
  protocol: string;
  scheduler: string;
}

export interface Expectation {
  expected: ExpectedShares;
  /** ipvs: the director's live table had the service (its scheduler, weights, persistence); lab: the lab file's, weight 1 each. */
  source: 'ipvs' | 'lab';
}

/**
 * What the scheduler should give each real server: from the director's live table when it has
 * the lab's service (a step may have switched rr to wrr 3:1, or made it persistent), else from
 * the lab file with weight 1 for each of `realServers`. `observed`: answers per node so far,
 * which tells the one server of a hashing or persistent service.
 */
export function expectationForService(
  service: DeclaredService,
  realServers: readonly string[],
  view: Pick<IpvsView, 'services'> | null,
  observed?: Readonly<Record<string, number>>,
): Expectation {
  const live = view?.services.find(
    (s) =>
      s.address === service.vip &&
      s.port === service.port &&
      s.protocol.toLowerCase() === service.protocol.toLowerCase(),
  );
  const options = observed ? { observed } : {};
  if (live) {
    const servers = live.realServers.map((rs) => ({ node: rs.node ?? rs.address, weight: rs.weight }));
    return {
      expected: expectedShares(live.scheduler, servers, {
        ...options,
        persistent: (live.persistentSeconds ?? null) !== null,
      }),
      source: 'ipvs',
    };
  }
  const servers = realServers.map((node) => ({ node, weight: 1 }));
  return { expected: expectedShares(service.scheduler, servers, options), source: 'lab' };
}
