import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BATCH_DELAY_MS,
  BATCH_IMMEDIATE_BYTES,
  BATCH_MAX_BYTES,
  OutputBatcher,
} from '../../../main/core/terminal/batcher.js';

const bytes = (text: string) => Buffer.from(text);

/** Without an immediate budget unless asked: only the first chunk after a quiet spell goes at once. */
function recorder(options = { delayMs: 5, maxBytes: 64, immediateBytes: 0 }) {
  const out: Buffer[] = [];
  const batcher = new OutputBatcher((b) => out.push(Buffer.from(b)), options);
  return { out, batcher, text: () => out.map((b) => b.toString()) };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('OutputBatcher', () => {
  it('uses the VS Code batch delay, 64 KiB and a 1 KiB immediate budget by default', () => {
    expect([BATCH_DELAY_MS, BATCH_MAX_BYTES, BATCH_IMMEDIATE_BYTES]).toEqual([5, 65_536, 1024]);
    const out: number[] = [];
    const batcher = new OutputBatcher((b) => out.push(b.length));
    batcher.push(new Uint8Array(1));
    batcher.push(new Uint8Array(1023));
    batcher.push(new Uint8Array(1));
    expect(out).toEqual([1, 1023]);
    vi.advanceTimersByTime(5);
    expect(out).toEqual([1, 1023, 1]);
  });

  it('sends small output at once while a window has carried no more than the immediate budget', () => {
    // A fast typist: key echo, erase echo, key echo, all within one delay.
    const { batcher, text } = recorder({ delayMs: 5, maxBytes: 64, immediateBytes: 8 });
    batcher.push(bytes('a'));
    batcher.push(bytes('\b \b'));
    batcher.push(bytes('b'));
    expect(text()).toEqual(['a', '\b \b', 'b']);
    batcher.push(bytes('cdefg')); // 5 + 5 > 8: the rest of this window is batched.
    batcher.push(bytes('h'));
    expect(text()).toEqual(['a', '\b \b', 'b']);
    vi.advanceTimersByTime(5);
    expect(text()).toEqual(['a', '\b \b', 'b', 'cdefgh']);
    // The stream goes on: the next window batches from its first byte.
    batcher.push(bytes('i'));
    expect(text()).toHaveLength(4);
    vi.advanceTimersByTime(5);
    expect(text()).toEqual(['a', '\b \b', 'b', 'cdefgh', 'i']);
    // Quiet for a whole window: the budget is back.
    vi.advanceTimersByTime(5);
    batcher.push(bytes('j'));
    expect(text()).toEqual(['a', '\b \b', 'b', 'cdefgh', 'i', 'j']);
  });

  it('sends the first chunk after a quiet spell at once: a keystroke echo is never delayed', () => {
    const { batcher, text } = recorder();
    batcher.push(bytes('a'));
    expect(text()).toEqual(['a']);
    vi.advanceTimersByTime(100);
    batcher.push(bytes('b'));
    expect(text()).toEqual(['a', 'b']);
  });

  it('joins the chunks that follow within the delay into one message, sent when the delay is up', () => {
    const { batcher, text } = recorder();
    batcher.push(bytes('1'));
    batcher.push(bytes('2'));
    vi.advanceTimersByTime(2);
    batcher.push(bytes('3'));
    batcher.push(bytes('4'));
    vi.advanceTimersByTime(2);
    expect(text()).toEqual(['1']);
    expect(batcher.pending).toBe(3);
    vi.advanceTimersByTime(1);
    expect(text()).toEqual(['1', '234']);
    expect(batcher.pending).toBe(0);
  });

  it('keeps batching while output keeps coming, and goes back to immediate once it stops', () => {
    const { batcher, text } = recorder();
    batcher.push(bytes('a'));
    for (let i = 0; i < 4; i++) {
      vi.advanceTimersByTime(3);
      batcher.push(bytes(String(i)));
    }
    // a at 0; 0 at 3 -> flushed at 5; 1 at 6, 2 at 9 -> flushed at 10; 3 at 12 -> flushed at 15.
    vi.advanceTimersByTime(3);
    expect(text()).toEqual(['a', '0', '12', '3']);
    vi.advanceTimersByTime(5); // A window with nothing in it: quiet.
    batcher.push(bytes('z'));
    expect(text()).toEqual(['a', '0', '12', '3', 'z']);
  });

  it('sends at once when maxBytes are waiting, without waiting for the delay', () => {
    const { batcher, out } = recorder({ delayMs: 5, maxBytes: 10, immediateBytes: 0 });
    batcher.push(bytes('x'));
    batcher.push(bytes('1234'));
    batcher.push(bytes('5678'));
    expect(out).toHaveLength(1);
    batcher.push(bytes('90'));
    expect(out.map((b) => b.toString())).toEqual(['x', '1234567890']);
  });

  it('never joins past maxBytes; a single chunk bigger than that goes alone', () => {
    const { batcher, out } = recorder({ delayMs: 5, maxBytes: 10, immediateBytes: 0 });
    batcher.push(bytes('x'));
    batcher.push(bytes('123456'));
    batcher.push(bytes('789012')); // 12 > 10: the first six go out alone.
    batcher.push(bytes('ABCDEFGHIJKLMNOP'));
    vi.advanceTimersByTime(5);
    expect(out.map((b) => b.toString())).toEqual(['x', '123456', '789012', 'ABCDEFGHIJKLMNOP']);
    expect(out.slice(0, 3).every((b) => b.length <= 10)).toBe(true);
  });

  it('keeps every byte in order, whatever the chunk sizes and timing, including split UTF-8', () => {
    const { batcher, out } = recorder({ delayMs: 5, maxBytes: 1000, immediateBytes: 0 });
    const source = Buffer.from('é€😀 '.repeat(5000));
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let at = 0; at < source.length;) {
      const size = 1 + Math.floor(random() * 300);
      batcher.push(source.subarray(at, at + size));
      at += size;
      vi.advanceTimersByTime(Math.floor(random() * 4));
    }
    vi.advanceTimersByTime(10);
    expect(Buffer.concat(out).equals(source)).toBe(true);
    expect(out.length).toBeLessThan(source.length / 150);
    expect(out.every((b) => b.length <= 1000)).toBe(true);
  });

  it('flushes what is waiting on dispose and drops what comes after', () => {
    const { batcher, text } = recorder();
    batcher.push(bytes('a'));
    batcher.push(bytes('b'));
    batcher.dispose();
    expect(text()).toEqual(['a', 'b']);
    batcher.push(bytes('c'));
    vi.advanceTimersByTime(100);
    expect(text()).toEqual(['a', 'b']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('ignores empty chunks', () => {
    const { batcher, out } = recorder();
    batcher.push(new Uint8Array(0));
    expect(out).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
