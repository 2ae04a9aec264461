// Ack-based flow control, as VS Code does it for its terminals (FlowControlConstants in
// src/vs/platform/terminal/common/terminal.ts). The page acks bytes once xterm has parsed them;
// while too many bytes are sent but not acked, the exec stream is paused. Pausing stops reading
// the socket, so the Docker Engine's copy blocks, the pty in the container fills, and the
// process writing to it blocks: `cat` of a huge file cannot outrun the page or grow memory.

/**
 * Pause reading past this many unacked bytes. xterm parses roughly this much in one frame, so
 * the page always has work queued while a flood is paused; it bounds what sits in the page's
 * write buffer (xterm discards beyond 50 MB) and in IPC queues.
 */
export const HIGH_WATERMARK = 100_000;
/**
 * Resume once acks bring the unacked bytes below this. Far below the high mark, so that a
 * paused stream is not resumed for every small ack (pause/resume churn). The page must ack in
 * steps of at most this many bytes (VS Code acks in 5 000-byte units), or the count may never
 * drop below it and the terminal would stay paused.
 */
export const LOW_WATERMARK = 5_000;

export interface FlowTarget {
  pause(): void;
  resume(): void;
}

export interface FlowOptions {
  highWatermark: number;
  lowWatermark: number;
}

export class FlowController {
  private unacked = 0;
  private paused = false;

  constructor(
    private readonly target: FlowTarget,
    private readonly options: FlowOptions = { highWatermark: HIGH_WATERMARK, lowWatermark: LOW_WATERMARK },
  ) {}

  /** Bytes sent to the page and not acked yet. */
  get unackedBytes(): number {
    return this.unacked;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Counts bytes read from the stream (they are sent within a batch delay). */
  sent(bytes: number): void {
    if (!(bytes > 0)) return;
    this.unacked += bytes;
    if (!this.paused && this.unacked > this.options.highWatermark) {
      this.paused = true;
      this.target.pause();
    }
  }

  /** The page has parsed `bytes`. Negative and non-numbers are ignored. */
  ack(bytes: number): void {
    if (!(bytes > 0) || !Number.isFinite(bytes)) return;
    // Clamped at zero: a page that acks more than it got (a reload, a bug) must not bank credit
    // that would let the next flood run unpaused (VS Code: "to heal from errors").
    this.unacked = Math.max(0, this.unacked - bytes);
    if (this.paused && this.unacked < this.options.lowWatermark) {
      this.paused = false;
      this.target.resume();
    }
  }

  /** Forgets every unacked byte and resumes: for a page that went away (VS Code clearUnacknowledgedChars). */
  reset(): void {
    this.unacked = 0;
    if (this.paused) {
      this.paused = false;
      this.target.resume();
    }
  }
}
