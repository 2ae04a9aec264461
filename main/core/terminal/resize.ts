// Resizes come in bursts while a window or a split is dragged. Each one is a request to the
// Docker Engine and a SIGWINCH (and a redraw) in the container, so a burst is coalesced: the
// last size asked for within the delay wins.

/** Coalescing delay: shorter than a person notices, longer than one drag step. */
export const RESIZE_DELAY_MS = 50;

export interface TerminalSize {
  cols: number;
  rows: number;
}

/** Sizes are whole cells, at least 1 (a pane hidden or not laid out yet measures 0). */
export function clampSize(cols: number, rows: number): TerminalSize | null {
  if (!Number.isFinite(cols) || !Number.isFinite(rows)) return null;
  return { cols: Math.max(1, Math.floor(cols)), rows: Math.max(1, Math.floor(rows)) };
}

export class ResizeCoalescer {
  private wanted: TerminalSize | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;

  /** `applied` is the size the terminal already has; `apply` is called at most once per delay. */
  constructor(
    private applied: TerminalSize,
    private readonly apply: (size: TerminalSize) => void,
    private readonly delayMs: number = RESIZE_DELAY_MS,
  ) {}

  request(cols: number, rows: number): void {
    const size = clampSize(cols, rows);
    if (this.disposed || size === null) return;
    this.wanted = size;
    this.timer ??= setTimeout(() => {
      this.timer = null;
      const wanted = this.wanted;
      this.wanted = null;
      if (this.disposed || wanted === null) return;
      if (wanted.cols === this.applied.cols && wanted.rows === this.applied.rows) return;
      this.applied = wanted;
      this.apply(wanted);
    }, this.delayMs);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
