import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSchema, type Check } from '../../../shared/lab-schema.js';
import {
  gatherFacts,
  parseProbeOutput,
  planProbes,
  probeScript,
  sysctlKeysFor,
  type ProbePlan,
} from '../../../main/core/checks/facts.js';
import { newMarker } from '../../../main/core/docker/sections.js';
import {
  parseArptables,
  parseIpAddr,
  parseIpNeigh,
  parseIpRoute,
  parseIpvsList,
  parseIpvsStats,
} from '../../../main/core/parsers/index.js';
import { captured, loadLab, umlCaptured } from './helpers.js';
import { StubNodes } from './stubs.js';

const c = (check: unknown): Check => checkSchema.parse(check);

function summary(plans: Map<string, ProbePlan>): Record<string, { probes: string[]; sysctl: string[] }> {
  return Object.fromEntries(
    [...plans].map(([node, p]) => [node, { probes: [...p.probes].sort(), sysctl: [...p.sysctlKeys].sort() }]),
  );
}

describe('sysctlKeysFor', () => {
  it.each([
    ['net.ipv4.conf.tunl0.rp_filter', ['net.ipv4.conf.tunl0.rp_filter', 'net.ipv4.conf.all.rp_filter']],
    ['net.ipv4.conf.eth0.arp_ignore', ['net.ipv4.conf.eth0.arp_ignore', 'net.ipv4.conf.all.arp_ignore']],
    [
      'net.ipv4.conf.eth0.arp_announce',
      ['net.ipv4.conf.eth0.arp_announce', 'net.ipv4.conf.all.arp_announce'],
    ],
    ['net.ipv4.conf.eth1.arp_notify', ['net.ipv4.conf.eth1.arp_notify', 'net.ipv4.conf.all.arp_notify']],
    ['net.ipv4.conf.eth0/100.rp_filter', ['net.ipv4.conf.eth0/100.rp_filter', 'net.ipv4.conf.all.rp_filter']],
    ['net.ipv4.conf.all.rp_filter', ['net.ipv4.conf.all.rp_filter']],
    ['net.ipv4.conf.eth0.send_redirects', ['net.ipv4.conf.eth0.send_redirects']],
    ['net.ipv4.conf.eth0.forwarding', ['net.ipv4.conf.eth0.forwarding']],
    ['net.ipv4.ip_forward', ['net.ipv4.ip_forward']],
  ])('%s needs %j', (key, keys) => {
    expect(sysctlKeysFor(key)).toEqual(keys);
  });
});

