// The core behind the API contract, shared by every shell. A shell hands it each call with the
// caller's identity (a window, a WebSocket connection); the handler validates the arguments,
// runs the call, and routes events: terminal bytes and probe samples only to the caller that
// opened them, lab progress and status to everyone.
import type { z } from 'zod';
import {
  requestArgs,
  sendArgs,
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
import type { ProgressListener } from '../../../shared/progress.js';
import { LabLoadError } from '../lab/loader.js';
import type { Lab } from '../lab/model.js';
import type { LabService } from '../lab-service.js';
import { LabError } from '../runtime/lab-runtime.js';
import { HostHelperError } from '../preflight/host-helper.js';
import { errorText } from '../docker/images.js';

/** Who receives an event: one caller, or every connected caller. */
export type EventTarget = { owner: string } | 'all';

export type EventSink = <N extends EventName>(target: EventTarget, name: N, ...args: ApiEvents[N]) => void;

export interface TerminalBackend {
  open(owner: string, args: TerminalOpenArgs): Promise<{ sessionId: string }>;
  input(sessionId: string, data: string): void;
  resize(sessionId: string, cols: number, rows: number): void;
  ack(sessionId: string, bytes: number): void;
  close(sessionId: string): Promise<void>;
  closeOwner(owner: string): Promise<void>;
  closeLab(labId: string): Promise<void>;
  closeAll(): Promise<void>;
}

export interface ProbeBackend {
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
}

type Handlers = {
  [N in RequestName]: (owner: string, ...args: ApiRequests[N]['args']) => Promise<ApiRequests[N]['result']>;
};

export class ApiHandler {
  private readonly handlers: Handlers;

  constructor(
    private readonly deps: HandlerDeps,
    private readonly emit: EventSink,
  ) {
    const { service, terminals, probes } = deps;
    const progressOf =
      (labId: string): ProgressListener =>
      (event) => {
        this.emit('all', 'progress', labId, event);
      };
    this.handlers = {
      'labs.list': () => service.listLabs(),
      'labs.get': async (_owner, labId) => toDetail(await service.resolveLab(labId)),
      'engine.preflight': () => service.preflight(),
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
      'ipvs.read': async (_owner, labId) => deps.readIpvs((await service.running(labId)).lab),
      'terminal.open': (owner, args) => terminals.open(owner, args),
      'terminal.close': async (_owner, sessionId) => {
        await terminals.close(sessionId);
        return null;
      },
      'probe.start': async (owner, { labId, ratePerSecond, durationSeconds }) =>
        probes.start(owner, (await service.running(labId)).lab, { ratePerSecond, durationSeconds }),
      'probe.stop': async (_owner, probeId) => {
        await probes.stop(probeId);
        return null;
      },
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

  /** One-way messages on the terminal's hot path: invalid ones are dropped. */
  send(_owner: string, name: string, rawArgs: unknown): boolean {
    if (!isSendName(name)) return false;
    const parsed = (sendArgs[name] as z.ZodType<unknown[]>).safeParse(rawArgs);
    if (!parsed.success) return false;
    const { terminals } = this.deps;
    const args = parsed.data;
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
    await Promise.all([this.deps.terminals.closeOwner(owner), this.deps.probes.stopOwner(owner)]);
  }

  /** The app is quitting: hang up every shell and stop every probe (labs keep running). */
  async shutdown(): Promise<void> {
    await Promise.all([this.deps.terminals.closeAll(), this.deps.probes.stopAll()]);
  }

  private async broadcastStatus(): Promise<void> {
    try {
      this.emit('all', 'lab.changed', await this.deps.service.status());
    } catch {
      // Status is a courtesy push; the caller's own result already went out.
    }
  }
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
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT' || code === 'ECONNREFUSED') {
    return {
      message: 'the Docker Engine is not running',
      hint: 'start it, then open the preflight view for details',
    };
  }
  return { message: errorText(error) };
}

function toDetail(lab: Lab): LabDetail {
  const { source: _source, sourceHash: _hash, ...rest } = lab;
  return {
    ...rest,
    nodes: lab.nodes.map((n) => ({
      ...n,
      interfaces: n.interfaces.map(({ network, device, ip, prefix }) => ({ network, device, ip, prefix })),
    })),
  };
}
