// Faults as data: the shipped catalog, finding a fault for a node, the variables its commands
// get, the roll-back of a break that fails half-way, and the lab format's own faults. What each
// shipped fault does to a real kernel is proven in test/kernel/faults.test.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { faultSchema, type LabFault } from '../../../shared/lab-schema.js';
import type { ExecResult } from '../../../main/core/docker/exec.js';
import { BUILTIN_FAULTS, FAULT_STATE_ROOT } from '../../../main/core/faults/catalog.js';
import {
  faultPreamble,
  faultsForNode,
  faultStateDir,
  resolveFault,
  runFault,
} from '../../../main/core/faults/fault-runner.js';
import { parseLab } from '../../../main/core/lab/loader.js';
import type { Lab } from '../../../main/core/lab/model.js';
import { defined, labText, lineOf, loadIssue, loadLab } from './helpers.js';

/** Runs fault scripts with /bin/sh here, with the state directory moved into a temp dir. */
function localExec(root: string, calls: string[] = []) {
  return (node: string, script: string): Promise<ExecResult> => {
    calls.push(node);
    const r = spawnSync('/bin/sh', ['-c', script.replaceAll(FAULT_STATE_ROOT, root)], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    return Promise.resolve({ exitCode: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, timedOut: false });
  };
}

function withFaults(lab: Lab, faults: LabFault[]): Lab {
  return { ...lab, faults };
}

const lab = loadLab('tun-arptables');

describe('the shipped faults', () => {
  it('are valid, each with its own id, and cover what a TUN lab depends on', () => {
    for (const fault of BUILTIN_FAULTS) expect(faultSchema.safeParse(fault).success).toBe(true);
    const ids = BUILTIN_FAULTS.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([
      'rp-filter',
      'vip-removed',
      'tunl0-down',
      'arp-flux',
      'mtu-lowered',
      'web-stopped',
      'weight-zero',
      'persistence',
    ]);
  });

  it('apply by role: a real server takes the tunnel faults, the director persistence, the client none', () => {
    const ids = (name: string) =>
      faultsForNode(lab, defined(lab.nodes.find((n) => n.name === name))).map((e) => e.fault.id);
    expect(ids('server2')).toContain('rp-filter');
    expect(ids('server2')).not.toContain('persistence');
    expect(ids('server1')).toEqual(['persistence']);
    expect(ids('client')).toEqual([]);
  });
});

describe('resolveFault', () => {
  it('finds a fault, and where a real server fault runs', () => {
    expect(resolveFault(lab, 'server2', 'tunl0-down').runsOn.name).toBe('server2');
    // The weight is the director's table: the commands run there, for server2.
    const weight = resolveFault(lab, 'server2', 'weight-zero');
    expect([weight.node.name, weight.runsOn.name]).toEqual(['server2', 'server1']);
  });

  it('names what exists when the node, the fault or the role is wrong', () => {
    expect(() => resolveFault(lab, 'server9', 'tunl0-down')).toThrow(
      'lab tun-arptables has no node "server9" (nodes: server1, server2, server3, client)',
    );
    expect(() => resolveFault(lab, 'server2', 'tunnel-down')).toThrow(
      /no fault "tunnel-down" \(faults for server2: rp-filter, vip-removed, tunl0-down,/,
    );
    expect(() => resolveFault(lab, 'server2', 'persistence')).toThrow(
      'fault persistence is for a director, and server2 is the realserver',
    );
  });
});

describe('faultPreamble', () => {
  it('gives the commands the lab and node as variables, and makes the state directory', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'lvslab-faults-'));
    const target = resolveFault(lab, 'server3', 'weight-zero');
    const script = `${faultPreamble(lab, target)}\necho "$NODE|$RIP|$VIP|$PORT|$PROTO|$IPVS_SERVICE|$SCHED|$STATE"`;
    const r = spawnSync('/bin/sh', ['-c', script.replaceAll(FAULT_STATE_ROOT, root)], { encoding: 'utf8' });
    const node = defined(lab.nodes.find((n) => n.name === 'server3'));
    const state = faultStateDir(target).replace(FAULT_STATE_ROOT, root);
    expect(r.stdout.trim()).toBe(
      [
        'server3',
        defined(node.interfaces[0]).ip,
        lab.service.vip,
        '80',
        'tcp',
        `-t ${lab.service.vip}:80`,
        'rr',
        state,
      ].join('|'),
    );
    expect(existsSync(state)).toBe(true);
  });
});

