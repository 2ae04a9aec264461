// Data shaped like what the core answers for the seed labs, trimmed to what the views use.
import type { IpvsView, LabDetail, LabSummary, StepInfo } from '../../../../shared/api.js';
import type { PreflightReport } from '../../../../shared/preflight.js';
import type { LabInstanceStatus, NodeStatus } from '../../../../shared/status.js';

export const summaries: LabSummary[] = [
  {
    id: 'tun-arptables',
    title: 'LVS-TUN in one subnet, ARP hidden with arptables',
    summary: 'A director tunnels HTTP requests for the VIP to two real servers over IPIP.',
    difficulty: 'beginner',
    seed: 'seed 000 §3',
    file: '/labs/tun-arptables.yaml',
    steps: 7,
    source: 'builtin',
  },
  {
    id: 'tun-sysctl',
    title: 'LVS-TUN behind a NAT router, ARP hidden with arp_ignore and arp_announce',
    summary: 'A front router maps an outside address to the VIP.',
    difficulty: 'intermediate',
    seed: 'seed 004',
    file: '/labs/tun-sysctl.yaml',
    steps: 8,
    source: 'builtin',
  },
  {
    id: 'repro-wrr-weights',
    title: 'Weighted round robin 3:1 - the distribution follows the weights',
    summary: 'tun-arptables with wrr and weights 3 and 1.',
    difficulty: 'intermediate',
    seed: 'seed 000 §3',
    file: '/labs/repro/wrr-weights.yaml',
    steps: 8,
    base: 'tun-arptables',
    source: 'builtin',
  },
  {
    id: 'broken',
    title: '',
    summary: '',
    difficulty: '',
    seed: '',
    file: '/labs/broken.yaml',
    steps: 0,
    source: 'builtin',
    error: '/labs/broken.yaml:31:20: nodes[1].addresses.lan: 172.25.88.300 is not a host address',
  },
];

export const arptablesDetail: LabDetail = {
  id: 'tun-arptables',
  title: 'LVS-TUN in one subnet, ARP hidden with arptables',
  summary: 'A director tunnels HTTP requests for the VIP to two real servers over IPIP.',
  difficulty: 'beginner',
  seed: { document: '000', section: '§3', title: 'LVS-TUN load balancing in one subnet' },
  departures: [{ what: 'INPUT and OUTPUT instead of IN and OUT', why: 'Today’s arptables names them so.' }],
  networks: [{ name: 'lan', subnet: '172.25.88.0/24', gateway: '172.25.88.254' }],
  nodes: [
    {
      name: 'server1',
      role: 'director',
      addresses: { lan: '172.25.88.1' },
      interfaces: [{ network: 'lan', device: 'eth0', ip: '172.25.88.1', prefix: 24 }],
    },
    {
      name: 'server2',
      role: 'realserver',
      addresses: { lan: '172.25.88.2' },
      page: '<h1>server2</h1>',
      interfaces: [{ network: 'lan', device: 'eth0', ip: '172.25.88.2', prefix: 24 }],
    },
    {
      name: 'server3',
      role: 'realserver',
      addresses: { lan: '172.25.88.3' },
      page: '<h1>server3</h1>',
      interfaces: [{ network: 'lan', device: 'eth0', ip: '172.25.88.3', prefix: 24 }],
    },
    {
      name: 'client',
      role: 'client',
      addresses: { lan: '172.25.88.250' },
      interfaces: [{ network: 'lan', device: 'eth0', ip: '172.25.88.250', prefix: 24 }],
    },
  ],
  service: { vip: '172.25.88.100', protocol: 'tcp', port: 80, scheduler: 'rr' },
  steps: [
    {
      id: 'director-tunnel',
      title: 'Bring up tunl0 on the director with the VIP',
      explain: 'The host kernel provides `ipip`.',
      commands: { server1: ['ip link set up tunl0'] },
      checks: [{ kind: 'link', node: 'server1', device: 'tunl0', up: true }],
    },
  ],
  faults: [],
};

/** Two networks and a router between them, as in tun-sysctl. */
export const sysctlDetail: LabDetail = {
  ...arptablesDetail,
  id: 'tun-sysctl',
  title: 'LVS-TUN behind a NAT router',
  seed: { document: '004' },
  networks: [
    { name: 'lan', subnet: '10.10.24.0/24' },
    { name: 'wan', subnet: '203.0.113.0/24' },
  ],
  nodes: [
    {
      name: 'router',
      role: 'router',
      addresses: { lan: '10.10.24.1', wan: '203.0.113.88' },
      interfaces: [
        { network: 'lan', device: 'eth0', ip: '10.10.24.1', prefix: 24 },
        { network: 'wan', device: 'eth1', ip: '203.0.113.88', prefix: 24 },
      ],
    },
    {
      name: 'lvs',
      role: 'director',
      addresses: { lan: '10.10.24.2' },
      interfaces: [{ network: 'lan', device: 'eth0', ip: '10.10.24.2', prefix: 24 }],
    },
    {
      name: 'rs1',
      role: 'realserver',
      addresses: { lan: '10.10.24.21' },
      page: '<h1>RS1</h1>',
      interfaces: [{ network: 'lan', device: 'eth0', ip: '10.10.24.21', prefix: 24 }],
    },
    {
      name: 'client',
      role: 'client',
      addresses: { wan: '203.0.113.10' },
      interfaces: [{ network: 'wan', device: 'eth0', ip: '203.0.113.10', prefix: 24 }],
    },
  ],
  service: { vip: '10.10.24.88', protocol: 'tcp', port: 80, scheduler: 'rr', url: 'http://203.0.113.88/' },
};

