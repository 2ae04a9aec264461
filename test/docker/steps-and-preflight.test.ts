// The lab steps on the engine's real kernel. Steps that need no IPVS and no IPIP (arptables,
// sysctls, routes, addresses, NAT) must apply and pass their checks everywhere; steps that need
// them must pass where the kernel has them and fail with the reason where it does not.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forceDown, newService } from './helpers.js';

const service = newService();

// The engine runs on this machine's kernel unless DOCKER_HOST points elsewhere (the kernel tier).
const localKernel = !process.env.DOCKER_HOST;
const hasIpvs = existsSync('/proc/net/ip_vs');
const hasIpip = existsSync('/sys/module/ipip');

describe.runIf(localKernel)('preflight on this kernel', () => {
  it('says exactly which of IPVS and IPIP the kernel lacks', async () => {
    const report = await service.preflight();
    const item = (id: string) => report.items.find((i) => i.id === id);
    expect(item('engine')?.status).toBe('ok');
    expect(item('ipvs')?.status).toBe(hasIpvs ? 'ok' : 'fail');
    expect(item('ipip')?.status).toBe(hasIpip ? 'ok' : 'fail');
    if (!hasIpvs) {
      expect(item('ipvs')?.detail).toMatch(/has no IPVS/);
      expect(item('ipvs-rr')?.status).toBe('skipped');
      expect(item('ipvs')?.fixes.map((f) => f.platform)).toEqual(
        expect.arrayContaining(['linux', 'docker-desktop', 'wsl2']),
      );
    }
    if (!hasIpip) expect(item('ipip')?.detail).toMatch(/has no ipip/);
    expect(item('arptables')?.status).toBe('ok');
    expect(item('sysctl')?.status).toBe('ok');
    expect(report.ok).toBe(hasIpvs && hasIpip);
  });
});

const LAB = 'tun-cross-subnet';

describe('steps of tun-cross-subnet', () => {
  beforeAll(async () => {
    await forceDown(service, 'tun-cross-subnet');
    await service.up('tun-cross-subnet');
  });
  afterAll(async () => {
    await forceDown(service, 'tun-cross-subnet');
  });

  it.each(['director-second-address', 'realserver-arp', 'server3-gateway', 'gateway-forwarding'])(
    '%s needs neither IPVS nor IPIP: it applies and its checks pass',
    async (stepId) => {
      const { run, check } = await service.runStep(stepId, LAB);
      expect(run.commands.map((c) => [c.command, c.exitCode])).toEqual(
        run.commands.map((c) => [c.command, 0]),
      );
      expect(check.checks.filter((c) => !c.ok)).toEqual([]);
      expect(check.checks.length).toBeGreaterThan(0);
    },
  );

  it('running a step again is harmless: "File exists" counts as already done', async () => {
    const { run, check } = await service.runStep('server3-gateway', LAB);
    expect(run.commands[0]?.alreadyDone).toBe(true);
    expect(run.ok).toBe(true);
    expect(check.ok).toBe(true);
  });

  it.runIf(localKernel && !hasIpvs)('the IPVS step fails with the kernel as the reason', async () => {
    const { run, check } = await service.runStep('director-ipvs', LAB);
    expect(run.ok).toBe(false);
    expect(run.commands[0]?.output).toMatch(/Can't initialize ipvs/);
    expect(run.skipped.length).toBe(4);
    expect(check.checks.every((c) => !c.ok && /no IPVS/.test(c.reason ?? ''))).toBe(true);
  });

  it.runIf(localKernel && !hasIpip)(
    'the tunnel step fails because tunl0 is missing, and modprobe says why',
    async () => {
      const { run, check } = await service.runStep('realserver-tunnel', LAB);
      expect(run.commands.find((c) => c.command === 'modprobe ipip')?.output).toMatch(
        /host kernel does not provide ipip/,
      );
      expect(check.checks[0]?.reason).toMatch(/server2 has no tunl0 device/);
    },
  );

  it('progress is saved per step', async () => {
    const steps = await service.steps('tun-cross-subnet');
    expect(steps.find((s) => s.id === 'server3-gateway')?.progress.checksOk).toBe(true);
    expect(steps.find((s) => s.id === 'director-tunnel')?.progress).toEqual({});
  });
});

describe('steps of tun-sysctl that need no IPVS', () => {
  beforeAll(async () => {
    await forceDown(service, 'tun-sysctl');
    await service.up('tun-sysctl');
  });
  afterAll(async () => {
    await forceDown(service, 'tun-sysctl');
  });

  it('the router NAT step applies and its checks pass', async () => {
    const { run, check } = await service.runStep('router-nat', 'tun-sysctl');
    expect(run.ok).toBe(true);
    expect(check.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('a check that fails says why: the director has no default route before its step', async () => {
    const [result] = await service.check('director-setup', 'tun-sysctl');
    const route = result?.checks.find((c) => c.kind === 'route');
    expect(route?.ok).toBe(false);
    expect(route?.reason).toMatch(/^lvs has no route to default \(routes: 10\.10\.24\.0\/24 dev eth0\)$/);
  });
});
