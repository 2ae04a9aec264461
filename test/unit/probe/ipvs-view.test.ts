// The IPVS view built from real outputs of its own scripts (test/fixtures/probe/README.md): on
// the user-mode Linux kernel with IPVS after a probe run, and on a host kernel without IPVS.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ExecResult } from '../../../main/core/docker/exec.js';
import {
  buildIpvsView,
  countersScript,
  directorScript,
  parseNetDev,
  readIpvsView,
  splitSections,
} from '../../../main/core/probe/ipvs-view.js';
import { loadLab } from '../core/helpers.js';

function capture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../../fixtures/probe/${name}`, import.meta.url)), 'utf8');
}
const ok = (stdout: string): ExecResult => ({ exitCode: 0, stdout, stderr: '', timedOut: false });
const lab = loadLab('tun-arptables');
const AT = '2025-01-01T00:00:00.000Z';

describe('buildIpvsView', () => {
  it('on a kernel with IPVS: the table, its counters and the nodes, with the TUN asymmetry', () => {
    const view = buildIpvsView({
      lab,
      at: AT,
      director: ok(capture('uml-director-view.txt')),
      realServers: new Map<string, ExecResult | { error: string }>([
        ['server2', ok(capture('uml-realserver-view.txt'))],
        ['server3', { error: 'node server3 of lab tun-arptables is exited (Exited (0) 2 seconds ago)' }],
      ]),
    });
    expect(view).toMatchObject({ labId: 'tun-arptables', at: AT, error: null });
    expect(view.services).toEqual([
      {
        protocol: 'TCP',
        address: '172.25.88.100',
        port: 80,
        scheduler: 'rr',
        persistentSeconds: null,
        stats: { conns: 112, inPkts: 682, outPkts: 0, inBytes: 44984, outBytes: 0 },
        realServers: [
          {
            address: '172.25.88.2',
            port: 80,
            forward: 'Tunnel',
            weight: 1,
            node: 'server2',
            activeConn: 0,
            inactConn: 56,
            stats: { conns: 56, inPkts: 342, outPkts: 0, inBytes: 22544, outBytes: 0 },
          },
          {
            address: '172.25.88.3',
            port: 80,
            forward: 'Tunnel',
            weight: 1,
            node: 'server3',
            activeConn: 0,
            inactConn: 56,
            stats: { conns: 56, inPkts: 340, outPkts: 0, inBytes: 22440, outBytes: 0 },
          },
        ],
      },
    ]);
    expect(view.nodes?.map((n) => [n.node, n.role, n.error])).toEqual([
      ['server1', 'director', null],
      ['server2', 'realserver', null],
      ['server3', 'realserver', 'node server3 of lab tun-arptables is exited (Exited (0) 2 seconds ago)'],
    ]);
    const server2 = view.nodes?.[1]?.interfaces ?? [];
    // What IPVS tunnelled to server2 arrives on its tunl0 (342 packets); it answers from eth0.
    expect(server2.find((i) => i.device === 'tunl0')).toEqual({
      device: 'tunl0',
      rxBytes: 22544,
      rxPackets: 342,
      txBytes: 0,
      txPackets: 0,
    });
    expect(server2.find((i) => i.device === 'eth0')?.txPackets).toBe(332);
  });

  it('on a kernel without IPVS: says so, and still gives the interface counters', () => {
    const view = buildIpvsView({
      lab,
      at: AT,
      director: ok(capture('host-director-view.txt')),
      realServers: new Map([['server2', ok(capture('host-realserver-view.txt'))]]),
    });
    expect(view.error).toBe('the kernel has no IPVS (ip_vs module not loaded or not built)');
    expect(view.services).toEqual([]);
    expect(view.nodes?.[0]?.interfaces.map((i) => i.device)).toEqual(['lo', 'eth0']);
    expect(view.nodes?.[1]?.interfaces.find((i) => i.device === 'eth0')).toEqual({
      device: 'eth0',
      rxBytes: 4516236,
      rxPackets: 56688,
      txBytes: 5924570,
      txPackets: 56518,
    });
    expect(view.nodes?.[2]).toEqual({
      node: 'server3',
      role: 'realserver',
      error: 'not read',
      interfaces: [],
    });
  });

  it('a director that cannot be reached, or a failing ipvsadm', () => {
    const gone = buildIpvsView({
      lab,
      at: AT,
      director: { error: 'lab tun-arptables is not running' },
      realServers: new Map(),
    });
    expect(gone.error).toBe('lab tun-arptables is not running');
    expect(gone.nodes?.[0]?.error).toBe('lab tun-arptables is not running');
    const failing = directorScriptOutput('ipvsadm: invalid option -- x', 2);
    expect(buildIpvsView({ lab, at: AT, director: ok(failing), realServers: new Map() }).error).toBe(
      '`ipvsadm -Ln --exact` failed (exit 2): ipvsadm: invalid option -- x',
    );
    const cut = buildIpvsView({ lab, at: AT, director: ok('sh: 1: cannot fork\n'), realServers: new Map() });
    expect(cut.error).toBe('could not read the IPVS table on server1: sh: 1: cannot fork');
  });
});

/** What directorScript() prints when both ipvsadm calls fail the same way. */
function directorScriptOutput(text: string, rc: number): string {
  const mark = '@@lvslab-ipvs-view';
  return [
    `${mark} list\n${text}\n${mark}-rc ${rc}`,
    `${mark} stats\n${text}\n${mark}-rc ${rc}`,
    `${mark} netdev\n${capture('host-realserver-view.txt').split('\n').slice(1, -2).join('\n')}\n${mark}-rc 0\n`,
  ].join('\n');
}

describe('the scripts and their parts', () => {
  it('splitSections finds each command’s output and status', () => {
    const sections = splitSections(capture('uml-director-view.txt'));
    expect([...sections.keys()]).toEqual(['list', 'stats', 'netdev']);
    expect([...sections.values()].map((s) => s.rc)).toEqual([0, 0, 0]);
  });

  it('the scripts run the commands the view needs, in one exec each', () => {
    expect(directorScript()).toMatch(
      /\( ipvsadm -Ln --exact \) 2>&1;.*\n.*\( ipvsadm -Ln --stats --exact \) 2>&1;.*\n.*\( cat \/proc\/net\/dev \) 2>&1/,
    );
    expect(countersScript()).toMatch(
      /^echo '@@lvslab-ipvs-view netdev'; \( cat \/proc\/net\/dev \) 2>&1; echo/,
    );
  });

  it('parseNetDev skips the headers and anything odd', () => {
    expect(
      parseNetDev('Inter-| junk\n face |bytes\n  eth0: 1 2\n  lo: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n'),
    ).toEqual([{ device: 'lo', rxBytes: 1, rxPackets: 2, txBytes: 9, txPackets: 10 }]);
  });

  it('readIpvsView runs the director and every real server at once, and survives a missing node', async () => {
    const calls: string[] = [];
    const runtime = {
      exec: async (labId: string, node: string, script: string) => {
        calls.push(`${labId}/${node}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (node === 'server3') throw new Error('lab tun-arptables has no node "server3"');
        return ok(
          script === directorScript() ? capture('uml-director-view.txt') : capture('uml-realserver-view.txt'),
        );
      },
    };
    const view = await readIpvsView(runtime, lab, { now: () => new Date(AT) });
    expect(calls.sort()).toEqual(['tun-arptables/server1', 'tun-arptables/server2', 'tun-arptables/server3']);
    expect(view.at).toBe(AT);
    expect(view.error).toBeNull();
    expect(view.nodes?.map((n) => n.error)).toEqual([null, null, 'lab tun-arptables has no node "server3"']);
  });
});
