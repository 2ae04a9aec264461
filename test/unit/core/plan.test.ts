import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLab } from '../../../main/core/lab/loader.js';
import { nodeByName, type Lab, type LabNodeModel } from '../../../main/core/lab/model.js';
import {
  containerCreateOptions,
  dockerGateway,
  interfaceSetupScript,
  labLabels,
  networkCreateOptions,
  NODE_CAPABILITIES,
  confinedProcSys,
  HOST_WIDE_PROC_SYS,
  NODE_APPARMOR_PROFILE,
} from '../../../main/core/runtime/plan.js';
import { bridgeName } from '../../../main/core/docker/labels.js';
import { labText, loadLab, replaceLine, repoFile } from './helpers.js';

const INSTANCE = { id: 'i-4f2a', startedAt: '2026-11-21T22:00:00.000Z' };
const ARP = labText('tun-arptables');
const LAN_DESCRIPTION = "    description: The seed's single subnet, as an internal Docker network.";

function node(lab: Lab, name: string): LabNodeModel {
  const found = nodeByName(lab, name);
  if (!found) throw new Error(`no node ${name}`);
  return found;
}

describe('dockerGateway', () => {
  it('takes the gateway the lab declares', () => {
    expect(dockerGateway(loadLab('tun-arptables'), 'lan')).toBe('172.25.88.254');
    expect(dockerGateway(loadLab('tun-cross-subnet'), 'lan')).toBe('172.25.88.254');
    expect(dockerGateway(loadLab('tun-sysctl'), 'lan')).toBe('10.10.24.254');
    expect(dockerGateway(loadLab('tun-sysctl'), 'wan')).toBe('203.0.113.254');
  });

  it('without a declared gateway: the highest host address, never the broadcast', () => {
    const lab = parseLab(replaceLine(ARP, '    gateway: 172.25.88.254', '').text, 'x.yaml');
    expect(lab.networks[0]?.gateway).toBeUndefined();
    expect(dockerGateway(lab, 'lan')).toBe('172.25.88.254');
  });

  it('skips node addresses', () => {
    let text = replaceLine(ARP, '    gateway: 172.25.88.254', '').text;
    text = replaceLine(
      text,
      '    addresses: { lan: 172.25.88.250 }',
      '    addresses: { lan: 172.25.88.254 }',
    ).text;
    expect(dockerGateway(parseLab(text, 'x.yaml'), 'lan')).toBe('172.25.88.253');
  });

  it('skips the VIP', () => {
    let text = replaceLine(ARP, '    gateway: 172.25.88.254', '').text;
    text = replaceLine(
      text,
      '    addresses: { lan: 172.25.88.250 }',
      '    addresses: { lan: 172.25.88.254 }',
    ).text;
    text = replaceLine(text, '  vip: 172.25.88.100', '  vip: 172.25.88.253').text;
    expect(dockerGateway(parseLab(text, 'x.yaml'), 'lan')).toBe('172.25.88.252');
  });

  it('a /16 segment: the top of the /16, skipping second addresses of nodes', () => {
    const cross = labText('tun-cross-subnet');
    const open = parseLab(replaceLine(cross, '    gateway: 172.25.88.254', '').text, 'x.yaml');
    expect(dockerGateway(open, 'lan')).toBe('172.25.255.254');
    let text = replaceLine(cross, '    gateway: 172.25.88.254', '').text;
    text = replaceLine(
      text,
      '    addresses: { lan: [172.25.254.88/24, 172.25.88.88/24] }',
      '    addresses: { lan: [172.25.254.88/24, 172.25.255.254/24] }',
    ).text;
    expect(dockerGateway(parseLab(text, 'x.yaml'), 'lan')).toBe('172.25.255.253');
  });

  const withLink = (clientOnLink: boolean) => {
    let text = replaceLine(
      ARP,
      LAN_DESCRIPTION,
      `${LAN_DESCRIPTION}\n  - name: link\n    subnet: 10.9.9.0/30`,
    ).text;
    text = replaceLine(
      text,
      '    addresses: { lan: 172.25.88.1 }',
      '    addresses: { lan: 172.25.88.1, link: 10.9.9.1 }',
    ).text;
    if (clientOnLink) {
      text = replaceLine(
        text,
        '    addresses: { lan: 172.25.88.250 }',
        '    addresses: { lan: 172.25.88.250, link: 10.9.9.2 }',
      ).text;
    }
    return parseLab(text, 'x.yaml');
  };

  it('a /30 with one node leaves its other host address', () => {
    expect(dockerGateway(withLink(false), 'link')).toBe('10.9.9.2');
  });

  it('a full /30 is refused when the lab loads, naming the network', () => {
    expect(() => withLink(true)).toThrow(
      /networks\[1\]\.subnet: 10\.9\.9\.0\/30 has no address left for Docker's gateway/,
    );
  });

  it('the planner refuses a full network too, should one reach it', () => {
    const lab = withLink(false);
    const client = lab.nodes.find((n) => n.name === 'client');
    client?.interfaces.push({
      network: 'link',
      device: 'eth1',
      ip: '10.9.9.2',
      prefix: 30,
      networkPrefix: 30,
      extra: [],
    });
    expect(() => dockerGateway(lab, 'link')).toThrow(
      "network link (10.9.9.0/30) has no free address for Docker's gateway",
    );
    expect(() => networkCreateOptions(lab, 'link', INSTANCE)).toThrow(/no free address/);
  });

  it('an unknown network is an error', () => {
    expect(() => dockerGateway(loadLab('tun-arptables'), 'wan')).toThrow(
      'no network wan in lab tun-arptables',
    );
  });
});

