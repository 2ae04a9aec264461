// Reads the output of lvs-probe (lab-images/node/lvs-probe.c, whose header comment is the
// reference for the format) as it streams in: chunks may cut lines anywhere, and anything that is
// not a probe record is counted and skipped. Pure, no I/O.
//
//   START 1 <url> rate=<R> duration=<S> timeout=<MS> max=<N> concurrency=<C>
//   R <seq> <start_ms> <latency_ms> <status> <error> <body base64 | ->
//   END <reason> sent=<n> done=<n> ok=<n> errors=<n> aborted=<n> elapsed_ms=<ms>
import type { ProbeSample } from '../../../shared/api.js';
import { attribute, type CurlSample } from '../parsers/index.js';

export interface ProbeStartLine {
  kind: 'start';
  version: number;
  url: string;
  rate: number;
  durationSeconds: number;
  timeoutMs: number;
  max: number;
  concurrency: number;
}

export interface ProbeResultLine {
  kind: 'result';
  seq: number;
  /** When the request started, in ms since the probe started. */
  at: number;
  latencyMs: number;
  /** HTTP status; null when none was received. */
  status: number | null;
  /** null for a complete answer, else the probe's error word (timeout, refused, reset, ...). */
  error: string | null;
  /** The first 256 bytes of the response body, decoded as UTF-8. */
  body: string;
}

export type ProbeEndReason = 'duration' | 'max' | 'signal' | 'stdin' | 'heartbeat' | 'output';

export interface ProbeEndLine {
  kind: 'end';
  reason: ProbeEndReason;
  sent: number;
  done: number;
  ok: number;
  errors: number;
  aborted: number;
  elapsedMs: number;
}

export type ProbeLine = ProbeStartLine | ProbeResultLine | ProbeEndLine;

const RESULT_RE =
  /^R (\d{1,9}) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d{1,3}) ([a-z-]{1,20}) ([A-Za-z0-9+/]*={0,2}|-)$/;
const START_RE = /^START (\d+) (\S+) rate=(\S+) duration=(\S+) timeout=(\S+) max=(\d+) concurrency=(\d+)$/;
const END_RE =
  /^END (duration|max|signal|stdin|heartbeat|output) sent=(\d+) done=(\d+) ok=(\d+) errors=(\d+) aborted=(\d+) elapsed_ms=(\d+(?:\.\d+)?)$/;

/** One line of probe output (without its newline), or null when it is not a probe record. */
export function parseProbeLine(line: string): ProbeLine | null {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (text.startsWith('R ')) {
    const m = RESULT_RE.exec(text);
    if (!m) return null;
    const status = Number(m[4]);
    const error = m[5] ?? '-';
    const body = m[6] ?? '-';
    return {
      kind: 'result',
      seq: Number(m[1]),
      at: Number(m[2]),
      latencyMs: Number(m[3]),
      status: status === 0 ? null : status,
      error: error === '-' ? null : error,
      body: body === '-' ? '' : Buffer.from(body, 'base64').toString('utf8'),
    };
  }
  if (text.startsWith('START ')) {
    const m = START_RE.exec(text);
    if (!m) return null;
    const nums = [m[3], m[4], m[5]].map(Number);
    if (nums.some((n) => !Number.isFinite(n))) return null;
    return {
      kind: 'start',
      version: Number(m[1]),
      url: m[2] ?? '',
      rate: nums[0] ?? 0,
      durationSeconds: nums[1] ?? 0,
      timeoutMs: nums[2] ?? 0,
      max: Number(m[6]),
      concurrency: Number(m[7]),
    };
  }
  if (text.startsWith('END ')) {
    const m = END_RE.exec(text);
    if (!m) return null;
    return {
      kind: 'end',
      reason: m[1] as ProbeEndReason,
      sent: Number(m[2]),
      done: Number(m[3]),
      ok: Number(m[4]),
      errors: Number(m[5]),
      aborted: Number(m[6]),
      elapsedMs: Number(m[7]),
    };
  }
  return null;
}

/** Longest line kept; a longer run of bytes without a newline is garbage and is dropped. */
export const MAX_LINE = 4096;

/**
 * Splits a stream of chunks into probe lines. Keeps the unfinished last line until its newline
 * arrives; counts (and skips) every line that is not a probe record, including over-long ones.
 */
export class ProbeLineParser {
  /** Lines that were not probe records (noise, cut or over-long lines). */
  garbage = 0;
  private tail = '';
  /** True while skipping the rest of an over-long line. */
  private skipping = false;

  push(chunk: Buffer | string): ProbeLine[] {
    // latin1 maps each byte to one character, so a chunk boundary never splits a character;
    // valid records are ASCII and the base64 body is decoded separately.
    const text = typeof chunk === 'string' ? chunk : chunk.toString('latin1');
    const parts = (this.tail + text).split('\n');
    this.tail = parts.pop() ?? '';
    const lines: ProbeLine[] = [];
    for (const part of parts) {
      if (this.skipping) {
        this.skipping = false;
        continue;
      }
      this.take(part, lines);
    }
    if (this.tail.length > MAX_LINE) {
      if (!this.skipping) this.garbage++;
      this.skipping = true;
      this.tail = '';
    }
    return lines;
  }

  /** The end of the stream: a last line without its newline still counts. */
  finish(): ProbeLine[] {
    const lines: ProbeLine[] = [];
    if (this.tail !== '' && !this.skipping) this.take(this.tail, lines);
    this.tail = '';
    this.skipping = false;
    return lines;
  }

  private take(text: string, into: ProbeLine[]): void {
    if (text.trim() === '') return;
    const line = text.length > MAX_LINE ? null : parseProbeLine(text);
    if (line) into.push(line);
    else this.garbage++;
  }
}

/** Every probe line of a whole output at once (for captured output and tests). */
export function parseProbeOutput(text: string): { lines: ProbeLine[]; garbage: number } {
  const parser = new ProbeLineParser();
  const lines = [...parser.push(text), ...parser.finish()];
  return { lines, garbage: parser.garbage };
}

/** The probe's error words as the curl exit statuses the attribution code knows. */
const CURL_EXIT: Record<string, number> = { refused: 7, unreachable: 7, timeout: 28, closed: 52, reset: 56 };

/**
 * Turns result lines into samples, each attributed to the node whose page equals its body,
 * by the same attribution as the lab's http checks (parsers/http-samples.ts `attribute`).
 */
export function toSamples(
  results: readonly ProbeResultLine[],
  pages: Readonly<Record<string, string>>,
): ProbeSample[] {
  const curlLike: CurlSample[] = results.map((r) => ({
    status: r.status,
    seconds: r.latencyMs / 1000,
    curlExit: r.error === null ? 0 : (CURL_EXIT[r.error] ?? 1),
    body: r.body,
  }));
  const attributed = attribute(curlLike, pages);
  return results.map((r, i) => ({
    seq: r.seq,
    at: r.at,
    node: attributed[i]?.node ?? null,
    status: r.status,
    latencyMs: r.latencyMs,
    error: r.error,
  }));
}
