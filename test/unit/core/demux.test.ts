// Docker's stream framing, the one demultiplexer behind exec output, container logs and the
// live probe.
import { describe, expect, it } from 'vitest';
import { demuxLogs, DockerStreamDemuxer } from '../../../main/core/docker/demux.js';
import { parseProbeSections } from '../../../main/core/preflight/preflight.js';

const M = '@@probe-m1abc';

/** One frame: stream byte, three zero bytes, size (uint32 BE), data. */
function frame(stream: 1 | 2, data: Buffer | string): Buffer {
  const body = Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
  const header = Buffer.alloc(8);
  header.writeUInt8(stream, 0);
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

function recorder() {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const demux = new DockerStreamDemuxer(
    (b) => out.push(Buffer.from(b)),
    (b) => err.push(Buffer.from(b)),
  );
  return {
    demux,
    out: () => Buffer.concat(out).toString(),
    err: () => Buffer.concat(err).toString(),
    pieces: () => out.length,
  };
}

describe('DockerStreamDemuxer', () => {
  it('splits stdout from stderr, whatever the chunk boundaries', () => {
    const stream = Buffer.concat([
      frame(1, 'START 1 http://x/ rate=1\n'),
      frame(2, 'lvs-probe: oops\n'),
      frame(1, 'R 1 0.1 0.2 200 - -\n'),
      frame(1, ''),
    ]);
    for (let cut = 0; cut <= stream.length; cut++) {
      const r = recorder();
      r.demux.push(stream.subarray(0, cut));
      r.demux.push(stream.subarray(cut));
      expect(r.out()).toBe('START 1 http://x/ rate=1\nR 1 0.1 0.2 200 - -\n');
      expect(r.err()).toBe('lvs-probe: oops\n');
    }
  });

  it('one byte at a time', () => {
    const stream = Buffer.concat([frame(2, 'e1'), frame(1, 'o1'), frame(2, 'e2'), frame(1, 'o2')]);
    const r = recorder();
    for (const byte of stream) r.demux.push(Buffer.from([byte]));
    expect(r.out()).toBe('o1o2');
    expect(r.err()).toBe('e1e2');
  });

  it('passes a large frame on as it arrives, without waiting for its end', () => {
    const r = recorder();
    const big = frame(1, 'x'.repeat(300_000));
    r.demux.push(big.subarray(0, 100_008));
    expect(r.out()).toHaveLength(100_000);
    r.demux.push(big.subarray(100_008));
    expect(r.out()).toBe('x'.repeat(300_000));
    expect(r.pieces()).toBe(2);
  });
});

describe('demuxLogs', () => {
  it('joins stdout and stderr frames in order, without the headers', () => {
    const buffer = Buffer.concat([
      frame(1, `${M} uname\n6.1.0\n`),
      frame(2, 'warning\n'),
      frame(1, `${M}-rc 0\n`),
    ]);
    expect(demuxLogs(buffer)).toBe(`${M} uname\n6.1.0\nwarning\n${M}-rc 0\n`);
    expect(parseProbeSections(demuxLogs(buffer), M).get('uname')).toEqual({ rc: 0, text: '6.1.0\nwarning' });
  });

  it('a character split across two frames is decoded whole', () => {
    const e = Buffer.from('é', 'utf8');
    const buffer = Buffer.concat([
      frame(1, Buffer.concat([Buffer.from('caf'), e.subarray(0, 1)])),
      frame(1, e.subarray(1)),
    ]);
    expect(demuxLogs(buffer)).toBe('café');
  });

  it('empty frames, an empty buffer, a truncated last frame and a stray short header', () => {
    expect(demuxLogs(Buffer.alloc(0))).toBe('');
    expect(demuxLogs(Buffer.concat([frame(1, ''), frame(2, 'x')]))).toBe('x');
    const truncated = frame(1, 'abcdef').subarray(0, 8 + 3);
    expect(demuxLogs(Buffer.concat([frame(1, 'ok '), truncated]))).toBe('ok abc');
    expect(demuxLogs(Buffer.concat([frame(1, 'ok'), Buffer.from([1, 0, 0])]))).toBe('ok');
  });

  it('a large frame', () => {
    const big = 'x'.repeat(100_000);
    expect(demuxLogs(frame(1, big))).toBe(big);
  });
});
