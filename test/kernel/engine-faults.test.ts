// The built-in kernel's faults, on the real thing (the tier's own instance): killed under a
// running lab, its disk damaged by a crash, stopped twice. Each test leaves it running again for
// the other files of the tier.
import Docker from 'dockerode';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { LabService } from '../../main/core/lab-service.js';
import { defaultPaths } from '../../main/core/paths.js';
import { testKernel } from './global-setup.js';

const host = new Docker();
const kernel = testKernel(inject('kernelStateDir'));
const root = new URL('../..', import.meta.url).pathname;
const LAB = 'tun-arptables';

afterAll(async () => {
  // Whatever happened above, the other files find the engine running.
  await kernel.start();
});

describe('the built-in kernel, when things go wrong', () => {
  it('killed under a running lab: says it stopped; a restart finds the lab left over, and down cleans it', async () => {
    const service = new LabService(
      { ...defaultPaths(root), stateDir: inject('kernelStateDir') },
      kernel.client(),
    );
    await service.runtime.down(LAB);
    await service.up(LAB);
    await host.getContainer(kernel.container).kill();
    const dead = await kernel.status();
    expect(dead.state === 'stopped' || dead.state === 'failed').toBe(true);
    expect(dead.detail).toMatch(/exited with status 137|kernel stopped/);
    await expect(service.status()).rejects.toThrow();

    await kernel.start();
    // Its containers were on the kernel's disk: they are there, stopped, and the lab says so.
    const [left] = (await service.status()).filter((s) => s.labId === LAB);
    expect(left?.health).toBe('degraded');
    expect(left?.problems.join('\n')).toMatch(/node (server\d|client) is exited/);
    const removed = await service.down(LAB);
    expect(removed).toEqual({ containers: 4, networks: 1 });
    expect((await service.status()).filter((s) => s.labId === LAB)).toEqual([]);
  });

  it('a disk damaged by a crash is made anew at the next start, and the lab image loaded again', async () => {
    await kernel.stop();
    // Zero the ext4 superblock of the guest's disk, from a container that mounts its volume.
    const image = inject('nodeImage');
    const breaker = await host.createContainer({
      Image: image,
      Entrypoint: [
        'dd',
        'if=/dev/zero',
        'of=/disk/docker.img',
        'bs=1024',
        'seek=1',
        'count=4',
        'conv=notrunc',
      ],
      HostConfig: {
        NetworkMode: 'none',
        Mounts: [{ Type: 'volume', Source: kernel.volume, Target: '/disk' }],
      },
    });
    await breaker.start();
    expect(((await breaker.wait()) as { StatusCode: number }).StatusCode).toBe(0);
    await breaker.remove();

    const phases: string[] = [];
    await kernel.start((event) => {
      if (event.state === 'done') phases.push(`${event.name}: ${event.message ?? ''}`);
    });
    expect(await kernel.logs()).toMatch(/the guest's disk was damaged: making a new one/);
    expect((await kernel.status()).state).toBe('running');
    expect(phases.find((p) => p.startsWith('image:'))).toMatch(/loaded$/);
    expect(phases.find((p) => p.startsWith('image:'))).not.toMatch(/already loaded/);
  });

  it('stop leaves nothing running, and a second stop is a no-op', async () => {
    expect(await kernel.stop()).toBe(true);
    const left = await host.listContainers({ all: true, filters: { name: [kernel.container] } });
    expect(left).toEqual([]);
    await expect(kernel.client().ping()).rejects.toThrow();
    expect(await kernel.stop()).toBe(false);
    expect((await kernel.status()).state).toBe('absent');
  });
});