describe('planProbes', () => {
  const lab = loadLab('tun-sysctl');

  it('gives each node the probes its checks need', () => {
    const checks = [
      c({ kind: 'address', node: 'rs1', device: 'tunl0', prefix: 32 }),
      c({ kind: 'link', node: 'lvs', device: 'tunl0' }),
      c({ kind: 'route', node: 'rs2', destination: 'default', via: '10.10.24.1' }),
      c({ kind: 'sysctl', node: 'rs1', key: 'net.ipv4.conf.eth0.arp_ignore', equals: 1 }),
      c({ kind: 'sysctl', node: 'rs1', key: 'net.ipv4.conf.eth0.arp_announce', equals: 2 }),
      c({ kind: 'sysctl', node: 'rs1', key: 'net.ipv4.conf.tunl0.rp_filter', equals: 0 }),
      c({ kind: 'sysctl', node: 'lvs', key: 'net.ipv4.ip_forward', equals: 0 }),
      c({ kind: 'sysctl', node: 'rs2', key: 'net.ipv4.conf.all.arp_announce', equals: 2 }),
      c({ kind: 'sysctl', node: 'rs2', key: 'net.ipv4.conf.eth0.send_redirects', equals: 0 }),
      c({ kind: 'ipvs-service', scheduler: 'rr' }),
      c({ kind: 'ipvs-realserver', server: 'rs1' }),
      c({ kind: 'replies-bypass-director' }),
      c({ kind: 'arptables', node: 'rs3', chain: 'INPUT', target: 'DROP', destination: '10.10.24.88' }),
      c({ kind: 'http', from: 'client', expect: { rotation: ['rs1', 'rs2', 'rs3'] } }),
      c({ kind: 'command', node: 'router', run: 'true' }),
    ];
    expect(summary(planProbes(lab, checks))).toEqual({
      rs1: {
        probes: ['addr'],
        sysctl: [
          'net.ipv4.conf.all.arp_announce',
          'net.ipv4.conf.all.arp_ignore',
          'net.ipv4.conf.all.rp_filter',
          'net.ipv4.conf.eth0.arp_announce',
          'net.ipv4.conf.eth0.arp_ignore',
          'net.ipv4.conf.tunl0.rp_filter',
        ],
      },
      lvs: { probes: ['addr', 'ipvs', 'ipvsStats'], sysctl: ['net.ipv4.ip_forward'] },
      rs2: {
        probes: ['addr', 'route'],
        sysctl: ['net.ipv4.conf.all.arp_announce', 'net.ipv4.conf.eth0.send_redirects'],
      },
      rs3: { probes: ['addr', 'arptables'], sysctl: [] },
      // The bypass check names who sent each reply frame: every node's MACs.
      router: { probes: ['addr'], sysctl: [] },
      client: { probes: ['addr'], sysctl: [] },
    });
  });

  it('a neighbour check reads the neighbours of its node and the addresses of every node', () => {
    const plans = planProbes(lab, [c({ kind: 'neighbour', node: 'router', owner: 'lvs' })]);
    expect(summary(plans)).toEqual({
      router: { probes: ['addr', 'neigh'], sysctl: [] },
      lvs: { probes: ['addr'], sysctl: [] },
      rs1: { probes: ['addr'], sysctl: [] },
      rs2: { probes: ['addr'], sysctl: [] },
      rs3: { probes: ['addr'], sysctl: [] },
      client: { probes: ['addr'], sysctl: [] },
    });
  });

  it('ipvs checks with an explicit node probe that node, not the director', () => {
    const plans = planProbes(lab, [
      c({ kind: 'ipvs-service', node: 'rs1' }),
      c({ kind: 'replies-bypass-director', node: 'rs2' }),
    ]);
    expect(summary(plans)).toEqual({
      rs1: { probes: ['addr', 'ipvs'], sysctl: [] },
      rs2: { probes: ['addr', 'ipvsStats'], sysctl: [] },
      lvs: { probes: ['addr'], sysctl: [] },
      rs3: { probes: ['addr'], sysctl: [] },
      router: { probes: ['addr'], sysctl: [] },
      client: { probes: ['addr'], sysctl: [] },
    });
  });

  it('http and command checks alone need no probe', () => {
    const plans = planProbes(lab, [
      c({ kind: 'http', from: 'client', expect: { counts: { rs1: 2 } } }),
      c({ kind: 'command', node: 'router', run: 'true' }),
    ]);
    expect(plans.size).toBe(0);
  });

  it('the checks of every step of the real labs plan without error', () => {
    for (const id of ['tun-arptables', 'tun-cross-subnet', 'tun-sysctl'] as const) {
      const l = loadLab(id);
      const plans = planProbes(
        l,
        l.steps.flatMap((s) => s.checks),
      );
      expect(plans.size, id).toBeGreaterThan(0);
      for (const node of plans.keys())
        expect(
          l.nodes.map((n) => n.name),
          id,
        ).toContain(node);
    }
  });
});