describe('networkCreateOptions', () => {
  it('an internal bridge with the lab subnet, the gateway and the labels', () => {
    const lab = loadLab('tun-sysctl');
    const options = networkCreateOptions(lab, 'wan', INSTANCE);
    expect(options).toEqual({
      Name: 'lvslab-tun-sysctl-wan',
      Driver: 'bridge',
      Options: { 'com.docker.network.bridge.name': bridgeName('tun-sysctl', 'wan') },
      Internal: true,
      CheckDuplicate: true,
      EnableIPv6: false,
      IPAM: { Driver: 'default', Config: [{ Subnet: '203.0.113.0/24', Gateway: '203.0.113.254' }] },
      Labels: {
        'org.lvslab.managed': 'true',
        'org.lvslab.lab': 'tun-sysctl',
        'org.lvslab.instance': 'i-4f2a',
        'org.lvslab.source': lab.source,
        'org.lvslab.source-hash': lab.sourceHash,
        'org.lvslab.topology-hash': lab.topologyHash,
        'org.lvslab.started-at': '2026-11-21T22:00:00.000Z',
        'org.lvslab.network': 'wan',
      },
    });
  });

  it('bridge names fit a Linux interface name and differ per lab network', () => {
    const names = [
      bridgeName('tun-sysctl', 'lan'),
      bridgeName('tun-sysctl', 'wan'),
      bridgeName('tun-arptables', 'lan'),
    ];
    for (const n of names) expect(n).toMatch(/^lvslab[0-9a-f]{9}$/);
    expect(names[0]?.length).toBeLessThanOrEqual(15);
    expect(new Set(names).size).toBe(3);
  });

  it('the computed gateway when none is declared', () => {
    const lab = parseLab(replaceLine(ARP, '    gateway: 172.25.88.254', '').text, 'x.yaml');
    expect(networkCreateOptions(lab, 'lan', INSTANCE).IPAM.Config).toEqual([
      { Subnet: '172.25.88.0/24', Gateway: '172.25.88.254' },
    ]);
  });

  it('an unknown network is an error', () => {
    expect(() => networkCreateOptions(loadLab('tun-arptables'), 'wan', INSTANCE)).toThrow(
      'no network wan in lab tun-arptables',
    );
  });

  it('labLabels are the same on networks and containers', () => {
    const lab = loadLab('tun-arptables');
    const labels = labLabels(lab, INSTANCE);
    const net = networkCreateOptions(lab, 'lan', INSTANCE).Labels;
    const container = containerCreateOptions(lab, node(lab, 'server1'), 'img', INSTANCE, {
      apparmor: false,
    }).Labels;
    expect(net).toMatchObject(labels);
    expect(container).toMatchObject(labels);
    expect(Object.keys(labels).sort()).toEqual([
      'org.lvslab.instance',
      'org.lvslab.lab',
      'org.lvslab.managed',
      'org.lvslab.source',
      'org.lvslab.source-hash',
      'org.lvslab.started-at',
      'org.lvslab.topology-hash',
    ]);
  });
});

