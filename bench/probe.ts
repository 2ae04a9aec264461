// The live probe against the seed's way of watching round robin: a curl loop in the client
// container (`for i in $(seq N); do curl -s URL; done`), both from the same client container to
// the same target, alternating, on the same engine.
//
// 1. Host engine, LVS Lab's own `probetest` lab (tun-arptables on 10.199.2.0/24, reused when it
//    is already up, else created here and removed at the end): the target is real server 2's own
//    address, since this host's kernel has no IPVS.
//    - Throughput: answers attributed to a real server per second, timed on the host from the
//      start of the exec to its end (the probe through ProbeManager at its top rate, 2000/s;
//      the curl loop through one exec, its answers counted by page).
//    - Client CPU per request (supporting figure): user + system time of the probe and of the
//      loop with its curls, by busybox `time` inside the client.
// 2. With BENCH_DOCKER_HOST=tcp://… (an engine with IPVS and IPIP, e.g. the user-mode Linux
//    kernel that bench/run.sh boots): the same lab there with every step applied, the target the
//    VIP, so that each answer went director → tunnel → real server → client.
//
// Run: npx vite-node bench/probe.ts    (BENCH_RUNS: timed runs per figure, default 5)
import Docker from 'dockerode';
import type { ProbeSample } from '../shared/api.js';
import { dockerAt } from '../main/core/docker/engine.js';
import { copyImage, ensureNodeImage } from '../main/core/docker/images.js';
import { LabService } from '../main/core/lab-service.js';
import type { Lab } from '../main/core/lab/model.js';
import { ProbeManager } from '../main/core/probe/manager.js';
import { labVariant, newService } from '../test/docker/helpers.js';
import { alternate, report, type Measurement } from './lib.js';

const LAB_ID = 'probetest';
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const labFile = labVariant('tun-arptables', LAB_ID, [[/172\.25\.88\./g, '10.199.2.']]);

interface Env {
  name: string;
  service: LabService;
  lab: Lab;
  url: string;
  page: string;
  /** Whether this benchmark started the lab (and so removes it). */
  started: boolean;
}

async function prepare(name: string, service: LabService, url: string, applySteps: boolean): Promise<Env> {
  const present = (await service.runtime.instancesOf(LAB_ID)).length > 0;
  if (!present) {
    await service.up(labFile);
    if (applySteps) {
      const results = await service.runAll(LAB_ID);
      const failed = results.filter((r) => !r.run.ok || !r.check.ok).map((r) => r.run.stepId);
      if (failed.length > 0) throw new Error(`${name}: steps failed: ${failed.join(', ')}`);
    }
  }
  const lab = await service.resolveLab(labFile);
  return { name, service, lab, url, page: '<h1>server', started: !present };
}

/** Attributed answers per second of one probe run, timed from start() to its end event. */
async function probeRate(env: Env, rate: number, seconds: number): Promise<number> {
  const samples: ProbeSample[] = [];
  let resolveEnd: (reason: string) => void = () => undefined;
  const ended = new Promise<string>((resolve) => (resolveEnd = resolve));
  const manager = new ProbeManager(env.service.runtime, {
    samples: (batch) => samples.push(...batch.samples),
    end: (_id, reason) => {
      resolveEnd(reason);
    },
  });
  const start = performance.now();
  await manager.start('bench', env.lab, { ratePerSecond: rate, durationSeconds: seconds, url: env.url });
  const reason = await ended;
  const elapsed = (performance.now() - start) / 1000;
  if (reason !== 'duration') throw new Error(`${env.name}: the probe ended with ${reason}`);
  return samples.filter((s) => s.node !== null && s.error === null).length / elapsed;
}

/** Attributed answers per second of the seed's curl loop, timed around its exec. */
async function curlRate(env: Env, count: number): Promise<number> {
  const start = performance.now();
  const result = await env.service.runtime.exec(
    LAB_ID,
    'client',
    `for i in $(seq ${count}); do curl -s -m 2 ${env.url}; done`,
    { timeoutMs: 300_000 },
  );
  const elapsed = (performance.now() - start) / 1000;
  const answers = result.stdout.split(env.page).length - 1;
  return answers / elapsed;
}

/** CPU ms per request inside the client, by busybox time (user + sys of the command and its children). */
async function cpuPerRequest(
  env: Env,
  command: string,
  requests: (stdout: string) => number,
): Promise<number> {
  const result = await env.service.runtime.exec(LAB_ID, 'client', `busybox time -p ${command}`, {
    timeoutMs: 300_000,
  });
  const user = Number(/^user (\S+)/m.exec(result.stderr)?.[1]);
  const sys = Number(/^sys (\S+)/m.exec(result.stderr)?.[1]);
  const n = requests(result.stdout);
  if (!Number.isFinite(user + sys) || n === 0)
    throw new Error(`${env.name}: cannot time ${command}: ${result.stderr}`);
  return ((user + sys) * 1000) / n;
}

const measurements: Measurement[] = [];
const envs: Env[] = [];
try {
  const host = await prepare('host engine', newService(), 'http://10.199.2.2/', false);
  envs.push(host);
  const throughput = await alternate(
    RUNS,
    () => probeRate(host, 2000, 3),
    () => curlRate(host, 400),
  );
  measurements.push({
    name: 'probe throughput, one real server (host engine)',
    unit: 'req/s',
    ...throughput,
    baselineName: 'curl loop in the client (400 requests)',
    target: { min: 20 },
    notes:
      'the probe at its top rate (2000/s, 3 s), attributed answers over the wall time of the exec; busybox httpd drops SYNs past its listen queue near 2000/s',
  });
  const probeCount = (stdout: string) => Number(/^END \S+ sent=(\d+)/m.exec(stdout)?.[1] ?? 0);
  const cpu = await alternate(
    RUNS,
    () => cpuPerRequest(host, `lvs-probe --url ${host.url} --rate 2000 --duration 2 | tail -n 1`, probeCount),
    () =>
      cpuPerRequest(host, `sh -c 'for i in $(seq 200); do curl -s ${host.url}; done' > /dev/null`, () => 200),
  );
  measurements.push({
    name: 'client CPU per request (host engine)',
    unit: 'ms',
    ...cpu,
    baselineName: 'curl loop (200 requests)',
    target: { max: 0.05, note: 'supporting figure' },
    notes: 'user + system time in the client container (busybox time), per request started',
  });

  const umlHost = process.env.BENCH_DOCKER_HOST;
  if (umlHost) {
    const engine = dockerAt(umlHost);
    const image = await ensureNodeImage(new Docker(), host.service.paths.imageContext);
    await copyImage(new Docker(), engine, image);
    const umlService = new LabService({ ...host.service.paths }, engine);
    const uml = await prepare('kernel engine', umlService, 'http://10.199.2.100/', true);
    envs.push(uml);
    const vip = await alternate(
      RUNS,
      () => probeRate(uml, 200, 4),
      () => curlRate(uml, 20),
    );
    measurements.push({
      name: 'probe throughput, the VIP (user-mode Linux kernel)',
      unit: 'req/s',
      ...vip,
      baselineName: 'curl loop in the client (20 requests)',
      target: { min: 20 },
      notes:
        'director, IPIP tunnel and real servers all inside one user-mode Linux guest; the probe at 200/s for 4 s, attributed answers over the wall time',
    });
  }
} finally {
  for (const env of envs) if (env.started) await env.service.runtime.down(LAB_ID);
}
report('probe', measurements);
