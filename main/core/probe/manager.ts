// Runs lvs-probe in a lab's client node and streams its answers, attributed to the real
// servers, to a sink in batches: the data of the live round-robin panel.
//
// The probe is exec'ed with its stdin attached. Docker has no API to kill an exec'd process, so
// stopping closes that stdin (lvs-probe stops on end of file and prints its END line); should
// the probe still run a moment later, `pkill -f` finds it by its unique --tag. If this process
// dies, its connection to the engine drops and Docker closes the probe's stdin, which ends it
// too. If this process hangs instead, or a remote engine's connection stays half open, nothing
// closes: so the manager writes a heartbeat byte to that stdin every second, and the probe stops
// when none came for HEARTBEAT_SECONDS. It also runs under coreutils `timeout`, and the manager
// keeps a watchdog of its own, so that nothing outlives its duration.
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { ProbeBatch, ProbeSample } from '../../../shared/api.js';
import { DockerStreamDemuxer } from '../docker/demux.js';
import { errorText, LabError } from '../errors.js';
import { nodesWithRole, realServerPages, serviceUrl, type Lab } from '../lab/model.js';
import type { LabRuntime } from '../runtime/lab-runtime.js';
import {
  ProbeLineParser,
  toSamples,
  type ProbeEndLine,
  type ProbeResultLine,
  type ProbeStartLine,
} from './line-parser.js';

/** Where a probe's results go. Each call names the probe's owner, so that a shell can route it
 * even when the probe ended before `start` returned (stopped while it was starting). */
export interface ProbeSink {
  samples(batch: ProbeBatch, owner: string): void;
  /** Once per probe, after its last batch. See `endReason` for the reasons. */
  end(probeId: string, reason: string, owner: string): void;
}

export interface ProbeStartOptions {
  ratePerSecond: number;
  durationSeconds: number;
  /** Where to send the requests; default the lab's service URL (`serviceUrl`). Plain http only. */
  url?: string;
  /** Limit for one request, in ms (default 2000). */
  timeoutMs?: number;
}

/** The bounds every probe is held to (lvs-probe enforces the same ones). */
export const PROBE_LIMITS = {
  minRate: 0.5,
  maxRate: 2000,
  minDuration: 0.1,
  maxDuration: 3600,
  minTimeoutMs: 10,
  maxTimeoutMs: 60_000,
  defaultTimeoutMs: 2000,
} as const;

/** SIGTERM to one probe, found by its unique tag: the fallback when end of file did not stop it. */
export function probeKillCommand(probeId: string): string[] {
  return ['pkill', '-TERM', '-f', `^lvs-probe --tag ${probeId} `];
}

/** The probe stops when its stdin was silent this long; the manager writes every second. */
export const HEARTBEAT_SECONDS = 5;

export interface ManagerOptions {
  /** Samples are sent at most this often (ms), joined into one batch. */
  batchMs?: number;
  /** A batch is sent at once when this many samples wait. */
  batchMax?: number;
  /** After stdin is closed, how long before `pkill` (ms). */
  killAfterMs?: number;
  /** After a stop, how long before the stream is dropped whatever the probe does (ms). */
  abandonAfterMs?: number;
}

interface Running {
  id: string;
  owner: string;
  labId: string;
  client: string;
  pages: Record<string, string>;
  maxRequests: number;
  stream: Duplex | null;
  exec: Docker.Exec | null;
  container: Docker.Container | null;
  pending: ProbeSample[];
  delivered: number;
  flushTimer: ReturnType<typeof setTimeout> | null;
  /** Timeouts and the heartbeat interval (Node's clearTimeout clears both). */
  timers: NodeJS.Timeout[];
  stopReason: string | null;
  start: ProbeStartLine | null;
  end: ProbeEndLine | null;
  stderr: string;
  finished: boolean;
  ended: Promise<void>;
  resolveEnded: () => void;
}

/** What a probe's end event says, from what is known when its stream closed. Pure. */
export function endReason(input: {
  stopReason: string | null;
  end: ProbeEndLine | null;
  exitCode: number | null;
  stderr: string;
}): string {
  if (input.stopReason !== null) return input.stopReason;
  const stderr = input.stderr.trim().split('\n').slice(-2).join(' ').slice(0, 300);
  switch (input.end?.reason) {
    case 'duration':
      return 'duration';
    case 'max':
      return 'max-requests';
    case 'signal':
      return 'stopped: lvs-probe was killed in the client container';
    case 'stdin':
      return 'error: the connection to the Docker Engine closed';
    case 'heartbeat':
      return `error: the probe heard nothing from the app for ${HEARTBEAT_SECONDS} s and stopped`;
    case 'output':
      return 'error: lvs-probe could not write its output';
    case undefined:
      break;
  }
  switch (input.exitCode) {
    case 127:
      return 'error: the client node has no lvs-probe: its lab was started from an older node image; restart the lab (down, then up)';
    case 124:
    case 137:
      return 'error: lvs-probe ran past its time limit and was killed';
    case null:
      return `error: the probe's stream ended without an exit status${stderr ? ` (${stderr})` : ''}`;
    default:
      return `error: lvs-probe exited with status ${input.exitCode}${stderr ? `: ${stderr}` : ''}`;
  }
}

function checkRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isFinite(value) || value < min || value > max)
    throw new LabError(`the probe's ${name} must be from ${min} to ${max}, not ${value}`);
}

export class ProbeManager {
  private readonly probes = new Map<string, Running>();
  private readonly options: Required<ManagerOptions>;

  constructor(
    private readonly runtime: LabRuntime,
    private readonly sink: ProbeSink,
    options: ManagerOptions = {},
  ) {
    this.options = {
      batchMs: options.batchMs ?? 100,
      batchMax: options.batchMax ?? 1000,
      killAfterMs: options.killAfterMs ?? 1500,
      abandonAfterMs: options.abandonAfterMs ?? 6000,
    };
  }

  /** Who started this probe, while it runs. */
  ownerOf(probeId: string): string | undefined {
    return this.probes.get(probeId)?.owner;
  }

  /** The probes running now. */
  list(): { probeId: string; owner: string; labId: string }[] {
    return [...this.probes.values()].map((r) => ({ probeId: r.id, owner: r.owner, labId: r.labId }));
  }

  /**
   * Starts a probe in the lab's client node (its first node with role client). One probe per lab:
   * the same owner's earlier probe on the lab is stopped first (reason `replaced`), another
   * owner's is an error. Resolves once the probe runs; samples and the end follow on the sink.
   */
  async start(owner: string, lab: Lab, opts: ProbeStartOptions): Promise<{ probeId: string }> {
    const rate = opts.ratePerSecond;
    const duration = opts.durationSeconds;
    const timeoutMs = opts.timeoutMs ?? PROBE_LIMITS.defaultTimeoutMs;
    checkRange('rate (requests per second)', rate, PROBE_LIMITS.minRate, PROBE_LIMITS.maxRate);
    checkRange('duration (seconds)', duration, PROBE_LIMITS.minDuration, PROBE_LIMITS.maxDuration);
    checkRange('timeout (ms)', timeoutMs, PROBE_LIMITS.minTimeoutMs, PROBE_LIMITS.maxTimeoutMs);
    const client = nodesWithRole(lab, 'client')[0];
    if (!client) throw new LabError(`lab ${lab.id} has no client node to send requests from`);
    const url = opts.url ?? serviceUrl(lab);
    if (!/^http:\/\/[^/\s'"]+(\/\S*)?$/.test(url)) {
      throw new LabError(`the probe sends plain HTTP requests; it cannot use ${url}`);
    }
    for (;;) {
      const existing = [...this.probes.values()].find((r) => r.labId === lab.id);
      if (!existing) break;
      if (existing.owner !== owner) {
        throw new LabError(
          `a probe is already running on lab ${lab.id} (started elsewhere)`,
          'wait for it to end, or stop it where it was started',
        );
      }
      await this.stop(existing.id, 'replaced');
    }

    const id = `probe-${randomUUID()}`;
    let resolveEnded: () => void = () => undefined;
    const ended = new Promise<void>((resolve) => {
      resolveEnded = resolve;
    });
    const maxRequests = Math.min(2_000_000, Math.ceil(rate * duration));
    const probe: Running = {
      id,
      owner,
      labId: lab.id,
      client: client.name,
      pages: realServerPages(lab),
      maxRequests,
      stream: null,
      exec: null,
      container: null,
      pending: [],
      delivered: 0,
      flushTimer: null,
      timers: [],
      stopReason: null,
      start: null,
      end: null,
      stderr: '',
      finished: false,
      ended,
      resolveEnded,
    };
    // Reserved before the first await, so that two starts cannot both run on one lab.
    this.probes.set(id, probe);
    try {
      const container = await this.runtime.nodeContainer(lab.id, client.name);
      // The container's own limit: the duration, the last request's timeout, and some slack.
      const limit = Math.ceil(duration + timeoutMs / 1000 + 10);
      const exec = await container.exec({
        Cmd: [
          'timeout',
          '-k',
          '2',
          String(limit),
          'lvs-probe',
          '--tag',
          id,
          '--url',
          url,
          '--rate',
          String(rate),
          '--duration',
          String(duration),
          '--timeout',
          String(Math.round(timeoutMs)),
          '--max',
          String(maxRequests),
          '--heartbeat',
          String(HEARTBEAT_SECONDS),
        ],
        AttachStdin: true,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
      });
      const stream: Duplex = await exec.start({ hijack: true, stdin: true });
      probe.container = container;
      probe.exec = exec;
      probe.stream = stream;
      this.attach(probe, stream);
      if (probe.stopReason !== null || probe.finished) {
        // Stopped while it was starting: end of file at once, and no timers that would outlive it.
        stream.end();
        if (probe.finished) stream.destroy();
        return { probeId: id };
      }
      const beat = setInterval(() => {
        if (probe.stopReason === null && !probe.finished && stream.writable) stream.write('\n');
      }, 1000);
      probe.timers.push(
        beat,
        setTimeout(() => void this.stop(id, 'error: lvs-probe did not end in time'), (limit + 10) * 1000),
      );
    } catch (error) {
      this.probes.delete(id);
      probe.finished = true;
      resolveEnded();
      if (error instanceof LabError) throw error;
      throw new LabError(`the probe could not start in ${client.name}: ${errorText(error)}`);
    }
    return { probeId: id };
  }

  /** Stops a probe; resolves once its end event went out. Unknown or ended probes: no-op. */
  async stop(probeId: string, reason = 'stopped'): Promise<void> {
    const probe = this.probes.get(probeId);
    if (!probe || probe.finished) return;
    if (probe.stopReason === null) {
      probe.stopReason = reason;
      // End of file on the probe's stdin: it stops at once and prints its END line.
      probe.stream?.end();
      probe.timers.push(
        setTimeout(() => void this.kill(probe), this.options.killAfterMs),
        setTimeout(() => {
          probe.stream?.destroy();
          void this.finish(probe);
        }, this.options.abandonAfterMs),
      );
    }
    await probe.ended;
  }

  async stopOwner(owner: string, reason = 'stopped'): Promise<void> {
    await Promise.all(
      this.list()
        .filter((p) => p.owner === owner)
        .map((p) => this.stop(p.probeId, reason)),
    );
  }

  async stopLab(labId: string, reason = 'stopped: the lab is going down'): Promise<void> {
    await Promise.all(
      this.list()
        .filter((p) => p.labId === labId)
        .map((p) => this.stop(p.probeId, reason)),
    );
  }

  async stopAll(reason = 'stopped'): Promise<void> {
    await Promise.all(this.list().map((p) => this.stop(p.probeId, reason)));
  }

  /** The fallback when end of file did not stop the probe: SIGTERM by its unique tag. */
  private async kill(probe: Running): Promise<void> {
    if (probe.finished || !probe.container) return;
    try {
      const exec = await probe.container.exec({
        Cmd: probeKillCommand(probe.id),
        AttachStdout: false,
        AttachStderr: false,
      });
      await exec.start({ Detach: true });
    } catch {
      // The container is gone, or the engine: the stream ends by itself then.
    }
  }

  private attach(probe: Running, stream: Duplex): void {
    const parser = new ProbeLineParser();
    const take = (results: ProbeResultLine[]) => {
      // Never more samples than the probe may make, whatever arrives.
      const room = probe.maxRequests - probe.delivered - probe.pending.length;
      if (room <= 0 || results.length === 0) return;
      probe.pending.push(...toSamples(results.slice(0, room), probe.pages));
      if (probe.pending.length >= this.options.batchMax) this.flush(probe);
      else
        probe.flushTimer ??= setTimeout(() => {
          this.flush(probe);
        }, this.options.batchMs);
    };
    const onLines = (lines: ReturnType<ProbeLineParser['push']>) => {
      const results: ProbeResultLine[] = [];
      for (const line of lines) {
        if (line.kind === 'result') results.push(line);
        else if (line.kind === 'start') probe.start = line;
        else probe.end = line;
      }
      take(results);
    };
    const demux = new DockerStreamDemuxer(
      (chunk) => {
        onLines(parser.push(chunk));
      },
      (chunk) => {
        probe.stderr = (probe.stderr + chunk.toString('utf8')).slice(-2000);
      },
    );
    stream.on('data', (chunk: Buffer) => {
      demux.push(chunk);
    });
    stream.on('error', (error) => {
      probe.stderr += `\n${errorText(error)}`;
    });
    stream.on('close', () => {
      onLines(parser.finish());
      void this.finish(probe);
    });
  }

  private flush(probe: Running): void {
    if (probe.flushTimer) clearTimeout(probe.flushTimer);
    probe.flushTimer = null;
    if (probe.pending.length === 0) return;
    const samples = probe.pending.sort((a, b) => a.seq - b.seq);
    probe.pending = [];
    probe.delivered += samples.length;
    try {
      this.sink.samples({ probeId: probe.id, samples }, probe.owner);
    } catch {
      // A failing sink must not stop the probe's bookkeeping.
    }
  }

  private async finish(probe: Running): Promise<void> {
    if (probe.finished) return;
    probe.finished = true;
    for (const timer of probe.timers) clearTimeout(timer);
    this.flush(probe);
    const exitCode = probe.end || probe.stopReason !== null ? null : await this.exitCode(probe.exec);
    this.probes.delete(probe.id);
    try {
      this.sink.end(
        probe.id,
        endReason({ stopReason: probe.stopReason, end: probe.end, exitCode, stderr: probe.stderr }),
        probe.owner,
      );
    } catch {
      // As above.
    }
    probe.resolveEnded();
  }

  /** The exec's exit status; the engine may need a moment to record it after the stream closed. */
  private async exitCode(exec: Docker.Exec | null): Promise<number | null> {
    if (!exec) return null;
    for (let attempt = 0; attempt < 10; attempt++) {
      try {
        const info = await exec.inspect();
        if (!info.Running && info.ExitCode !== null) return info.ExitCode;
      } catch {
        return null;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return null;
  }
}
