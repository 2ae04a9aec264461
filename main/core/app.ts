// The composition root shared by the Electron shell and the browser mode: the lab service, the
// terminal and probe managers, and the API handler over them. A shell supplies only how events
// reach its pages.
import { ApiHandler, type EventSink } from './api/handler.js';
import { LabService } from './lab-service.js';
import type { AppPaths } from './paths.js';
import { readIpvsView } from './probe/ipvs-view.js';
import { ProbeManager } from './probe/manager.js';
import { TerminalManager } from './terminal/terminal-manager.js';

export function createApiHandler(
  paths: AppPaths,
  emit: EventSink,
  service = new LabService(paths),
): ApiHandler {
  // Terminal bytes and probe samples go only to whoever opened them.
  const terminals: TerminalManager = new TerminalManager(service.runtime, {
    data: (sessionId, bytes) => {
      const owner = terminals.ownerOf(sessionId);
      if (owner !== undefined) emit({ owner }, 'terminal.data', sessionId, bytes);
    },
    exit: (sessionId, exitCode, reason) => {
      const owner = terminals.ownerOf(sessionId);
      if (owner !== undefined) emit({ owner }, 'terminal.exit', sessionId, exitCode, reason);
    },
  });
  const owners = new Map<string, string>();
  // A first batch can come before start() has returned; the manager knows the owner by then.
  const ownerOfProbe = (probeId: string) =>
    owners.get(probeId) ?? probes.list().find((p) => p.probeId === probeId)?.owner;
  const probes: ProbeManager = new ProbeManager(service.runtime, {
    samples: (batch) => {
      const owner = ownerOfProbe(batch.probeId);
      if (owner !== undefined) emit({ owner }, 'probe.samples', batch);
    },
    end: (probeId, reason) => {
      const owner = ownerOfProbe(probeId);
      owners.delete(probeId);
      if (owner !== undefined) emit({ owner }, 'probe.end', probeId, reason);
    },
  });
  return new ApiHandler(
    {
      service,
      terminals,
      probes: {
        start: async (owner, lab, opts) => {
          const started = await probes.start(owner, lab, opts);
          owners.set(started.probeId, owner);
          return started;
        },
        stop: (probeId) => probes.stop(probeId),
        stopOwner: (owner) => probes.stopOwner(owner),
        stopLab: (labId) => probes.stopLab(labId),
        stopAll: () => probes.stopAll(),
      },
      readIpvs: (lab) => readIpvsView(service.runtime, lab),
    },
    emit,
  );
}
