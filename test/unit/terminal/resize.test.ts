import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clampSize, ResizeCoalescer, type TerminalSize } from '../../../main/core/terminal/resize.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function coalescer() {
  const applied: TerminalSize[] = [];
  const resizer = new ResizeCoalescer({ cols: 80, rows: 24 }, (s) => applied.push(s), 50);
  return { resizer, applied };
}

describe('ResizeCoalescer', () => {
  it('applies the last size of a burst once, after the delay', () => {
    const { resizer, applied } = coalescer();
    resizer.request(90, 30);
    vi.advanceTimersByTime(20);
    resizer.request(100, 31);
    resizer.request(120, 40);
    vi.advanceTimersByTime(29);
    expect(applied).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(applied).toEqual([{ cols: 120, rows: 40 }]);
    resizer.request(121, 40);
    vi.advanceTimersByTime(50);
    expect(applied).toEqual([
      { cols: 120, rows: 40 },
      { cols: 121, rows: 40 },
    ]);
  });

  it('skips a burst that ends at the size the terminal already has', () => {
    const { resizer, applied } = coalescer();
    resizer.request(100, 50);
    resizer.request(80, 24);
    vi.advanceTimersByTime(100);
    expect(applied).toEqual([]);
  });

  it('clamps to whole cells of at least 1 and ignores non-numbers', () => {
    expect(clampSize(0, -3)).toEqual({ cols: 1, rows: 1 });
    expect(clampSize(80.7, 24.2)).toEqual({ cols: 80, rows: 24 });
    expect(clampSize(Number.NaN, 24)).toBeNull();
    const { resizer, applied } = coalescer();
    resizer.request(Number.POSITIVE_INFINITY, 10);
    vi.advanceTimersByTime(100);
    expect(applied).toEqual([]);
    resizer.request(0, 0);
    vi.advanceTimersByTime(100);
    expect(applied).toEqual([{ cols: 1, rows: 1 }]);
  });

  it('applies nothing after dispose', () => {
    const { resizer, applied } = coalescer();
    resizer.request(100, 50);
    resizer.dispose();
    resizer.request(110, 50);
    vi.advanceTimersByTime(100);
    expect(applied).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
