// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { RingBuffer } from '../../../renderer/src/stores/ring-buffer.js';

describe('RingBuffer', () => {
  it('keeps items in order until full', () => {
    const ring = new RingBuffer<number>(3);
    ring.pushAll([1, 2]);
    expect(ring.size).toBe(2);
    expect(ring.toArray()).toEqual([1, 2]);
    expect(ring.last()).toBe(2);
  });

  it('never holds more than its capacity and keeps the newest', () => {
    const ring = new RingBuffer<number>(2000);
    for (let i = 0; i < 5000; i++) ring.push(i);
    expect(ring.size).toBe(2000);
    const all = ring.toArray();
    expect(all[0]).toBe(3000);
    expect(all[1999]).toBe(4999);
    expect(ring.latest(3)).toEqual([4997, 4998, 4999]);
  });

  it('wraps around repeatedly and clears', () => {
    const ring = new RingBuffer<string>(3);
    ring.pushAll(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(ring.toArray()).toEqual(['e', 'f', 'g']);
    expect(ring.latest(10)).toEqual(['e', 'f', 'g']);
    expect(ring.latest(0)).toEqual([]);
    ring.clear();
    expect(ring.size).toBe(0);
    expect(ring.last()).toBeUndefined();
    ring.push('h');
    expect(ring.toArray()).toEqual(['h']);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0)).toThrow();
    expect(() => new RingBuffer(1.5)).toThrow();
  });
});
