// The built-in kernel's figures, each beside the same figure on the host engine in the same run:
// starting the engine (first start with its image built from nothing, and warm), tun-arptables
// up, one step applied and checked, and a terminal's attach (open until the shell's prompt).
// The host engine lacks IPVS here, so its steps fail their checks; the time to apply and check a
// step is measured all the same, which is what the comparison is about.
//
// It runs its own instance of the built-in kernel ("bench-engine"), so that it never touches the
// user's engine or bench/run.sh's.
//
// Run: npx vite-node bench/engine.ts   (BENCH_RUNS: timed runs per figure, default 5;
//      BENCH_FIRST_RUNS: first starts from nothing, default 2, each about a minute)
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { imageTag, KERNEL_IMAGE_REPO } from '../main/core/docker/images.js';
import { BuiltinKernel } from '../main/core/engines/builtin-kernel.js';
import { LabService } from '../main/core/lab-service.js';
import { defaultPaths } from '../main/core/paths.js';
import { TerminalManager } from '../main/core/terminal/terminal-manager.js';
import { median, report, timeMs, type Measurement } from './lib.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const FIRST_RUNS = Number(process.env.BENCH_FIRST_RUNS ?? 2);
const LAB = 'tun-arptables';
const root = path.resolve(import.meta.dirname, '..');
const paths = defaultPaths(root);
const host = new Docker();
const stateDir = mkdtempSync(path.join(os.tmpdir(), 'lvslab-bench-engine-'));
const kernel = new BuiltinKernel(host, {
  kernelContext: paths.kernelContext,
  nodeContext: paths.imageContext,
  stateDir,
  instance: 'bench-engine',
});

function serviceOn(docker: Docker): LabService {
  return new LabService({ ...paths, stateDir: mkdtempSync(path.join(stateDir, 'state-')) }, docker);
}

/** A plain container start on the host engine: what "an engine that is just there" costs. */
async function hostContainerStart(): Promise<number> {
  return timeMs(async () => {
    const container = await host.createContainer({
      Image: 'debian:bookworm-slim',
      Cmd: ['true'],
      HostConfig: { NetworkMode: 'none' },
    });
    await container.start();
    await container.wait();
    await container.remove({ force: true });
  });
}

/** Removes the kernel's image and disk, so that the next start provisions from nothing. */
async function forgetEngine(): Promise<void> {
  await kernel.stop();
  const tag = await imageTag(KERNEL_IMAGE_REPO, paths.kernelContext);
  await host
    .getImage(tag)
    .remove({ force: true })
    .catch(() => undefined);
  await host
    .getVolume(kernel.volume)
    .remove({ force: true })
    .catch(() => undefined);
}

async function engineStarts(): Promise<Measurement[]> {
  const first: number[] = [];
  const firstBaseline: number[] = [];
  for (let i = 0; i < FIRST_RUNS; i++) {
    await forgetEngine();
    first.push((await timeMs(() => kernel.start())) / 1000);
    firstBaseline.push((await hostContainerStart()) / 1000);
  }
  const warm: number[] = [];
  const warmBaseline: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await kernel.stop();
    warm.push((await timeMs(() => kernel.start())) / 1000);
    warmBaseline.push((await hostContainerStart()) / 1000);
  }
  const baselineName = 'host engine: one container started (it is already running)';
  return [
    {
      name: 'built-in kernel, first start (image built, disk made, lab image loaded)',
      unit: 's',
      app: first,
      baseline: firstBaseline,
      baselineName,
      target: { absoluteMax: 90 },
      notes: 'the base image debian:trixie-slim present; packages from the Debian mirror',
    },
    {
      name: 'built-in kernel, warm start (boot; the lab image already on its disk)',
      unit: 's',
      app: warm,
      baseline: warmBaseline,
      baselineName,
      target: { absoluteMax: 10 },
    },
  ];
}

interface EngineFigures {
  up: number[];
  step: number[];
  attach: number[];
}

/** Up, every step (each applied and checked, timed alone), a terminal attach, down; `runs` times. */
async function labFigures(docker: Docker, runs: number): Promise<EngineFigures> {
  const service = serviceOn(docker);
  const figures: EngineFigures = { up: [], step: [], attach: [] };
  await service.runtime.down(LAB);
  const lab = await service.resolveLab(LAB);
  for (let i = 0; i < runs; i++) {
    figures.up.push(await timeMs(() => service.up(LAB)));
    for (const step of lab.steps) figures.step.push(await timeMs(() => service.runStep(step.id, LAB)));
    figures.attach.push(await terminalAttach(service));
    await service.runtime.down(LAB);
  }
  return figures;
}

/** terminal.open until the shell's prompt arrives, as the app's terminal sees it. */
async function terminalAttach(service: LabService): Promise<number> {
  let prompted: () => void = () => undefined;
  const prompt = new Promise<void>((resolve) => (prompted = resolve));
  let seen = '';
  const manager = new TerminalManager(service.runtime, {
    data: (_id, bytes) => {
      seen = (seen + Buffer.from(bytes).toString('latin1')).slice(-64);
      if (seen.includes('# ')) prompted();
    },
    exit: () => undefined,
  });
  const ms = await timeMs(async () => {
    await manager.open('bench', { labId: LAB, node: 'client', cols: 120, rows: 40 });
    await prompt;
  });
  await manager.closeAll();
  return ms;
}

async function main(): Promise<void> {
  const measurements = await engineStarts();
  const builtinDocker = await kernel.start();
  const onBuiltin = await labFigures(builtinDocker, RUNS);
  const onHost = await labFigures(host, RUNS);
  await kernel.stop();
  const hostName = (what: string) => `the same on the host engine: ${what}`;
  measurements.push(
    {
      name: 'tun-arptables up on the built-in kernel',
      unit: 'ms',
      app: onBuiltin.up,
      baseline: onHost.up,
      baselineName: hostName('lab up'),
      target: { absoluteMax: 10_000 },
    },
    {
      name: 'one step applied and checked, built-in kernel (every step of tun-arptables)',
      unit: 'ms',
      app: onBuiltin.step,
      baseline: onHost.step,
      baselineName: hostName('step (its IPVS checks fail there: no IPVS)'),
      target: { absoluteMax: 2000 },
      notes: `medians over ${onBuiltin.step.length} steps; slowest on the built-in kernel ${Math.round(Math.max(...onBuiltin.step))} ms`,
    },
    {
      name: 'terminal attach (open until the prompt), built-in kernel',
      unit: 'ms',
      app: onBuiltin.attach,
      baseline: onHost.attach,
      baselineName: hostName('terminal attach'),
      target: { absoluteMax: 1000 },
    },
  );
  report('engine', measurements);
  console.log(
    `engine: medians of ${RUNS} runs; step median on the built-in kernel ${median(onBuiltin.step).toFixed(0)} ms`,
  );
}

await main().finally(() => kernel.stop());
