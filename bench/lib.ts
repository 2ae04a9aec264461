// The benchmark harness: every figure is measured beside its baseline in the same run, on the
// same engine, and reported as medians and a ratio against a target. No benchmark asserts a
// time; `npm run bench` prints the table and writes it to bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Measurement {
  /** What is measured, e.g. "lab up (tun-arptables)". */
  name: string;
  unit: 'ms' | 's' | 'req/s' | 'MB' | 'MB/s';
  app: number[];
  baseline: number[];
  baselineName: string;
  /** The target as a ratio app/baseline: `{ max: 0.5 }` for "at most half", `{ min: 20 }` for "at least 20 times". */
  target: { max?: number; min?: number; absoluteMax?: number; note?: string };
  notes?: string;
}

export interface Row {
  name: string;
  unit: string;
  appMedian: number;
  baselineName: string;
  baselineMedian: number;
  ratio: number;
  target: string;
  met: boolean;
  runs: number;
  notes: string;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function toRow(m: Measurement): Row {
  const appMedian = median(m.app);
  const baselineMedian = median(m.baseline);
  const ratio = appMedian / baselineMedian;
  const parts: string[] = [];
  let met = true;
  if (m.target.max !== undefined) {
    parts.push(`<= ${m.target.max}x`);
    met &&= ratio <= m.target.max;
  }
  if (m.target.min !== undefined) {
    parts.push(`>= ${m.target.min}x`);
    met &&= ratio >= m.target.min;
  }
  if (m.target.absoluteMax !== undefined) {
    parts.push(`<= ${m.target.absoluteMax} ${m.unit}`);
    met &&= appMedian <= m.target.absoluteMax;
  }
  if (m.target.note) parts.push(m.target.note);
  return {
    name: m.name,
    unit: m.unit,
    appMedian,
    baselineName: m.baselineName,
    baselineMedian,
    ratio,
    target: parts.join(', '),
    met,
    runs: Math.min(m.app.length, m.baseline.length),
    notes: m.notes ?? '',
  };
}

/** Times an async function in milliseconds. */
export async function timeMs(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

/** Times a synchronous piece of work (a baseline that shells out) in milliseconds. */
export function timeSyncMs(work: () => unknown): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

/**
 * Runs app and baseline alternately (so that drift in the machine's load hits both alike),
 * `runs` times each, after one untimed warm-up of each.
 */
export async function alternate(
  runs: number,
  app: () => Promise<number>,
  baseline: () => Promise<number>,
): Promise<{ app: number[]; baseline: number[] }> {
  await app();
  await baseline();
  const out = { app: [] as number[], baseline: [] as number[] };
  for (let i = 0; i < runs; i++) {
    out.app.push(await app());
    out.baseline.push(await baseline());
  }
  return out;
}

const fmt = (n: number) =>
  Number.isFinite(n) ? (Math.abs(n) >= 100 ? n.toFixed(0) : n.toPrecision(3)) : 'n/a';

export function markdownTable(rows: Row[]): string {
  const lines = [
    '| measurement | app (median) | baseline | baseline (median) | ratio | target | met | runs | notes |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.name} | ${fmt(r.appMedian)} ${r.unit} | ${r.baselineName} | ${fmt(r.baselineMedian)} ${r.unit} | ${fmt(r.ratio)}x | ${r.target} | ${r.met ? 'yes' : 'no'} | ${r.runs} | ${r.notes} |`,
    );
  }
  return lines.join('\n');
}

/** Prints the rows and writes them, with the raw runs, to bench/results/<name>.{md,json}. */
export function report(name: string, measurements: Measurement[]): Row[] {
  const rows = measurements.map(toRow);
  const table = markdownTable(rows);
  console.log(`\n${table}\n`);
  const dir = path.resolve(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${name}.md`), `${table}\n`);
  writeFileSync(path.join(dir, `${name}.json`), JSON.stringify({ rows, measurements }, null, 2));
  return rows;
}
