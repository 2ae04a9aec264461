// Engines as the core reports them: the host's, and LVS Lab's built-in kernel in its states.
import type { BuiltinState, EngineInfo } from '../../../../shared/engine.js';
import type { PreflightItem, PreflightReport } from '../../../../shared/preflight.js';
import { preflight } from './fixtures.js';

export function hostEngine(builtin: BuiltinState = 'absent'): EngineInfo {
  return {
    kind: 'host',
    choice: 'host',
    kernel: 'Linux 6.18.44-1-cloud-amd64',
    endpoint: 'unix:///var/run/docker.sock',
    reason: 'the host engine, as asked (--engine host)',
    builtin: { state: builtin, kernel: null, detail: null },
  };
}

export function builtinEngine(state: BuiltinState = 'running', detail: string | null = null): EngineInfo {
  return {
    kind: 'builtin',
    choice: 'auto',
    kernel: 'Linux 6.1.176 (user-mode)',
    endpoint: 'unix:///home/me/.local/state/lvs-lab/engine/docker.sock',
    reason:
      "the host kernel has no ip_vs and no ipip: using LVS Lab's built-in kernel, Linux 6.1.176 (user-mode)",
    builtin: {
      state,
      kernel: state === 'running' ? 'Linux lvs-kernel 6.1.176 #1 SMP' : null,
      detail,
    },
  };
}

function item(id: string, status: PreflightItem['status']): PreflightItem {
  return { id, title: `${id} in the engine kernel`, status, detail: `${id} ${status}`, fixes: [] };
}

/** The preflight of a kernel with or without IPVS and IPIP, with the ids the core gives them. */
export function kernelPreflight(
  ipvs: PreflightItem['status'],
  ipip: PreflightItem['status'],
): PreflightReport {
  const items = [item('engine', 'ok'), item('ipvs', ipvs), item('ipip', ipip)];
  return { ...preflight, items, ok: items.every((i) => i.status !== 'fail') };
}
