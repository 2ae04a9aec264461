// The live round-robin probe: which real server answered each request to the VIP. Samples are
// kept in a bounded ring buffer (the strip and the latency need only recent ones); the counts
// per server run over the whole probe.
import { create } from 'zustand';
import type { ProbeBatch, ProbeSample } from '../../../shared/api.js';
import { getApi } from '../api/index.js';
import { toErrorInfo, type ErrorInfo } from '../api/errors.js';
import { RingBuffer } from './ring-buffer.js';
import { isTimeout } from './probe-stats.js';

export const SAMPLE_CAPACITY = 2000;
export const RATE_LIMITS = { min: 1, max: 200 } as const;
export const DURATION_LIMITS = { min: 1, max: 600 } as const;
/** Answers with no known server (no error, but a page the probe did not recognise). */
export const UNKNOWN_SERVER = '(unknown)';

export interface ProbeState {
  labId: string | null;
  probeId: string | null;
  phase: 'idle' | 'starting' | 'running' | 'stopping';
  ratePerSecond: number;
  durationSeconds: number;
  /** Why the last probe ended ("done", "stopped", "lab stopped", ...). */
  endReason: string | null;
  error: ErrorInfo | null;
  /** Mutable; `version` changes whenever it does, so components re-render. */
  samples: RingBuffer<ProbeSample>;
  version: number;
  total: number;
  answered: number;
  timeouts: number;
  errors: number;
  /** Answers per real server (node name). */
  counts: Record<string, number>;
  /** Failures other than timeouts, by what went wrong. */
  errorKinds: Record<string, number>;

  setRate: (rate: number) => void;
  setDuration: (seconds: number) => void;
  start: (labId: string) => Promise<void>;
  stop: () => Promise<void>;
  ingest: (batch: ProbeBatch) => void;
  end: (probeId: string, reason: string) => void;
  clear: () => void;
}

function clamp(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return min;
  return Math.min(max, Math.max(min, value));
}

const emptyCounts = () => ({
  total: 0,
  answered: 0,
  timeouts: 0,
  errors: 0,
  counts: {} as Record<string, number>,
  errorKinds: {} as Record<string, number>,
});

// Batches that arrive while probe.start is still answering: their probe id is not known yet.
let early: ProbeBatch[] = [];
let earlyEnd: { probeId: string; reason: string } | null = null;

function takeEarlyEnd(): { probeId: string; reason: string } | null {
  const ended = earlyEnd;
  earlyEnd = null;
  return ended;
}

export const useProbeStore = create<ProbeState>()((set, get) => ({
  labId: null,
  probeId: null,
  phase: 'idle',
  ratePerSecond: 10,
  durationSeconds: 30,
  endReason: null,
  error: null,
  samples: new RingBuffer<ProbeSample>(SAMPLE_CAPACITY),
  version: 0,
  ...emptyCounts(),

  setRate: (rate) => {
    set({ ratePerSecond: clamp(Math.round(rate), RATE_LIMITS.min, RATE_LIMITS.max) });
  },
  setDuration: (seconds) => {
    set({ durationSeconds: clamp(Math.round(seconds), DURATION_LIMITS.min, DURATION_LIMITS.max) });
  },

  async start(labId) {
    const { phase, ratePerSecond, durationSeconds, samples } = get();
    if (phase === 'starting' || phase === 'running') return;
    samples.clear();
    early = [];
    earlyEnd = null;
    set({
      labId,
      probeId: null,
      phase: 'starting',
      endReason: null,
      error: null,
      version: get().version + 1,
      ...emptyCounts(),
    });
    try {
      const { probeId } = await getApi().request('probe.start', { labId, ratePerSecond, durationSeconds });
      set({ probeId, phase: 'running' });
      const pending = early.filter((b) => b.probeId === probeId);
      early = [];
      for (const batch of pending) get().ingest(batch);
      const ended = takeEarlyEnd();
      if (ended?.probeId === probeId) get().end(ended.probeId, ended.reason);
    } catch (error) {
      set({ phase: 'idle', error: toErrorInfo(error) });
    }
  },

  async stop() {
    const { probeId, phase } = get();
    if (probeId === null || phase !== 'running') return;
    set({ phase: 'stopping' });
    try {
      await getApi().request('probe.stop', probeId);
      // probe.end normally follows; if it already came, phase is idle by now.
      if (get().probeId === probeId && get().phase === 'stopping')
        set({ phase: 'idle', endReason: 'stopped' });
    } catch (error) {
      set({ phase: get().phase === 'stopping' ? 'running' : get().phase, error: toErrorInfo(error) });
    }
  },

  ingest(batch) {
    const state = get();
    if (state.phase === 'starting' && state.probeId === null) {
      early.push(batch);
      return;
    }
    if (batch.probeId !== state.probeId || batch.samples.length === 0) return;
    const counts = { ...state.counts };
    const errorKinds = { ...state.errorKinds };
    let { answered, timeouts, errors } = state;
    for (const sample of batch.samples) {
      if (sample.error === null) {
        answered++;
        const key = sample.node ?? UNKNOWN_SERVER;
        counts[key] = (counts[key] ?? 0) + 1;
      } else if (isTimeout(sample.error)) {
        timeouts++;
      } else {
        errors++;
        errorKinds[sample.error] = (errorKinds[sample.error] ?? 0) + 1;
      }
    }
    state.samples.pushAll(batch.samples);
    set({
      total: state.total + batch.samples.length,
      answered,
      timeouts,
      errors,
      counts,
      errorKinds,
      version: state.version + 1,
    });
  },

  end(probeId, reason) {
    const state = get();
    if (state.phase === 'starting' && state.probeId === null) {
      earlyEnd = { probeId, reason };
      return;
    }
    if (probeId !== state.probeId) return;
    set({ phase: 'idle', endReason: reason });
  },

  clear() {
    const { phase, samples } = get();
    if (phase !== 'idle') return;
    samples.clear();
    set({ endReason: null, error: null, version: get().version + 1, ...emptyCounts() });
  },
}));