describe('probeScript', () => {
  it('one marked section per probe, sysctl keys in one call', () => {
    const plan: ProbePlan = {
      probes: new Set(['addr', 'ipvs'] as const),
      sysctlKeys: new Set(['net.ipv4.conf.eth0.rp_filter', 'net.ipv4.conf.all.rp_filter']),
    };
    expect(probeScript(plan, '@@m')).toBe(
      [
        `echo '@@m addr'; ( ip -j addr show ) 2>&1; echo "@@m-rc $?"`,
        `echo '@@m ipvs'; ( ipvsadm -Ln ) 2>&1; echo "@@m-rc $?"`,
        `echo '@@m sysctl'; ( sysctl net.ipv4.conf.eth0.rp_filter net.ipv4.conf.all.rp_filter ) 2>&1; echo "@@m-rc $?"`,
      ].join('\n'),
    );
  });

  it('an empty plan is an empty script', () => {
    expect(probeScript({ probes: new Set(), sysctlKeys: new Set() }, '@@m')).toBe('');
  });

  it('newMarker is random and safe in a regular expression and in single quotes', () => {
    const a = newMarker();
    const b = newMarker();
    expect(a).toMatch(/^@@lvslab-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
  });
});

/** Output as probeScript prints it: marker line, the command's output, the rc line. */
function section(marker: string, name: string, body: string, rc = 0): string {
  return `${marker} ${name}\n${body}${marker}-rc ${rc}\n`;
}

describe('parseProbeOutput on real captured bodies', () => {
  const M = '@@lvslab-0123456789ab';
  const noIpvs = captured('ipvsadm-no-ipvs.txt');
  const noIpvsExit = Number(captured('ipvsadm-no-ipvs.exitcode').trim());

  it('reads every section with the real parsers', () => {
    const output = [
      section(M, 'addr', captured('ip-j-addr.json')),
      section(M, 'route', captured('ip-j-route.json')),
      section(M, 'neigh', captured('ip-j-neigh.json')),
      section(M, 'arptables', captured('arptables-L-n.txt')),
      section(M, 'sysctl', captured('sysctl.txt')),
      section(M, 'ipvs', umlCaptured('ipvsadm-Ln.txt')),
      section(M, 'ipvsStats', umlCaptured('ipvsadm-Ln-stats-exact.txt')),
    ].join('');
    const facts = parseProbeOutput(output, M);
    expect(facts.addr).toEqual({ ok: true, value: parseIpAddr(captured('ip-j-addr.json')) });
    expect(facts.route).toEqual({ ok: true, value: parseIpRoute(captured('ip-j-route.json')) });
    expect(facts.neigh).toEqual({ ok: true, value: parseIpNeigh(captured('ip-j-neigh.json')) });
    expect(facts.arptables).toEqual({ ok: true, value: parseArptables(captured('arptables-L-n.txt')) });
    expect(facts.ipvs).toEqual({ ok: true, value: parseIpvsList(umlCaptured('ipvsadm-Ln.txt')) });
    expect(facts.ipvsStats).toEqual({
      ok: true,
      value: parseIpvsStats(umlCaptured('ipvsadm-Ln-stats-exact.txt')),
    });
    // Spot checks, so that the test does not only compare the parsers with themselves.
    if (!facts.addr?.ok || !facts.sysctl?.ok || !facts.ipvs?.ok || !facts.route?.ok)
      throw new Error('not ok');
    expect(facts.addr.value.map((i) => i.name)).toEqual(['lo', 'eth0']);
    expect(facts.addr.value[1]?.mac).toBe('02:42:ac:1e:63:01');
    expect(facts.route.value.map((r) => r.dst)).toEqual(['default', '10.99.0.0/24', '172.30.99.0/24']);
    expect([...facts.sysctl.value.values]).toEqual([
      ['net.ipv4.conf.all.rp_filter', '0'],
      ['net.ipv4.conf.eth0.rp_filter', '0'],
      ['net.ipv4.conf.all.arp_ignore', '1'],
    ]);
    expect(facts.ipvs.value.services[0]?.realServers.map((r) => `${r.address} ${r.forward}`)).toEqual([
      '172.25.88.2 Tunnel',
      '172.25.88.3 Tunnel',
    ]);
  });

  it('ipvsadm on a kernel without IPVS: ok false, with the reason in words', () => {
    const facts = parseProbeOutput(
      section(M, 'ipvs', noIpvs, noIpvsExit) + section(M, 'ipvsStats', noIpvs, noIpvsExit),
      M,
    );
    expect(noIpvsExit).toBe(2);
    expect(facts.ipvs).toEqual({
      ok: false,
      error: 'the kernel has no IPVS (ip_vs module not loaded or not built)',
    });
    expect(facts.ipvsStats).toEqual(facts.ipvs);
  });

  it('ipvsadm not installed', () => {
    const facts = parseProbeOutput(section(M, 'ipvs', 'sh: 1: ipvsadm: not found\n', 127), M);
    expect(facts.ipvs).toEqual({ ok: false, error: 'ipvsadm is not installed in this container' });
  });

  it('a failing command: ok false with the command, its exit code and its last lines', () => {
    const facts = parseProbeOutput(
      section(M, 'route', 'Error: first\nError: second\nError: third\nError: fourth\n', 2) +
        section(M, 'arptables', '', 1),
      M,
    );
    expect(facts.route).toEqual({
      ok: false,
      error: '`ip -j route show` failed (exit 2): Error: second Error: third Error: fourth',
    });
    expect(facts.arptables).toEqual({ ok: false, error: '`arptables -L -n` failed (exit 1): no output' });
  });

  it('unreadable output of a successful command: ok false with the parser message', () => {
    const facts = parseProbeOutput(section(M, 'addr', 'Object "addr" is unknown, try "ip help".\n'), M);
    expect(facts.addr?.ok).toBe(false);
    expect(facts.addr).toMatchObject({
      error: expect.stringMatching(/^could not read `ip -j addr show`: not JSON/) as unknown,
    });
  });

  it('sysctl with a missing key exits non-zero but the other keys are still read', () => {
    const body =
      'net.ipv4.conf.all.rp_filter = 1\nsysctl: cannot stat /proc/sys/net/ipv4/conf/tunl0/rp_filter: No such file or directory\n';
    const facts = parseProbeOutput(section(M, 'sysctl', body, 1), M);
    if (!facts.sysctl?.ok) throw new Error('sysctl not ok');
    expect(facts.sysctl.value.values.get('net.ipv4.conf.all.rp_filter')).toBe('1');
    expect(facts.sysctl.value.missing).toEqual(['net.ipv4.conf.tunl0.rp_filter']);
  });

  it('sections of another marker, unknown sections and text around them are ignored', () => {
    const output =
      'motd: welcome\n' +
      section('@@lvslab-ffffffffffff', 'addr', captured('ip-j-addr.json')) +
      section(M, 'bogus', 'x\n') +
      section(M, 'neigh', captured('ip-j-neigh.json')) +
      'trailing\n';
    const facts = parseProbeOutput(output, M);
    expect(Object.keys(facts)).toEqual(['neigh']);
  });

  it('a section without its rc line (the exec was cut off) is not read', () => {
    const output = `${M} addr\n${captured('ip-j-addr.json')}`;
    expect(parseProbeOutput(output, M)).toEqual({});
  });

  it('empty output gives no facts', () => {
    expect(parseProbeOutput('', M)).toEqual({});
  });
});

describe('probeScript run by /bin/sh, the commands replaced by stand-ins printing real captures', () => {
  const stubs = new StubNodes();
  afterAll(() => {
    stubs.remove();
  });
  const lab = loadLab('tun-arptables');

  it('every probe, read back by parseProbeOutput', () => {
    stubs.node('n1', {
      addr: captured('ip-j-addr.json'),
      route: captured('ip-j-route.json'),
      neigh: captured('ip-j-neigh.json'),
      arptables: captured('arptables-L-n.txt'),
      ipvs: umlCaptured('ipvsadm-Ln.txt'),
      ipvsStats: umlCaptured('ipvsadm-Ln-stats-exact.txt'),
      sysctl: captured('sysctl.txt'),
    });
    const plan: ProbePlan = {
      probes: new Set(['addr', 'route', 'neigh', 'arptables', 'ipvs', 'ipvsStats'] as const),
      sysctlKeys: new Set(sysctlKeysFor('net.ipv4.conf.eth0.rp_filter')),
    };
    const marker = newMarker();
    const result = stubs.run('n1', probeScript(plan, marker));
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    const facts = parseProbeOutput(result.stdout, marker);
    expect(facts.addr).toEqual({ ok: true, value: parseIpAddr(captured('ip-j-addr.json')) });
    expect(facts.route).toEqual({ ok: true, value: parseIpRoute(captured('ip-j-route.json')) });
    expect(facts.neigh).toEqual({ ok: true, value: parseIpNeigh(captured('ip-j-neigh.json')) });
    expect(facts.arptables).toEqual({ ok: true, value: parseArptables(captured('arptables-L-n.txt')) });
    expect(facts.ipvs).toEqual({ ok: true, value: parseIpvsList(umlCaptured('ipvsadm-Ln.txt')) });
    expect(facts.ipvsStats?.ok).toBe(true);
    expect(facts.sysctl).toMatchObject({ ok: true });
    if (facts.sysctl?.ok) {
      expect(facts.sysctl.value.values.get('net.ipv4.conf.eth0.rp_filter')).toBe('0');
      expect(facts.sysctl.value.values.get('net.ipv4.conf.all.rp_filter')).toBe('0');
      expect(facts.sysctl.value.missing).toEqual([]);
    }
  });

  it("ipvsadm's stderr and exit code on a kernel without IPVS are captured in the section", () => {
    stubs.node('n2', {
      ipvsStderr: captured('ipvsadm-no-ipvs.txt'),
      ipvsExit: Number(captured('ipvsadm-no-ipvs.exitcode').trim()),
      sysctl: captured('sysctl.txt'),
    });
    const marker = newMarker();
    const plan: ProbePlan = {
      probes: new Set(['ipvs'] as const),
      sysctlKeys: new Set(sysctlKeysFor('net.ipv4.conf.tunl0.rp_filter')),
    };
    const result = stubs.run('n2', probeScript(plan, marker));
    expect(result.stdout).toContain(`${marker}-rc 2\n`);
    const facts = parseProbeOutput(result.stdout, marker);
    expect(facts.ipvs).toEqual({
      ok: false,
      error: 'the kernel has no IPVS (ip_vs module not loaded or not built)',
    });
    if (!facts.sysctl?.ok) throw new Error('sysctl not ok');
    expect(facts.sysctl.value.missing).toEqual(['net.ipv4.conf.tunl0.rp_filter']);
    expect(facts.sysctl.value.values.get('net.ipv4.conf.all.rp_filter')).toBe('0');
  });

  it('gatherFacts: one exec per node, facts keyed by node', async () => {
    stubs.node('server1', { ipvs: umlCaptured('ipvsadm-Ln.txt'), addr: captured('ip-j-addr.json') });
    stubs.node('server2', {
      addr: umlCaptured('ip-j-addr-rs2.json'),
      arptables: umlCaptured('arptables-L-n-rs2.txt'),
    });
    const calls: string[] = [];
    const facts = await gatherFacts(
      lab,
      [
        c({ kind: 'ipvs-service' }),
        c({ kind: 'address', node: 'server2', device: 'tunl0', prefix: 32 }),
        c({
          kind: 'arptables',
          node: 'server2',
          chain: 'INPUT',
          target: 'DROP',
          destination: '172.25.88.100',
        }),
        c({ kind: 'link', node: 'server1', device: 'eth0' }),
      ],
      (node, script) => {
        calls.push(node);
        return Promise.resolve(stubs.run(node, script));
      },
    );
    expect(calls.sort()).toEqual(['server1', 'server2']);
    expect(Object.keys(facts.get('server1') ?? {}).sort()).toEqual(['addr', 'ipvs']);
    expect(Object.keys(facts.get('server2') ?? {}).sort()).toEqual(['addr', 'arptables']);
    expect(facts.get('server2')?.addr).toEqual({
      ok: true,
      value: parseIpAddr(umlCaptured('ip-j-addr-rs2.json')),
    });
  });

  it('gatherFacts: a node whose exec fails gets that error on every fact it needed', async () => {
    const facts = await gatherFacts(
      lab,
      [
        c({ kind: 'link', node: 'server3', device: 'tunl0' }),
        c({ kind: 'sysctl', node: 'server3', key: 'net.ipv4.conf.tunl0.rp_filter', equals: 0 }),
        c({ kind: 'route', node: 'server3', destination: 'default' }),
      ],
      () => Promise.reject(new Error('container lvslab-tun-arptables-server3 is not running')),
    );
    const error = { ok: false, error: 'container lvslab-tun-arptables-server3 is not running' };
    expect(facts.get('server3')).toEqual({ addr: error, route: error, sysctl: error });
  });
});

// The real, read-only commands of this machine (ip, sysctl), no stand-ins: the script's quoting
// and framing against the real tools' output.
const hasIp = spawnSync('/bin/sh', ['-c', 'command -v ip && command -v sysctl']).status === 0;

describe.runIf(hasIp)('probeScript run by /bin/sh with the real ip and sysctl of this machine', () => {
  it('reads lo, the routes, the neighbours, and reports a sysctl of a missing device as missing', () => {
    const marker = newMarker();
    const plan: ProbePlan = {
      probes: new Set(['addr', 'route', 'neigh'] as const),
      sysctlKeys: new Set(['net.ipv4.conf.all.rp_filter', 'net.ipv4.conf.lvsnone0.rp_filter']),
    };
    const result = spawnSync('/bin/sh', ['-c', probeScript(plan, marker)], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    const facts = parseProbeOutput(result.stdout, marker);
    if (!facts.addr?.ok || !facts.route?.ok || !facts.neigh?.ok || !facts.sysctl?.ok) {
      throw new Error(`a probe failed: ${JSON.stringify(facts)}`);
    }
    const lo = facts.addr.value.find((i) => i.name === 'lo');
    expect(lo?.addresses).toContainEqual(
      expect.objectContaining({ family: 'inet', local: '127.0.0.1', prefixlen: 8 }),
    );
    expect(Array.isArray(facts.route.value)).toBe(true);
    expect(Array.isArray(facts.neigh.value)).toBe(true);
    expect(facts.sysctl.value.values.get('net.ipv4.conf.all.rp_filter')).toMatch(/^[012]$/);
    expect(facts.sysctl.value.missing).toEqual(['net.ipv4.conf.lvsnone0.rp_filter']);
  });
});
