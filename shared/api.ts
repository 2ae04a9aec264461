// The one API between the core and every shell. The Electron preload, the browser mode's HTTP
// and WebSocket server, and the renderer are all typed by these three maps; main validates the
// arguments of every call against `requestArgs` before it reaches the core.
import { z } from 'zod';
import type { EVENT_NAMES, REQUEST_NAMES, SEND_NAMES } from './api-names.js';
import type { CaptureResult } from './capture.js';
import type { EngineChoice, EngineInfo } from './engine.js';
import type { LabFile } from './lab-schema.js';
import type { PreflightReport } from './preflight.js';
import type { ProgressEvent } from './progress.js';
import type { FaultInfo, FaultRunResult, StepCheckResult, StepRunResult } from './results.js';
import type { LabInstanceStatus } from './status.js';

export interface LabSummary {
  id: string;
  title: string;
  summary: string;
  difficulty: string;
  seed: string;
  file: string;
  steps: number;
  /** For a bug reproduction or variation: the lab it extends. */
  base?: string;
  /** Shipped with LVS Lab (read-only), or in the user's labs folder (a trainer's, imported or copied). */
  source: LabSource;
  /** Set when the file does not load: what is wrong and where, one `file:line:column: …` per line. */
  error?: string;
  /** LVS lint: likely mistakes that do not stop the lab from loading, each `file:line:column: …`. */
  warnings?: string[];
}

export type LabSource = 'builtin' | 'user';

/** A lab bundle (.lvslab) as it crosses the boundary: a browser upload, or a download. */
export interface BundleFile {
  fileName: string;
  base64: string;
}

export interface StepProgress {
  appliedAt?: string;
  checkedAt?: string;
  checksOk?: boolean;
}

export interface StepInfo {
  id: string;
  title: string;
  explain: string;
  commands: Record<string, string[]>;
  checks: number;
  progress: StepProgress;
}

/** A lab as the renderer draws it: the file's content plus each node's interfaces. */
export interface LabDetail extends Omit<LabFile, 'nodes'> {
  nodes: (LabFile['nodes'][number] & {
    interfaces: { network: string; device: string; ip: string; prefix: number }[];
  })[];
  base?: string;
}

/** One answer (or failure) seen by the probe in the client. */
export interface ProbeSample {
  seq: number;
  /** Milliseconds since the probe started. */
  at: number;
  /** The real server that answered, by its page; null when none or unknown. */
  node: string | null;
  status: number | null;
  latencyMs: number | null;
  /** null on success, else what went wrong: timeout, refused, reset, ... */
  error: string | null;
}

export interface ProbeBatch {
  probeId: string;
  samples: ProbeSample[];
}

export interface IpvsCountersView {
  conns: number;
  inPkts: number;
  outPkts: number;
  inBytes: number;
  outBytes: number;
}

/** Packet and byte counters of one network interface inside a node (/proc/net/dev). */
export interface InterfaceCountersView {
  device: string;
  rxPackets: number;
  txPackets: number;
  rxBytes: number;
  txBytes: number;
}

/** A node's interface counters, read beside the IPVS table. */
export interface NodeCountersView {
  node: string;
  role: string;
  /** Why the counters could not be read (node stopped), else null. */
  error: string | null;
  interfaces: InterfaceCountersView[];
}

export interface IpvsView {
  labId: string;
  /** When the table was read (ISO time). */
  at: string;
  /** Why the table could not be read (no IPVS in the kernel, node stopped), else null. */
  error: string | null;
  services: {
    protocol: string;
    address: string;
    port: number;
    scheduler: string;
    /** `persistent N` of the service in seconds, null when not persistent. */
    persistentSeconds?: number | null;
    stats: IpvsCountersView;
    realServers: {
      address: string;
      port: number;
      forward: string;
      weight: number;
      node: string | null;
      /** ActiveConn and InActConn of `ipvsadm -Ln`. */
      activeConn?: number;
      inactConn?: number;
      stats: IpvsCountersView;
    }[];
  }[];
  /**
   * Interface counters of the director and of every real server, read at the same moment: in
   * LVS-TUN the director's OutPkts stay 0 while the real servers' tx counters grow.
   */
  nodes?: NodeCountersView[];
}

/** Packets each node sent and received on its lab interfaces, as the engine counts them. */
export interface FlowCounters {
  labId: string;
  /** When they were read (ISO time). */
  at: string;
  nodes: { node: string; role: string; error: string | null; rxPackets: number; txPackets: number }[];
}

export interface TerminalOpenArgs {
  labId: string;
  node: string;
  cols: number;
  rows: number;
}

/**
 * What this shell of the app offers beyond the labs. The host terminal (a shell on the machine
 * running LVS Lab, not in a container) is on in the desktop app and off in browser mode unless
 * `lvs-lab serve --host-terminal` turned it on.
 */
