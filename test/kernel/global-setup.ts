// The kernel tier's engine: LVS Lab's built-in kernel (Debian's user-mode Linux 6.12 with real
// IPVS and IPIP, a Docker Engine inside, in one container on the host engine), started with the
// same code users run (`lvs-lab engine start`), as an instance of its own so that a user's engine
// is never touched. Started and given the lab image once for the whole tier, then stopped.
// Prints its own timings.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import type { TestProject } from 'vitest/node';
import type { ProgressEvent } from '../../shared/progress.js';
import { ensureNodeImage } from '../../main/core/docker/images.js';
import { BuiltinKernel } from '../../main/core/engines/builtin-kernel.js';
import { defaultPaths } from '../../main/core/paths.js';

const root = path.resolve(import.meta.dirname, '../..');

declare module 'vitest' {
  export interface ProvidedContext {
    /** DOCKER_HOST of the kernel's engine: unix:///.../docker.sock */
    kernelDockerHost: string;
    /** The engine's container on the host engine, for its logs on failure. */
    kernelContainer: string;
    /** The state folder the engine's socket lives in: testKernel(it) is the same engine. */
    kernelStateDir: string;
    nodeImage: string;
  }
}

/** The tier's own instance of the built-in kernel, its socket below `stateDir`. */
export function testKernel(stateDir: string): BuiltinKernel {
  const paths = defaultPaths(root);
  return new BuiltinKernel(new Docker(), {
    kernelContext: paths.kernelContext,
    nodeContext: paths.imageContext,
    stateDir,
    instance: 'test',
  });
}

export default async function setup(project: TestProject) {
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'lvslab-kernel-tier-'));
  const kernel = testKernel(stateDir);
  const phases = new Map<string, number>();
  const started = performance.now();
  const onProgress = (event: ProgressEvent) => {
    if (event.phase !== 'engine') return;
    if (event.state === 'working' && !phases.has(event.name)) phases.set(event.name, performance.now());
    if (event.state === 'done') {
      const since = phases.get(event.name) ?? started;
      console.log(
        `kernel tier timing: engine ${event.name}: ${((performance.now() - since) / 1000).toFixed(1)} s`,
      );
    }
  };
  try {
    await kernel.start(onProgress);
  } catch (error) {
    console.log(await kernel.logs(60).catch(() => ''));
    await kernel.stop().catch(() => undefined);
    throw error;
  }
  const status = await kernel.status();
  console.log(
    `\nkernel tier: engine unix://${kernel.socketPath}, ${status.kernel ?? '?'}, ready in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  project.provide('kernelDockerHost', `unix://${kernel.socketPath}`);
  project.provide('kernelContainer', kernel.container);
  project.provide('kernelStateDir', stateDir);
  project.provide('nodeImage', await ensureNodeImage(new Docker(), defaultPaths(root).imageContext));

  return async () => {
    const stopping = performance.now();
    await kernel.stop();
    console.log(`kernel tier timing: engine stop: ${((performance.now() - stopping) / 1000).toFixed(1)} s`);
  };
}
