// The core behind the API contract, shared by every shell. A shell hands it each call with the
// caller's identity (a window, a WebSocket connection); the handler validates the arguments,
// runs the call, and routes events: terminal bytes and probe samples only to the caller that
// opened them, lab progress and status to everyone.
import type { z } from 'zod';
import {
  requestArgs,
  sendArgs,
  type AppFeatures,
  type ApiError,
  type ApiEvents,
  type ApiRequests,
  type ApiResult,
  type EventName,
  type IpvsView,
  type LabDetail,
  type RequestName,
  type SendName,
  type TerminalOpenArgs,
} from '../../../shared/api.js';
import { ENGINE_PROGRESS_ID, type EngineChoice, type EngineInfo } from '../../../shared/engine.js';
import type { ProgressListener } from '../../../shared/progress.js';
import { LabLoadError } from '../lab/loader.js';
import type { Lab } from '../lab/model.js';
import type { LabService } from '../lab-service.js';
import { errorText, LabError } from '../errors.js';
import { CaptureSessions } from '../capture/capture-sessions.js';
import { isEngineUnreachable } from '../docker/engine.js';
import { readFlowCounters } from '../probe/flow-counters.js';
import { resourceRoot } from '../paths.js';
import { buildReport, engineLabel, lvsLabVersion, reportText } from '../repro/report.js';
import { HostHelperError } from '../preflight/host-helper.js';
import { hostTerminalFeatures } from '../terminal/host-terminal-policy.js';

/** Who receives an event: one caller, or every connected caller. */
export type EventTarget = { owner: string } | 'all';

export type EventSink = <N extends EventName>(target: EventTarget, name: N, ...args: ApiEvents[N]) => void;

/**
 * Sessions belong to the caller that opened them. Every call that names a session is checked
 * against this, so that one tab or window can neither type into nor close another's.
 */
export interface TerminalBackend {
  ownerOf(sessionId: string): string | undefined;
  open(owner: string, args: TerminalOpenArgs): Promise<{ sessionId: string }>;
  /** A shell on the host: asked only when the features allow it. */
  openHost(owner: string, size: { cols: number; rows: number }): Promise<{ sessionId: string }>;
  input(sessionId: string, data: string): void;
  resize(sessionId: string, cols: number, rows: number): void;
  ack(sessionId: string, bytes: number): void;
  close(sessionId: string): Promise<void>;
  closeOwner(owner: string): Promise<void>;
  closeLab(labId: string): Promise<void>;
  closeAll(): Promise<void>;
}

export interface ProbeBackend {
  ownerOf(probeId: string): string | undefined;
  start(
    owner: string,
    lab: Lab,
    opts: { ratePerSecond: number; durationSeconds: number },
  ): Promise<{ probeId: string }>;
  stop(probeId: string): Promise<void>;
  stopOwner(owner: string): Promise<void>;
  stopLab(labId: string): Promise<void>;
  stopAll(): Promise<void>;
}

export interface HandlerDeps {
  service: LabService;
  terminals: TerminalBackend;
  probes: ProbeBackend;
  readIpvs: (lab: Lab) => Promise<IpvsView>;
  /** What this shell of the app offers; without it, no host terminal. */
  features?: AppFeatures;
  /** Which engine runs the labs, and switching it; without it, the engine requests fail. */
  engines?: EngineControl;
}

/** The app's engine, as the handler drives it (main/core/engines/engine-switch.ts). */
export interface EngineControl {
  info(): Promise<EngineInfo>;
  endpoint(): string;
  use(choice: EngineChoice, onProgress: ProgressListener): Promise<EngineInfo>;
  stopBuiltin(): Promise<EngineInfo>;
  logs(): Promise<string>;
}

type Handlers = {
  [N in RequestName]: (owner: string, ...args: ApiRequests[N]['args']) => Promise<ApiRequests[N]['result']>;
};

export class ApiHandler {
  private readonly handlers: Handlers;
  /**
   * Disconnects per owner so far. A terminal or probe whose opening was under way when its owner
   * went would otherwise outlive it, unseen: each open compares the count before and after.
   */
  private readonly disconnects = new Map<string, number>();
  private readonly captures: CaptureSessions;

