// Statistics of a probe run, for the CLI: answers per real server beside the share the
// scheduler should give it (the model in shared/expected-shares.ts, the GUI's too), errors,
// latency percentiles and a rolling rate. Pure, and it imports only shared types.
import type { ProbeSample } from '../../../shared/api.js';
import type { ExpectedShares } from '../../../shared/expected-shares.js';

/**
 * The nearest-rank percentile (p in 0..100) of a list of numbers: the smallest value with at
 * least p% of the values at or below it. null for an empty list.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? null;
}

/**
 * Latency histogram with logarithmic buckets 1% wide from 1 µs to 10 min: constant memory
 * whatever the number of samples, percentiles within 0.5% of the exact nearest-rank value.
 */
export class LatencyHistogram {
  static readonly MIN_MS = 0.001;
  static readonly MAX_MS = 600_000;
  private static readonly STEP = Math.log(1.01);
  private readonly buckets: Uint32Array;
  count = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  constructor() {
    const n =
      Math.ceil(Math.log(LatencyHistogram.MAX_MS / LatencyHistogram.MIN_MS) / LatencyHistogram.STEP) + 2;
    this.buckets = new Uint32Array(n);
  }

  private index(ms: number): number {
    if (!(ms > LatencyHistogram.MIN_MS)) return 0;
    const i = Math.floor(Math.log(ms / LatencyHistogram.MIN_MS) / LatencyHistogram.STEP) + 1;
    return Math.min(i, this.buckets.length - 1);
  }

  add(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.buckets[this.index(ms)] = (this.buckets[this.index(ms)] ?? 0) + 1;
    this.count++;
    if (ms < this.min) this.min = ms;
    if (ms > this.max) this.max = ms;
  }

  /**
   * The nearest-rank percentile, as the geometric middle of its bucket, kept within [min, max];
   * the first and last ranks are the exact min and max.
   */
  percentile(p: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.min(this.count, Math.max(1, Math.ceil((p / 100) * this.count)));
    if (rank === 1) return this.min;
    if (rank === this.count) return this.max;
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i] ?? 0;
      if (seen >= rank) {
        const mid = i === 0 ? 0 : LatencyHistogram.MIN_MS * Math.exp((i - 0.5) * LatencyHistogram.STEP);
        return Math.min(this.max, Math.max(this.min, mid));
      }
    }
    return this.max;
  }
}

/** Samples started per second, over a sliding window, counted in 100 ms slots. */
export class RollingRate {
  private static readonly SLOT_MS = 100;
  private readonly slots = new Map<number, number>();
  /** The latest sample start seen (probe clock, ms). */
  lastAt = 0;

  constructor(readonly windowSeconds = 5) {}

  add(atMs: number): void {
    const slot = Math.floor(atMs / RollingRate.SLOT_MS);
    const count = this.slots.get(slot);
    this.slots.set(slot, (count ?? 0) + 1);
    if (atMs > this.lastAt) this.lastAt = atMs;
    if (count === undefined) this.prune(this.lastAt);
  }

  private prune(nowMs: number): void {
    const oldest = Math.floor(nowMs / RollingRate.SLOT_MS) - this.windowSeconds * 10;
    for (const slot of this.slots.keys()) if (slot <= oldest) this.slots.delete(slot);
  }

  /**
   * Samples per second that started in the window ending at `nowMs` (the probe clock; default the
   * latest sample), counted in whole slots: the slots after the one where the window begins, up
   * to now, divided by the time they cover. Before a whole window has passed, that is the time
   * since the probe started.
   */
  rate(nowMs = this.lastAt): number {
    const windowStart = nowMs - this.windowSeconds * 1000;
    const first = Math.max(0, Math.floor(windowStart / RollingRate.SLOT_MS) + 1);
    const end = Math.floor(nowMs / RollingRate.SLOT_MS);
    let count = 0;
    for (const [slot, n] of this.slots) if (slot >= first && slot <= end) count += n;
    const spanMs = Math.max(RollingRate.SLOT_MS, nowMs - first * RollingRate.SLOT_MS);
    return (count * 1000) / spanMs;
  }
}

