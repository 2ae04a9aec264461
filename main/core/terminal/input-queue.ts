// Terminal input into the shell's exec stream, honouring the stream's backpressure. A shell
// that does not read (a program blocked, a huge paste into `cat > file` on a slow engine) makes
// `write()` return false: from then on input waits here until 'drain', in order, and at most
// `maxBytes` of it. Beyond that, input is dropped and the owner is told once per episode, so
// that neither a stuck shell nor a flood of pasted text can grow the app's memory.

/** Input held while the shell is not reading; a paste of a large file fits, a flood does not. */
export const INPUT_QUEUE_MAX_BYTES = 1024 * 1024;

/** The part of a Writable (the exec stream) used here. */
export interface InputTarget {
  readonly writable: boolean;
  write(data: string): boolean;
  once(event: 'drain', listener: () => void): unknown;
}

export class InputQueue {
  private readonly queue: string[] = [];
  private queuedBytes = 0;
  private waitingForDrain = false;
  /** Whether input was dropped since the stream last drained (the owner is told once). */
  private overflowing = false;
  private dropped = 0;

  constructor(
    private readonly target: InputTarget,
    /** Called on the first input dropped while the stream stays full. */
    private readonly onOverflow: (maxBytes: number) => void,
    private readonly maxBytes = INPUT_QUEUE_MAX_BYTES,
  ) {}

  /** Bytes waiting for the stream to drain. */
  get pendingBytes(): number {
    return this.queuedBytes;
  }

  /** Bytes of input dropped so far, over the session's life. */
  get droppedBytes(): number {
    return this.dropped;
  }

  write(data: string): void {
    if (!this.target.writable) return;
    if (!this.waitingForDrain) {
      if (!this.target.write(data)) this.waitForDrain();
      return;
    }
    const bytes = Buffer.byteLength(data);
    // Whole messages only: a keystroke after a dropped paste (Ctrl-C) still goes through if it fits.
    if (this.queuedBytes + bytes > this.maxBytes) {
      this.dropped += bytes;
      if (!this.overflowing) {
        this.overflowing = true;
        this.onOverflow(this.maxBytes);
      }
      return;
    }
    this.queue.push(data);
    this.queuedBytes += bytes;
  }

  /** Forgets what waits (the session is closing). */
  clear(): void {
    this.queue.length = 0;
    this.queuedBytes = 0;
  }

  private waitForDrain(): void {
    this.waitingForDrain = true;
    this.target.once('drain', () => {
      this.flush();
    });
  }

  private flush(): void {
    this.waitingForDrain = false;
    this.overflowing = false;
    let sent = 0;
    let full = false;
    while (sent < this.queue.length && !full) {
      if (!this.target.writable) {
        this.clear();
        return;
      }
      const data = this.queue[sent++] ?? '';
      this.queuedBytes -= Buffer.byteLength(data);
      full = !this.target.write(data);
    }
    // One splice, not a shift per message: a queue of single keystrokes can be long.
    this.queue.splice(0, sent);
    if (full) this.waitForDrain();
  }
}
