// The terminal path against the docker CLI, on this machine's engine, in LVS Lab's own
// `termtest` lab (10.199.1.0/24; created here and removed at the end).
//
// 1. Echo round trip: one keystroke written, until its echo comes back. App: TerminalManager
//    (exec API, TTY). Baseline: `docker exec -it <container> sh` under a pseudo-terminal made by
//    util-linux `script`. Both run `sh` in the same node, so the echo comes from the same tty
//    line discipline; each timed key is followed by an untimed backspace.
// 2. Terminal output: 50 MB through the terminal path with a consumer that acks like xterm (after
//    a turn of the loop), every byte counted, peak RSS growth sampled. Baseline for throughput:
//    `docker exec` without a TTY, its output piped to /dev/null by the CLI.
//
// Run: npx vite-node bench/terminal.ts
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { labVariant, newService } from '../test/docker/helpers.js';
import { containerName } from '../main/core/docker/labels.js';
import { TerminalManager } from '../main/core/terminal/terminal-manager.js';
import { alternate, median, report, type Measurement } from './lib.js';

const LAB = 'termtest';
const NODE = 'server2';
const KEYSTROKES = 200;
const OUTPUT_BYTES = 50 * 1024 * 1024;
const OUTPUT_RUNS = 3;
const MB = 1e6;

const service = newService();

const ALL_A = Buffer.alloc(1024 * 1024, 'A');

/** How many bytes of `bytes` are `A`: natively for the all-A chunks of a flood. */
function countA(bytes: Uint8Array): number {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (buf.length <= ALL_A.length && buf.equals(ALL_A.subarray(0, buf.length))) return buf.length;
  let n = 0;
  for (const b of buf) if (b === 0x41) n++;
  return n;
}

/** Resolves when `check` passes on data that arrives from now on. */
type Waiter = { check: (text: string) => boolean; resolve: () => void; seen: string };

/** One terminal session of the app, with the waiting and counting the benchmark needs. */
class AppTerminal {
  private waiters: Waiter[] = [];
  private acking = true;
  aCount = 0;
  received = 0;
  sessionId = '';
  readonly manager: TerminalManager;

  constructor() {
    this.manager = new TerminalManager(service.runtime, {
      data: (id, bytes) => {
        if (id !== this.sessionId) return;
        this.received += bytes.length;
        this.aCount += countA(bytes);
        if (this.acking)
          setImmediate(() => {
            this.manager.ack(id, bytes.length);
          });
        if (this.waiters.length === 0) return;
        const text = Buffer.from(bytes).toString('latin1');
        this.waiters = this.waiters.filter((w) => {
          w.seen = (w.seen + text).slice(-64);
          if (!w.check(w.seen)) return true;
          w.resolve();
          return false;
        });
      },
      exit: () => undefined,
    });
  }

  wait(check: (seen: string) => boolean, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error('app terminal: timed out'));
      }, timeoutMs);
      this.waiters.push({
        check,
        seen: '',
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  async open(): Promise<void> {
    const prompt = this.wait((s) => s.includes('# '));
    ({ sessionId: this.sessionId } = await this.manager.open('bench', {
      labId: LAB,
      node: NODE,
      cols: 120,
      rows: 40,
    }));
    await prompt;
  }

  send(text: string): void {
    this.manager.input(this.sessionId, text);
  }

  async close(): Promise<void> {
    await this.manager.closeAll();
  }
}

/** `docker exec -it <container> sh` under util-linux `script`, which gives the CLI a pty. */
class CliTerminal {
  private readonly child: ChildProcessWithoutNullStreams;
  private waiter: { check: (s: string) => boolean; resolve: () => void; seen: string } | null = null;

  constructor(container: string) {
    this.child = spawn('script', ['-qfc', `docker exec -it ${container} sh`, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout.on('data', (chunk: Buffer) => {
      const w = this.waiter;
      if (!w) return;
      w.seen = (w.seen + chunk.toString('latin1')).slice(-64);
      if (w.check(w.seen)) {
        this.waiter = null;
        w.resolve();
      }
    });
  }

  wait(check: (seen: string) => boolean, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error('docker exec -it: timed out'));
      }, timeoutMs);
      this.waiter = {
        check,
        seen: '',
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
    });
  }

  send(text: string): void {
    this.child.stdin.write(text);
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.send('exit\r');
    const timer = setTimeout(() => this.child.kill(), 3_000);
    await exited;
    clearTimeout(timer);
  }
}

const KEYS = 'abcdefghijklmnopqrstuvwxyz';

/** Times one keystroke until its echo, then erases it (untimed) and waits for the erase. */
async function keystroke(
  term: { send(text: string): void; wait(check: (s: string) => boolean): Promise<void> },
  i: number,
) {
  const key = KEYS[i % KEYS.length] ?? 'x';
  const echo = term.wait((s) => s.includes(key));
  const start = performance.now();
  term.send(key);
  await echo;
  const ms = performance.now() - start;
  const erased = term.wait((s) => s.includes('\b'));
  term.send('\x7f');
  await erased;
  return ms;
}

