// Runs a lab file's regular expressions off the main thread. JavaScript's engine backtracks:
// a pattern such as `(a+)+$` on 'aaaa…b' takes exponential time, and on the main thread it
// would freeze every window, terminal and probe. Here the match runs in a small persistent
// worker thread; when it takes too long the worker is terminated (V8 interrupts a running
// regex for that) and a new one serves the next match.
//
// The worker's code is an inline string (`eval: true`), so that it runs the same from the
// compiled output and from the TypeScript sources under Vitest.
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ id, pattern, flags, text }) => {
  let reply;
  try {
    reply = { id, matched: new RegExp(pattern, flags).test(text) };
  } catch (error) {
    reply = { id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort.postMessage(reply);
});
`;

/** Far above what any sane pattern needs on a capped command output (a few ms). */
export const DEFAULT_PATTERN_TIMEOUT_MS = 1_000;

export type PatternOutcome =
  | { kind: 'match' }
  | { kind: 'no-match' }
  | { kind: 'timeout'; timeoutMs: number }
  | { kind: 'error'; message: string };

interface Job {
  id: number;
  pattern: string;
  flags: string;
  text: string;
  resolve: (outcome: PatternOutcome) => void;
}

type Reply = { id: number; matched: boolean } | { id: number; error: string };

/** Matches one at a time, each with its own time limit, in order. */
export class PatternMatcher {
  private worker: Worker | null = null;
  private readonly queue: Job[] = [];
  private current: { job: Job; timer: NodeJS.Timeout } | null = null;
  private nextId = 1;
  /** Workers terminated after a timeout, until they are gone. */
  private readonly terminating = new Set<Promise<void>>();

  constructor(readonly timeoutMs = DEFAULT_PATTERN_TIMEOUT_MS) {}

  /** Whether `pattern` (with `flags`) matches somewhere in `text`. Never rejects. */
  test(pattern: string, flags: string, text: string): Promise<PatternOutcome> {
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, pattern, flags, text, resolve });
      this.runNext();
    });
  }

  /** Ends the worker, and waits for any timed-out one to be gone; matches still waiting end as errors. */
  async close(): Promise<void> {
    for (const job of this.queue.splice(0)) job.resolve({ kind: 'error', message: 'the matcher was closed' });
    this.settle({ kind: 'error', message: 'the matcher was closed' });
    await this.dropWorker();
    await Promise.all(this.terminating);
  }

  private runNext(): void {
    if (this.current) return;
    const job = this.queue.shift();
    if (!job) return;
    const timer = setTimeout(() => {
      // The worker may be deep in backtracking: only terminating it stops the match.
      void this.dropWorker();
      this.settle({ kind: 'timeout', timeoutMs: this.timeoutMs });
    }, this.timeoutMs);
    this.current = { job, timer };
    const { id, pattern, flags, text } = job;
    this.ensureWorker().postMessage({ id, pattern, flags, text });
  }

  /** Ends the current job with `outcome` and starts the next one. */
  private settle(outcome: PatternOutcome): void {
    const current = this.current;
    if (!current) return;
    clearTimeout(current.timer);
    this.current = null;
    current.job.resolve(outcome);
    this.runNext();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      // A pattern can also blow up memory (huge backtracking stacks): bound it, away from the app's heap.
      resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 },
    });
    worker.on('message', (reply: Reply) => {
      if (this.current?.job.id !== reply.id) return;
      this.settle(
        'error' in reply
          ? { kind: 'error', message: reply.error }
          : { kind: reply.matched ? 'match' : 'no-match' },
      );
    });
    worker.on('error', (error) => {
      if (this.worker === worker) this.worker = null;
      this.settle({ kind: 'error', message: `the pattern matcher failed: ${error.message}` });
    });
    worker.on('exit', () => {
      if (this.worker === worker) {
        this.worker = null;
        this.settle({ kind: 'error', message: 'the pattern matcher stopped unexpectedly' });
      }
    });
    // Idle, it must not keep the process alive (a job's own timer does while one runs). After the
    // listeners: adding a 'message' listener refs the worker again.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private async dropWorker(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    const ended = worker.terminate().then(() => undefined);
    this.terminating.add(ended);
    await ended;
    this.terminating.delete(ended);
  }
}