describe('containerCreateOptions', () => {
  const lab = loadLab('tun-cross-subnet');

  it('a real server: page env, stringified sysctls, the fixed address on its network', () => {
    const options = containerCreateOptions(lab, node(lab, 'server2'), 'lvs-lab/node:abc', INSTANCE, {
      apparmor: false,
    });
    expect(options.name).toBe('lvslab-tun-cross-subnet-server2');
    expect(options.Hostname).toBe('server2');
    expect(options.Image).toBe('lvs-lab/node:abc');
    expect(options.Env).toEqual(['LVS_LAB_PAGE=<h1>server2</h1>']);
    expect(options.Labels).toMatchObject({ 'org.lvslab.node': 'server2', 'org.lvslab.role': 'realserver' });
    expect(options.HostConfig?.Sysctls).toEqual({
      'net.ipv4.conf.all.rp_filter': '1',
      'net.ipv4.conf.default.rp_filter': '1',
    });
    expect(options.HostConfig?.NetworkMode).toBe('lvslab-tun-cross-subnet-lan');
    expect(options.NetworkingConfig).toEqual({
      EndpointsConfig: { 'lvslab-tun-cross-subnet-lan': { IPAMConfig: { IPv4Address: '172.25.88.2' } } },
    });
  });

  it('capabilities are exactly NET_ADMIN and NET_RAW, never privileged', () => {
    for (const n of lab.nodes) {
      const host = containerCreateOptions(lab, n, 'img', INSTANCE, { apparmor: true }).HostConfig;
      expect(host?.CapAdd).toEqual(['NET_ADMIN', 'NET_RAW']);
      expect(host?.Privileged).toBeUndefined();
      expect(host?.CapDrop).toBeUndefined();
      expect(host?.PidMode).toBeUndefined();
      expect(host?.NetworkMode).not.toBe('host');
    }
    expect(NODE_CAPABILITIES).toEqual(['NET_ADMIN', 'NET_RAW']);
  });

  it('only /proc/sys/net is writable: every host-wide /proc/sys subtree is read-only, Docker masks stay', () => {
    const host = containerCreateOptions(lab, node(lab, 'server3'), 'img', INSTANCE, {
      apparmor: false,
    }).HostConfig;
    // Unset, not [], so that the engine applies its default masks (/proc/kcore, /proc/keys, ...).
    expect(host?.MaskedPaths).toBeUndefined();
    const readonly = host?.ReadonlyPaths ?? [];
    for (const tree of ['abi', 'crypto', 'debug', 'dev', 'fs', 'kernel', 'user', 'vm'])
      expect(readonly).toContain(`/proc/sys/${tree}`);
    expect(readonly).toContain('/proc/sysrq-trigger');
    expect(readonly).toEqual(expect.arrayContaining(HOST_WIDE_PROC_SYS));
    expect(readonly).not.toContain('/proc/sys');
    expect(readonly.filter((p) => p.startsWith('/proc/sys/net'))).toEqual([]);
  });

  it("LVS Lab's AppArmor profile only on AppArmor engines, never unconfined; no-new-privileges always", () => {
    const without = containerCreateOptions(lab, node(lab, 'server3'), 'img', INSTANCE, { apparmor: false });
    const withAa = containerCreateOptions(lab, node(lab, 'server3'), 'img', INSTANCE, { apparmor: true });
    expect(without.HostConfig?.SecurityOpt).toEqual(['no-new-privileges']);
    expect(withAa.HostConfig?.SecurityOpt).toEqual(['no-new-privileges', 'apparmor=lvs-lab-node']);
    expect(confinedProcSys({ apparmor: true }).SecurityOpt).toEqual(withAa.HostConfig?.SecurityOpt);
    for (const opt of withAa.HostConfig?.SecurityOpt ?? [])
      expect(opt).not.toMatch(/unconfined|seccomp|label=disable/);
  });

  it('the shipped AppArmor profile carries the name the runtime asks for and lets only /proc/sys/net be written', () => {
    const profile = repoFile(`lab-images/apparmor/${NODE_APPARMOR_PROFILE}`);
    expect(profile).toMatch(new RegExp(`^profile ${NODE_APPARMOR_PROFILE} `, 'm'));
    const denies = profile.split('\n').filter((l) => /^\s*deny @\{PROC\}\/sys/.test(l));
    // One deny per spelling that is not "net/", so that every other subtree stays read-only.
    expect(denies.map((l) => l.trim())).toEqual([
      'deny @{PROC}/sys/[^n]** w,',
      'deny @{PROC}/sys/n[^e]** w,',
      'deny @{PROC}/sys/ne[^t]** w,',
      'deny @{PROC}/sys/net[^/]** w,',
      'deny @{PROC}/sysrq-trigger rwklx,',
    ]);
  });

  it('a router with two networks: created on the first, with its fixed address; no page, forwarding off', () => {
    const sysctlLab = loadLab('tun-sysctl');
    const options = containerCreateOptions(sysctlLab, node(sysctlLab, 'router'), 'img', INSTANCE, {
      apparmor: false,
    });
    expect(options.Env).toEqual([]);
    // Off until its step turns it on, whatever a new container inherits on the engine.
    expect(options.HostConfig?.Sysctls).toEqual({ 'net.ipv4.ip_forward': '0' });
    expect(options.Labels).toMatchObject({ 'org.lvslab.node': 'router', 'org.lvslab.role': 'router' });
    expect(options.HostConfig?.NetworkMode).toBe('lvslab-tun-sysctl-lan');
    expect(options.NetworkingConfig?.EndpointsConfig).toEqual({
      'lvslab-tun-sysctl-lan': { IPAMConfig: { IPv4Address: '10.10.24.1' } },
    });
  });

  it('a node whose only network is the second one of the lab', () => {
    const sysctlLab = loadLab('tun-sysctl');
    const options = containerCreateOptions(sysctlLab, node(sysctlLab, 'client'), 'img', INSTANCE, {
      apparmor: false,
    });
    expect(options.HostConfig?.NetworkMode).toBe('lvslab-tun-sysctl-wan');
    expect(options.NetworkingConfig?.EndpointsConfig).toEqual({
      'lvslab-tun-sysctl-wan': { IPAMConfig: { IPv4Address: '203.0.113.10' } },
    });
  });

  it('a node with two addresses on one segment: Docker assigns the first', () => {
    const options = containerCreateOptions(lab, node(lab, 'gateway'), 'img', INSTANCE, { apparmor: false });
    expect(options.NetworkingConfig?.EndpointsConfig).toEqual({
      'lvslab-tun-cross-subnet-lan': { IPAMConfig: { IPv4Address: '172.25.254.88' } },
    });
  });

  it('resource limits and no restart', () => {
    const host = containerCreateOptions(lab, node(lab, 'client'), 'img', INSTANCE, {
      apparmor: false,
    }).HostConfig;
    expect(host?.RestartPolicy).toEqual({ Name: 'no' });
    expect(host?.Memory).toBe(256 * 1024 * 1024);
    expect(host?.PidsLimit).toBe(512);
  });

  it('string and number sysctl values both become strings', () => {
    const text = replaceLine(
      ARP,
      '    sysctls: { net.ipv4.conf.all.rp_filter: 1, net.ipv4.conf.default.rp_filter: 1 }',
      "    sysctls: { net.ipv4.ip_local_port_range: '20000 30000', net.ipv4.conf.all.arp_ignore: 1 }",
    ).text;
    const l = parseLab(text, 'x.yaml');
    expect(
      containerCreateOptions(l, node(l, 'server2'), 'img', INSTANCE, { apparmor: false }).HostConfig?.Sysctls,
    ).toEqual({
      'net.ipv4.ip_local_port_range': '20000 30000',
      'net.ipv4.conf.all.arp_ignore': '1',
    });
  });

  it('a node without interfaces is an error', () => {
    const l = loadLab('tun-arptables');
    const bare = { ...node(l, 'client'), interfaces: [] };
    expect(() => containerCreateOptions(l, bare, 'img', INSTANCE, { apparmor: false })).toThrow(
      'node client has no network',
    );
  });
});

