// The composition root shared by the Electron shell and the browser mode: the lab service, the
// terminal and probe managers, and the API handler over them. A shell supplies only how events
// reach its pages.
import path from 'node:path';
import { ApiHandler, type EventSink } from './api/handler.js';
import type { EngineSwitch } from './engines/engine-switch.js';
import { LabService } from './lab-service.js';
import type { AppPaths } from './paths.js';
import { readIpvsView } from './probe/ipvs-view.js';
import { ProbeManager } from './probe/manager.js';
import { hostTerminalFeatures } from './terminal/host-terminal-policy.js';
import { TerminalManager } from './terminal/terminal-manager.js';
import { watchFolder } from './library/lab-watcher.js';

export interface AppOptions {
  /** Open shells on the host (the Host tab): on in the desktop app, off in browser mode unless asked. */
  hostTerminal?: boolean;
  /**
   * The app's engine. Its Docker client must be the one `service` holds, so that switching
   * engines moves the whole core; without it, the engine requests fail.
   */
  engines?: EngineSwitch;
}

export function createApiHandler(
  paths: AppPaths,
  emit: EventSink,
  service = new LabService(paths),
  options: AppOptions = {},
): ApiHandler {
  const hostTerminal = options.hostTerminal ?? false;
  // Host shells start where labs/ and bin/ are, so that `lvs-lab` and the lab files are at hand.
  const hostShell = hostTerminal ? { root: path.dirname(paths.labsDir) } : null;
  // Terminal bytes and probe samples go only to whoever opened them.
  const terminals: TerminalManager = new TerminalManager(
    service.runtime,
    {
      data: (sessionId, bytes) => {
        const owner = terminals.ownerOf(sessionId);
        if (owner !== undefined) emit({ owner }, 'terminal.data', sessionId, bytes);
      },
      exit: (sessionId, exitCode, reason) => {
        const owner = terminals.ownerOf(sessionId);
        if (owner !== undefined) emit({ owner }, 'terminal.exit', sessionId, exitCode, reason);
      },
    },
    {},
    hostShell,
  );
  const probes: ProbeManager = new ProbeManager(service.runtime, {
    samples: (batch, owner) => {
      emit({ owner }, 'probe.samples', batch);
    },
    end: (probeId, reason, owner) => {
      emit({ owner }, 'probe.end', probeId, reason);
    },
  });
  // The authoring loop: a save in the user's labs folder re-lists the labs for every page, and
  // re-judges the running labs (a changed topology offers a restart).
  const handlerRef: { current?: ApiHandler } = {};
  watchFolder(paths.userLabsDir, async () => {
    emit('all', 'labs.changed', await service.listLabs());
    await handlerRef.current?.broadcastStatus();
  });
  handlerRef.current = new ApiHandler(
    {
      service,
      terminals,
      probes,
      readIpvs: (lab) => readIpvsView(service.runtime, lab),
      features: hostTerminalFeatures(hostTerminal),
      ...(options.engines === undefined ? {} : { engines: options.engines }),
    },
    emit,
  );
  return handlerRef.current;
}
