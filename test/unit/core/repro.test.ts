// The repro file as data: the flattened lab loads as the lab that ran, a file is refused with the
// field that is wrong or when its lab was edited, pins refuse a replay with other inputs, and two
// outcomes are compared as a developer would. The whole round trip on a real kernel is in
// test/kernel/repro.test.ts.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { REPRO_FORMAT, type ReproFile, type ReproOutcome } from '../../../shared/repro.js';
import { BUILTIN_FAULTS } from '../../../main/core/faults/catalog.js';
import { loadLabFile, parseLab } from '../../../main/core/lab/loader.js';
import { compareEnvironments } from '../../../main/core/repro/environment.js';
import { compareOutcomes } from '../../../main/core/repro/outcome.js';
import { flattenLab, latestCaptures, REPORT_CAPTURE_LIMIT, sha256 } from '../../../main/core/repro/report.js';
import { CannotReplayError, checkPins, readRepro, ReproFileError } from '../../../main/core/repro/replay.js';
import { imageTag, NODE_IMAGE_REPO } from '../../../main/core/docker/images.js';
import { defined, loadLab, ROOT } from './helpers.js';

const IMAGE_CONTEXT = path.join(ROOT, 'lab-images', 'node');

function outcome(answers: Record<string, number>, failures: number, checksOk = [true, true]): ReproOutcome {
  return {
    checks: [
      {
        stepId: 'symptom',
        ok: checksOk.every(Boolean),
        checks: checksOk.map((ok, i) => ({ label: `check ${i + 1}`, ok })),
      },
    ],
    probe: { requests: 12, answers, failures, sequence: [] },
  };
}

async function repro(): Promise<ReproFile> {
  const file = flattenLab(loadLab('tun-arptables'));
  return {
    format: REPRO_FORMAT,
    version: 1,
    createdAt: '2026-12-01T13:00:00.000Z',
    lvsLab: { version: '0.1.0' },
    lab: {
      id: 'tun-arptables',
      file,
      sha256: sha256(file),
      nodeImage: await imageTag(NODE_IMAGE_REPO, IMAGE_CONTEXT),
    },
    record: [{ at: '2026-12-01T13:00:00.000Z', kind: 'break', node: 'server2', fault: 'tunl0-down' }],
    faults: BUILTIN_FAULTS.filter((f) => f.id === 'tunl0-down'),
    environment: {
      engine: 'built-in kernel, Linux 6.1.176 (user-mode)',
      dockerVersion: '20.10.24',
      kernel: '6.1.176',
      ipvsadm: 'ipvsadm v1.31',
      arptables: 'arptables v0.0.5',
      modules: ['ip_vs', 'ipip'],
      sysctls: { server2: { 'net.ipv4.conf.all.rp_filter': '0' } },
    },
    outcome: outcome({ server2: 6, server3: 6 }, 0),
  };
}

describe('flattenLab', () => {
  it('writes a derived lab as one plain lab that loads to the same networks, nodes and steps', async () => {
    const derived = await loadLabFile(path.join(ROOT, 'labs/repro/rp-filter.yaml'), path.join(ROOT, 'labs'));
    const text = flattenLab(derived);
    expect(text).not.toMatch(/^extends:/m);
    const again = parseLab(text, 'flattened.yaml');
    expect(again.steps.map((s) => s.id)).toEqual(derived.steps.map((s) => s.id));
    expect(again.nodes).toEqual(derived.nodes);
    expect(again.service).toEqual(derived.service);
    expect(again.id).toBe('repro-rp-filter');
  });
});

describe('readRepro', () => {
  it('reads back what was written', async () => {
    const original = await repro();
    expect(readRepro(stringify(original), 'r.yaml')).toEqual(original);
  });

  it('names the field that is wrong', async () => {
    const broken = { ...(await repro()), record: [{ at: 'x', kind: 'reboot', node: 'server2' }] };
    expect(() => readRepro(stringify(broken), 'r.yaml')).toThrow(
      /r\.yaml is not a valid repro file:\n {2}record\.0\.kind/,
    );
    expect(() => readRepro('format: [', 'r.yaml')).toThrow(ReproFileError);
    expect(() => readRepro('just: text', 'r.yaml')).toThrow(/format: /);
  });

  it('refuses a file whose lab was edited after it was saved', async () => {
    const original = await repro();
    const edited = { ...original, lab: { ...original.lab, file: original.lab.file.replace('rr', 'wrr') } };
    expect(() => readRepro(stringify(edited), 'r.yaml')).toThrow(
      'the lab in it was edited after it was saved',
    );
  });
});

