// Derived labs (`extends:`): a bug reproduction reuses a lab's networks, nodes and service,
// drops some of its steps and adds its own. Written into a temporary labs folder.
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LabLoadError, loadLabFile, parseLab } from '../../../main/core/lab/loader.js';
import { labText, ROOT } from './helpers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'lvslab-derived-'));
const labs = path.join(dir, 'labs');
const repro = path.join(labs, 'repro');
mkdirSync(repro, { recursive: true });
copyFileSync(path.join(ROOT, 'labs', 'tun-arptables.yaml'), path.join(labs, 'tun-arptables.yaml'));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const HEAD = `id: repro-test
title: A reproduction
summary: tun-arptables without the real servers' tunnel step.
difficulty: advanced
seed: { document: '000' }
`;

const OWN_STEP = `steps:
  - id: only-server2
    title: Only server2 gets the VIP
    explain: server3 is left without it.
    commands:
      server2:
        - ip addr add 172.25.88.100/32 dev tunl0
    checks:
      - { kind: address, node: server2, device: tunl0, prefix: 32 }
`;

function write(name: string, text: string): string {
  const file = path.join(repro, name);
  writeFileSync(file, text);
  return file;
}

async function issues(file: string) {
  const error = await loadLabFile(file).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(LabLoadError);
  return (error as LabLoadError).issues;
}

describe('derived labs', () => {
  it('extends a lab by id from the labs folder above repro/: its plan, minus omitted steps, plus its own', async () => {
    const text = `${HEAD}extends: tun-arptables\nomitSteps: [realserver-tunnel, test-round-robin]\n${OWN_STEP}`;
    const file = write('by-id.yaml', text);
    const lab = await loadLabFile(file);
    expect(lab.id).toBe('repro-test');
    expect(lab.base).toBe('tun-arptables');
    expect(lab.steps.map((s) => s.id)).toEqual([
      'director-tunnel',
      'director-ipvs',
      'realserver-arp',
      'realserver-rp-filter',
      'only-server2',
    ]);
    expect(lab.nodes.map((n) => `${n.name} ${n.interfaces[0]?.ip ?? ''}`)).toEqual([
      'server1 172.25.88.1',
      'server2 172.25.88.2',
      'server3 172.25.88.3',
      'client 172.25.88.250',
    ]);
    expect(lab.service.vip).toBe('172.25.88.100');
    expect(lab.departures).toHaveLength(6);
    expect(lab.source).toBe(file);
    // The hash covers the base lab too, so that a running reproduction notices a changed base.
    const baseText = labText('tun-arptables');
    expect(lab.sourceHash).toBe(createHash('sha256').update(`${text}\0${baseText}`).digest('hex'));
    expect(lab.sourceHash).not.toBe(createHash('sha256').update(text).digest('hex'));
  });

  it('extends a lab by a path relative to the file', async () => {
    const file = write('by-path.yaml', `${HEAD}extends: ../tun-arptables.yaml\n${OWN_STEP}`);
    const lab = await loadLabFile(file);
    expect(lab.base).toBe('tun-arptables');
    expect(lab.steps).toHaveLength(7);
  });

  it('a base that does not exist: no lab named X, and the labs there are', async () => {
    const file = write('no-base.yaml', `${HEAD}extends: tun-nothing\n${OWN_STEP}`);
    expect(await issues(file)).toEqual([
      {
        file,
        line: 6,
        column: 10,
        field: 'extends',
        message: 'no lab named tun-nothing (labs: tun-arptables)',
      },
    ]);
  });

  it('a base outside the labs folder is refused, by relative or absolute path', async () => {
    writeFileSync(path.join(dir, 'outside.yaml'), labText('tun-arptables'));
    const cases = [
      ['../../outside.yaml', 'the base lab ../../outside.yaml is outside the labs folder'],
      ['../../../../../../../../etc/passwd', 'is outside the labs folder'],
      [
        path.join(dir, 'outside.yaml'),
        'a base lab is named by its id or a path inside the labs folder, not /',
      ],
      ['/etc/passwd', 'a base lab is named by its id or a path inside the labs folder, not /etc/passwd'],
      ['../README.md', 'the base lab ../README.md is not a .yaml file'],
    ];
    for (const [base, message] of cases) {
      const file = write('outside-base.yaml', `${HEAD}extends: '${base}'\n${OWN_STEP}`);
      const found = await issues(file);
      expect(found, base).toHaveLength(1);
      expect(found[0], base).toMatchObject({ file, line: 6, field: 'extends' });
      expect(found[0]?.message, base).toContain(message);
    }
  });

  it('a link inside the labs folder that leads out of it is refused', async () => {
    writeFileSync(path.join(dir, 'secret.yaml'), labText('tun-arptables'));
    symlinkSync(path.join(dir, 'secret.yaml'), path.join(labs, 'linked.yaml'));
    try {
      const file = write('linked-base.yaml', `${HEAD}extends: linked\n${OWN_STEP}`);
      const [issue] = await issues(file);
      expect(issue?.message).toBe(`the base lab linked links to a file outside the labs folder (${labs})`);
    } finally {
      rmSync(path.join(labs, 'linked.yaml'));
    }
  });

  it('omitting a step the base does not have', async () => {
    const file = write(
      'bad-omit.yaml',
      `${HEAD}extends: tun-arptables\nomitSteps: [realserver-tunel]\n${OWN_STEP}`,
    );
    const [issue] = await issues(file);
    expect(issue).toMatchObject({ file, line: 7, column: 12, field: 'omitSteps' });
    expect(issue?.message).toMatch(
      /^lab tun-arptables has no step realserver-tunel \(its steps: director-tunnel, /,
    );
  });

  it("a wrong node in the derived lab's own step is reported in the derived file", async () => {
    const file = write(
      'bad-node.yaml',
      `${HEAD}extends: tun-arptables\n${OWN_STEP.replace('      server2:', '      server9:')}`,
    );
    const [issue] = await issues(file);
    expect(issue).toMatchObject({ file, field: 'steps[0].commands.server9' });
    // In the derived file's own steps (the name is on line 12), not in the base.
    expect(issue?.line).toBeGreaterThanOrEqual(12);
    expect(issue?.message).toBe('no node named "server9" (nodes: server1, server2, server3, client)');
  });

  it('a derived lab may not redefine nodes', async () => {
    const file = write('nodes.yaml', `${HEAD}extends: tun-arptables\nnodes: []\n${OWN_STEP}`);
    const [issue] = await issues(file);
    expect(issue).toMatchObject({
      file,
      line: 7,
      column: 1,
      field: 'nodes',
      message: 'unknown field "nodes"',
    });
  });

  it('parseLab without a way to read the base refuses a derived lab', () => {
    expect(() => parseLab(`${HEAD}extends: tun-arptables\n${OWN_STEP}`, 'x.yaml')).toThrow(
      'x.yaml:1:1: extends: a derived lab must be loaded from a file',
    );
  });

  it('the repro labs of the repository load against their bases', async () => {
    const folder = path.join(ROOT, 'labs', 'repro');
    const files = readdirSync(folder).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) {
      const lab = await loadLabFile(path.join(folder, name));
      expect(lab.base, name).toMatch(/^tun-/);
      expect(labText(lab.base as 'tun-arptables').length, name).toBeGreaterThan(0);
    }
  });
});
