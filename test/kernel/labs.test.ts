// Every lab on a real kernel with IPVS and IPIP (the built-in kernel: user-mode Linux with a
// Docker Engine inside), driven through DOCKER_HOST by the same LabService users run. Each lab: up, every step applied with its
// checks passing, the lab's extra proof, then down leaving nothing. The bug reproductions
// (labs/repro/) assert their symptom through their own checks.
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import type { Check } from '../../shared/lab-schema.js';
import type { StepCheckResult, StepRunResult } from '../../shared/results.js';
import { stepResult } from '../../main/cli/format.js';
import { LABEL, labelFilter } from '../../main/core/docker/labels.js';
import { nodesWithRole, type Lab } from '../../main/core/lab/model.js';
import { runChecks } from '../../main/core/engine/step-runner.js';
import { hostDocker, kernelLabService } from './service.js';

const service = kernelLabService('labs');
const docker = service.docker;
const timings: [string, number][] = [];

afterAll(() => {
  for (const [lab, seconds] of timings)
    console.log(`kernel tier timing: lab ${lab}: ${seconds.toFixed(1)} s`);
});

async function labResources(labId: string) {
  const filters = labelFilter({ [LABEL.managed]: 'true', [LABEL.lab]: labId });
  const [containers, networks] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
  ]);
  return [...containers.map((c) => c.Names[0] ?? c.Id), ...networks.map((n) => n.Name)];
}

/** On failure: the kernel's console, every container's log, so the cause is visible in CI. */
async function diagnose(labId: string) {
  const engineLog = await hostDocker()
    .getContainer(inject('kernelContainer'))
    .logs({ stdout: true, stderr: true, tail: 40 });
  console.log(`--- the kernel's console (last 40 lines) ---\n${engineLog.toString('utf8')}`);
  const filters = labelFilter({ [LABEL.managed]: 'true', [LABEL.lab]: labId });
  for (const c of await docker.listContainers({ all: true, filters })) {
    const log = await docker.getContainer(c.Id).logs({ stdout: true, stderr: true, tail: 20 });
    console.log(`--- ${c.Names[0] ?? c.Id} (${c.Status}) ---\n${log.toString('utf8')}`);
  }
}

/** Runs a lab's every step; returns the results, printing any failed step in full. */
async function runAllSteps(labId: string) {
  const results: { run: StepRunResult; check: StepCheckResult }[] = [];
  await service.runAll(labId, (r) => {
    results.push(r);
    if (!r.run.ok || !r.check.ok) console.log(stepResult(r.run, r.check));
  });
  return results;
}

function clientOf(lab: Lab): string {
  return nodesWithRole(lab, 'client')[0]?.name ?? '';
}

const seedLabs = ['tun-arptables', 'tun-cross-subnet', 'tun-sysctl'];
const reproductions = ['repro-arp-flux', 'repro-rp-filter', 'repro-missing-vip', 'repro-wrr-weights'];

/** Up before the lab's tests, down after, timing the whole lab. */
function withLab(labId: string): { lab: () => Lab } {
  let lab: Lab | undefined;
  let started = 0;
  beforeAll(async () => {
    lab = await service.resolveLab(labId);
    started = performance.now();
    await service.up(labId);
  });
  afterAll(async () => {
    await service.runtime.down(labId);
    timings.push([labId, (performance.now() - started) / 1000]);
  });
  return {
    lab: () => {
      if (!lab) throw new Error(`lab ${labId} did not load`);
      return lab;
    },
  };
}

function stepsAndDown(labId: string, current: () => Lab) {
  it('applies every step, and every check passes', async () => {
    onTestFailed(() => diagnose(labId));
    const results = await runAllSteps(labId);
    expect(results.map((r) => r.run.stepId)).toEqual(current().steps.map((s) => s.id));
    const failed = results.filter((r) => !r.run.ok || !r.check.ok).map((r) => r.run.stepId);
    expect(failed).toEqual([]);
  });
}

function downLeavesNothing(labId: string) {
  it('down leaves nothing behind', async () => {
    await service.down(labId);
    expect(await labResources(labId)).toEqual([]);
  });
}

/** What one seed lab shows beyond the others, registered inside that lab's suite. */
const extraProofs: Record<string, () => void> = {
  'tun-sysctl': () => {
    it('the director sees the outside client address: the router maps only the VIP', async () => {
      await service.runtime.exec('tun-sysctl', 'client', 'curl -s -m 2 http://203.0.113.88/');
      const result = await service.runtime.exec('tun-sysctl', 'lvs', 'ipvsadm -Lnc');
      expect(result.stdout).toMatch(/203\.0\.113\.10:\d+\s+10\.10\.24\.88:80\s+10\.10\.24\.2\d:80/);
    });
  },
};

describe.each(seedLabs)('seed lab %s on a real kernel', (labId) => {
  const { lab } = withLab(labId);
  stepsAndDown(labId, lab);

  it('12 requests from the client cycle strictly through the real servers, and the director sends nothing back', async () => {
    onTestFailed(() => diagnose(labId));
    const realServers = nodesWithRole(lab(), 'realserver').map((n) => n.name);
    const share = 12 / realServers.length;
    const checks: Check[] = [
      {
        kind: 'http',
        from: clientOf(lab()),
        requests: 12,
        timeoutSeconds: 2,
        expect: { rotation: realServers },
      },
      {
        kind: 'http',
        from: clientOf(lab()),
        requests: 12,
        timeoutSeconds: 2,
        expect: { counts: Object.fromEntries(realServers.map((n) => [n, share])) },
      },
      { kind: 'replies-bypass-director', requests: 6, viaDirector: false },
    ];
    const results = await runChecks(lab(), checks, (node, script, timeoutMs) =>
      service.runtime.exec(labId, node, script, { timeoutMs }),
    );
    // Label and reason in full: the assertion's own print cuts objects short.
    expect(results.filter((r) => !r.ok).map((r) => `${r.label}: ${r.reason ?? ''}`)).toEqual([]);
  });

  extraProofs[labId]?.();
  downLeavesNothing(labId);
});

describe.each(reproductions)('reproduction %s on a real kernel: its checks assert the symptom', (labId) => {
  const { lab } = withLab(labId);
  stepsAndDown(labId, lab);
  downLeavesNothing(labId);
});

describe('reproduction repro-replies-via-director on a real kernel: the replies go through the director', () => {
  const labId = 'repro-replies-via-director';
  withLab(labId);

  it('every answer comes and alternates, yet the director sends the replies on, and its check names them', async () => {
    onTestFailed(() => diagnose(labId));
    const results = await runAllSteps(labId);
    expect(results.filter((r) => !r.run.ok).map((r) => r.run.stepId)).toEqual([]);
    const checks = results.flatMap((r) => r.check.checks);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    // The symptom check (viaDirector) passes on what the plain bypass check fails on.
    expect(checks.find((c) => c.kind === 'replies-bypass-director')?.label).toMatch(
      /^replies go back through server1: server1 sent \d+ reply packets from port 80 \(172\.25\.88\.100:80 > 172\.25\.88\.250:\d+\): the replies go back through the director$/,
    );
    expect(checks.find((c) => c.kind === 'http')?.ok).toBe(true);
  });

  downLeavesNothing(labId);
});