  constructor(
    private readonly deps: HandlerDeps,
    private readonly emit: EventSink,
  ) {
    const { service, terminals, probes } = deps;
    this.captures = new CaptureSessions(service, (owner, result) => {
      this.emit({ owner }, 'capture.done', result);
    });
    const features = deps.features ?? hostTerminalFeatures(false);
    const progressOf =
      (labId: string): ProgressListener =>
      (event) => {
        this.emit('all', 'progress', labId, event);
      };
    this.handlers = {
      'labs.list': () => service.listLabs(),
      'labs.get': async (_owner, labId) => toDetail(await service.resolveLab(labId)),
      'labs.copy': (_owner, labId) => service.userLabs.copy(labId),
      'labs.import': (_owner, { fileName, base64 }) =>
        service.userLabs.importBytes(Buffer.from(base64, 'base64'), fileName),
      'labs.export': async (_owner, labId) => {
        const { fileName, bytes } = await service.userLabs.export(labId);
        return { fileName, base64: bytes.toString('base64') };
      },
      'labs.remove': async (_owner, labId) => {
        await service.userLabs.remove(labId, async () => (await service.status()).map((s) => s.labId));
        return null;
      },
      'engine.preflight': () => service.preflight(undefined, this.deps.engines?.endpoint()),
      'lab.status': () => service.status(),
      'lab.up': async (_owner, labId) => {
        const status = await service.up(labId, progressOf(labId));
        await this.broadcastStatus();
        return status;
      },
      'lab.down': async (_owner, labId) => {
        await Promise.all([terminals.closeLab(labId), probes.stopLab(labId)]);
        const removed = await service.down(labId, progressOf(labId));
        await this.broadcastStatus();
        return removed;
      },
      'lab.cleanup': async (_owner, instances) => {
        const removed = await service.cleanup(instances);
        await this.broadcastStatus();
        return removed;
      },
      'lab.steps': (_owner, labId) => service.steps(labId),
      'lab.resetProgress': async (_owner, labId) => {
        await service.resetProgress(labId);
        return service.steps(labId);
      },
      'step.run': (_owner, labId, stepId) => service.runStep(stepId, labId),
      'step.check': async (_owner, labId, stepId) => {
        const [result] = await service.check(stepId, labId);
        if (!result) throw new LabError(`lab ${labId} has no step ${stepId}`);
        return result;
      },
      'fault.list': (_owner, labId) => service.faults(labId),
      'fault.break': (_owner, labId, node, faultId) => service.breakFault(node, faultId, labId),
      'fault.fix': (_owner, labId, node, faultId) => service.fixFault(node, faultId ?? undefined, labId),
      'capture.start': (owner, { labId, targets, seconds, count }) =>
        this.captures.start(owner, labId, targets, { seconds, count }),
      'capture.stop': (owner, captureId) => {
        this.captures.stop(owner, captureId);
        return Promise.resolve(null);
      },
      'capture.pcap': (_owner, labId, folder, fileName) => this.captures.pcap(labId, folder, fileName),
      'repro.report': async (_owner, labId) => {
        const engine = this.deps.engines ? await this.deps.engines.info() : null;
        const report = await buildReport(service, {
          labId,
          engineName: engine ? engineLabel(engine.kind, engine.kernel) : 'host engine',
          version: lvsLabVersion(resourceRoot()),
        });
        const stamp = report.createdAt.replace(/[:.]/g, '-');
        return { fileName: `${labId}-${stamp}.lvsrepro.yaml`, text: reportText(report) };
      },
      'ipvs.read': async (_owner, labId) => deps.readIpvs((await service.running(labId)).lab),
      'flow.read': async (_owner, labId) => readFlowCounters(service.docker, await service.running(labId)),
      'terminal.open': (owner, args) => this.openOwned(owner, () => terminals.open(owner, args)),
      'terminal.openHost': (owner, size) => {
        if (!features.hostTerminal) {
          throw new LabError(
            features.hostTerminalReason ?? 'the host terminal is off',
            'it opens a shell as the user who started LVS Lab, so browser mode keeps it off unless asked',
          );
        }
        return this.openOwned(owner, () => terminals.openHost(owner, size));
      },
      'terminal.close': async (owner, sessionId) => {
        if (terminals.ownerOf(sessionId) !== owner) throw notYours('terminal session', sessionId);
        await terminals.close(sessionId);
        return null;
      },
      'probe.start': async (owner, { labId, ratePerSecond, durationSeconds }) => {
        const epoch = this.disconnectsOf(owner);
        const { lab } = await service.running(labId);
        const started = await probes.start(owner, lab, { ratePerSecond, durationSeconds });
        // Its end event still goes to the owner, so that a page that is in fact still there
        // does not show it as running.
        if (this.disconnectsOf(owner) !== epoch) await probes.stop(started.probeId);
        return started;
      },
      'probe.stop': async (owner, probeId) => {
        if (probes.ownerOf(probeId) !== owner) throw notYours('probe', probeId);
        await probes.stop(probeId);
        return null;
      },
      'app.features': () => Promise.resolve(features),
      'engine.info': () => this.engines().info(),
      'engine.use': async (_owner, choice) => {
        // Lab shells and probes belong to the engine they run on: end them before switching
        // (host shells stay).
        await this.endLabSessions();
        const progress = progressOf(ENGINE_PROGRESS_ID);
        let info: EngineInfo;
        try {
          info = await this.engines().use(choice, progress);
        } catch (error) {
          // Every window watching the progress learns that it ended, not only the one that asked.
          progress({ phase: 'engine', name: 'boot', state: 'failed', message: toApiError(error).message });
          throw error;
        }
        this.emit('all', 'engine.changed', info);
        await this.broadcastStatus();
        return info;
      },
      'engine.stopBuiltin': async () => {
        const before = await this.engines().info();
        if (before.kind === 'builtin') await this.endLabSessions();
        const info = await this.engines().stopBuiltin();
        this.emit('all', 'engine.changed', info);
        await this.broadcastStatus();
        return info;
      },
      'engine.logs': () => this.engines().logs(),
    };
  }

