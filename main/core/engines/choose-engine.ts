// Which engine runs the labs: the host's Docker Engine when its kernel can do LVS-TUN, otherwise
// LVS Lab's built-in kernel. The choice is made once, here, and said in one line; everything
// after it only sees a Docker endpoint.
import type Docker from 'dockerode';
import type { EngineChoice, EngineKind } from '../../../shared/engine.js';
import type { PreflightReport } from '../../../shared/preflight.js';
import type { ProgressListener } from '../../../shared/progress.js';
import { engineEndpoint } from '../docker/engine.js';
import { LabError } from '../errors.js';
import { runPreflight } from '../preflight/preflight.js';
import type { BuiltinKernel } from './builtin-kernel.js';

export type { EngineChoice, EngineKind } from '../../../shared/engine.js';

export const ENGINE_CHOICES: readonly EngineChoice[] = ['auto', 'host', 'builtin'];

export interface ChosenEngine {
  kind: EngineKind;
  docker: Docker;
  /** Where the core connects. */
  endpoint: string;
  /** The kernel the labs run on, as the engine reports it. */
  kernel: string;
  /** The one line that says which engine and why. */
  reason: string;
}

/** The host preflight's verdict on the two features LVS-TUN cannot do without. */
export function hostLacks(report: PreflightReport): string[] {
  if (report.engine === null) return ['a running Docker Engine'];
  const failed = (id: string) => report.items.find((i) => i.id === id)?.status !== 'ok';
  return [
    ...(failed('ipvs') ? ['ip_vs'] : []),
    ...(failed('ipip') ? ['ipip'] : []),
    ...(failed('sysctl') ? ['writable network sysctls'] : []),
  ];
}

export function parseEngineChoice(value: string | undefined): EngineChoice {
  const choice = value ?? 'auto';
  if (!(ENGINE_CHOICES as readonly string[]).includes(choice)) {
    throw new LabError(`--engine takes host, builtin or auto, not "${choice}"`);
  }
  return choice as EngineChoice;
}

export interface ChooseOptions {
  host: Docker;
  kernel: BuiltinKernel;
  /** lab-images/node, for the host preflight's probe container. */
  nodeContext: string;
  onProgress?: ProgressListener;
}

/**
 * Picks the engine. `host` and `builtin` are taken as asked; `auto` runs the host preflight and
 * falls back to the built-in kernel when the host kernel cannot serve. The built-in kernel is
 * started (or reused) before this returns.
 */
export async function chooseEngine(choice: EngineChoice, options: ChooseOptions): Promise<ChosenEngine> {
  const hostUrl = engineEndpoint().url;
  if (choice === 'host')
    return hostEngine(options.host, hostUrl, 'the host engine, as asked (--engine host)');
  let reason = "LVS Lab's built-in kernel, as asked (--engine builtin)";
  if (choice === 'auto') {
    const report = await runPreflight(options.host, { imageContext: options.nodeContext });
    if (report.engine === null) {
      // Without a host engine there is nothing to run the built-in kernel on either.
      const item = report.items[0];
      throw new LabError(item?.detail ?? 'no Docker Engine answers', item?.fixes[0]?.text);
    }
    const lacks = hostLacks(report);
    if (lacks.length === 0) {
      return hostEngine(
        options.host,
        hostUrl,
        `the host engine: its kernel (${report.engine.kernel}) has ip_vs and ipip`,
      );
    }
    reason = `the host kernel has no ${lacks.join(' and no ')}: using LVS Lab's built-in kernel`;
  }
  const docker = await options.kernel.start(options.onProgress);
  const status = await options.kernel.status();
  const kernel = kernelName(status.kernel);
  return {
    kind: 'builtin',
    docker,
    endpoint: `unix://${options.kernel.socketPath}`,
    kernel,
    reason: `${reason}, ${kernel}`,
  };
}

async function hostEngine(docker: Docker, endpoint: string, reason: string): Promise<ChosenEngine> {
  const info = (await docker.info()) as { KernelVersion?: string };
  return { kind: 'host', docker, endpoint, kernel: `Linux ${info.KernelVersion ?? '?'}`, reason };
}

/** "Linux lvs-kernel 6.1.176 #1 ..." → "Linux 6.1.176 (user-mode)". */
export function kernelName(uname: string | null): string {
  const release = /^Linux \S+ (\S+)/.exec(uname ?? '')?.[1];
  return release === undefined ? 'Linux (user-mode)' : `Linux ${release} (user-mode)`;
}

/**
 * The engine of commands that start nothing (status, run, exec, down, ...): the one asked for,
 * or with `auto`, the built-in kernel while it runs (that is where `auto` started the labs),
 * else the host.
 */
export async function attachEngine(
  choice: EngineChoice,
  options: Pick<ChooseOptions, 'host' | 'kernel'>,
): Promise<ChosenEngine> {
  const hostUrl = engineEndpoint().url;
  if (choice === 'host')
    return hostEngine(options.host, hostUrl, 'the host engine, as asked (--engine host)');
  const status = await options.kernel.status().catch(() => null);
  if (status?.state === 'running') {
    const kernel = kernelName(status.kernel);
    return {
      kind: 'builtin',
      docker: options.kernel.client(),
      endpoint: `unix://${options.kernel.socketPath}`,
      kernel,
      reason: `LVS Lab's built-in kernel, ${kernel}`,
    };
  }
  if (choice === 'builtin') {
    throw new LabError("LVS Lab's built-in kernel is not running", 'start it with: lvs-lab engine start');
  }
  return hostEngine(options.host, hostUrl, 'the host engine');
}
