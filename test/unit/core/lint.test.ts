// LVS lint: each rule on a shipped lab with one mistake put in, and the unmodified lab without it;
// then every shipped lab with the warnings it gets. The labs are loaded as the app loads them
// (repro labs merged with their base), so the paths are those of the merged lab.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLabFile } from '../../../main/core/lab/loader.js';
import { LINT_RULES, lintLab } from '../../../main/core/lab/lint.js';
import type { SemanticIssue } from '../../../main/core/lab/semantics.js';
import type { LabFile } from '../../../shared/lab-schema.js';
import { defined, ROOT } from './helpers.js';

/** The lab as a plain LabFile (the model's extra fields dropped), a copy each test may edit. */
async function labFile(relative: string): Promise<LabFile> {
  const lab = await loadLabFile(path.join(ROOT, relative));
  return structuredClone({ ...lab, nodes: lab.nodes.map(({ interfaces: _interfaces, ...node }) => node) });
}

function stepIndex(lab: LabFile, id: string): number {
  const index = lab.steps.findIndex((s) => s.id === id);
  if (index < 0) throw new Error(`no step ${id} in lab ${lab.id}`);
  return index;
}

/** The command list of one node in one step, to edit in place. */
function commandsOf(lab: LabFile, stepId: string, node: string): string[] {
  return defined(lab.steps[stepIndex(lab, stepId)]?.commands[node], `commands of ${node} in ${stepId}`);
}

function replaceCommand(lab: LabFile, stepId: string, node: string, old: string, replacement: string): void {
  const commands = commandsOf(lab, stepId, node);
  const index = commands.indexOf(old);
  if (index < 0) throw new Error(`no command ${JSON.stringify(old)} on ${node} in ${stepId}`);
  commands[index] = replacement;
}

function removeCommand(lab: LabFile, stepId: string, node: string, command: string): void {
  replaceCommand(lab, stepId, node, command, '');
  const commands = commandsOf(lab, stepId, node);
  commands.splice(commands.indexOf(''), 1);
}

function dropStep(lab: LabFile, id: string): void {
  lab.steps.splice(stepIndex(lab, id), 1);
}

function ofRule(warnings: SemanticIssue[], id: string): SemanticIssue[] {
  return warnings.filter((w) => w.message.startsWith(`${id}: `));
}

const ARP = 'labs/tun-arptables.yaml';
const SYSCTL = 'labs/tun-sysctl.yaml';
const VIP = '172.25.88.100';

describe('the rule list', () => {
  it('names each rule once, and every warning starts with its rule id', async () => {
    const ids = LINT_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const lab = await labFile(ARP);
    dropStep(lab, 'realserver-arp');
    dropStep(lab, 'realserver-rp-filter');
    for (const w of lintLab(lab)) expect(ids.some((id) => w.message.startsWith(`${id}: `))).toBe(true);
  });
});

