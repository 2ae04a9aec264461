// Exec output kept in the main process is capped: the head and the tail, and a count of what
// was dropped between them.
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { droppedMarker, HeadTailBuffer } from '../../../main/core/docker/capped-output.js';
import { execScript } from '../../../main/core/docker/exec.js';

/** Writes `data` in chunks of pseudo-random sizes from 1 to `maxChunk` bytes. */
function writeInChunks(sink: HeadTailBuffer, data: Buffer, maxChunk: number, seed = 7): void {
  let state = seed;
  for (let offset = 0; offset < data.length;) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const size = 1 + (state % maxChunk);
    sink.write(data.subarray(offset, offset + size));
    offset += size;
  }
}

describe('HeadTailBuffer', () => {
  it('keeps output under the cap whole, with nothing dropped', () => {
    const sink = new HeadTailBuffer(16);
    sink.write(Buffer.from('0123456789'));
    sink.write(Buffer.from('abcdef'));
    expect(sink.text()).toBe('0123456789abcdef');
    expect(sink.droppedBytes).toBe(0);
    expect(sink.totalBytes).toBe(16);
  });

  it('past the cap: the exact head and tail, the exact count, and a marker line between', () => {
    const sink = new HeadTailBuffer(10);
    sink.write(Buffer.from('HEAD!'));
    sink.write(Buffer.from('-middle-that-goes-'));
    sink.write(Buffer.from('TAIL!'));
    expect(sink.droppedBytes).toBe(18);
    expect(sink.text()).toBe(`HEAD!${droppedMarker(18)}TAIL!`);
    expect(sink.text()).toContain('[… 18 bytes dropped …]');
  });

  it('whatever the chunk sizes, head and tail are the first and last bytes written', () => {
    const data = randomBytes(50_000);
    for (const [cap, maxChunk] of [
      [1000, 1],
      [1000, 7],
      [1001, 333],
      [4096, 5000],
      [60_000, 4096],
    ] as const) {
      const sink = new HeadTailBuffer(cap);
      writeInChunks(sink, data, maxChunk);
      const { head, tail } = sink.kept();
      const kept = Math.min(cap, data.length);
      expect(head.length + tail.length, `cap ${cap}`).toBe(kept);
      expect(Buffer.compare(head, data.subarray(0, head.length)), `head, cap ${cap}`).toBe(0);
      expect(Buffer.compare(tail, data.subarray(data.length - tail.length)), `tail, cap ${cap}`).toBe(0);
      expect(sink.droppedBytes).toBe(data.length - kept);
      expect(sink.totalBytes).toBe(data.length);
    }
  });

  it('holds no more than the cap in memory while 256 MiB go through it', () => {
    const cap = 1024 * 1024;
    const sink = new HeadTailBuffer(cap);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 4096; i++) {
      sink.write(chunk);
      expect(sink.keptBytes).toBeLessThanOrEqual(cap);
    }
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(sink.totalBytes).toBe(256 * 1024 * 1024);
    expect(sink.droppedBytes).toBe(256 * 1024 * 1024 - cap);
    // The cap plus the head's last doubling, not the 256 MiB written.
    expect(grown).toBeLessThan(4 * cap);
  });

  it('refuses a cap too small to hold a head and a tail', () => {
    expect(() => new HeadTailBuffer(1)).toThrow('bad output cap 1');
  });
});

/** A framed exec stream, as the engine sends it without a TTY. */
function frame(stream: 1 | 2, body: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

function fakeContainer(frames: Buffer[]): Docker.Container {
  const stream = new PassThrough();
  const exec = {
    start: () => {
      setImmediate(() => {
        for (const f of frames) stream.write(f);
        stream.end();
      });
      return Promise.resolve(stream);
    },
    inspect: () => Promise.resolve({ ExitCode: 0 }),
  };
  return { exec: () => Promise.resolve(exec) } as unknown as Docker.Container;
}

describe('execScript output', () => {
  it('caps each stream and says how much it dropped', async () => {
    const out = Buffer.from(`${'a'.repeat(100)}${'b'.repeat(1000)}${'c'.repeat(100)}`);
    const container = fakeContainer([frame(1, out), frame(2, Buffer.from('short error\n'))]);
    const result = await execScript(container, 'yes', { outputCapBytes: 200 });
    expect(result.stdout).toBe(`${'a'.repeat(100)}${droppedMarker(1000)}${'c'.repeat(100)}`);
    expect(result.stderr).toBe('short error\n');
    expect(result.dropped).toEqual({ stdout: 1000, stderr: 0 });
  });

  it('says nothing of dropping when everything fit', async () => {
    const result = await execScript(fakeContainer([frame(1, Buffer.from('ok\n'))]), 'true');
    expect(result).toEqual({ exitCode: 0, stdout: 'ok\n', stderr: '', timedOut: false });
  });
});
