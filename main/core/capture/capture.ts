// Packet captures in a running lab: tcpdump in the nodes' own image, on one interface or all of
// them, on several nodes at once, always bounded in time, packets and bytes (a short snap length
// keeps the headers and drops the payload). The pcap files are kept per lab for Wireshark; the
// merged timeline follows a request across the nodes.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { errorText, LabError } from '../errors.js';
import type { NodeExec } from '../engine/step-runner.js';
import type { Lab } from '../lab/model.js';
import type { TimelineEntry } from '../../../shared/capture.js';
import { decodeFrame } from './decode.js';
import { PcapError, readPcap, type PcapFile } from './pcap.js';
import { startTcpdump } from './tcpdump.js';

export interface CaptureTarget {
  node: string;
  /** An interface of the node, or "any" for all of them. */
  iface: string;
}

export interface CaptureLimits {
  seconds: number;
  /** Packets per target. */
  count: number;
}

export const CAPTURE_DEFAULTS: CaptureLimits = { seconds: 10, count: 1000 };
export const CAPTURE_MAX: CaptureLimits = { seconds: 300, count: 5000 };
/** Bytes kept of each packet: Ethernet or cooked header, two IPv4 headers and TCP, with room. */
export const SNAP_LENGTH = 200;

export interface CapturedFile {
  target: CaptureTarget;
  /** The pcap file as tcpdump wrote it. */
  bytes: Uint8Array;
  pcap: PcapFile;
}

/** "server1", "server2:tunl0": which nodes and interfaces, checked against the lab. */
export function parseTargets(lab: Lab, specs: readonly string[]): CaptureTarget[] {
  if (specs.length === 0) throw new LabError('say which nodes to capture on: NODE or NODE:INTERFACE');
  return specs.map((spec) => {
    const [node = '', iface = 'any', ...rest] = spec.split(':');
    if (!lab.nodes.some((n) => n.name === node)) {
      throw new LabError(
        `lab ${lab.id} has no node "${node}" (nodes: ${lab.nodes.map((n) => n.name).join(', ')})`,
      );
    }
    if (rest.length > 0 || !/^[a-zA-Z0-9_.-]{1,15}$/.test(iface)) {
      throw new LabError(`"${spec}" is not NODE or NODE:INTERFACE (an interface such as eth0 or tunl0)`);
    }
    return { node, iface };
  });
}

export function checkLimits(limits: CaptureLimits): CaptureLimits {
  const { seconds, count } = limits;
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > CAPTURE_MAX.seconds) {
    throw new LabError(`a capture lasts 1 to ${CAPTURE_MAX.seconds} seconds, not ${seconds}`);
  }
  if (!Number.isInteger(count) || count < 1 || count > CAPTURE_MAX.count) {
    throw new LabError(`a capture keeps 1 to ${CAPTURE_MAX.count} packets per node, not ${count}`);
  }
  return limits;
}

function fileFor(id: string, target: CaptureTarget): string {
  return `/tmp/lvs-capture-${id}-${target.iface}.pcap`;
}

function startScript(file: string, target: CaptureTarget, limits: CaptureLimits): string {
  // A little beyond the capture's own length: the stop normally comes first, this is the backstop.
  return startTcpdump(
    file,
    `-i ${target.iface} -nn -U -s ${SNAP_LENGTH} -c ${limits.count} -w ${file}`,
    limits.seconds + 15,
  );
}

/** Stops the capture (tcpdump flushes on SIGINT) and prints the file as base64. */
function stopScript(file: string): string {
  return [
    `kill -INT $(cat ${file}.pid) 2>/dev/null`,
    `i=0; while kill -0 $(cat ${file}.pid) 2>/dev/null && [ $i -lt 20 ]; do sleep 0.1; i=$((i + 1)); done`,
    `base64 -w0 ${file}; rm -f ${file} ${file}.err ${file}.pid`,
  ].join('\n');
}

/**
 * Captures on every target at once. `during` runs while all of them listen (requests to watch);
 * without it the capture lasts `limits.seconds`, or until `signal` aborts. The captures stop
 * in every case, also when `during` fails.
 */
export async function runCapture(
  exec: NodeExec,
  targets: readonly CaptureTarget[],
  limits: CaptureLimits,
  options: { during?: () => Promise<unknown>; signal?: AbortSignal } = {},
): Promise<CapturedFile[]> {
  checkLimits(limits);
  const id = randomBytes(4).toString('hex');
  const starts = await Promise.allSettled(
    targets.map(async (target) => {
      const result = await exec(target.node, startScript(fileFor(id, target), target, limits), 15_000);
      if (result.exitCode !== 0) {
        const why = (result.stderr || result.stdout).trim().split('\n').pop() ?? '';
        throw new LabError(`cannot capture on ${target.node}:${target.iface}: ${why}`);
      }
      return target;
    }),
  );
  const started = starts.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  let failure: unknown = starts.find((s) => s.status === 'rejected')?.reason;
  if (failure === undefined) {
    try {
      if (options.during) await options.during();
      else await wait(limits.seconds * 1000, options.signal);
    } catch (error) {
      failure = error;
    }
  }
  // Every capture that started is stopped, whatever failed meanwhile.
  const stopped = await Promise.all(started.map((target) => stop(exec, id, target)));
  if (failure !== undefined) throw failure instanceof Error ? failure : new Error(errorText(failure));
  return stopped;
}

async function stop(exec: NodeExec, id: string, target: CaptureTarget): Promise<CapturedFile> {
  const result = await exec(target.node, stopScript(fileFor(id, target)), 15_000);
  const bytes = new Uint8Array(Buffer.from(result.stdout.trim(), 'base64'));
  try {
    return { target, bytes, pcap: readPcap(bytes) };
  } catch (error) {
    if (error instanceof PcapError) {
      throw new LabError(`the capture on ${target.node}:${target.iface} is unreadable: ${error.message}`);
    }
    throw error;
  }
}

function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/** Every packet of every file, decoded and in time order: one request followed across nodes. */
export function timeline(files: readonly CapturedFile[]): TimelineEntry[] {
  return files
    .flatMap((file) =>
      file.pcap.records.map((record) => ({
        timeUs: record.timeUs,
        node: file.target.node,
        iface: file.target.iface,
        packet: decodeFrame(file.pcap.linkType, record.data),
      })),
    )
    .sort((a, b) => a.timeUs - b.timeUs);
}

/** Keeps the pcap files under the lab's captures folder; returns the folder. */
export async function saveCaptures(
  stateDir: string,
  labId: string,
  files: readonly CapturedFile[],
): Promise<string> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = path.join(stateDir, 'captures', labId, stamp);
  await mkdir(dir, { recursive: true });
  await Promise.all(
    files.map((file) =>
      writeFile(path.join(dir, `${file.target.node}-${file.target.iface}.pcap`), file.bytes),
    ),
  );
  return dir;
}
