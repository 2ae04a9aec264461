// Joins a terminal's output chunks into fewer, larger messages. Each message crosses a process
// boundary (Electron IPC or a WebSocket) and costs far more than its bytes, so a flood of reads
// is joined; but the first bytes after a quiet spell (the echo of a keystroke, a prompt) go out
// at once, so that batching adds no latency to typing. Bytes are never decoded here: a chunk may
// end inside a UTF-8 character, and xterm's decoder keeps that state between writes.

/** How long output is collected before it is sent, while output keeps coming (VS Code: 5 ms). */
export const BATCH_DELAY_MS = 5;
/** Send at once when this much is waiting, so that a flood gives messages of a bounded size. */
export const BATCH_MAX_BYTES = 64 * 1024;
/**
 * After a quiet spell, up to this many bytes go out chunk by chunk without waiting: echoes,
 * erases and prompts of a fast typist (or of a benchmark) are never held back by the batch
 * delay. Past it the output is a stream, and is batched.
 */
export const BATCH_IMMEDIATE_BYTES = 1024;

export interface BatcherOptions {
  delayMs: number;
  maxBytes: number;
  immediateBytes: number;
}

export const DEFAULT_BATCHER_OPTIONS: BatcherOptions = {
  delayMs: BATCH_DELAY_MS,
  maxBytes: BATCH_MAX_BYTES,
  immediateBytes: BATCH_IMMEDIATE_BYTES,
};

/**
 * A throttle with a leading edge. The first chunk after a quiet spell is emitted at once and
 * opens a window of `delayMs`; further chunks in that window are emitted at once too while the
 * window has carried at most `immediateBytes`. After that, chunks are joined and emitted when the
 * window ends (or as soon as `maxBytes` are waiting: no message joins more than that), and a new
 * window follows for as long as output keeps coming. Bytes are emitted in the order pushed.
 */
export class OutputBatcher {
  private chunks: Uint8Array[] = [];
  private bytes = 0;
  /** Bytes emitted at once in the current window; Infinity in a window that continues a stream. */
  private spent = 0;
  private window: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;

  constructor(
    private readonly emit: (bytes: Uint8Array) => void,
    private readonly options: BatcherOptions = DEFAULT_BATCHER_OPTIONS,
  ) {}

  /** Bytes waiting to be emitted. */
  get pending(): number {
    return this.bytes;
  }

  push(chunk: Uint8Array): void {
    if (this.disposed || chunk.length === 0) return;
    if (this.window === null) {
      // Quiet until now: a new window, with its budget of bytes sent without waiting.
      this.spent = 0;
      this.openWindow();
    }
    if (this.bytes === 0 && this.spent + chunk.length <= this.options.immediateBytes) {
      this.spent += chunk.length;
      this.emit(chunk);
      return;
    }
    if (this.spent === 0) {
      // The first chunk after a quiet spell goes out at once, whatever its size.
      this.spent = Number.POSITIVE_INFINITY;
      this.emit(chunk);
      return;
    }
    // A message never grows past maxBytes by joining (a single chunk larger than that goes alone).
    if (this.bytes + chunk.length > this.options.maxBytes) this.flush();
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    if (this.bytes >= this.options.maxBytes) this.flush();
  }

  /** Emits everything waiting, now. The window (if any) stays open. */
  flush(): void {
    if (this.bytes === 0) return;
    const chunks = this.chunks;
    const joined = chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks, this.bytes);
    this.chunks = [];
    this.bytes = 0;
    this.emit(joined);
  }

  /** Emits what is waiting and stops: later pushes are dropped. */
  dispose(): void {
    if (this.disposed) return;
    this.flush();
    this.disposed = true;
    if (this.window !== null) clearTimeout(this.window);
    this.window = null;
  }

  private openWindow(): void {
    this.window = setTimeout(() => {
      this.window = null;
      if (this.bytes === 0) return; // Quiet again: the next chunk goes out at once.
      this.flush();
      this.spent = Number.POSITIVE_INFINITY; // A stream: keep batching.
      this.openWindow();
    }, this.options.delayMs);
  }
}