export interface AppFeatures {
  hostTerminal: boolean;
  /** When off: why, and how to turn it on. */
  hostTerminalReason?: string;
  /** When on: the user the host shell runs as. */
  hostUser?: string;
}

/** Requests: a name, its arguments and its result. Every one answers or fails with an ApiError. */
export interface ApiRequests {
  'labs.list': { args: []; result: LabSummary[] };
  'labs.get': { args: [labId: string]; result: LabDetail };
  /** "Make my own copy": writes the lab into the user's labs folder under a new id. */
  'labs.copy': { args: [labId: string]; result: LabSummary };
  /** Imports a bundle into the user's labs folder; nothing is run, a bad bundle writes nothing. */
  'labs.import': { args: [bundle: BundleFile]; result: LabSummary };
  /** A lab as a bundle to hand to students. */
  'labs.export': { args: [labId: string]; result: BundleFile };
  /** Removes a lab from the user's labs folder (shipped labs cannot be removed). */
  'labs.remove': { args: [labId: string]; result: null };
  'engine.preflight': { args: []; result: PreflightReport };
  'lab.status': { args: []; result: LabInstanceStatus[] };
  'lab.up': { args: [labId: string]; result: LabInstanceStatus };
  'lab.down': { args: [labId: string]; result: { containers: number; networks: number } };
  'lab.cleanup': { args: [instances: string[]]; result: { containers: number; networks: number } };
  'lab.steps': { args: [labId: string]; result: StepInfo[] };
  'lab.resetProgress': { args: [labId: string]; result: StepInfo[] };
  'step.run': {
    args: [labId: string, stepId: string];
    result: { run: StepRunResult; check: StepCheckResult };
  };
  'step.check': { args: [labId: string, stepId: string]; result: StepCheckResult };
  /** The faults each node of the running lab can take (Break/Fix), with those that are on. */
  'fault.list': { args: [labId: string]; result: FaultInfo[] };
  'fault.break': { args: [labId: string, node: string, faultId: string]; result: FaultRunResult };
  /** With a null fault: every fault on the node, latest first. */
  'fault.fix': { args: [labId: string, node: string, faultId: string | null]; result: FaultRunResult[] };
  /** Starts a bounded capture on nodes ("server1", "server2:tunl0"); it ends with capture.done. */
  'capture.start': {
    args: [{ labId: string; targets: string[]; seconds: number; count: number }];
    result: { captureId: string };
  };
  'capture.stop': { args: [captureId: string]; result: null };
  /** One kept pcap file of a capture, to download. */
  'capture.pcap': {
    args: [labId: string, folder: string, fileName: string];
    result: { fileName: string; base64: string };
  };
  /** A repro file of the running lab (see shared/repro.ts), to save or hand over. */
  'repro.report': { args: [labId: string]; result: { fileName: string; text: string } };
  'ipvs.read': { args: [labId: string]; result: IpvsView };
  /** Every node's packet counters, cheap to read every second (the live path). */
  'flow.read': { args: [labId: string]; result: FlowCounters };
  'terminal.open': { args: [TerminalOpenArgs]; result: { sessionId: string } };
  /** A shell on the host; its session takes the same sends, events and close as a node's. */
  'terminal.openHost': { args: [size: { cols: number; rows: number }]; result: { sessionId: string } };
  'terminal.close': { args: [sessionId: string]; result: null };
  'probe.start': {
    args: [{ labId: string; ratePerSecond: number; durationSeconds: number }];
    result: { probeId: string };
  };
  'probe.stop': { args: [probeId: string]; result: null };
  'app.features': { args: []; result: AppFeatures };
  /** Which engine runs the labs, and the built-in kernel's state. */
  'engine.info': { args: []; result: EngineInfo };
  /** Switches engines (starting the built-in kernel if need be; progress as ENGINE_PROGRESS_ID). */
  'engine.use': { args: [choice: EngineChoice]; result: EngineInfo };
  /** Stops the built-in kernel; the app goes back to the host engine. */
  'engine.stopBuiltin': { args: []; result: EngineInfo };
  /** The built-in kernel's console and dockerd log. */
  'engine.logs': { args: []; result: string };
}

/** One-way messages from the page (no answer): the terminal's hot path. */
export interface ApiSends {
  'terminal.input': [sessionId: string, data: string];
  'terminal.resize': [sessionId: string, cols: number, rows: number];
  /** Bytes the page has parsed, for flow control. */
  'terminal.ack': [sessionId: string, bytes: number];
}

/** Events from the core to the page. */
export interface ApiEvents {
  progress: [labId: string, event: ProgressEvent];
  'terminal.data': [sessionId: string, data: Uint8Array];
  'terminal.exit': [sessionId: string, exitCode: number | null, reason: string];
  'probe.samples': [batch: ProbeBatch];
  'probe.end': [probeId: string, reason: string];
  'lab.changed': [status: LabInstanceStatus[]];
  /** A file in the user's labs folder changed (the authoring loop): the labs, read again. */
  'labs.changed': [labs: LabSummary[]];
  'engine.changed': [info: EngineInfo];
  /** A capture ended (its time, its packets, a stop, or an error), to the one that started it. */
  'capture.done': [result: CaptureResult];
}

