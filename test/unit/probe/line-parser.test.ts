// The lvs-probe output parser on real output of lvs-probe (test/fixtures/probe/README.md says how
// each file was captured), fed whole, cut at every byte, and mixed with garbage.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  MAX_LINE,
  parseProbeLine,
  parseProbeOutput,
  ProbeLineParser,
  toSamples,
  type ProbeLine,
  type ProbeResultLine,
} from '../../../main/core/probe/line-parser.js';

function capture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../../fixtures/probe/${name}`, import.meta.url)), 'utf8');
}

const PAGES = { server2: '<h1>server2</h1>', server3: '<h1>server3</h1>' };
const results = (lines: ProbeLine[]) => lines.filter((l): l is ProbeResultLine => l.kind === 'result');

describe('parseProbeLine', () => {
  it('reads a result line', () => {
    expect(parseProbeLine('R 7 120.402 0.913 200 - PGgxPnNlcnZlcjI8L2gxPg==')).toEqual({
      kind: 'result',
      seq: 7,
      at: 120.402,
      latencyMs: 0.913,
      status: 200,
      error: null,
      body: '<h1>server2</h1>',
    });
  });

  it('reads a failure: no status, an error word, no body', () => {
    expect(parseProbeLine('R 3 40.019 0.377 0 refused -')).toMatchObject({
      status: null,
      error: 'refused',
      body: '',
    });
  });

  it('reads the START and END lines', () => {
    expect(
      parseProbeLine('START 1 http://10.199.2.2/ rate=50 duration=1 timeout=2000 max=50 concurrency=64'),
    ).toEqual({
      kind: 'start',
      version: 1,
      url: 'http://10.199.2.2/',
      rate: 50,
      durationSeconds: 1,
      timeoutMs: 2000,
      max: 50,
      concurrency: 64,
    });
    expect(
      parseProbeLine('END heartbeat sent=4 done=4 ok=4 errors=0 aborted=0 elapsed_ms=700.510'),
    ).toMatchObject({ kind: 'end', reason: 'heartbeat', elapsedMs: 700.51 });
    expect(parseProbeLine('END stdin sent=5 done=5 ok=5 errors=0 aborted=0 elapsed_ms=433.502')).toEqual({
      kind: 'end',
      reason: 'stdin',
      sent: 5,
      done: 5,
      ok: 5,
      errors: 0,
      aborted: 0,
      elapsedMs: 433.502,
    });
  });

  it('rejects near misses', () => {
    for (const line of [
      '',
      'R',
      'R 1 2 3 200 -',
      'R x 0.1 0.2 200 - -',
      'R 1 0.1 0.2 2000 - -',
      'R 1 0.1 0.2 200 - not*base64',
      'R 1 0.1 0.2 200 Refused -',
      'END finished sent=1 done=1 ok=1 errors=0 aborted=0 elapsed_ms=1',
      'START 1 http://x/ rate=x duration=1 timeout=1 max=1 concurrency=1',
      'lvs-probe: --rate must be a number from 0.5 to 2000, not "5000"',
    ]) {
      expect(parseProbeLine(line), line).toBeNull();
    }
  });
});

describe('parseProbeOutput on real captures', () => {
  it('50 answers from server2, in order, then the END line', () => {
    const { lines, garbage } = parseProbeOutput(capture('host-server2-ok.txt'));
    expect(garbage).toBe(0);
    expect(lines[0]).toMatchObject({ kind: 'start', rate: 50, durationSeconds: 1, max: 50 });
    expect(lines.at(-1)).toMatchObject({ kind: 'end', reason: 'duration', sent: 50, done: 50, ok: 50 });
    const rs = results(lines);
    expect(rs.map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(rs.every((r) => r.status === 200 && r.error === null && r.body === PAGES.server2)).toBe(true);
    expect(toSamples(rs, PAGES).every((s) => s.node === 'server2')).toBe(true);
  });

  it('500 requests at 1000/s: completion order differs from start order where SYNs were retried', () => {
    const { lines, garbage } = parseProbeOutput(capture('host-server2-1000rps.txt'));
    expect(garbage).toBe(0);
    const rs = results(lines);
    expect(rs).toHaveLength(500);
    expect(new Set(rs.map((r) => r.seq)).size).toBe(500);
    expect(rs.map((r) => r.seq)).not.toEqual([...rs.map((r) => r.seq)].sort((a, b) => a - b));
    // Some SYNs met a full listen queue (busybox httpd) and were retried after 1 s.
    expect(rs.some((r) => r.latencyMs > 1000)).toBe(true);
    expect(lines.at(-1)).toMatchObject({ kind: 'end', sent: 500, done: 500, ok: 500 });
  });

  it('the VIP on a real IPVS kernel: rr alternates strictly between the two real servers', () => {
    const { lines, garbage } = parseProbeOutput(capture('uml-vip-rr-50rps.txt'));
    expect(garbage).toBe(0);
    const samples = toSamples(results(lines), PAGES).sort((a, b) => a.seq - b.seq);
    expect(samples).toHaveLength(100);
    expect(samples.every((s) => s.error === null && s.status === 200)).toBe(true);
    const order = samples.map((s) => s.node);
    expect(order.filter((n) => n === 'server2')).toHaveLength(50);
    expect(order.filter((n) => n === 'server3')).toHaveLength(50);
    expect(order.every((n, i) => i === 0 || n !== order[i - 1])).toBe(true);
  });

  it('failures: refused, timeout, unreachable, each unattributed', () => {
    const cases: [string, string, number][] = [
      ['host-refused.txt', 'refused', 10],
      ['host-timeout.txt', 'timeout', 10],
      ['host-unreachable.txt', 'unreachable', 2],
    ];
    for (const [file, error, count] of cases) {
      const rs = results(parseProbeOutput(capture(file)).lines);
      expect(rs, file).toHaveLength(count);
      const samples = toSamples(rs, PAGES);
      expect(
        samples.every((s) => s.error === error && s.status === null && s.node === null),
        file,
      ).toBe(true);
    }
    // The timeouts took the timeout (300 ms); the refusals took almost nothing.
    for (const r of results(parseProbeOutput(capture('host-timeout.txt')).lines))
      expect(r.latencyMs).toBeGreaterThanOrEqual(300);
  });

  it('a 404 is an answer, from no known page', () => {
    const rs = results(parseProbeOutput(capture('host-404.txt')).lines);
    expect(rs.map((r) => [r.status, r.error])).toEqual([
      [404, null],
      [404, null],
    ]);
    expect(rs[0]?.body).toMatch(/404 Not Found/);
    expect(toSamples(rs, PAGES).map((s) => s.node)).toEqual([null, null]);
  });

  it('end of stdin and SIGTERM end the probe with their reasons', () => {
    expect(parseProbeOutput(capture('host-stdin-eof.txt')).lines.at(-1)).toMatchObject({
      kind: 'end',
      reason: 'stdin',
    });
    expect(parseProbeOutput(capture('host-sigterm.txt')).lines.at(-1)).toMatchObject({
      kind: 'end',
      reason: 'signal',
    });
  });
});

describe('ProbeLineParser on a stream', () => {
  const files = [
    'host-server2-ok.txt',
    'host-refused.txt',
    'host-timeout.txt',
    'host-404.txt',
    'host-stdin-eof.txt',
  ];

  it('gives the same lines whatever the byte where a chunk ends', () => {
    for (const file of files) {
      const bytes = Buffer.from(capture(file));
      const whole = parseProbeOutput(bytes.toString('latin1')).lines;
      for (let cut = 1; cut < bytes.length; cut++) {
        const parser = new ProbeLineParser();
        const lines = [
          ...parser.push(bytes.subarray(0, cut)),
          ...parser.push(bytes.subarray(cut)),
          ...parser.finish(),
        ];
        expect(lines).toEqual(whole);
        expect(parser.garbage).toBe(0);
      }
    }
  });

  it('gives the same lines when fed in random small chunks, a line only once complete', () => {
    const bytes = Buffer.from(capture('host-server2-1000rps.txt'));
    const whole = parseProbeOutput(bytes.toString()).lines;
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const parser = new ProbeLineParser();
    const lines: ProbeLine[] = [];
    for (let i = 0; i < bytes.length;) {
      const n = 1 + Math.floor(random() * 97);
      const chunk = bytes.subarray(i, i + n);
      const got = parser.push(chunk);
      // Every line given back ends before the end of what was pushed so far.
      lines.push(...got);
      i += n;
    }
    lines.push(...parser.finish());
    expect(lines).toEqual(whole);
  });

  it('skips and counts garbage lines, CRLF endings and over-long lines', () => {
    const real = capture('host-refused.txt').split('\n');
    const parser = new ProbeLineParser();
    const lines = [
      ...parser.push('timeout: failed to run command\n'),
      ...parser.push(`${real[1] ?? ''}\r\n`),
      ...parser.push('\u00ff\u00fe binary \u0000 noise\n\n'),
      ...parser.push('x'.repeat(MAX_LINE * 3)),
      ...parser.push('y'.repeat(10)),
      ...parser.push(` still the long line\n${real[2] ?? ''}\nR 99 1.0 2.0 200 - PGgx`),
      ...parser.finish(),
    ];
    expect(lines.map((l) => (l.kind === 'result' ? l.seq : l.kind))).toEqual([1, 2, 99]);
    // The last line had no newline but was complete: finish() takes it.
    expect(lines.at(-1)).toMatchObject({ body: '<h1' });
    expect(parser.garbage).toBe(3);
  });
});

describe('toSamples', () => {
  it('attributes by page with the http checks’ rule: trimmed, exact, unique', () => {
    const line = (seq: number, body: string): ProbeResultLine => ({
      kind: 'result',
      seq,
      at: seq,
      latencyMs: 1,
      status: 200,
      error: null,
      body,
    });
    const samples = toSamples(
      [line(1, '<h1>server3</h1>\n'), line(2, '<h1>server2</h1>'), line(3, 'other'), line(4, '<h1>dup</h1>')],
      { ...PAGES, a: '<h1>dup</h1>', b: '<h1>dup</h1>' },
    );
    expect(samples.map((s) => s.node)).toEqual(['server3', 'server2', null, null]);
    expect(samples[0]).toEqual({ seq: 1, at: 1, node: 'server3', status: 200, latencyMs: 1, error: null });
  });
});