describe('realserver-vip-without-arp-suppression', () => {
  const RULE = 'realserver-vip-without-arp-suppression';

  it('warns at the command list that puts the VIP on each real server without the arptables step', async () => {
    const lab = await labFile(ARP);
    dropStep(lab, 'realserver-arp');
    const tunnel = stepIndex(lab, 'realserver-tunnel');
    const warnings = ofRule(lintLab(lab), RULE);
    expect(warnings.map((w) => w.path)).toEqual([
      ['steps', tunnel, 'commands', 'server2'],
      ['steps', tunnel, 'commands', 'server3'],
    ]);
    expect(warnings[0]?.message).toBe(
      `${RULE}: server2 puts the VIP ${VIP} on tunl0 but nothing hides it from ARP: server2 answers the client's ARP requests for the VIP and takes requests meant for the director. On server2, add arptables -A INPUT -d ${VIP} -j DROP and arptables -A OUTPUT -s ${VIP} -j mangle --mangle-ip-s 172.25.88.2, or set net.ipv4.conf.all.arp_ignore=1 and net.ipv4.conf.all.arp_announce=2`,
    );
  });

  it('says nothing on the unmodified lab', async () => {
    expect(ofRule(lintLab(await labFile(ARP)), RULE)).toEqual([]);
  });

  it('names the half that is missing: the INPUT drop, or the OUTPUT mangle', async () => {
    const lab = await labFile(ARP);
    removeCommand(lab, 'realserver-arp', 'server2', `arptables -A INPUT -d ${VIP} -j DROP`);
    removeCommand(
      lab,
      'realserver-arp',
      'server3',
      `arptables -A OUTPUT -s ${VIP} -j mangle --mangle-ip-s 172.25.88.3`,
    );
    const [server2, server3] = ofRule(lintLab(lab), RULE);
    expect(server2?.message).toContain('still answers ARP requests for it');
    expect(server3?.message).toContain('still announces it as the sender of its own ARP requests');
  });

  it('a later arptables -F undoes the rules', async () => {
    const lab = await labFile(ARP);
    lab.steps.push({
      id: 'flush',
      title: 'Flush',
      explain: 'Flush the rules.',
      commands: { server3: ['arptables -F'] },
      checks: [],
    });
    expect(ofRule(lintLab(lab), RULE).map((w) => w.path)).toEqual([
      ['steps', stepIndex(lab, 'realserver-tunnel'), 'commands', 'server3'],
    ]);
  });

  it('accepts arp_ignore=1 with arp_announce=2 (tun-sysctl), and warns when arp_announce is left out', async () => {
    const lab = await labFile(SYSCTL);
    expect(ofRule(lintLab(lab), RULE)).toEqual([]);
    for (const rs of ['rs1', 'rs2', 'rs3'])
      removeCommand(lab, 'realserver-setup', rs, 'echo 2 > /proc/sys/net/ipv4/conf/all/arp_announce');
    const warnings = ofRule(lintLab(lab), RULE);
    expect(warnings.map((w) => w.path[3])).toEqual(['rs1', 'rs2', 'rs3']);
    expect(warnings[0]?.message).toContain('set net.ipv4.conf.all.arp_announce=2');
  });

  it('arp_ignore on tunl0 alone does not count: the requests arrive on eth0', async () => {
    const lab = await labFile(SYSCTL);
    removeCommand(lab, 'realserver-setup', 'rs2', 'echo 1 > /proc/sys/net/ipv4/conf/all/arp_ignore');
    expect(ofRule(lintLab(lab), RULE).map((w) => w.path[3])).toEqual(['rs2']);
  });

  it('reads the node’s sysctls, `sysctl -w` and a VIP on lo given with ifconfig', async () => {
    const lab = await labFile(ARP);
    dropStep(lab, 'realserver-arp');
    const server2 = defined(lab.nodes.find((n) => n.name === 'server2'));
    server2.sysctls = { ...server2.sysctls, 'net.ipv4.conf.all.arp_ignore': 1 };
    commandsOf(lab, 'realserver-rp-filter', 'server2').push('sysctl -w net.ipv4.conf.all.arp_announce=2');
    replaceCommand(
      lab,
      'realserver-tunnel',
      'server3',
      `ip addr add ${VIP}/32 dev tunl0`,
      `ifconfig lo:0 ${VIP} netmask 255.255.255.255 up`,
    );
    commandsOf(lab, 'realserver-tunnel', 'server3').push(
      'sysctl -w net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2',
    );
    expect(ofRule(lintLab(lab), RULE)).toEqual([]);
  });

  it('a real server off the VIP’s segment is never asked for the VIP', async () => {
    const lab = await labFile(ARP);
    dropStep(lab, 'realserver-arp');
    lab.networks.push({ name: 'remote', subnet: '10.99.0.0/24' });
    defined(lab.nodes.find((n) => n.name === 'server3')).addresses = { remote: '10.99.0.3' };
    expect(ofRule(lintLab(lab), RULE).map((w) => w.path[3])).toEqual(['server2']);
  });
});