describe('runFault with commands run by /bin/sh', () => {
  const fault = (fix: string[]): LabFault => ({
    id: 'half-way',
    title: 'breaks half-way',
    symptom: 'none',
    roles: ['realserver'],
    runOn: 'node',
    break: ['echo good >"$STATE/saved"', 'echo bad >"$STATE/changed"', 'echo "cannot go on" >&2; exit 3'],
    fix,
  });

  it('puts back what a failed break changed, and says so', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'lvslab-faults-'));
    const faulty = withFaults(lab, [fault(['rm "$STATE/changed"'])]);
    const target = resolveFault(faulty, 'server2', 'half-way');
    const result = await runFault(faulty, target, 'break', localExec(root));
    expect(result).toMatchObject({ ok: false, rolledBack: true, skipped: [] });
    expect(result.commands.map((c) => c.exitCode)).toEqual([0, 0, 3]);
    expect(defined(result.commands[2]).output).toBe('cannot go on');
    const state = faultStateDir(target).replace(FAULT_STATE_ROOT, root);
    expect(existsSync(path.join(state, 'changed'))).toBe(false);
    expect(readFileSync(path.join(state, 'saved'), 'utf8')).toBe('good\n');
  });

  it('says when the put-back failed too', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'lvslab-faults-'));
    const faulty = withFaults(lab, [fault(['false'])]);
    const result = await runFault(
      faulty,
      resolveFault(faulty, 'server2', 'half-way'),
      'break',
      localExec(root),
    );
    expect(result).toMatchObject({ ok: false, rolledBack: false });
  });

  it('a break whose first command fails changed nothing: no put-back is tried', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'lvslab-faults-'));
    const calls: string[] = [];
    const faulty = withFaults(lab, [{ ...fault(['true']), break: ['exit 1', 'echo never'] }]);
    const result = await runFault(
      faulty,
      resolveFault(faulty, 'server2', 'half-way'),
      'break',
      localExec(root, calls),
    );
    expect(result.ok).toBe(false);
    expect(result.rolledBack).toBeUndefined();
    expect(result.skipped).toEqual(['echo never']);
    expect(calls).toHaveLength(1);
  });

  it('runs a director fault on the director', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'lvslab-faults-'));
    const calls: string[] = [];
    const drain: LabFault = { ...fault(['true']), runOn: 'director', break: ['true'] };
    const faulty = withFaults(lab, [drain]);
    const result = await runFault(
      faulty,
      resolveFault(faulty, 'server3', 'half-way'),
      'break',
      localExec(root, calls),
    );
    expect(result).toMatchObject({ ok: true, node: 'server3', fault: 'half-way', action: 'break' });
    expect(calls).toEqual(['server1']);
  });
});

describe("a lab's own faults in the lab file", () => {
  const own = [
    'faults:',
    '  - id: drop-vip-arp',
    '    title: ARP for the VIP dropped on the client',
    '    symptom: the client cannot reach the VIP',
    '    roles: [client]',
    '    break: ["arptables -A OUTPUT -d $VIP -j DROP"]',
    '    fix: ["arptables -D OUTPUT -d $VIP -j DROP"]',
  ];

  it('load beside the shipped ones and apply by role', () => {
    const withOwn = parseLab(`${labText('tun-arptables')}\n${own.join('\n')}\n`, 'labs/test.yaml');
    expect(withOwn.faults).toEqual([
      {
        id: 'drop-vip-arp',
        title: 'ARP for the VIP dropped on the client',
        symptom: 'the client cannot reach the VIP',
        roles: ['client'],
        runOn: 'node',
        break: ['arptables -A OUTPUT -d $VIP -j DROP'],
        fix: ['arptables -D OUTPUT -d $VIP -j DROP'],
      },
    ]);
    const client = defined(withOwn.nodes.find((n) => n.name === 'client'));
    expect(faultsForNode(withOwn, client).map((e) => [e.fault.id, e.origin])).toEqual([
      ['drop-vip-arp', 'lab'],
    ]);
  });

  it("may not take a shipped fault's id: the error names the line", () => {
    const lines = [...own];
    lines[1] = '  - id: persistence';
    const text = `${labText('tun-arptables')}\n${lines.join('\n')}\n`;
    const issue = loadIssue(text);
    expect(issue.field).toBe('faults[0].id');
    expect(issue.line).toBe(lineOf(text, '  - id: persistence'));
    expect(issue.message).toContain('the id of a fault LVS Lab ships');
  });

  it('needs a node of one of its roles', () => {
    const lines = [...own];
    lines[4] = '    roles: [router]';
    const issue = loadIssue(`${labText('tun-arptables')}\n${lines.join('\n')}\n`);
    expect(issue.field).toBe('faults[0].roles');
    expect(issue.message).toBe('no node of this lab is a router');
  });

  it('is refused without fix commands', () => {
    const text = `${labText('tun-arptables')}\n${own.slice(0, -1).join('\n')}\n`;
    expect(loadIssue(text).field).toBe('faults[0].fix');
  });
});
