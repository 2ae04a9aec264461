import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Platform } from '../../../shared/preflight.js';
import { FIXES, fixesFor } from '../../../main/core/preflight/fixes.js';
import { parseLoadOutput } from '../../../main/core/preflight/load-modules.js';
import {
  classifyPlatform,
  kernelItems,
  parseProbeSections,
  probeScript,
  SCHEDULERS_PROBED,
} from '../../../main/core/preflight/preflight.js';
import { captured } from './helpers.js';

const M = '@@probe-m1abc';
/** The real stderr of `ipvsadm -Ln` on a kernel without IPVS, and its exit status. */
const NO_IPVS = captured('ipvsadm-no-ipvs.txt');
const NO_IPVS_RC = Number(captured('ipvsadm-no-ipvs.exitcode').trim());
const KERNEL = '6.18.44-fc-v657'; // the release in that capture's modprobe line

function sectionsOf(entries: Record<string, [rc: number, text: string]>) {
  return new Map(Object.entries(entries).map(([name, [rc, text]]) => [name, { rc, text: text.trim() }]));
}

/** A probe of a working LVS-TUN kernel. */
const ALL_OK = {
  uname: [0, '6.1.0-28-amd64'],
  ipvs: [
    0,
    'IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\nTCP  192.0.2.1:80 rr',
  ],
  'sched-rr': [0, ''],
  'sched-wrr': [0, ''],
  'sched-wlc': [0, ''],
  ipip: [
    0,
    '2: tunl0@NONE: <NOARP> mtu 1480 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n    link/ipip 0.0.0.0 brd 0.0.0.0',
  ],
  arptables: [0, captured('arptables-L-n.txt')],
  sysctl: [0, 'net.ipv4.conf.all.arp_ignore = 1'],
  rp_filter: [0, '1\n1'],
} satisfies Record<string, [number, string]>;

/** A kernel without IPVS and without ipip, as on the host where test/fixtures/captured was made. */
const NO_LVS = {
  ...ALL_OK,
  uname: [0, KERNEL],
  ipvs: [NO_IPVS_RC, NO_IPVS],
  'sched-rr': [NO_IPVS_RC, NO_IPVS],
  'sched-wrr': [NO_IPVS_RC, NO_IPVS],
  'sched-wlc': [NO_IPVS_RC, NO_IPVS],
  ipip: [2, 'Device "tunl0" does not exist.\nError: Unknown device type.'],
} satisfies Record<string, [number, string]>;

describe('parseProbeSections', () => {
  it('reads each marked section with its exit code, trimmed', () => {
    const output = [
      `${M} uname`,
      '6.1.0-28-amd64',
      `${M}-rc 0`,
      `${M} sched-wlc`,
      NO_IPVS.trimEnd(),
      `${M}-rc ${NO_IPVS_RC}`,
      `${M} rp_filter`,
      '  1',
      '2  ',
      '',
      `${M}-rc 0`,
      '',
    ].join('\n');
    const sections = parseProbeSections(output, M);
    expect([...sections.keys()]).toEqual(['uname', 'sched-wlc', 'rp_filter']);
    expect(sections.get('uname')).toEqual({ rc: 0, text: '6.1.0-28-amd64' });
    expect(sections.get('sched-wlc')).toEqual({ rc: 2, text: NO_IPVS.trim() });
    expect(sections.get('rp_filter')).toEqual({ rc: 0, text: '1\n2' });
  });

  it('an empty section, a section cut off, and foreign text', () => {
    const output = `noise\n${M} sysctl\n${M}-rc 0\n${M} ipip\nno rc line follows\n`;
    const sections = parseProbeSections(output, M);
    expect(sections.get('sysctl')).toEqual({ rc: 0, text: '' });
    expect(sections.has('ipip')).toBe(false);
  });

  it('probeScript has one section per feature, all in the order kernelItems reads them', () => {
    const script = probeScript(M);
    const names = [...script.matchAll(new RegExp(`echo '${M} ([\\w-]+)'`, 'g'))].map((m) => m[1]);
    expect(names).toEqual([
      'uname',
      'ipvs',
      'sched-rr',
      'sched-wrr',
      'sched-wlc',
      'ipip',
      'arptables',
      'sysctl',
      'rp_filter',
    ]);
    expect(SCHEDULERS_PROBED).toEqual(['rr', 'wrr', 'wlc']);
    // Only documentation addresses are touched.
    for (const ip of script.match(/\d+\.\d+\.\d+\.\d+/g) ?? []) expect(ip).toMatch(/^192\.0\.2\./);
    expect(spawnSync('/bin/sh', ['-n', '-c', script]).status).toBe(0);
  });
});