async function echoRoundTrip(container: string): Promise<Measurement> {
  const app = new AppTerminal();
  await app.open();
  // The same shell as the baseline's: dash, echoing through the tty line discipline.
  const dash = app.wait((s) => s.endsWith('# '));
  app.send('exec sh\r');
  await dash;
  const cli = new CliTerminal(container);
  await cli.wait((s) => s.includes('# '));
  let i = 0;
  for (let w = 0; w < 20; w++) {
    await keystroke(app, i++);
    await keystroke(cli, i++);
  }
  const runs = await alternate(
    KEYSTROKES,
    () => keystroke(app, i++),
    () => keystroke(cli, i++),
  );
  await Promise.all([app.close(), cli.close()]);
  const p95 = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length * 0.95)] ?? Number.NaN;
  return {
    name: 'echo round trip (one keystroke)',
    unit: 'ms',
    app: runs.app,
    baseline: runs.baseline,
    baselineName: '`docker exec -it ... sh` under `script`',
    target: { max: 1.2, absoluteMax: 5 },
    notes: `p95 app ${p95(runs.app).toFixed(2)} ms, baseline ${p95(runs.baseline).toFixed(2)} ms; ${KEYSTROKES} keystrokes each after 20 warm-up, alternating`,
  };
}

// `\101` is A: the typed command itself holds no A, so every A counted is output.
const FLOOD = `head -c ${OUTPUT_BYTES} /dev/zero | tr '\\0' '\\101'`;

interface OutputRun {
  seconds: number;
  peakRssGrowthMB: number;
  exact: boolean;
}

async function appOutput(): Promise<OutputRun> {
  const app = new AppTerminal();
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const start = performance.now();
  await app.open();
  const done = app.wait((s) => s.includes('DONE\r\n'), 600_000);
  app.send(`${FLOOD}; echo; echo D''ONE\r`);
  await done;
  const seconds = (performance.now() - start) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const exact = app.aCount === OUTPUT_BYTES;
  await app.close();
  return { seconds, peakRssGrowthMB: (peak - rssBefore) / MB, exact };
}

async function cliOutput(container: string, tty: boolean): Promise<number> {
  const devNull = openSync('/dev/null', 'w');
  const start = performance.now();
  try {
    await new Promise<void>((resolve, reject) => {
      const args = ['exec', ...(tty ? ['-t'] : []), container, 'sh', '-c', FLOOD];
      const child = spawn('docker', args, { stdio: ['ignore', devNull, 'pipe'] });
      let stderr = '';
      child.stderr?.on('data', (c: Buffer) => {
        stderr += c.toString();
      });
      child.on('error', reject);
      child.on('exit', (code) => {
        if (code === 0) resolve();
        else reject(new Error(`docker exec exited ${String(code)}: ${stderr}`));
      });
    });
  } finally {
    closeSync(devNull);
  }
  return (performance.now() - start) / 1000;
}

async function output(container: string): Promise<Measurement[]> {
  const app: OutputRun[] = [];
  const ttyCli: number[] = [];
  const runs = await alternate(
    OUTPUT_RUNS,
    async () => {
      const run = await appOutput();
      app.push(run);
      return OUTPUT_BYTES / MB / run.seconds;
    },
    async () => {
      // The CLI through a TTY too, for the same pty in the path (reported beside).
      ttyCli.push(OUTPUT_BYTES / MB / (await cliOutput(container, true)));
      return OUTPUT_BYTES / MB / (await cliOutput(container, false));
    },
  );
  const timed = app.slice(1); // alternate() runs one untimed warm-up first.
  const exact = app.every((r) => r.exact);
  if (!exact) throw new Error('the terminal lost or added bytes: the count of A is not exact');
  const mb = `50 MiB (${(OUTPUT_BYTES / MB).toFixed(1)} MB)`;
  return [
    {
      name: `terminal output, ${mb} (throughput)`,
      unit: 'MB/s',
      app: runs.app,
      baseline: runs.baseline,
      baselineName: '`docker exec` without TTY to /dev/null',
      target: { note: 'no target: reported' },
      notes: `every byte counted (${OUTPUT_BYTES} A, exact in all ${app.length} runs); app time includes opening the shell; consumer acks a turn of the loop after each message`,
    },
    {
      name: `terminal output, ${mb} (throughput, both through a TTY)`,
      unit: 'MB/s',
      app: runs.app,
      baseline: ttyCli.slice(1),
      baselineName: '`docker exec -t` to /dev/null',
      target: { note: 'no target: reported' },
      notes: 'the same pty line discipline in both paths; the runs of the row above',
    },
    {
      name: `terminal output, ${mb} (peak RSS growth)`,
      unit: 'MB',
      app: timed.map((r) => r.peakRssGrowthMB),
      baseline: timed.map(() => OUTPUT_BYTES / MB),
      baselineName: 'bytes passed through',
      target: { max: 0.5, note: 'bounded: far below the volume' },
      notes: `peak growth per run: ${timed.map((r) => r.peakRssGrowthMB.toFixed(1)).join(', ')} MB (rss sampled every 10 ms)`,
    },
  ];
}

async function main(): Promise<void> {
  const file = labVariant('tun-arptables', LAB, [
    ['172.25.88.0/24', '10.199.1.0/24'],
    [/172\.25\.88\./g, '10.199.1.'],
  ]);
  await service.runtime.down(LAB);
  await service.up(file);
  try {
    const container = containerName(LAB, NODE);
    const echo = await echoRoundTrip(container);
    console.log(
      `echo: app median ${median(echo.app).toFixed(2)} ms, baseline ${median(echo.baseline).toFixed(2)} ms`,
    );
    const out = await output(container);
    report('terminal', [echo, ...out]);
  } finally {
    await service.runtime.down(LAB);
  }
}

await main();
