// Terminal input honours the exec stream's backpressure: queued while the stream is full,
// flushed in order on 'drain', bounded, and dropped beyond the bound with one notice.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InputQueue } from '../../../main/core/terminal/input-queue.js';

const flush = () => new Promise((resolve) => setImmediate(resolve));

/** A stream that takes writes into its buffer but completes none until `release()`. */
class StalledStream extends Writable {
  received = '';
  private held: (() => void)[] = [];

  constructor(highWaterMark: number) {
    super({ highWaterMark, decodeStrings: false });
  }

  override _write(chunk: string | Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.received += chunk.toString();
    this.held.push(done);
  }

  /** The shell reads again, everything: held writes complete until none is left. */
  async release(): Promise<void> {
    while (this.held.length > 0) {
      const held = this.held;
      this.held = [];
      for (const done of held) done();
      await flush();
    }
  }
}

describe('InputQueue', () => {
  it('writes straight through while the stream takes input', () => {
    const received: string[] = [];
    const target = { writable: true, write: (d: string) => received.push(d) > 0, once: () => undefined };
    const queue = new InputQueue(target, () => undefined);
    queue.write('ls');
    queue.write('\r');
    expect(received).toEqual(['ls', '\r']);
    expect(queue.pendingBytes).toBe(0);
  });

  it('once the stream is full, holds input back and flushes it in order on drain', async () => {
    const stream = new StalledStream(8);
    const queue = new InputQueue(stream, () => undefined);
    queue.write('12345678'); // fills the stream: write() says false
    queue.write('abc');
    queue.write('é!');
    // Held here, not pushed into the full stream.
    expect(stream.received).toBe('12345678');
    expect(stream.writableLength).toBe(8);
    expect(queue.pendingBytes).toBe(3 + 3);
    await stream.release();
    expect(stream.received).toBe('12345678abcé!');
    expect(queue.pendingBytes).toBe(0);
    queue.write('z');
    expect(stream.received).toBe('12345678abcé!z');
  });

  it('is bounded: beyond it input is dropped, told once, and small input after it still fits', async () => {
    const stream = new StalledStream(4);
    const overflows: number[] = [];
    const queue = new InputQueue(stream, (max) => overflows.push(max), 100);
    queue.write('full'); // the stream is full
    queue.write('x'.repeat(90));
    queue.write('y'.repeat(50)); // would pass the bound: dropped
    queue.write('y'.repeat(50)); // again: dropped, not told again
    queue.write('\x03'); // Ctrl-C still fits
    expect(queue.pendingBytes).toBe(91);
    expect(queue.droppedBytes).toBe(100);
    expect(overflows).toEqual([100]);
    await stream.release();
    expect(stream.received).toBe(`full${'x'.repeat(90)}\x03`);
    // A new episode is told again.
    queue.write('z'.repeat(200)); // the stream is full again
    queue.write('w'.repeat(101));
    expect(overflows).toEqual([100, 100]);
  });

  it('holds no more than its bound however much is typed into a stuck shell', () => {
    const stream = new StalledStream(16);
    const queue = new InputQueue(stream, () => undefined, 1024 * 1024);
    const paste = 'p'.repeat(64 * 1024);
    for (let i = 0; i < 200; i++) queue.write(paste);
    expect(queue.pendingBytes).toBeLessThanOrEqual(1024 * 1024);
    expect(stream.writableLength).toBe(paste.length);
    expect(queue.droppedBytes).toBe(200 * paste.length - paste.length - queue.pendingBytes);
  });

  it('forgets what waits on clear, and ignores input once the stream has ended', async () => {
    const stream = new StalledStream(4);
    const queue = new InputQueue(stream, () => undefined);
    queue.write('full');
    queue.write('later');
    queue.clear();
    expect(queue.pendingBytes).toBe(0);
    stream.end();
    queue.write('after');
    expect(queue.pendingBytes).toBe(0);
    await stream.release();
    expect(stream.received).toBe('full');
  });
});