describe('strict-rp-filter', () => {
  const RULE = 'strict-rp-filter';

  it('warns at the node’s sysctls when no step relaxes rp_filter', async () => {
    const lab = await labFile(ARP);
    dropStep(lab, 'realserver-rp-filter');
    const warnings = ofRule(lintLab(lab), RULE);
    expect(warnings.map((w) => w.path)).toEqual([
      ['nodes', 1, 'sysctls', 'net.ipv4.conf.all.rp_filter'],
      ['nodes', 2, 'sysctls', 'net.ipv4.conf.all.rp_filter'],
    ]);
    expect(warnings[0]?.message).toBe(
      `${RULE}: server2 receives the tunnelled requests on tunl0 but net.ipv4.conf.all.rp_filter stays 1 (strict) after every step: the kernel applies the larger of all and tunl0, and strict reverse-path filtering drops the decapsulated requests, whose source is routed out of another interface. In a step on server2, set net.ipv4.conf.all.rp_filter=0 and net.ipv4.conf.tunl0.rp_filter=0 (or 2)`,
    );
  });

  it('says nothing on the unmodified lab', async () => {
    expect(ofRule(lintLab(await labFile(ARP)), RULE)).toEqual([]);
  });

  it('relaxing tunl0 alone is not enough while all stays 1; loose (2) on all is', async () => {
    const lab = await labFile(ARP);
    const server2 = commandsOf(lab, 'realserver-rp-filter', 'server2');
    server2.splice(0, server2.length, 'sysctl -w net.ipv4.conf.tunl0.rp_filter=0');
    const server3 = commandsOf(lab, 'realserver-rp-filter', 'server3');
    server3.splice(0, server3.length, 'echo 2 > /proc/sys/net/ipv4/conf/all/rp_filter');
    expect(ofRule(lintLab(lab), RULE).map((w) => w.path)).toEqual([
      ['nodes', 1, 'sysctls', 'net.ipv4.conf.all.rp_filter'],
    ]);
  });
});

describe('tun-without-i', () => {
  const RULE = 'tun-without-i';
  const ADD_SERVER3 = `ipvsadm -a -t ${VIP}:80 -r 172.25.88.3:80 -i`;

  it('warns at the director’s command list for ipvsadm -a without -i', async () => {
    const lab = await labFile(ARP);
    replaceCommand(lab, 'director-ipvs', 'server1', ADD_SERVER3, `ipvsadm -a -t ${VIP}:80 -r 172.25.88.3:80`);
    expect(ofRule(lintLab(lab), RULE)).toEqual([
      {
        path: ['steps', stepIndex(lab, 'director-ipvs'), 'commands', 'server1'],
        message: `${RULE}: "ipvsadm -a -t ${VIP}:80 -r 172.25.88.3:80" has no -i: ipvsadm then forwards by direct routing (-g, its default), not through the IPIP tunnel. Add -i (--ipip)`,
      },
    ]);
  });

  it('says nothing on the unmodified lab, nor on --ipip', async () => {
    const lab = await labFile(ARP);
    expect(ofRule(lintLab(lab), RULE)).toEqual([]);
    replaceCommand(
      lab,
      'director-ipvs',
      'server1',
      ADD_SERVER3,
      `ipvsadm --add-server -t ${VIP}:80 -r 172.25.88.3 --ipip`,
    );
    expect(ofRule(lintLab(lab), RULE)).toEqual([]);
  });

  it('flags -g and -m explicitly', async () => {
    const lab = await labFile(ARP);
    replaceCommand(
      lab,
      'director-ipvs',
      'server1',
      ADD_SERVER3,
      `ipvsadm -a -t ${VIP}:80 -r 172.25.88.3:80 -g`,
    );
    const [warning] = ofRule(lintLab(lab), RULE);
    expect(warning?.message).toContain('uses -g: this lab is LVS-TUN; -g/-m forward differently');
  });

  it('ipvsadm -e without -i would reset the real server to direct routing (wrr-weights keeps -i)', async () => {
    const lab = await labFile('labs/repro/wrr-weights.yaml');
    expect(ofRule(lintLab(lab), RULE)).toEqual([]);
    replaceCommand(
      lab,
      'switch-to-wrr',
      'server1',
      `ipvsadm -e -t ${VIP}:80 -r 172.25.88.2:80 -i -w 3`,
      `ipvsadm -e -t ${VIP}:80 -r 172.25.88.2:80 -w 3`,
    );
    const [warning] = ofRule(lintLab(lab), RULE);
    expect(warning?.path).toEqual(['steps', stepIndex(lab, 'switch-to-wrr'), 'commands', 'server1']);
    expect(warning?.message).toContain('ipvsadm -e resets the real server to direct routing');
  });
});

