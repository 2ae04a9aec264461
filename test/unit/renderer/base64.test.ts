// @vitest-environment jsdom
/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64, readFileBytes } from '../../../renderer/src/api/base64.js';

/** Bytes that are not all alike, the same on every run. */
function pattern(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = 2463534242;
  for (let i = 0; i < length; i++) {
    // xorshift32: every byte value shows up, in no order a slice boundary could hide.
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

/** The one-shot encoding, byte by byte, fine for small inputs. */
function reference(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

describe('base64 of files', () => {
  it('round-trips 3 MiB of bytes without overflowing the stack', () => {
    const bytes = pattern(3 * 1024 * 1024);
    const base64 = bytesToBase64(bytes);
    expect(base64.length).toBe(Math.ceil(bytes.length / 3) * 4);
    expect(base64).toMatch(/^[A-Za-z0-9+/]*={0,2}$/);
    expect(same(base64ToBytes(base64), bytes)).toBe(true);
  });

  it('encodes as a one-shot btoa would, whatever the length past a slice', () => {
    for (const length of [0, 1, 2, 3, 24_575, 24_576, 24_577, 24_578, 100_000]) {
      const bytes = pattern(length);
      expect(bytesToBase64(bytes), `${length} bytes`).toBe(reference(bytes));
    }
  });

  it('reads a picked file’s bytes', async () => {
    const bytes = pattern(70_000);
    const read = await readFileBytes(new File([bytes.slice()], 'lab.lvslab'));
    expect(same(read, bytes)).toBe(true);
  });
});