describe('interfaceSetupScript: structure', () => {
  const cross = loadLab('tun-cross-subnet');
  const sysctlLab = loadLab('tun-sysctl');
  const MACS = { lan: '02:42:0a:0a:18:01', wan: '02:42:cb:00:71:58' };

  it('one interface at the network prefix: only drop the default route', () => {
    expect(interfaceSetupScript(node(loadLab('tun-arptables'), 'server2'), {})).toBe(
      'set -e\nip route del default 2>/dev/null || true',
    );
    expect(interfaceSetupScript(node(sysctlLab, 'rs1'), {})).toBe(
      'set -e\nip route del default 2>/dev/null || true',
    );
  });

  it('two interfaces: rename through temporary names in two passes', () => {
    const lines = interfaceSetupScript(node(sysctlLab, 'router'), MACS).split('\n');
    expect(lines[0]).toBe('set -e');
    expect(lines[1]).toBe('ip route del default 2>/dev/null || true');
    const renames = lines.filter((l) => / name /.test(l));
    expect(renames).toEqual([
      'ip link set "$dev" name lvstmp0',
      'ip link set "$dev" name lvstmp1',
      'ip link set lvstmp0 name eth0',
      'ip link set lvstmp1 name eth1',
    ]);
    // Each temporary name comes after a lookup by that network's MAC and the link going down.
    const lookup0 = lines.findIndex((l) => l.includes(`mac=${MACS.lan} `));
    const lookup1 = lines.findIndex((l) => l.includes(`mac=${MACS.wan} `));
    expect(lookup0).toBeGreaterThan(1);
    expect(lookup1).toBeGreaterThan(lookup0);
    expect(lines.indexOf('ip link set "$dev" down')).toBeGreaterThan(lookup0);
    // All temporary names are given before any final name.
    expect(lines.indexOf('ip link set lvstmp0 name eth0')).toBeGreaterThan(
      lines.indexOf('ip link set "$dev" name lvstmp1'),
    );
    expect(lines).toContain('ip link set eth0 up');
    expect(lines).toContain('ip link set eth1 up');
    expect(lines.filter((l) => l.startsWith('ip addr'))).toEqual([]);
  });

  it('an address narrowed from the network prefix is deleted at the network prefix and added at its own', () => {
    expect(interfaceSetupScript(node(cross, 'server1'), {})).toBe(
      [
        'set -e',
        'ip route del default 2>/dev/null || true',
        'ip addr del 172.25.88.1/16 dev eth0',
        'ip addr add 172.25.88.1/24 dev eth0',
      ].join('\n'),
    );
  });

  it('a second address on the segment is added with its prefix', () => {
    expect(interfaceSetupScript(node(cross, 'gateway'), {}).split('\n').slice(2)).toEqual([
      'ip addr del 172.25.254.88/16 dev eth0',
      'ip addr add 172.25.254.88/24 dev eth0',
      'ip addr add 172.25.88.88/24 dev eth0',
    ]);
  });

  it('a second address at the network prefix, on a lab with one /24', () => {
    const text = replaceLine(
      ARP,
      '    addresses: { lan: 172.25.88.250 }',
      '    addresses: { lan: [172.25.88.250, 172.25.88.251] }',
    ).text;
    const l = parseLab(text, 'x.yaml');
    expect(interfaceSetupScript(node(l, 'client'), {})).toBe(
      'set -e\nip route del default 2>/dev/null || true\nip addr add 172.25.88.251/24 dev eth0',
    );
  });

  it('a missing MAC is an error', () => {
    expect(() => interfaceSetupScript(node(sysctlLab, 'router'), { lan: MACS.lan })).toThrow(
      'no MAC address for router on wan',
    );
  });
});