export function nodeStatus(
  name: string,
  role: string,
  state = 'running',
  containerId = `c-${name}`,
): NodeStatus {
  return {
    name,
    role,
    containerId,
    state,
    status: state === 'running' ? 'Up 3 minutes' : 'Exited (137) 5 seconds ago',
    addresses: {},
  };
}

export function instance(
  labId: string,
  health: LabInstanceStatus['health'] = 'running',
  overrides: Partial<LabInstanceStatus> = {},
): LabInstanceStatus {
  return {
    labId,
    instance: 'a1b2c3d4',
    source: `/labs/${labId}.yaml`,
    sourceHash: 'hash',
    topologyHash: 'topology-hash',
    startedAt: '2025-01-01T00:00:00Z',
    nodes: [
      nodeStatus('server1', 'director'),
      nodeStatus('server2', 'realserver'),
      nodeStatus('server3', 'realserver'),
      nodeStatus('client', 'client'),
    ],
    networks: [{ name: 'lan', dockerName: `lvslab-${labId}-lan`, subnet: '172.25.88.0/24' }],
    health,
    problems: health === 'running' ? [] : ['node server3 is exited (Exited (137) 5 seconds ago)'],
    ...overrides,
  };
}

export const preflight: PreflightReport = {
  endpoint: 'unix:///var/run/docker.sock',
  engine: {
    version: '27.1.0',
    apiVersion: '1.46',
    os: 'Debian GNU/Linux 12',
    kernel: '6.1.0-18-amd64',
    platform: 'linux',
    rootless: false,
  },
  items: [
    { id: 'engine', title: 'Docker Engine answers', status: 'ok', detail: 'version 27.1.0', fixes: [] },
    {
      id: 'ip_vs',
      title: 'IPVS in the kernel (ip_vs)',
      status: 'fail',
      detail: 'ip_vs is not loaded',
      fixes: [
        { platform: 'linux', text: 'sudo modprobe ip_vs ip_vs_rr ip_vs_wrr' },
        { platform: 'docker-desktop', text: 'Docker Desktop kernels include ip_vs since 4.30' },
        { platform: 'wsl2', text: 'Build a WSL2 kernel with CONFIG_IP_VS=m' },
      ],
    },
  ],
  ok: false,
};

export function step(id: string, title: string, progress: StepInfo['progress'] = {}): StepInfo {
  return {
    id,
    title,
    explain: `Explanation of **${title}** with \`tunl0\`.\n\n<script>alert(1)</script>`,
    commands: {
      server1: ['modprobe ipip', 'ip link set up tunl0'],
      server2: ['ip addr add 172.25.88.100/32 dev tunl0'],
    },
    checks: 2,
    progress,
  };
}

export const steps: StepInfo[] = [
  step('director-tunnel', 'Bring up tunl0 on the director', {
    appliedAt: '2025-01-01T00:01:00Z',
    checkedAt: '2025-01-01T00:01:01Z',
    checksOk: true,
  }),
  step('director-ipvs', 'Virtual service in tunnel mode'),
  step('realserver-arp', 'Hide the VIP from ARP'),
];

export function ipvsView(overrides: Partial<IpvsView> = {}): IpvsView {
  const zero = { conns: 0, inPkts: 0, outPkts: 0, inBytes: 0, outBytes: 0 };
  return {
    labId: 'tun-arptables',
    at: '2025-01-01T00:05:00Z',
    error: null,
    services: [
      {
        protocol: 'tcp',
        address: '172.25.88.100',
        port: 80,
        scheduler: 'rr',
        stats: { conns: 12, inPkts: 72, outPkts: 0, inBytes: 4810, outBytes: 0 },
        realServers: [
          {
            address: '172.25.88.2',
            port: 80,
            forward: 'tunnel',
            weight: 1,
            node: 'server2',
            stats: { conns: 6, inPkts: 36, outPkts: 0, inBytes: 2405, outBytes: 0 },
          },
          { address: '172.25.88.3', port: 80, forward: 'tunnel', weight: 1, node: 'server3', stats: zero },
        ],
      },
    ],
    ...overrides,
  };
}