describe('kernelItems', () => {
  it('a kernel without IPVS and ipip (real ipvsadm output): ipvs fails, schedulers skipped, ipip fails', () => {
    const items = kernelItems(sectionsOf(NO_LVS), 'linux');
    expect(items.map((i) => [i.id, i.status])).toEqual([
      ['ipvs', 'fail'],
      ['ipvs-rr', 'skipped'],
      ['ipvs-wrr', 'skipped'],
      ['ipvs-wlc', 'skipped'],
      ['ipip', 'fail'],
      ['arptables', 'ok'],
      ['sysctl', 'ok'],
      ['rp_filter', 'ok'],
    ]);
    const byId = Object.fromEntries(items.map((i) => [i.id, i]));
    expect(byId.ipvs?.detail).toBe(
      `kernel ${KERNEL} has no IPVS: the kernel has no IPVS (ip_vs module not loaded or not built). The director cannot balance.`,
    );
    expect(byId.ipvs?.fixes).toEqual(fixesFor('ipvs', 'linux'));
    expect(byId.ipvs?.fixes[0]?.text).toMatch(/^sudo modprobe -a ip_vs ip_vs_rr ip_vs_wrr ip_vs_wlc/);
    for (const s of ['rr', 'wrr', 'wlc']) {
      expect(byId[`ipvs-${s}`]).toMatchObject({ detail: 'not probed: needs IPVS', fixes: [] });
    }
    expect(byId.ipip?.detail).toBe(
      `kernel ${KERNEL} has no ipip: Error: Unknown device type. Real servers cannot receive tunnelled requests.`,
    );
    expect(byId.ipip?.fixes[0]?.platform).toBe('linux');
    expect(byId.ipip?.fixes[0]?.text).toContain('sudo modprobe ipip');
    expect(byId.rp_filter?.detail).toBe(
      'new containers start with rp_filter all=1 default=1 (the labs set what they need)',
    );
  });

  it.each<[Platform, string]>([
    ['wsl2', 'wsl'],
    ['docker-desktop', 'Docker Desktop'],
    ['colima', 'colima ssh'],
    ['orbstack', 'OrbStack'],
  ])('on %s the fixes for that platform come first', (platform, hint) => {
    const items = kernelItems(sectionsOf(NO_LVS), platform);
    for (const id of ['ipvs', 'ipip']) {
      const item = items.find((i) => i.id === id);
      expect(item?.fixes[0]?.platform, id).toBe(platform);
      expect(item?.fixes[0]?.text, id).toContain(hint);
      expect(item?.fixes).toHaveLength(FIXES[id as 'ipvs' | 'ipip'].length);
    }
  });

  it('a fully working kernel: everything ok, no fixes', () => {
    const items = kernelItems(sectionsOf(ALL_OK), 'linux');
    expect(items.every((i) => i.status === 'ok')).toBe(true);
    expect(items.every((i) => i.fixes.length === 0)).toBe(true);
    const byId = Object.fromEntries(items.map((i) => [i.id, i.detail]));
    expect(byId).toEqual({
      ipvs: 'ipvsadm can create a virtual service (kernel 6.1.0-28-amd64)',
      'ipvs-rr': 'ipvsadm -s rr works',
      'ipvs-wrr': 'ipvsadm -s wrr works',
      'ipvs-wlc': 'ipvsadm -s wlc works',
      ipip: 'tunl0 exists in a new network namespace',
      arptables: 'arptables DROP and mangle rules can be added',
      sysctl: 'sysctl -w net.ipv4.conf.all.arp_ignore=1 works without --privileged',
      rp_filter: 'new containers start with rp_filter all=1 default=1 (the labs set what they need)',
    });
  });

  it('IPVS works but one scheduler is missing: a warning with the scheduler fix', () => {
    // The message text is illustrative; the verdict depends on the exit status.
    const items = kernelItems(
      sectionsOf({ ...ALL_OK, 'sched-wlc': [2, 'Scheduler not found: ip_vs_wlc.'] }),
      'wsl2',
    );
    const wlc = items.find((i) => i.id === 'ipvs-wlc');
    expect(wlc).toEqual({
      id: 'ipvs-wlc',
      title: 'IPVS scheduler wlc',
      status: 'warn',
      detail: 'the kernel lacks ip_vs_wlc: Scheduler not found: ip_vs_wlc',
      fixes: fixesFor('scheduler', 'wsl2'),
    });
    expect(wlc?.fixes[0]?.platform).toBe('wsl2');
  });

  it('arptables and rp_filter failures are warnings; sysctl is a failure', () => {
    const items = kernelItems(
      sectionsOf({
        ...ALL_OK,
        arptables: [1, "arptables v0.0.5: can't initialize arptables table `filter': Table does not exist"],
        sysctl: [255, 'sysctl: permission denied on key "net.ipv4.conf.all.arp_ignore"'],
        rp_filter: [
          255,
          'sysctl: cannot stat /proc/sys/net/ipv4/conf/default/rp_filter: No such file or directory',
        ],
      }),
      'linux',
    );
    const byId = Object.fromEntries(items.map((i) => [i.id, i]));
    expect(byId.arptables).toMatchObject({
      status: 'warn',
      detail:
        "arptables failed: arptables v0.0.5: can't initialize arptables table `filter': Table does not exist. The arptables labs cannot hide the VIP; tun-sysctl can.",
    });
    expect(byId.arptables?.fixes).toEqual(fixesFor('arptables', 'linux'));
    expect(byId.sysctl).toMatchObject({
      status: 'fail',
      detail: 'sysctl -w failed: sysctl: permission denied on key "net.ipv4.conf.all.arp_ignore"',
    });
    expect(byId.rp_filter).toMatchObject({ status: 'warn', fixes: [] });
    expect(byId.rp_filter?.detail).toMatch(/^could not read rp_filter: sysctl: cannot stat/);
  });

  it('sections missing from the output: every verdict fails, warns or is skipped', () => {
    const items = kernelItems(new Map(), 'linux');
    expect(items.map((i) => [i.id, i.status])).toEqual([
      ['ipvs', 'fail'],
      ['ipvs-rr', 'skipped'],
      ['ipvs-wrr', 'skipped'],
      ['ipvs-wlc', 'skipped'],
      ['ipip', 'fail'],
      ['arptables', 'warn'],
      ['sysctl', 'fail'],
      ['rp_filter', 'warn'],
    ]);
    expect(items[0]?.detail).toMatch(
      /has no IPVS: the probe did not report this\. The director cannot balance\.$/,
    );
  });

  it('an empty uname section: the kernel is "unknown"', () => {
    const items = kernelItems(sectionsOf({ ...NO_LVS, uname: [0, ''] }), 'linux');
    expect(items[0]?.detail).toMatch(/^kernel unknown has no IPVS: /);
  });

  // BUG (main/core/preflight/preflight.ts, kernelItems: `get('uname').text || 'unknown'`): a
  // missing uname section yields get()'s placeholder text, so the detail reads "kernel the probe
  // did not report this has no IPVS: ...".
  it('a missing uname section: the kernel is "unknown" too', () => {
    const items = kernelItems(new Map(), 'linux');
    expect(items[0]?.detail).toBe(
      'kernel unknown has no IPVS: the probe did not report this. The director cannot balance.',
    );
  });
});