describe('rotation-with-weighted-scheduler', () => {
  const RULE = 'rotation-with-weighted-scheduler';
  const SERVICE = `ipvsadm -A -t ${VIP}:80 -s rr`;
  const ADD_SERVER2 = `ipvsadm -a -t ${VIP}:80 -r 172.25.88.2:80 -i`;

  it('warns at the rotation expectation when wrr weights differ', async () => {
    const lab = await labFile(ARP);
    replaceCommand(lab, 'director-ipvs', 'server1', SERVICE, `ipvsadm -A -t ${VIP}:80 -s wrr`);
    replaceCommand(lab, 'director-ipvs', 'server1', ADD_SERVER2, `${ADD_SERVER2} -w 3`);
    expect(ofRule(lintLab(lab), RULE)).toEqual([
      {
        path: ['steps', stepIndex(lab, 'test-round-robin'), 'checks', 0, 'expect', 'rotation'],
        message: `${RULE}: this check expects the answers to rotate through server2, server3, but the scheduler is wrr and the weights differ (server2 3, server3 1): each server answers in proportion to its weight. Expect counts instead, or use rr (or equal weights)`,
      },
    ]);
  });

  it('says nothing on the unmodified lab, nor for wrr with equal weights', async () => {
    const lab = await labFile(ARP);
    expect(ofRule(lintLab(lab), RULE)).toEqual([]);
    replaceCommand(lab, 'director-ipvs', 'server1', SERVICE, `ipvsadm -A -t ${VIP}:80 -s wrr`);
    expect(ofRule(lintLab(lab), RULE)).toEqual([]);
  });

  it.each([
    ['wlc', 'picks by connection counts and weights'],
    ['sh', 'hashes addresses'],
  ])('warns for %s', async (scheduler, why) => {
    const lab = await labFile(ARP);
    replaceCommand(lab, 'director-ipvs', 'server1', SERVICE, `ipvsadm -A -t ${VIP}:80 -s ${scheduler}`);
    expect(ofRule(lintLab(lab), RULE)[0]?.message).toContain(why);
  });

  it('takes service.scheduler until a step sets one, and ipvsadm -A without -s is wlc', async () => {
    const lab = await labFile(ARP);
    lab.service.scheduler = 'sed';
    dropStep(lab, 'director-ipvs');
    expect(ofRule(lintLab(lab), RULE)[0]?.message).toContain('the scheduler is sed');
    const again = await labFile(ARP);
    replaceCommand(again, 'director-ipvs', 'server1', SERVICE, `ipvsadm -A -t ${VIP}:80`);
    expect(ofRule(lintLab(again), RULE)[0]?.message).toContain('the scheduler is wlc');
  });
});

describe('no-vip-on-director', () => {
  const RULE = 'no-vip-on-director';

  it('warns at service.vip when no step puts the VIP on the director', async () => {
    const lab = await labFile(ARP);
    removeCommand(lab, 'director-tunnel', 'server1', `ip addr add ${VIP} dev tunl0`);
    expect(ofRule(lintLab(lab), RULE)).toEqual([
      {
        path: ['service', 'vip'],
        message: `${RULE}: no step puts the VIP ${VIP} on the director server1: it neither answers ARP for the VIP nor accepts the packets IPVS must tunnel. Add a step on server1 with ip addr add ${VIP}/32 dev tunl0 (or dev eth0)`,
      },
    ]);
  });

  it('says nothing on the unmodified labs, nor for ip route add local', async () => {
    expect(ofRule(lintLab(await labFile(SYSCTL)), RULE)).toEqual([]);
    const lab = await labFile(ARP);
    expect(ofRule(lintLab(lab), RULE)).toEqual([]);
    replaceCommand(
      lab,
      'director-tunnel',
      'server1',
      `ip addr add ${VIP} dev tunl0`,
      `ip route add local ${VIP}/32 dev lo`,
    );
    expect(ofRule(lintLab(lab), RULE)).toEqual([]);
  });
});