export type RequestName = keyof ApiRequests;
export type SendName = keyof ApiSends;
export type EventName = keyof ApiEvents;

// The name lists must be exactly the maps' keys: these fail to compile otherwise.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const namesMatch: [
  Same<(typeof REQUEST_NAMES)[number], RequestName>,
  Same<(typeof SEND_NAMES)[number], SendName>,
  Same<(typeof EVENT_NAMES)[number], EventName>,
] = [true, true, true];

/** An error as it crosses the process boundary: enough for the page to say what and how to fix it. */
export interface ApiError {
  message: string;
  hint?: string;
  /** Where in a lab file, when the error is a lab file's. */
  issues?: { file: string; line: number; column: number; field: string; message: string }[];
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** The surface the renderer sees, whatever the shell. */
export interface LabApi {
  request<N extends RequestName>(name: N, ...args: ApiRequests[N]['args']): Promise<ApiRequests[N]['result']>;
  send<N extends SendName>(name: N, ...args: ApiSends[N]): void;
  on<N extends EventName>(name: N, listener: (...args: ApiEvents[N]) => void): () => void;
}

// Argument validation, run in main for every request and send: the page is not trusted.
const id = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/);
const sessionId = z.string().regex(/^[a-zA-Z0-9-]{1,64}$/);
const size = z.number().int().min(1).max(1000);

export const requestArgs: { [N in RequestName]: z.ZodType<ApiRequests[N]['args']> } = {
  'labs.list': z.tuple([]),
  'labs.get': z.tuple([id]),
  'labs.copy': z.tuple([id]),
  'labs.import': z.tuple([
    z.strictObject({
      fileName: z.string().min(1).max(200),
      // A bundle is at most MAX_BUNDLE_BYTES (4 MiB); base64 makes it a third longer.
      base64: z
        .string()
        .max(6_000_000)
        .regex(/^[A-Za-z0-9+/]*={0,2}$/),
    }),
  ]),
  'labs.export': z.tuple([id]),
  'labs.remove': z.tuple([id]),
  'engine.preflight': z.tuple([]),
  'lab.status': z.tuple([]),
  'lab.up': z.tuple([id]),
  'lab.down': z.tuple([id]),
  'lab.cleanup': z.tuple([z.array(z.string().regex(/^[a-f0-9]{8}$/)).max(100)]),
  'lab.steps': z.tuple([id]),
  'lab.resetProgress': z.tuple([id]),
  'step.run': z.tuple([id, id]),
  'step.check': z.tuple([id, id]),
  'fault.list': z.tuple([id]),
  'fault.break': z.tuple([id, id, id]),
  'fault.fix': z.tuple([id, id, id.nullable()]),
  'capture.start': z.tuple([
    z.strictObject({
      labId: id,
      targets: z
        .array(z.string().regex(/^[a-z][a-z0-9-]{0,30}(:[a-zA-Z0-9_.-]{1,15})?$/))
        .min(1)
        .max(20),
      seconds: z.number().min(1).max(300),
      count: z.number().int().min(1).max(5000),
    }),
  ]),
  'capture.stop': z.tuple([sessionId]),
  'capture.pcap': z.tuple([id, z.string().max(100), z.string().max(100)]),
  'repro.report': z.tuple([id]),
  'ipvs.read': z.tuple([id]),
  'flow.read': z.tuple([id]),
  'terminal.open': z.tuple([z.strictObject({ labId: id, node: id, cols: size, rows: size })]),
  'terminal.openHost': z.tuple([z.strictObject({ cols: size, rows: size })]),
  'terminal.close': z.tuple([sessionId]),
  'probe.start': z.tuple([
    z.strictObject({
      labId: id,
      ratePerSecond: z.number().min(0.5).max(500),
      durationSeconds: z.number().min(1).max(600),
    }),
  ]),
  'probe.stop': z.tuple([sessionId]),
  'app.features': z.tuple([]),
  'engine.info': z.tuple([]),
  'engine.use': z.tuple([z.enum(['auto', 'host', 'builtin'])]),
  'engine.stopBuiltin': z.tuple([]),
  'engine.logs': z.tuple([]),
};

export const sendArgs: { [N in SendName]: z.ZodType<ApiSends[N]> } = {
  'terminal.input': z.tuple([sessionId, z.string().max(1_000_000)]),
  'terminal.resize': z.tuple([sessionId, size, size]),
  'terminal.ack': z.tuple([sessionId, z.number().int().min(0).max(100_000_000)]),
};