// The preflight probe run for real by /bin/sh, with ipvsadm and ip replaced by stand-ins that
// answer like a kernel without IPVS (the real captured ipvsadm output) and without ipip.
describe('preflight probeScript run by /bin/sh against a kernel without IPVS and ipip', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lvslab-preflight-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const tools: Record<string, string> = {
    uname: `#!/bin/sh\necho ${KERNEL}\n`,
    ipvsadm: `#!/bin/sh\ncat "$STUB_DIR/no-ipvs.out" >&2\nexit ${NO_IPVS_RC}\n`,
    ip: `#!/bin/sh
case "$*" in
"link show tunl0") echo 'Device "tunl0" does not exist.' >&2; exit 1 ;;
"link add lvsprobe0 type ipip local 192.0.2.3 remote any") echo 'Error: Unknown device type.' >&2; exit 2 ;;
*) echo "stand-in ip: $*" >&2; exit 9 ;;
esac
`,
    arptables: `#!/bin/sh\n[ "$1" = -L ] && cat "$STUB_DIR/arptables.out"\nexit 0\n`,
    sysctl: `#!/bin/sh
case "$1" in
-w) echo "net.ipv4.conf.all.arp_ignore = 1" ;;
-n) echo 0; echo 1 ;;
esac
`,
  };
  for (const [name, text] of Object.entries(tools)) {
    writeFileSync(path.join(dir, name), text);
    chmodSync(path.join(dir, name), 0o755);
  }
  writeFileSync(path.join(dir, 'no-ipvs.out'), NO_IPVS);
  writeFileSync(path.join(dir, 'arptables.out'), captured('arptables-L-n.txt'));

  it('gives the same verdicts as the sections built by hand', () => {
    const result = spawnSync('/bin/sh', ['-c', probeScript(M)], {
      encoding: 'utf8',
      env: { PATH: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}`, STUB_DIR: dir },
    });
    expect(result.stderr).toBe('');
    const sections = parseProbeSections(result.stdout, M);
    expect(sections.get('uname')).toEqual({ rc: 0, text: KERNEL });
    expect(sections.get('ipvs')).toEqual({ rc: NO_IPVS_RC, text: NO_IPVS.trim() });
    expect(sections.get('ipip')).toEqual({
      rc: 2,
      text: 'Device "tunl0" does not exist.\nError: Unknown device type.',
    });
    expect(sections.get('rp_filter')).toEqual({ rc: 0, text: '0\n1' });
    const items = kernelItems(sections, 'linux');
    expect(items.map((i) => [i.id, i.status])).toEqual([
      ['ipvs', 'fail'],
      ['ipvs-rr', 'skipped'],
      ['ipvs-wrr', 'skipped'],
      ['ipvs-wlc', 'skipped'],
      ['ipip', 'fail'],
      ['arptables', 'ok'],
      ['sysctl', 'ok'],
      ['rp_filter', 'ok'],
    ]);
    expect(items[0]?.detail).toContain('the kernel has no IPVS');
    expect(items.find((i) => i.id === 'rp_filter')?.detail).toBe(
      'new containers start with rp_filter all=0 default=1 (the labs set what they need)',
    );
  });
});

describe('classifyPlatform', () => {
  it.each<[string, { OperatingSystem?: string; KernelVersion?: string; Name?: string }, Platform]>([
    [
      'Docker Desktop on macOS',
      { OperatingSystem: 'Docker Desktop', KernelVersion: '6.10.14-linuxkit', Name: 'docker-desktop' },
      'docker-desktop',
    ],
    [
      'Docker Desktop with the WSL 2 backend',
      {
        OperatingSystem: 'Docker Desktop',
        KernelVersion: '5.15.146.1-microsoft-standard-WSL2',
        Name: 'docker-desktop',
      },
      'wsl2',
    ],
    [
      'Docker Engine inside a WSL 2 distro',
      { OperatingSystem: 'Ubuntu 22.04.4 LTS', KernelVersion: '5.15.146.1-microsoft-standard-WSL2' },
      'wsl2',
    ],
    [
      'OrbStack',
      {
        OperatingSystem: 'OrbStack',
        KernelVersion: '6.14.10-orbstack-00291-g1b252bd3edea',
        Name: 'orbstack',
      },
      'orbstack',
    ],
    [
      'Colima',
      { OperatingSystem: 'Ubuntu 24.04.1 LTS', KernelVersion: '6.8.0-50-generic', Name: 'colima' },
      'colima',
    ],
    [
      'a Colima profile',
      { OperatingSystem: 'Ubuntu 24.04.1 LTS', KernelVersion: '6.8.0-50-generic', Name: 'colima-lab' },
      'colima',
    ],
    [
      'Debian',
      { OperatingSystem: 'Debian GNU/Linux 12 (bookworm)', KernelVersion: '6.1.0-28-amd64', Name: 'host1' },
      'linux',
    ],
    [
      'Podman machine',
      { OperatingSystem: 'fedora coreos', KernelVersion: '6.9.7-200.fc40.x86_64', Name: 'localhost' },
      'podman',
    ],
    ['nothing known', {}, 'linux'],
  ])('%s', (_what, info, platform) => {
    expect(classifyPlatform(info)).toBe(platform);
  });
});

describe('fixesFor', () => {
  it('puts the platform fixes first and keeps all others in order', () => {
    const fixes = fixesFor('ipip', 'colima');
    expect(fixes[0]).toEqual({ platform: 'colima', text: 'colima ssh -- sudo modprobe ipip' });
    expect(fixes.slice(1)).toEqual(FIXES.ipip.filter((f) => f.platform !== 'colima'));
  });

  it('a platform without a fix of its own gets the list unchanged', () => {
    expect(fixesFor('sysctl', 'orbstack')).toEqual(FIXES.sysctl);
    expect(fixesFor('ipvs', 'podman')).toEqual(FIXES.ipvs);
  });
});

describe('parseLoadOutput', () => {
  it('loaded and failed modules, with the modprobe message or a default', () => {
    const output = [
      'ok ip_vs',
      'ok ip_vs_rr',
      `fail ipip modprobe: FATAL: Module ipip not found in directory /lib/modules/${KERNEL} `,
      'fail arpt_mangle ',
      'fail ip_vs_wlc',
      'ok arp_tables',
      'something else',
      '',
    ].join('\n');
    expect(parseLoadOutput(output)).toEqual({
      loaded: ['ip_vs', 'ip_vs_rr', 'arp_tables'],
      failed: [
        {
          module: 'ipip',
          message: `modprobe: FATAL: Module ipip not found in directory /lib/modules/${KERNEL}`,
        },
        { module: 'arpt_mangle', message: 'modprobe failed' },
        { module: 'ip_vs_wlc', message: 'modprobe failed' },
      ],
    });
  });

  it('nothing printed', () => {
    expect(parseLoadOutput('')).toEqual({ loaded: [], failed: [] });
  });

  it('a line with trailing text after ok is not a success', () => {
    expect(parseLoadOutput('ok ip_vs extra\n').loaded).toEqual([]);
  });
});