  /** Runs one request; never throws: failures come back as an ApiError the page can show. */
  async request(owner: string, name: string, rawArgs: unknown): Promise<ApiResult<unknown>> {
    if (!isRequestName(name)) return { ok: false, error: { message: `unknown request "${name}"` } };
    const parsed = (requestArgs[name] as z.ZodType<unknown[]>).safeParse(rawArgs);
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          message: `bad arguments for ${name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'args'}: ${i.message}`).join('; ')}`,
        },
      };
    }
    try {
      const handler = this.handlers[name] as (owner: string, ...args: unknown[]) => Promise<unknown>;
      return { ok: true, value: await handler(owner, ...parsed.data) };
    } catch (error) {
      return { ok: false, error: toApiError(error) };
    }
  }

  /** One-way messages on the terminal's hot path: invalid ones, and ones for another caller's session, are dropped. */
  send(owner: string, name: string, rawArgs: unknown): boolean {
    if (!isSendName(name)) return false;
    const parsed = (sendArgs[name] as z.ZodType<unknown[]>).safeParse(rawArgs);
    if (!parsed.success) return false;
    const { terminals } = this.deps;
    const args = parsed.data;
    // Every send names its session first.
    if (terminals.ownerOf(args[0] as string) !== owner) return false;
    switch (name) {
      case 'terminal.input':
        terminals.input(args[0] as string, args[1] as string);
        break;
      case 'terminal.resize':
        terminals.resize(args[0] as string, args[1] as number, args[2] as number);
        break;
      case 'terminal.ack':
        terminals.ack(args[0] as string, args[1] as number);
        break;
    }
    return true;
  }

  /** A window closed or a connection dropped: end what it opened. */
  async disconnect(owner: string): Promise<void> {
    this.disconnects.set(owner, this.disconnectsOf(owner) + 1);
    this.captures.stopOwner(owner);
    await Promise.all([this.deps.terminals.closeOwner(owner), this.deps.probes.stopOwner(owner)]);
  }

  /** The app is quitting: hang up every shell and stop every probe (labs keep running). */
  async shutdown(): Promise<void> {
    await Promise.all([this.deps.terminals.closeAll(), this.deps.probes.stopAll()]);
  }

  /** Opens a terminal for `owner`, and closes it again if the owner went while it opened. */
  private async openOwned(
    owner: string,
    open: () => Promise<{ sessionId: string }>,
  ): Promise<{ sessionId: string }> {
    const epoch = this.disconnectsOf(owner);
    const opened = await open();
    if (this.disconnectsOf(owner) !== epoch) {
      await this.deps.terminals.close(opened.sessionId);
      throw new LabError('the window or tab that opened this terminal has gone');
    }
    return opened;
  }

  private async endLabSessions(): Promise<void> {
    const labs = await this.deps.service.status().catch(() => []);
    await Promise.all([
      ...labs.map((lab) => this.deps.terminals.closeLab(lab.labId)),
      this.deps.probes.stopAll(),
    ]);
  }

  private engines(): EngineControl {
    if (!this.deps.engines) throw new LabError('this shell of LVS Lab does not manage engines');
    return this.deps.engines;
  }

  private disconnectsOf(owner: string): number {
    return this.disconnects.get(owner) ?? 0;
  }

  /** Tells every page the labs' status (after a change it did not ask for, too). */
  async broadcastStatus(): Promise<void> {
    try {
      this.emit('all', 'lab.changed', await this.deps.service.status());
    } catch {
      // Status is a courtesy push; the caller's own result already went out.
    }
  }
}

/** The same answer whether the id is unknown or another caller's: ids are not to be probed. */
function notYours(what: string, id: string): LabError {
  return new LabError(`no ${what} ${id} of yours`, 'it has ended, or was opened by another window or tab');
}

function isRequestName(name: string): name is RequestName {
  return Object.hasOwn(requestArgs, name);
}

function isSendName(name: string): name is SendName {
  return Object.hasOwn(sendArgs, name);
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof LabLoadError) return { message: 'the lab file has errors', issues: error.issues };
  if (error instanceof LabError)
    return error.hint === undefined
      ? { message: error.message }
      : { message: error.message, hint: error.hint };
  if (error instanceof HostHelperError) return { message: error.message, hint: error.manual };
  // Only a failed connection to the engine; any other missing file shows its own message and path.
  if (isEngineUnreachable(error)) {
    return {
      message: 'the Docker Engine is not running',
      hint: 'start it, then open the preflight view for details',
    };
  }
  return { message: errorText(error) };
}

function toDetail(lab: Lab): LabDetail {
  // Host paths and hashes are the core's business, not the page's.
  const { source: _source, sourceHash: _hash, topologyHash: _topology, warnings: _warnings, ...rest } = lab;
  return {
    ...rest,
    nodes: lab.nodes.map(({ assets: _assets, ...n }) => ({
      ...n,
      interfaces: n.interfaces.map(({ network, device, ip, prefix }) => ({ network, device, ip, prefix })),
    })),
  };
}