// The script is run by /bin/sh for real, with iproute2's `ip` replaced by a stand-in that keeps
// the links in a file and prints `ip -o link` lines in iproute2's one-line format. The stand-in
// refuses to rename onto an existing name, as the kernel does ("File exists").
describe('interfaceSetupScript: run by /bin/sh against a stand-in ip', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lvslab-ipstub-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const stub = path.join(dir, 'ip');
  writeFileSync(
    stub,
    `#!/bin/sh
echo "ip $*" >> "$STUB_LOG"
case "$1 $2" in
"-o link")
  i=1
  while IFS='|' read -r name suffix kind mac; do
    printf '%s: %s%s: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\\\    link/%s %s brd ff:ff:ff:ff:ff:ff link-netnsid 0\\n' "$i" "$name" "$suffix" "$kind" "$mac"
    i=$((i + 1))
  done < "$STUB_STATE"
  ;;
"link set")
  grep -q "^$3|" "$STUB_STATE" || { echo "Cannot find device \\"$3\\"" >&2; exit 1; }
  if [ "$4" = name ]; then
    if grep -q "^$5|" "$STUB_STATE"; then echo "RTNETLINK answers: File exists" >&2; exit 2; fi
    awk -F'|' -v OFS='|' -v old="$3" -v new="$5" '$1 == old { $1 = new } { print }' "$STUB_STATE" > "$STUB_STATE.new"
    mv "$STUB_STATE.new" "$STUB_STATE"
  fi
  ;;
"route del")
  echo "RTNETLINK answers: No such process" >&2
  exit 2
  ;;
"addr del" | "addr add") ;;
*)
  echo "stand-in ip: unexpected arguments: $*" >&2
  exit 9
  ;;
esac
`,
  );
  chmodSync(stub, 0o755);

  function run(script: string, links: string[]) {
    const state = path.join(dir, `state-${Math.random().toString(36).slice(2)}`);
    const log = `${state}.log`;
    writeFileSync(state, links.map((l) => `${l}\n`).join(''));
    writeFileSync(log, '');
    const result = spawnSync('/bin/sh', ['-c', script], {
      encoding: 'utf8',
      env: { PATH: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}`, STUB_LOG: log, STUB_STATE: state },
    });
    return {
      status: result.status,
      stderr: result.stderr,
      links: readFileSync(state, 'utf8').trim().split('\n'),
      calls: readFileSync(log, 'utf8').trim().split('\n'),
    };
  }

  const sysctlLab = loadLab('tun-sysctl');
  const MACS = { lan: '02:42:0a:0a:18:01', wan: '02:42:cb:00:71:58' };
  const LO = 'lo||loopback|00:00:00:00:00:00';

  it('Docker attached the networks swapped: eth0 and eth1 trade names', () => {
    const r = run(interfaceSetupScript(node(sysctlLab, 'router'), MACS), [
      LO,
      `eth0|@if31|ether|${MACS.wan}`,
      `eth1|@if33|ether|${MACS.lan}`,
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.links).toEqual([LO, `eth1|@if31|ether|${MACS.wan}`, `eth0|@if33|ether|${MACS.lan}`]);
    expect(r.calls).toEqual([
      'ip route del default',
      'ip -o link',
      'ip link set eth1 down',
      'ip link set eth1 name lvstmp0',
      'ip -o link',
      'ip link set eth0 down',
      'ip link set eth0 name lvstmp1',
      'ip link set lvstmp0 name eth0',
      'ip link set eth0 up',
      'ip link set lvstmp1 name eth1',
      'ip link set eth1 up',
    ]);
  });

  it('networks already in order: the names end as they were', () => {
    const r = run(interfaceSetupScript(node(sysctlLab, 'router'), MACS), [
      LO,
      `eth0|@if40|ether|${MACS.lan}`,
      `eth1|@if42|ether|${MACS.wan}`,
    ]);
    expect(r.status).toBe(0);
    expect(r.links).toEqual([LO, `eth0|@if40|ether|${MACS.lan}`, `eth1|@if42|ether|${MACS.wan}`]);
  });

  it('a MAC that no interface has stops the script before any rename', () => {
    const r = run(interfaceSetupScript(node(sysctlLab, 'router'), { ...MACS, wan: '02:42:cb:00:71:99' }), [
      LO,
      `eth0|@if31|ether|${MACS.lan}`,
      `eth1|@if33|ether|${MACS.wan}`,
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('no interface with MAC 02:42:cb:00:71:99\n');
    expect(r.calls).not.toContain('ip link set lvstmp0 name eth0');
  });

  it('the narrowed and second addresses of tun-cross-subnet gateway', () => {
    const cross = loadLab('tun-cross-subnet');
    const r = run(interfaceSetupScript(node(cross, 'gateway'), {}), [
      LO,
      'eth0|@if50|ether|02:42:ac:19:fe:58',
    ]);
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([
      'ip route del default',
      'ip addr del 172.25.254.88/16 dev eth0',
      'ip addr add 172.25.254.88/24 dev eth0',
      'ip addr add 172.25.88.88/24 dev eth0',
    ]);
  });
});