describe('checkPins', () => {
  it('accepts the inputs this LVS Lab would use', async () => {
    await expect(checkPins(await repro(), IMAGE_CONTEXT)).resolves.toBeUndefined();
  });

  it('refuses another node image, and a fault whose commands changed', async () => {
    const original = await repro();
    const otherImage = { ...original, lab: { ...original.lab, nodeImage: 'lvs-lab/node:000000000000' } };
    await expect(checkPins(otherImage, IMAGE_CONTEXT)).rejects.toThrow(CannotReplayError);
    await expect(checkPins(otherImage, IMAGE_CONTEXT)).rejects.toThrow(
      /the repro ran on lvs-lab\/node:000000000000/,
    );
    const fault = defined(original.faults[0]);
    const otherFault = { ...original, faults: [{ ...fault, break: ['ip link set tunl0 down; true'] }] };
    await expect(checkPins(otherFault, IMAGE_CONTEXT)).rejects.toThrow(
      'fault tunl0-down is not what it was when the repro was saved',
    );
  });
});

describe('compareOutcomes', () => {
  it('the same outcome, with a round robin that started on the other server', () => {
    expect(
      compareOutcomes(outcome({ server2: 6, server3: 6 }, 0), outcome({ server2: 7, server3: 5 }, 0)),
    ).toEqual([]);
  });

  it('says which server answered differently, and when failures appear or go', () => {
    expect(compareOutcomes(outcome({ server2: 6 }, 6), outcome({ server2: 6, server3: 6 }, 0))).toEqual([
      'probe: server3 answered 0 of 12 before, 6 now',
      'probe: 6 of 12 requests failed before, 0 now',
    ]);
  });

  it('says which check changed', () => {
    const now = outcome({ server2: 6, server3: 6 }, 0, [true, false]);
    defined(defined(now.checks[0]).checks[1]).reason = 'tunl0 on server2 is down';
    expect(compareOutcomes(outcome({ server2: 6, server3: 6 }, 0), now)).toEqual([
      'step symptom: "check 2" passed before, fails (tunl0 on server2 is down) now',
    ]);
  });
});

describe('compareEnvironments', () => {
  it('lists what differs, including each node sysctl', async () => {
    const before = (await repro()).environment;
    const now = {
      ...before,
      kernel: '6.12.1',
      modules: ['ip_vs'],
      sysctls: { server2: { 'net.ipv4.conf.all.rp_filter': '1' } },
    };
    expect(compareEnvironments(before, now)).toEqual([
      'kernel: 6.1.176 then, 6.12.1 now',
      'modules loaded then and not now: ipip',
      'server2: net.ipv4.conf.all.rp_filter was 0, now 1',
    ]);
  });
});

describe('latestCaptures', () => {
  it("carries the pcap files of the lab's latest capture folder, and nothing of other labs", async () => {
    const stateDir = mkdtempSync(path.join(os.tmpdir(), 'lvslab-captures-'));
    const folder = (lab: string, name: string) => {
      const dir = path.join(stateDir, 'captures', lab, name);
      mkdirSync(dir, { recursive: true });
      return dir;
    };
    writeFileSync(path.join(folder('tun-arptables', '2026-12-01T13-00-00-000Z'), 'client-any.pcap'), 'old');
    const latest = folder('tun-arptables', '2026-12-01T14-00-00-000Z');
    writeFileSync(path.join(latest, 'server1-any.pcap'), 'director');
    writeFileSync(path.join(latest, 'client-eth0.pcap'), 'client');
    writeFileSync(path.join(folder('tun-sysctl', '2026-12-01T15-00-00-000Z'), 'lvs-any.pcap'), 'other lab');
    expect(await latestCaptures(stateDir, 'tun-arptables')).toEqual([
      { fileName: 'client-eth0.pcap', base64: Buffer.from('client').toString('base64') },
      { fileName: 'server1-any.pcap', base64: Buffer.from('director').toString('base64') },
    ]);
    expect(await latestCaptures(stateDir, 'tun-cross-subnet')).toEqual([]);
    writeFileSync(path.join(latest, 'big.pcap'), Buffer.alloc(REPORT_CAPTURE_LIMIT));
    await expect(latestCaptures(stateDir, 'tun-arptables')).rejects.toThrow('more than a repro carries');
  });
});