export interface ServerStats {
  node: string;
  count: number;
  /** count / attributed answers (0 when there are none). */
  share: number;
  /** The scheduler's expected share, when one is known. */
  expected: number | null;
}

export interface ProbeStatsSnapshot {
  /** Every sample: answers and failures. */
  total: number;
  /** Complete answers (no error, a status received). */
  answered: number;
  /** Answers whose body is a known real server's page. */
  attributed: number;
  /** Answers from no known page (another page, a 404, a page two servers share). */
  unattributed: number;
  /** Samples with an error or no status. */
  errors: number;
  timeouts: number;
  errorsByKind: Record<string, number>;
  /** In the order of the known servers given, then any other node seen. */
  servers: ServerStats[];
  expected: ExpectedShares | null;
  /** Latency of the answers (failures left out), in ms. */
  latencyMs: { p50: number; p90: number; p99: number; max: number } | null;
  /** Samples per second over the last `windowSeconds` (by their start time). */
  ratePerSecond: number;
  windowSeconds: number;
  /** The latest sample start seen, in ms since the probe started. */
  lastAt: number;
}

/** Accumulates samples in constant memory (whatever the run's length) and summarises them. */
export class ProbeStats {
  private readonly counts = new Map<string, number>();
  private readonly errorKinds = new Map<string, number>();
  private readonly latency = new LatencyHistogram();
  private readonly rolling: RollingRate;
  private total = 0;
  private answered = 0;
  private attributed = 0;
  private errors = 0;

  /** `nodes`: the real servers to list even while they have no answer, in this order. */
  constructor(options: { nodes?: readonly string[]; windowSeconds?: number } = {}) {
    for (const node of options.nodes ?? []) this.counts.set(node, 0);
    this.rolling = new RollingRate(options.windowSeconds ?? 5);
  }

  add(samples: readonly ProbeSample[]): void {
    for (const s of samples) {
      this.total++;
      this.rolling.add(s.at);
      if (s.error !== null || s.status === null) {
        this.errors++;
        const kind = s.error ?? 'no status';
        this.errorKinds.set(kind, (this.errorKinds.get(kind) ?? 0) + 1);
        continue;
      }
      this.answered++;
      if (s.latencyMs !== null) this.latency.add(s.latencyMs);
      if (s.node !== null) {
        this.attributed++;
        this.counts.set(s.node, (this.counts.get(s.node) ?? 0) + 1);
      }
    }
  }

  /** Per node, the answers attributed so far. */
  observed(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  /**
   * The summary now. `expected`: the scheduler's expectation (see expectedShares); `nowMs`: the
   * probe clock for the rolling rate (default: the latest sample's start).
   */
  snapshot(expected: ExpectedShares | null = null, nowMs?: number): ProbeStatsSnapshot {
    const servers: ServerStats[] = [...this.counts].map(([node, count]) => ({
      node,
      count,
      share: this.attributed === 0 ? 0 : count / this.attributed,
      expected: expected && node in expected.shares ? (expected.shares[node] ?? null) : null,
    }));
    const p = (q: number) => this.latency.percentile(q) ?? 0;
    return {
      total: this.total,
      answered: this.answered,
      attributed: this.attributed,
      unattributed: this.answered - this.attributed,
      errors: this.errors,
      timeouts: this.errorKinds.get('timeout') ?? 0,
      errorsByKind: Object.fromEntries(this.errorKinds),
      servers,
      expected,
      latencyMs:
        this.latency.count === 0 ? null : { p50: p(50), p90: p(90), p99: p(99), max: this.latency.max },
      ratePerSecond: this.rolling.rate(nowMs),
      windowSeconds: this.rolling.windowSeconds,
      lastAt: this.rolling.lastAt,
    };
  }
}