describe('unknown-address', () => {
  const RULE = 'unknown-address';

  it('warns at the command list that names an address outside the lab', async () => {
    const lab = await labFile(ARP);
    replaceCommand(
      lab,
      'director-ipvs',
      'server1',
      `ipvsadm -a -t ${VIP}:80 -r 172.25.88.3:80 -i`,
      `ipvsadm -a -t ${VIP}:80 -r 172.25.89.3:80 -i`,
    );
    expect(ofRule(lintLab(lab), RULE)).toEqual([
      {
        path: ['steps', stepIndex(lab, 'director-ipvs'), 'commands', 'server1'],
        message: `${RULE}: 172.25.89.3 in "ipvsadm -a -t ${VIP}:80 -r 172.25.89.3:80 -i" is no node's address, not the VIP, and in none of the lab's networks (lan 172.25.88.0/24): a typo? Use an address of the lab's nodes or networks`,
      },
    ]);
  });

  it('says nothing on the unmodified lab, nor for a route to elsewhere through a known gateway', async () => {
    const lab = await labFile(SYSCTL);
    expect(ofRule(lintLab(lab), RULE)).toEqual([]);
    commandsOf(lab, 'director-setup', 'lvs').push(
      'ip route add 192.168.7.0/24 via 10.10.24.1',
      'iptables -A INPUT -s 198.51.100.0/24 -j DROP',
      'ping -c 1 127.0.0.1',
    );
    expect(ofRule(lintLab(lab), RULE)).toEqual([]);
  });

  it('a gateway must be known; an octet above 255 is no address', async () => {
    const lab = await labFile(SYSCTL);
    replaceCommand(
      lab,
      'director-setup',
      'lvs',
      'ip route add default via 10.10.24.1',
      'ip route add default via 192.168.1.1',
    );
    commandsOf(lab, 'test-from-outside', 'client').push('curl -s http://203.0.113.300/');
    const messages = ofRule(lintLab(lab), RULE).map((w) => w.message);
    expect(messages).toEqual([
      expect.stringContaining(`${RULE}: the gateway 192.168.1.1 in "ip route add default via 192.168.1.1"`),
      expect.stringContaining('203.0.113.300 in "curl -s http://203.0.113.300/" is not an IPv4 address'),
    ]);
  });
});

/**
 * What each shipped lab gets, and why. Only the bug reproductions that show an LVS-TUN mistake on
 * purpose have a warning: the warning is right there, and names the mistake the lab shows.
 */
const SHIPPED: Record<string, [rule: string, path: (string | number)[]][]> = {
  'labs/tun-arptables.yaml': [],
  'labs/tun-cross-subnet.yaml': [],
  'labs/tun-sysctl.yaml': [],
  // The VIP is in none of the subnets: nobody ARPs for it, and the real servers hide it anyway.
  'labs/tun-routed-vip.yaml': [],
  // Omits the arptables step on purpose: both real servers answer ARP for the VIP.
  'labs/repro/arp-flux.yaml': [
    ['realserver-vip-without-arp-suppression', ['steps', 2, 'commands', 'server2']],
    ['realserver-vip-without-arp-suppression', ['steps', 2, 'commands', 'server3']],
  ],
  // server3 only brings tunl0 up, without the VIP: no ARP problem, rp_filter relaxed by the base.
  'labs/repro/missing-vip.yaml': [],
  'labs/repro/replies-via-director.yaml': [],
  // Leaves rp_filter strict on server3 on purpose.
  'labs/repro/rp-filter.yaml': [['strict-rp-filter', ['nodes', 2, 'sysctls', 'net.ipv4.conf.all.rp_filter']]],
  // wrr 3:1 with counts, not a rotation; its ipvsadm -e keep -i.
  'labs/repro/wrr-weights.yaml': [],
};

describe('the shipped labs', () => {
  it('are all listed here', () => {
    const files = ['labs', 'labs/repro'].flatMap((dir) =>
      readdirSync(path.join(ROOT, dir))
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => `${dir}/${f}`),
    );
    expect(Object.keys(SHIPPED).sort()).toEqual(files.sort());
  });

  it.each(Object.entries(SHIPPED))('%s gets the warnings listed', async (file, expected) => {
    const warnings = lintLab(await labFile(file));
    expect(warnings.map((w) => [w.message.split(':')[0], w.path])).toEqual(expected);
  });
});
