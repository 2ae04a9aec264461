// Lab lifecycle benchmarks, each beside its baseline on the same engine in the same run:
// - lab up (tun-arptables, image built) vs `docker-compose up -d` of an equivalent compose file,
//   and vs a serial docker CLI script;
// - down vs `docker-compose down`;
// - applying the whole lab (every step and every check) vs the seed's commands typed one by one
//   as a serial `docker exec` script. This one needs IPVS and IPIP, so it runs on the kernel
//   tier's engine when BENCH_DOCKER_HOST names it (see bench/README.md).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { dockerAt } from '../main/core/docker/engine.js';
import { ensureNodeImage } from '../main/core/docker/images.js';
import { LabService } from '../main/core/lab-service.js';
import type { Lab } from '../main/core/lab/model.js';
import { defaultPaths } from '../main/core/paths.js';
import { dockerGateway } from '../main/core/runtime/plan.js';
import { alternate, report, timeMs, timeSyncMs, type Measurement } from './lib.js';

const root = path.resolve(import.meta.dirname, '..');
const LAB = 'tun-arptables';
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function docker(args: string[], env: NodeJS.ProcessEnv = process.env): string {
  return execFileSync('docker', args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The same topology as LabRuntime.up creates, written as a compose file. */
function composeFile(lab: Lab, image: string): string {
  const lines = ['version: "2.4"', 'networks:'];
  for (const network of lab.networks) {
    lines.push(
      `  ${network.name}:`,
      '    internal: true',
      '    ipam:',
      '      config:',
      `        - subnet: ${network.subnet}`,
      `          gateway: ${dockerGateway(lab, network.name)}`,
    );
  }
  lines.push('services:');
  for (const node of lab.nodes) {
    lines.push(
      `  ${node.name}:`,
      `    image: ${image}`,
      `    hostname: ${node.name}`,
      '    cap_add: [NET_ADMIN, NET_RAW]',
    );
    if (node.page) lines.push('    environment:', `      LVS_LAB_PAGE: "${node.page}"`);
    if (node.sysctls) {
      lines.push('    sysctls:');
      for (const [k, v] of Object.entries(node.sysctls)) lines.push(`      ${k}: "${String(v)}"`);
    }
    lines.push('    networks:');
    for (const iface of node.interfaces)
      lines.push(`      ${iface.network}:`, `        ipv4_address: ${iface.ip}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The same topology as a plain shell script: one docker command after another. */
function serialScript(lab: Lab, image: string, project: string): { up: string[][]; down: string[][] } {
  const up: string[][] = [];
  for (const network of lab.networks) {
    up.push([
      'network',
      'create',
      '--internal',
      '--subnet',
      network.subnet,
      '--gateway',
      dockerGateway(lab, network.name),
      `${project}-${network.name}`,
    ]);
  }
  for (const node of lab.nodes) {
    const first = node.interfaces[0];
    if (!first) continue;
    const args = [
      'run',
      '-d',
      '--name',
      `${project}-${node.name}`,
      '--hostname',
      node.name,
      '--cap-add',
      'NET_ADMIN',
      '--cap-add',
      'NET_RAW',
    ];
    args.push(
      '--security-opt',
      'systempaths=unconfined',
      '--network',
      `${project}-${first.network}`,
      '--ip',
      first.ip,
    );
    if (node.page) args.push('-e', `LVS_LAB_PAGE=${node.page}`);
    for (const [k, v] of Object.entries(node.sysctls ?? {})) args.push('--sysctl', `${k}=${String(v)}`);
    up.push([...args, image]);
  }
  const down = [
    ['rm', '-f', ...lab.nodes.map((n) => `${project}-${n.name}`)],
    ['network', 'rm', ...lab.networks.map((n) => `${project}-${n.name}`)],
  ];
  return { up, down };
}

async function lifecycle(): Promise<Measurement[]> {
  const host = new Docker();
  const service = new LabService(
    { ...defaultPaths(root), stateDir: mkdtempSync(path.join(os.tmpdir(), 'lvslab-bench-')) },
    host,
  );
  const lab = await service.resolveLab(LAB);
  const image = await ensureNodeImage(host, service.paths.imageContext);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lvslab-compose-'));
  writeFileSync(path.join(dir, 'docker-compose.yml'), composeFile(lab, image));
  const compose = (...args: string[]) =>
    execFileSync('docker-compose', ['-p', 'lvsbench', ...args], { cwd: dir, stdio: 'ignore' });
  const serial = serialScript(lab, image, 'lvsbenchcli');
  await service.runtime.down(LAB);

  const upDown = {
    appUp: [] as number[],
    appDown: [] as number[],
    composeUp: [] as number[],
    composeDown: [] as number[],
  };
  const ups = await alternate(
    RUNS,
    async () => {
      const up = await timeMs(() => service.up(LAB));
      upDown.appDown.push(await timeMs(() => service.down(LAB)));
      return up;
    },
    () => {
      const up = timeSyncMs(() => compose('up', '-d'));
      upDown.composeDown.push(timeSyncMs(() => compose('down')));
      return Promise.resolve(up);
    },
  );
  const serialUps: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    serialUps.push(
      timeSyncMs(() => {
        for (const args of serial.up) docker(args);
      }),
    );
    serial.down.forEach((args) => docker(args));
  }
  // The warm-up runs of alternate() also measured a down each; keep the timed ones only.
  const downs = { app: upDown.appDown.slice(-RUNS), compose: upDown.composeDown.slice(-RUNS) };
  return [
    {
      name: `lab up (${LAB}, ${lab.nodes.length} nodes, image built)`,
      unit: 'ms',
      app: ups.app,
      baseline: ups.baseline,
      baselineName: 'docker-compose up -d (1.29)',
      target: { max: 1 },
      notes: 'the app also names interfaces and removes default routes in every node',
    },
    {
      name: `lab up (${LAB})`,
      unit: 'ms',
      app: ups.app,
      baseline: serialUps,
      baselineName: 'serial docker CLI script',
      target: { max: 0.5 },
    },
    {
      name: `down (${LAB})`,
      unit: 'ms',
      app: downs.app,
      baseline: downs.compose,
      baselineName: 'docker-compose down (1.29)',
      target: { note: 'compare' },
    },
  ];
}

/** The seed's commands for tun-arptables, as a person types them: one docker exec each. */
function seedCommands(lab: Lab): [node: string, command: string][] {
  const out: [string, string][] = [];
  for (const step of lab.steps)
    for (const [node, commands] of Object.entries(step.commands))
      for (const c of commands) out.push([node, c]);
  return out;
}

async function applyWholeLab(): Promise<Measurement[]> {
  const dockerHost = process.env.BENCH_DOCKER_HOST;
  if (!dockerHost) {
    console.log(
      'apply-whole-lab: skipped here: set BENCH_DOCKER_HOST to an engine whose kernel has IPVS and IPIP (bench/README.md)',
    );
    return [];
  }
  const engine = dockerAt(dockerHost);
  const service = new LabService(
    { ...defaultPaths(root), stateDir: mkdtempSync(path.join(os.tmpdir(), 'lvslab-bench-')) },
    engine,
  );
  const lab = await service.resolveLab(LAB);
  const env = { ...process.env, DOCKER_HOST: dockerHost };
  const results = await alternate(
    RUNS,
    async () => {
      await service.runtime.down(LAB);
      await service.up(LAB);
      const ms = await timeMs(() => service.runAll(LAB));
      await service.runtime.down(LAB);
      return ms;
    },
    async () => {
      await service.runtime.down(LAB);
      await service.up(LAB);
      const ms = timeSyncMs(() => {
        for (const [node, command] of seedCommands(lab)) {
          try {
            docker(['exec', `lvslab-${LAB}-${node}`, 'sh', '-c', command], env);
          } catch {
            // the seed's modprobe explains itself with a non-zero status; a person carries on
          }
        }
        // The seed checks its work by hand: ipvsadm -ln on the director, curl from the client.
        docker(['exec', `lvslab-${LAB}-server1`, 'ipvsadm', '-Ln'], env);
        for (let i = 0; i < 6; i++)
          docker(
            ['exec', `lvslab-${LAB}-client`, 'curl', '-s', '-m', '2', `http://${lab.service.vip}/`],
            env,
          );
      });
      await service.runtime.down(LAB);
      return ms;
    },
  );
  return [
    {
      name: `apply a whole lab (${LAB}: ${lab.steps.length} steps with every check)`,
      unit: 'ms',
      app: results.app,
      baseline: results.baseline,
      baselineName: `the seed's ${seedCommands(lab).length} commands, one docker exec each`,
      target: { max: 0.5 },
      notes: `engine ${dockerHost}`,
    },
  ];
}

const measurements = [...(await lifecycle()), ...(await applyWholeLab())];
report('lab', measurements);
