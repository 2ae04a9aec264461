// The kernel tier's engine: Debian's user-mode-linux kernel (real IPVS and IPIP) with Docker
// Engine inside, reachable over a tap device. Provisioned, booted and given the lab image once
// for the whole tier, then halted. Prints its own timings.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import Docker from 'dockerode';
import type { TestProject } from 'vitest/node';
import { copyImage, ensureNodeImage } from '../../main/core/docker/images.js';
import { defaultPaths } from '../../main/core/paths.js';

const root = path.resolve(import.meta.dirname, '../..');
const uml = (script: string) => path.join(root, 'test/kernel/uml', script);
const STATE_DIR = '/run/lvs-lab-uml/lvsuml0';

declare module 'vitest' {
  export interface ProvidedContext {
    umlDockerHost: string;
    umlConsoleLog: string;
    nodeImage: string;
  }
}

function timed<T>(label: string, timings: [string, number][], work: () => T): T {
  const start = performance.now();
  const result = work();
  timings.push([label, (performance.now() - start) / 1000]);
  return result;
}

function run(script: string): string {
  const result = spawnSync('bash', [uml(script)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 600_000,
  });
  if (result.status !== 0) throw new Error(`${script} failed (exit ${String(result.status)})`);
  return result.stdout;
}

export default async function setup(project: TestProject) {
  const timings: [string, number][] = [];
  timed('provision the kernel and its root file system', timings, () => run('provision.sh'));
  const bootOutput = timed('boot to a ready Docker Engine', timings, () => run('boot.sh'));
  const dockerHost = /DOCKER_HOST=(\S+)/.exec(bootOutput)?.[1];
  if (!dockerHost) throw new Error(`boot.sh printed no DOCKER_HOST: ${bootOutput}`);

  try {
    const host = new Docker();
    const url = new URL(dockerHost);
    const umlEngine = new Docker({ host: url.hostname, port: Number(url.port) });
    const start = performance.now();
    const image = await ensureNodeImage(host, defaultPaths(root).imageContext);
    await copyImage(host, umlEngine, image);
    timings.push(['load the lab image into the kernel engine', (performance.now() - start) / 1000]);
    const info = (await umlEngine.info()) as { KernelVersion?: string };
    console.log(`\nkernel tier: engine at ${dockerHost}, kernel ${info.KernelVersion ?? '?'}`);
    project.provide('umlDockerHost', dockerHost);
    project.provide('umlConsoleLog', path.join(STATE_DIR, 'console.log'));
    project.provide('nodeImage', image);
  } catch (error) {
    run('halt.sh');
    throw error;
  }
  printTimings(timings);

  return () => {
    const halt: [string, number][] = [];
    timed('halt', halt, () => run('halt.sh'));
    printTimings(halt);
  };
}

function printTimings(timings: [string, number][]) {
  for (const [label, seconds] of timings)
    console.log(`kernel tier timing: ${label}: ${seconds.toFixed(1)} s`);
}
