// The opt-in module loader on a host that has the modules: it must load exactly what it is asked
// for with the host's own modprobe, and say which modules the host cannot provide.
import { expect, inject, it } from 'vitest';
import { connectEngine } from '../../main/core/docker/engine.js';
import { execScript } from '../../main/core/docker/exec.js';
import { loadHostModules } from '../../main/core/preflight/load-modules.js';
import { runOnHost } from '../../main/core/preflight/host-helper.js';

process.env.DOCKER_HOST = inject('kernelDockerHost');
const docker = connectEngine();
const image = inject('nodeImage');

/** Whether the kernel has the module loaded, read from a plain container (sysfs is global). */
async function loaded(module: string): Promise<boolean> {
  const container = await docker.createContainer({
    Image: image,
    Cmd: ['sleep', '30'],
    HostConfig: { NetworkMode: 'none' },
  });
  try {
    await container.start();
    return (await execScript(container, `test -d /sys/module/${module}`)).exitCode === 0;
  } finally {
    await container.remove({ force: true });
  }
}

it('loads a module the host has, and names the one it does not', async () => {
  // ip_vs_sh is not used by any lab, so unloading it disturbs nothing.
  await runOnHost(docker, image, 'rmmod ip_vs_sh || true', ['SYS_MODULE'], 'sudo rmmod ip_vs_sh');
  expect(await loaded('ip_vs_sh')).toBe(false);

  const result = await loadHostModules(docker, image, ['ip_vs_sh', 'lvs_lab_no_such_module']);
  expect(result.loaded).toEqual(['ip_vs_sh']);
  expect(result.failed).toEqual([
    { module: 'lvs_lab_no_such_module', message: expect.stringMatching(/not found/) as string },
  ]);
  expect(await loaded('ip_vs_sh')).toBe(true);
});
