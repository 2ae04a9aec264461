// Lab networks have no way out. "Out" is a network namespace this test creates on the host
// with a web server at 198.51.100.2 (all on this machine). A container on an ordinary Docker
// network reaches it, which proves the probe works; a lab node cannot, even after it adds a
// default route through Docker's bridge.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { docker, forceDown, newService } from './helpers.js';
import { ensureNodeImage } from '../../main/core/docker/images.js';

const service = newService();
const NS = 'lvstest-outside';
const CONTROL_NET = 'lvstest-control';
const CONTROL = 'lvstest-control-node';
const OUTSIDE = '198.51.100.2';
let server: ChildProcess | undefined;

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });

beforeAll(async () => {
  cleanupHost();
  ip('netns', 'add', NS);
  ip('link', 'add', 'lvstest-h', 'type', 'veth', 'peer', 'name', 'lvstest-n');
  ip('link', 'set', 'lvstest-n', 'netns', NS);
  ip('addr', 'add', '198.51.100.1/30', 'dev', 'lvstest-h');
  ip('link', 'set', 'lvstest-h', 'up');
  ip('-n', NS, 'addr', 'add', `${OUTSIDE}/30`, 'dev', 'lvstest-n');
  ip('-n', NS, 'link', 'set', 'lvstest-n', 'up');
  ip('-n', NS, 'link', 'set', 'lo', 'up');
  ip('-n', NS, 'route', 'add', 'default', 'via', '198.51.100.1');
  const script = `require('http').createServer((q, s) => s.end('outside')).listen(8080, '${OUTSIDE}')`;
  server = spawn('ip', ['netns', 'exec', NS, process.execPath, '-e', script], { stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 500));

  await forceDown(service, 'tun-arptables');
  await service.up('tun-arptables');
  const image = await ensureNodeImage(docker, service.paths.imageContext);
  await docker.createNetwork({ Name: CONTROL_NET, IPAM: { Config: [{ Subnet: '172.31.250.0/24' }] } });
  const control = await docker.createContainer({
    name: CONTROL,
    Image: image,
    HostConfig: { NetworkMode: CONTROL_NET, CapAdd: ['NET_ADMIN'] },
  });
  await control.start();
});

afterAll(async () => {
  await forceDown(service, 'tun-arptables');
  await docker
    .getContainer(CONTROL)
    .remove({ force: true })
    .catch(() => undefined);
  await docker
    .getNetwork(CONTROL_NET)
    .remove()
    .catch(() => undefined);
  server?.kill();
  cleanupHost();
});

function cleanupHost() {
  try {
    ip('netns', 'del', NS);
  } catch {
    // not there
  }
  try {
    ip('link', 'del', 'lvstest-h');
  } catch {
    // not there
  }
}

async function curlFrom(container: string, script: string) {
  const exec = await docker
    .getContainer(container)
    .exec({ Cmd: ['sh', '-c', script], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  await new Promise((resolve) => stream.on('end', resolve));
  return { exitCode: (await exec.inspect()).ExitCode, output: Buffer.concat(chunks).toString() };
}

it('a container on an ordinary Docker network reaches the outside host (the probe can succeed)', async () => {
  const result = await curlFrom(CONTROL, `curl -s -m 3 http://${OUTSIDE}:8080/`);
  expect(result.exitCode).toBe(0);
  expect(result.output).toContain('outside');
});

it('a lab node has no route out', async () => {
  const result = await curlFrom('lvslab-tun-arptables-client', `ip route get ${OUTSIDE}`);
  expect(result.exitCode).not.toBe(0);
  expect(result.output).toMatch(/Network is unreachable/);
});

it("a lab node cannot get out even through a default route via Docker's bridge", async () => {
  // First the route, on its own: the test means something only if the node really has it.
  const route = await curlFrom(
    'lvslab-tun-arptables-client',
    `ip route add default via 172.25.88.254 && ip route get ${OUTSIDE}`,
  );
  expect(route.exitCode, route.output).toBe(0);
  expect(route.output).toMatch(new RegExp(`${OUTSIDE} via 172\\.25\\.88\\.254`));
  try {
    const result = await curlFrom(
      'lvslab-tun-arptables-client',
      `curl -s -m 3 http://${OUTSIDE}:8080/; echo "curl exit $?"`,
    );
    // 7: could not connect, 28: timed out. Either way nothing came back from outside.
    expect(result.output).toMatch(/curl exit (7|28)/);
    expect(result.output).not.toContain('outside');
  } finally {
    await curlFrom('lvslab-tun-arptables-client', 'ip route del default');
  }
});
