// What a command printed, kept in bounded memory. A lab command is the learner's (or a
// trainer's) shell: `cat /dev/urandom | base64` must not grow the app's heap without end. The
// head says what started, the tail how it ended (error messages, the last marker lines), so
// those two are kept and the middle is counted and dropped.

/** Per stream, by default: far more than any lab command prints, little for the main process. */
export const DEFAULT_OUTPUT_CAP = 1024 * 1024;

/** The line that stands for the bytes left out between the head and the tail. */
export function droppedMarker(bytes: number): string {
  return `\n[… ${bytes} bytes dropped …]\n`;
}

/**
 * Keeps the first and the last bytes written, at most `capBytes` in all, and counts the rest.
 * Memory grows with what is kept, never with what is written: the head grows by doubling up to
 * its half of the cap, the tail is a ring allocated only once the head is full.
 */
export class HeadTailBuffer {
  private readonly headLimit: number;
  private readonly tailLimit: number;
  private head = Buffer.alloc(0);
  private headBytes = 0;
  private ring: Buffer | null = null;
  /** Index in the ring of the oldest tail byte. */
  private ringStart = 0;
  private tailBytes = 0;
  private total = 0;

  constructor(capBytes = DEFAULT_OUTPUT_CAP) {
    if (!Number.isInteger(capBytes) || capBytes < 2) throw new RangeError(`bad output cap ${capBytes}`);
    this.headLimit = Math.ceil(capBytes / 2);
    this.tailLimit = capBytes - this.headLimit;
  }

  write(chunk: Uint8Array): void {
    this.total += chunk.length;
    const take = Math.min(this.headLimit - this.headBytes, chunk.length);
    if (take > 0) this.appendHead(chunk.subarray(0, take));
    if (take < chunk.length) this.appendTail(chunk.subarray(take));
  }

  /** Every byte written so far, kept or not. */
  get totalBytes(): number {
    return this.total;
  }

  /** Bytes left out between the head and the tail. */
  get droppedBytes(): number {
    return this.total - this.headBytes - this.tailBytes;
  }

  /** Bytes held: never more than the cap. */
  get keptBytes(): number {
    return this.headBytes + this.tailBytes;
  }

  /** The bytes kept, head then tail, without a marker. */
  kept(): { head: Buffer; tail: Buffer } {
    const head = this.head.subarray(0, this.headBytes);
    if (!this.ring) return { head, tail: Buffer.alloc(0) };
    const first = this.ring.subarray(
      this.ringStart,
      Math.min(this.ringStart + this.tailBytes, this.tailLimit),
    );
    const second = this.ring.subarray(0, this.tailBytes - first.length);
    return { head, tail: Buffer.concat([first, second]) };
  }

  /**
   * The text: all of it when it fit, else the head, a marker line with the count, and the
   * tail. A character cut at either edge of the gap decodes as U+FFFD.
   */
  text(): string {
    const { head, tail } = this.kept();
    const dropped = this.droppedBytes;
    if (dropped === 0) return Buffer.concat([head, tail]).toString('utf8');
    return `${head.toString('utf8')}${droppedMarker(dropped)}${tail.toString('utf8')}`;
  }

  private appendHead(bytes: Uint8Array): void {
    const needed = this.headBytes + bytes.length;
    if (needed > this.head.length) {
      const grown = Buffer.allocUnsafe(
        Math.min(this.headLimit, Math.max(needed, this.head.length * 2, 4096)),
      );
      this.head.copy(grown, 0, 0, this.headBytes);
      this.head = grown;
    }
    this.head.set(bytes, this.headBytes);
    this.headBytes = needed;
  }

  private appendTail(bytes: Uint8Array): void {
    const size = this.tailLimit;
    const ring = (this.ring ??= Buffer.allocUnsafe(size));
    if (bytes.length >= size) {
      ring.set(bytes.subarray(bytes.length - size));
      this.ringStart = 0;
      this.tailBytes = size;
      return;
    }
    let end = (this.ringStart + this.tailBytes) % size;
    let offset = 0;
    while (offset < bytes.length) {
      const n = Math.min(bytes.length - offset, size - end);
      ring.set(bytes.subarray(offset, offset + n), end);
      offset += n;
      end = (end + n) % size;
    }
    const overflow = this.tailBytes + bytes.length - size;
    if (overflow > 0) {
      this.ringStart = (this.ringStart + overflow) % size;
      this.tailBytes = size;
    } else {
      this.tailBytes += bytes.length;
    }
  }
}
