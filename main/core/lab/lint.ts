// LVS lint: likely LVS-TUN mistakes in a lab that loads. The schema checks shapes and
// semantics.ts checks that a lab agrees with itself; this reads the steps' commands the way a
// reviewer who knows LVS-TUN would, and warns where the lab will probably not behave as an
// LVS-TUN lab should. Warnings never stop a lab from loading: a bug reproduction has its problem on
// purpose, and the caller shows the warning next to it.
//
// The commands are shell text. They are not parsed as a shell would (no quoting rules, no
// variables): each line is cut into simple commands at the shell's separators, and each rule
// looks for the few command shapes it is about. A rule that cannot tell says nothing, so that a
// warning is worth reading.
import { SCHEDULERS, type LabFile, type LabNode, type Scheduler } from '../../../shared/lab-schema.js';
import { ipToNumber, parseCidr, splitAddress, subnetContains, type Subnet } from './ipv4.js';
import type { SemanticIssue } from './semantics.js';

export interface LintRule {
  id: string;
  /** One line, for the docs. */
  description: string;
}

export const LINT_RULES = [
  {
    id: 'realserver-vip-without-arp-suppression',
    description:
      'a real server on the VIP’s segment carries the VIP but neither arptables nor arp_ignore=1 with arp_announce=2 hides it from ARP',
  },
  {
    id: 'strict-rp-filter',
    description:
      'a real server receives the tunnelled requests on tunl0 while rp_filter stays strict (1) on all or tunl0',
  },
  {
    id: 'tun-without-i',
    description: 'ipvsadm -a/-e adds or edits a real server without -i (IPIP), or with -g/-m',
  },
  {
    id: 'rotation-with-weighted-scheduler',
    description:
      'an http check expects a strict rotation while the scheduler does not rotate (weights, connection counts, hashing)',
  },
  {
    id: 'no-vip-on-director',
    description: 'no step puts the VIP on the director',
  },
  {
    id: 'unknown-address',
    description:
      'a command names an IPv4 address that is no node’s, in none of the lab’s networks, nor the VIP',
  },
] as const satisfies readonly LintRule[];

export type LintRuleId = (typeof LINT_RULES)[number]['id'];

type Path = (string | number)[];

/** The warnings for a lab that loaded, rule by rule; empty when nothing looks wrong. */
export function lintLab(lab: LabFile): SemanticIssue[] {
  const context = lintContext(lab);
  return RULES.flatMap((rule) => rule.check(context));
}

// ---------------------------------------------------------------------------------------------
// What the rules share: the commands, cut into simple commands, and each node's end state.

interface CommandLine {
  step: number;
  node: string;
  /** The command list the line is in: where a warning about the line points. */
  path: Path;
  text: string;
  simple: string[][];
}

interface Setting {
  value: number;
  /** Where the value was set: the node's `sysctls:` entry or a step's command list. */
  path: Path;
}

interface ArpRule {
  chain: 'INPUT' | 'OUTPUT';
  source?: string | undefined;
  destination?: string | undefined;
  target?: string | undefined;
}

interface NodeFacts {
  node: LabNode;
  /** eth0, eth1, … in the order of `addresses`, as the runtime names them. */
  interfaces: { device: string; network: string }[];
  /** Where the steps put the VIP on this node. */
  vip: { device: string; path: Path }[];
  tunnelUp: boolean;
  /** Every sysctl the lab sets on the node, with its value once all steps have run. */
  sysctls: Map<string, Setting>;
  /** The node's arptables rules once all steps have run. */
  arpRules: ArpRule[];
}

interface LintContext {
  lab: LabFile;
  lines: CommandLine[];
  nodes: NodeFacts[];
  subnets: { name: string; subnet: Subnet; text: string }[];
}

function lintContext(lab: LabFile): LintContext {
  const lines = lab.steps.flatMap((step, s) =>
    Object.entries(step.commands).flatMap(([node, list]) =>
      list.map((text) => ({
        step: s,
        node,
        path: ['steps', s, 'commands', node],
        text,
        simple: simpleCommands(text),
      })),
    ),
  );
  return {
    lab,
    lines,
    nodes: lab.nodes.map((node, index) => nodeFacts(lab, node, index, lines)),
    subnets: lab.networks.map((n) => ({ name: n.name, subnet: parseCidr(n.subnet), text: n.subnet })),
  };
}

/** Replays the node's commands in step order, keeping only what the rules ask about. */
function nodeFacts(lab: LabFile, node: LabNode, index: number, lines: CommandLine[]): NodeFacts {
  const facts: NodeFacts = {
    node,
    interfaces: Object.keys(node.addresses).map((network, k) => ({ device: `eth${k}`, network })),
    vip: [],
    tunnelUp: false,
    sysctls: new Map(
      Object.entries(node.sysctls ?? {}).map(([key, value]) => [
        key,
        { value: Number(value), path: ['nodes', index, 'sysctls', key] },
      ]),
    ),
    arpRules: [],
  };
  for (const line of lines.filter((l) => l.node === node.name)) {
    for (const { key, value } of sysctlWrites(line)) facts.sysctls.set(key, { value, path: line.path });
    for (const argv of line.simple) {
      const placed = addressPlaced(argv);
      if (placed?.ip === lab.service.vip) facts.vip.push({ device: placed.device, path: line.path });
      if (bringsTunnelUp(argv)) facts.tunnelUp = true;
      applyArpOperation(facts.arpRules, arpOperation(argv));
    }
  }
  return facts;
}

// ---------------------------------------------------------------------------------------------
// Shell text.

/**
 * A command line as the simple commands it runs, each as its words. Cutting at `$(`, `(` and `)`
 * too makes a command substitution a command of its own, which is what the rules want to see.
 */
function simpleCommands(line: string): string[][] {
  return line
    .split(/&&|\|\||\$\(|[;|&\n()`]/)
    .map((part) => commandWords(part.trim().split(/\s+/).filter(Boolean)))
    .filter((argv) => argv.length > 0);
}

/** Words that only lead to the command proper: `do ipvsadm …`, `sudo ip …`, `X=1 sysctl …`. */
const LEADING_WORDS = new Set([
  'do',
  'then',
  'else',
  'elif',
  'if',
  'while',
  'until',
  '!',
  '{',
  'sudo',
  'exec',
]);
const LEADING_WORDS_WITH_VALUE = new Set(['timeout']);

function commandWords(words: string[]): string[] {
  // Quotes only group words; the rules look at the words themselves.
  let argv = words.map((w) => w.replace(/["']/g, '')).filter(Boolean);
  for (;;) {
    const first = argv[0];
    if (first === undefined) return argv;
    if (LEADING_WORDS.has(first) || /^[A-Za-z_]\w*=/.test(first)) argv = argv.slice(1);
    else if (LEADING_WORDS_WITH_VALUE.has(first)) argv = argv.slice(2);
    else break;
  }
  // `/sbin/ipvsadm` is ipvsadm.
  return [argv[0]?.replace(/^.*\//, '') ?? '', ...argv.slice(1)];
}

/** The word after the first of `names`, also in the `--name=value` form. */
function optionValue(argv: string[], names: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? '';
    if (names.includes(word)) return argv[i + 1];
    const long = names.find((n) => n.startsWith('--') && word.startsWith(`${n}=`));
    if (long) return word.slice(long.length + 1);
  }
  return undefined;
}

const IPV4_TEXT = /^\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?$/;

/** `172.25.88.100/32` or `172.25.88.100:80` to `172.25.88.100`. */
function hostOf(word: string | undefined): string {
  return (word ?? '').replace(/[/:].*$/, '');
}

// ---------------------------------------------------------------------------------------------
// Command shapes: ip, ifconfig, sysctl, arptables, ipvsadm.

interface IpCommand {
  object: string;
  verb: string;
  args: string[];
}

/** ip(8) takes any prefix of an object name; the first object in its own table wins. */
const IP_OBJECTS = ['address', 'addrlabel', 'maddress', 'route', 'rule', 'neighbour', 'link'];
const IP_OPTIONS_WITH_VALUE = new Set(['-n', '-netns', '-b', '-batch', '-rc', '-rcvbuf']);

function ipCommand(argv: string[]): IpCommand | null {
  if (argv[0] !== 'ip') return null;
  let i = 1;
  while ((argv[i] ?? '').startsWith('-')) i += IP_OPTIONS_WITH_VALUE.has(argv[i] ?? '') ? 2 : 1;
  const word = argv[i];
  if (word === undefined) return null;
  const object = IP_OBJECTS.find((o) => o.startsWith(word)) ?? word;
  return { object, verb: argv[i + 1] ?? 'show', args: argv.slice(i + 2) };
}

const ADD_VERBS = new Set(['a', 'ad', 'add', 'replace', 'append', 'change']);
const ROUTE_TYPES = new Set([
  'unicast',
  'local',
  'broadcast',
  'multicast',
  'throw',
  'unreachable',
  'prohibit',
  'blackhole',
  'nat',
  'anycast',
]);
const ROUTE_KEYS_WITH_VALUE = new Set([
  'table',
  'dev',
  'oif',
  'via',
  'src',
  'from',
  'metric',
  'preference',
  'priority',
  'proto',
  'protocol',
  'scope',
  'mtu',
  'advmss',
  'realm',
  'realms',
  'tos',
  'dsfield',
  'weight',
  'nexthop',
  'nhid',
]);

/**
 * The destination of `ip route add|del|get …` (or of net-tools' `route add [-net|-host] …`): its
 * index in argv and its route type.
 */
function routeDestination(argv: string[]): { index: number; type: string } | null {
  if (argv[0] === 'route') {
    const index = argv.findIndex((w, i) => i > 1 && !w.startsWith('-'));
    return ['add', 'del'].includes(argv[1] ?? '') && index > 0 ? { index, type: 'unicast' } : null;
  }
  const ip = ipCommand(argv);
  if (ip?.object !== 'route' || !ip.args.length) return null;
  const offset = argv.length - ip.args.length;
  let type = 'unicast';
  for (let i = 0; i < ip.args.length; i++) {
    const word = ip.args[i] ?? '';
    if (ROUTE_TYPES.has(word)) type = word;
    else if (ROUTE_KEYS_WITH_VALUE.has(word)) i++;
    else if (word !== 'to') return { index: offset + i, type };
  }
  return null;
}

/**
 * An address a command makes the node's own, with its device: `ip addr add A dev D`,
 * `ip route add local A dev D` (accepted like an address, and answered in ARP too), or
 * `ifconfig D A`.
 */
function addressPlaced(argv: string[]): { ip: string; device: string } | null {
  const ip = ipCommand(argv);
  if (ip?.object === 'address' && ADD_VERBS.has(ip.verb)) {
    const keyed = new Set(['peer', 'broadcast', 'brd', 'anycast', 'label', 'dev']);
    const address = ip.args.find((w, i) => IPV4_TEXT.test(w) && !keyed.has(ip.args[i - 1] ?? ''));
    return address ? { ip: hostOf(address), device: optionValue(ip.args, ['dev']) ?? '' } : null;
  }
  if (ip?.object === 'route' && ADD_VERBS.has(ip.verb)) {
    const destination = routeDestination(argv);
    if (destination?.type !== 'local') return null;
    return { ip: hostOf(argv[destination.index]), device: optionValue(ip.args, ['dev']) ?? '' };
  }
  if (argv[0] === 'ifconfig' && argv[1] !== undefined) {
    const address = argv.slice(2).find((w) => w !== 'inet');
    if (address !== undefined && IPV4_TEXT.test(address))
      return { ip: hostOf(address), device: argv[1].replace(/:.*$/, '') };
  }
  return null;
}

function bringsTunnelUp(argv: string[]): boolean {
  const ip = ipCommand(argv);
  const isLinkSet = ip?.object === 'link' && ip.verb === 'set';
  return (isLinkSet || argv[0] === 'ifconfig') && argv.includes('tunl0') && argv.includes('up');
}

/** `echo 1 > /proc/sys/…`, `echo 1 | tee /proc/sys/…`: the shell splits these, so read the line. */
const PROC_SYS_WRITE =
  /\b(?:echo|printf)\s+["']?(-?\d+)["']?\s*(?:>>?|\|\s*(?:sudo\s+)?tee(?:\s+-a)?)\s*\/proc\/sys\/([\w./-]+)/g;

/** The sysctls a command line sets, with `/` paths as dotted keys. */
function sysctlWrites(line: CommandLine): { key: string; value: number }[] {
  const viaSysctl = line.simple
    .filter((argv) => argv[0] === 'sysctl')
    .flatMap((argv) => argv.slice(1).map((word) => /^([\w./-]+)=(-?\d+)$/.exec(word)))
    .flatMap((m) => (m ? [{ key: m[1] ?? '', value: Number(m[2]) }] : []));
  const viaProc = [...line.text.matchAll(PROC_SYS_WRITE)].map((m) => ({
    key: m[2] ?? '',
    value: Number(m[1]),
  }));
  return [...viaSysctl, ...viaProc].map((w) => ({ ...w, key: w.key.replaceAll('/', '.') }));
}

type ArpOperation =
  { kind: 'flush'; chain?: ArpRule['chain'] | undefined } | { kind: 'append' | 'delete'; rule: ArpRule };

/** arptables (and the arptables_jf chain names IN and OUT), or an nft rule in an arp table. */
function arpOperation(argv: string[]): ArpOperation | null {
  if (/^arptables(-legacy|-nft)?$/.test(argv[0] ?? '')) {
    if (argv.includes('-F') || argv.includes('--flush'))
      return { kind: 'flush', chain: arpChain(optionValue(argv, ['-F', '--flush'])) };
    const append = optionValue(argv, ['-A', '--append', '-I', '--insert']);
    const remove = optionValue(argv, ['-D', '--delete']);
    const chain = arpChain(append ?? remove);
    if (!chain) return null;
    const rule: ArpRule = {
      chain,
      source: optionValue(argv, ['-s', '--source-ip']),
      destination: optionValue(argv, ['-d', '--destination-ip']),
      target: optionValue(argv, ['-j', '--jump']),
    };
    return { kind: append !== undefined ? 'append' : 'delete', rule: normalizeArpRule(rule) };
  }
  if (argv[0] === 'nft' && argv.includes('arp') && ['add', 'insert'].includes(argv[1] ?? '')) {
    const chain = argv.includes('input') ? 'INPUT' : argv.includes('output') ? 'OUTPUT' : undefined;
    if (!chain) return null;
    const rule: ArpRule = {
      chain,
      source: nftAddress(argv, 'saddr'),
      destination: nftAddress(argv, 'daddr'),
      target: argv.includes('drop') ? 'DROP' : undefined,
    };
    return { kind: 'append', rule: normalizeArpRule(rule) };
  }
  return null;
}

/** `arp daddr ip 172.25.88.100` in an nft rule. */
function nftAddress(argv: string[], field: 'saddr' | 'daddr'): string | undefined {
  const i = argv.indexOf(field);
  return i >= 0 && argv[i + 1] === 'ip' ? argv[i + 2] : undefined;
}

function arpChain(name: string | undefined): ArpRule['chain'] | undefined {
  if (name === 'INPUT' || name === 'IN') return 'INPUT';
  if (name === 'OUTPUT' || name === 'OUT') return 'OUTPUT';
  return undefined;
}

function normalizeArpRule(rule: ArpRule): ArpRule {
  return {
    chain: rule.chain,
    source: rule.source && hostOf(rule.source),
    destination: rule.destination && hostOf(rule.destination),
    target: rule.target,
  };
}

function applyArpOperation(rules: ArpRule[], operation: ArpOperation | null): void {
  if (!operation) return;
  if (operation.kind === 'append') {
    rules.push(operation.rule);
    return;
  }
  const removed = (rule: ArpRule) =>
    operation.kind === 'flush'
      ? operation.chain === undefined || operation.chain === rule.chain
      : JSON.stringify(rule) === JSON.stringify(operation.rule);
  rules.splice(0, rules.length, ...rules.filter((rule) => !removed(rule)));
}

interface IpvsadmCommand {
  operation: 'add-service' | 'edit-service' | 'clear' | 'add-server' | 'edit-server' | 'delete-server';
  argv: string[];
}

const IPVSADM_OPERATIONS: Record<string, IpvsadmCommand['operation']> = {
  '-A': 'add-service',
  '--add-service': 'add-service',
  '-E': 'edit-service',
  '--edit-service': 'edit-service',
  '-C': 'clear',
  '--clear': 'clear',
  '-a': 'add-server',
  '--add-server': 'add-server',
  '-e': 'edit-server',
  '--edit-server': 'edit-server',
  '-d': 'delete-server',
  '--delete-server': 'delete-server',
};

function ipvsadmCommand(argv: string[]): IpvsadmCommand | null {
  if (argv[0] !== 'ipvsadm') return null;
  const operation = argv.map((w) => IPVSADM_OPERATIONS[w]).find((o) => o !== undefined);
  return operation ? { operation, argv } : null;
}

const FORWARDING: Record<string, 'tunnel' | 'route' | 'masq'> = {
  '-i': 'tunnel',
  '--ipip': 'tunnel',
  '-g': 'route',
  '--gatewaying': 'route',
  '-m': 'masq',
  '--masquerading': 'masq',
};

/** ipvsadm's defaults, for -A without -s and -a/-e without -w (ipvsadm.c: DEF_SCHED, weight 1). */
const DEFAULT_SCHEDULER: Scheduler = 'wlc';
const DEFAULT_WEIGHT = 1;

// ---------------------------------------------------------------------------------------------
// The rules.

interface Rule {
  id: LintRuleId;
  check: (context: LintContext) => SemanticIssue[];
}

const RULES: Rule[] = [
  { id: 'realserver-vip-without-arp-suppression', check: realserverVipWithoutArpSuppression },
  { id: 'strict-rp-filter', check: strictRpFilter },
  { id: 'tun-without-i', check: tunWithoutI },
  { id: 'rotation-with-weighted-scheduler', check: rotationWithWeightedScheduler },
  { id: 'no-vip-on-director', check: noVipOnDirector },
  { id: 'unknown-address', check: unknownAddress },
];

function warning(id: LintRuleId, path: Path, message: string): SemanticIssue {
  return { path, message: `${id}: ${message}` };
}

/**
 * The value the kernel applies on a device: for rp_filter, arp_ignore and arp_announce that is
 * the larger of `all` and the device's own. A value the lab never sets counts as 0, the kernel's
 * default: the lint warns about what the lab does, not about the Docker host.
 */
function effective(facts: NodeFacts, name: string, device: string): number {
  const value = (key: string) => facts.sysctls.get(`net.ipv4.conf.${key}.${name}`)?.value ?? 0;
  return Math.max(value('all'), value(device));
}

/** arp_ignore values with which a request for an address on another device gets no answer. */
const ARP_IGNORE_HIDING = new Set([1, 2, 8]);

function realserverVipWithoutArpSuppression({ lab, nodes, subnets }: LintContext): SemanticIssue[] {
  const vip = lab.service.vip;
  return nodes.flatMap((facts) => {
    const first = facts.vip[0];
    if (facts.node.role !== 'realserver' || !first) return [];
    // ARP for the VIP is asked on the VIP's segment only: a server elsewhere is never asked.
    const segment = facts.interfaces.filter((i) =>
      subnets.some((s) => s.name === i.network && subnetContains(s.subnet, vip)),
    );
    if (segment.length === 0) return [];
    const vipDevices = new Set(facts.vip.map((v) => v.device));
    const rules = facts.arpRules;
    const ignoresRequests =
      rules.some((r) => r.chain === 'INPUT' && r.destination === vip && r.target === 'DROP') ||
      segment.every(
        (i) => !vipDevices.has(i.device) && ARP_IGNORE_HIDING.has(effective(facts, 'arp_ignore', i.device)),
      );
    const hidesAnnouncements =
      rules.some(
        (r) => r.chain === 'OUTPUT' && r.source === vip && (r.target === 'mangle' || r.target === 'DROP'),
      ) || segment.every((i) => effective(facts, 'arp_announce', i.device) >= 2);
    if (ignoresRequests && hidesAnnouncements) return [];
    const where = `${facts.node.name} puts the VIP ${vip} on ${first.device || 'an interface'}`;
    const message = arpAdvice(where, facts.node, vip, { ignoresRequests, hidesAnnouncements });
    return [warning('realserver-vip-without-arp-suppression', first.path, message)];
  });
}

/** What is missing of the two halves of ARP suppression, and the commands that add it. */
function arpAdvice(
  where: string,
  node: LabNode,
  vip: string,
  { ignoresRequests, hidesAnnouncements }: { ignoresRequests: boolean; hidesAnnouncements: boolean },
): string {
  const name = node.name;
  const dropRequests = `arptables -A INPUT -d ${vip} -j DROP`;
  const hideSender = `arptables -A OUTPUT -s ${vip} -j mangle --mangle-ip-s ${firstAddress(node)}`;
  if (!ignoresRequests && !hidesAnnouncements)
    return `${where} but nothing hides it from ARP: ${name} answers the client's ARP requests for the VIP and takes requests meant for the director. On ${name}, add ${dropRequests} and ${hideSender}, or set net.ipv4.conf.all.arp_ignore=1 and net.ipv4.conf.all.arp_announce=2`;
  if (!ignoresRequests)
    return `${where} and keeps it out of its own ARP requests, but still answers ARP requests for it. On ${name}, add ${dropRequests}, or set net.ipv4.conf.all.arp_ignore=1`;
  return `${where} and answers no ARP request for it, but still announces it as the sender of its own ARP requests, which moves the client's entry for the VIP to ${name}. On ${name}, add ${hideSender}, or set net.ipv4.conf.all.arp_announce=2`;
}

function strictRpFilter({ nodes }: LintContext): SemanticIssue[] {
  return nodes.flatMap((facts) => {
    if (facts.node.role !== 'realserver' || (facts.vip.length === 0 && !facts.tunnelUp)) return [];
    if (effective(facts, 'rp_filter', 'tunl0') !== 1) return [];
    const key = ['all', 'tunl0']
      .map((device) => `net.ipv4.conf.${device}.rp_filter`)
      .find((k) => facts.sysctls.get(k)?.value === 1);
    const setting = key === undefined ? undefined : facts.sysctls.get(key);
    if (key === undefined || !setting) return [];
    const name = facts.node.name;
    return [
      warning(
        'strict-rp-filter',
        setting.path,
        `${name} receives the tunnelled requests on tunl0 but ${key} stays 1 (strict) after every step: the kernel applies the larger of all and tunl0, and strict reverse-path filtering drops the decapsulated requests, whose source is routed out of another interface. In a step on ${name}, set net.ipv4.conf.all.rp_filter=0 and net.ipv4.conf.tunl0.rp_filter=0 (or 2)`,
      ),
    ];
  });
}

function tunWithoutI({ lines }: LintContext): SemanticIssue[] {
  return lines.flatMap((line) =>
    line.simple.flatMap((argv) => {
      const command = ipvsadmCommand(argv);
      if (command?.operation !== 'add-server' && command?.operation !== 'edit-server') return [];
      const flag = argv.find((w) => FORWARDING[w] !== undefined);
      if (flag !== undefined && FORWARDING[flag] === 'tunnel') return [];
      const shown = `"${clip(argv.join(' '))}"`;
      const message =
        flag !== undefined
          ? `${shown} uses ${flag}: this lab is LVS-TUN; -g/-m forward differently (direct routing, NAT). Use -i (--ipip)`
          : command.operation === 'add-server'
            ? `${shown} has no -i: ipvsadm then forwards by direct routing (-g, its default), not through the IPIP tunnel. Add -i (--ipip)`
            : `${shown} has no -i: ipvsadm -e resets the real server to direct routing (-g, its default) when no method is given. Add -i (--ipip)`;
      return [warning('tun-without-i', line.path, message)];
    }),
  );
}

/** The director's IPVS state as the steps leave it: the scheduler and each real server's weight. */
interface IpvsState {
  scheduler: Scheduler;
  weights: Map<string, number>;
}

function applyIpvsadm(state: IpvsState, command: IpvsadmCommand): void {
  const server = hostOf(optionValue(command.argv, ['-r', '--real-server']));
  const scheduler = SCHEDULERS.find((s) => s === optionValue(command.argv, ['-s', '--scheduler']));
  const weight = Number(optionValue(command.argv, ['-w', '--weight']) ?? DEFAULT_WEIGHT);
  switch (command.operation) {
    case 'add-service':
      state.scheduler = scheduler ?? DEFAULT_SCHEDULER;
      break;
    case 'edit-service':
      if (scheduler) state.scheduler = scheduler;
      break;
    case 'clear':
      state.weights.clear();
      break;
    case 'add-server':
    case 'edit-server':
      state.weights.set(server, weight);
      break;
    case 'delete-server':
      state.weights.delete(server);
      break;
  }
}

/** Schedulers that pick by connection counts and weights, and ones that hash the client. */
const COUNTING_SCHEDULERS = new Set<Scheduler>(['lc', 'wlc', 'sed', 'nq', 'lblc', 'lblcr']);
const HASHING_SCHEDULERS = new Set<Scheduler>(['sh', 'dh', 'mh']);

function rotationWithWeightedScheduler({ lab, lines }: LintContext): SemanticIssue[] {
  const state: IpvsState = { scheduler: lab.service.scheduler, weights: new Map() };
  return lab.steps.flatMap((step, s) => {
    // A step's commands run before its checks.
    for (const line of lines.filter((l) => l.step === s)) {
      for (const argv of line.simple) {
        const command = ipvsadmCommand(argv);
        if (command) applyIpvsadm(state, command);
      }
    }
    return step.checks.flatMap((check, c) => {
      if (check.kind !== 'http' || !check.expect.rotation) return [];
      const why = rotationBreaker(lab, state);
      return why
        ? [
            warning(
              'rotation-with-weighted-scheduler',
              ['steps', s, 'checks', c, 'expect', 'rotation'],
              `this check expects the answers to rotate through ${check.expect.rotation.join(', ')}, but ${why}. Expect counts instead, or use rr (or equal weights)`,
            ),
          ]
        : [];
    });
  });
}

/** Why the scheduler will not answer in a fixed rotation; null when it will. */
function rotationBreaker(lab: LabFile, { scheduler, weights }: IpvsState): string | null {
  const named = [...weights].map(([ip, w]) => `${nodeNameOf(lab, ip) ?? ip} ${w}`).join(', ');
  if (HASHING_SCHEDULERS.has(scheduler))
    return `the scheduler is ${scheduler}, which hashes addresses: one client always reaches the same server`;
  if (COUNTING_SCHEDULERS.has(scheduler))
    return `the scheduler is ${scheduler}, which picks by connection counts and weights, not in a fixed order`;
  const values = new Set(weights.values());
  if (scheduler === 'wrr' && values.size > 1)
    return `the scheduler is wrr and the weights differ (${named}): each server answers in proportion to its weight`;
  if (values.has(0)) return `a real server has weight 0 (${named}) and gets no new requests`;
  return null;
}

function noVipOnDirector({ lab, nodes }: LintContext): SemanticIssue[] {
  return nodes.flatMap((facts) => {
    if (facts.node.role !== 'director' || facts.vip.length > 0) return [];
    const vip = lab.service.vip;
    return [
      warning(
        'no-vip-on-director',
        ['service', 'vip'],
        `no step puts the VIP ${vip} on the director ${facts.node.name}: it neither answers ARP for the VIP nor accepts the packets IPVS must tunnel. Add a step on ${facts.node.name} with ip addr add ${vip}/32 dev tunl0 (or dev eth0)`,
      ),
    ];
  });
}

/** Addresses nobody needs to own: the unspecified address, masks, loopback. */
function isIgnoredAddress(ip: string): boolean {
  return ip === '0.0.0.0' || ip.startsWith('255.') || ip.startsWith('127.');
}

const IPV4_IN_TEXT = /(?<![\w.])(\d{1,3}(?:\.\d{1,3}){3})(?:\/(\d{1,2}))?(?![\w.])/g;

function unknownAddress({ lab, lines, subnets }: LintContext): SemanticIssue[] {
  const known = knownAddresses(lab);
  const isKnown = (ip: string) => known.has(ip) || subnets.some((s) => subnetContains(s.subnet, ip));
  const networks = subnets.map((s) => `${s.name} ${s.text}`).join(', ');
  return lines.flatMap((line) => {
    const reported = new Set<string>();
    return line.simple.flatMap((argv) => {
      // A route may lead anywhere; its gateway (via) must be reachable, and is checked below.
      const destination = routeDestination(argv)?.index;
      return argv.flatMap((word, i) => {
        if (i === destination) return [];
        return [...word.matchAll(IPV4_IN_TEXT)].flatMap((m) => {
          const ip = m[1] ?? '';
          const prefix = m[2] === undefined ? 32 : Number(m[2]);
          const valid = ip.split('.').every((octet) => Number(octet) <= 255);
          // A block such as 10.0.0.0/8 names networks, not a host that must exist.
          const isBlock = valid && prefix < 32 && parseCidr(`${ip}/${prefix}`).network === ipToNumber(ip);
          if (reported.has(ip) || (valid && (isIgnoredAddress(ip) || isBlock || isKnown(ip)))) return [];
          reported.add(ip);
          const role = ['via', 'gw'].includes(argv[i - 1] ?? '') ? 'the gateway ' : '';
          const what = valid
            ? `is no node's address, not the VIP, and in none of the lab's networks (${networks})`
            : 'is not an IPv4 address';
          return [
            warning(
              'unknown-address',
              line.path,
              `${role}${ip} in "${clip(argv.join(' '))}" ${what}: a typo? Use an address of the lab's nodes or networks`,
            ),
          ];
        });
      });
    });
  });
}

function knownAddresses(lab: LabFile): Set<string> {
  const known = new Set<string>([lab.service.vip]);
  for (const node of lab.nodes) {
    for (const address of Object.values(node.addresses).flat()) known.add(splitAddress(address, 32).ip);
  }
  if (lab.service.url !== undefined) known.add(new URL(lab.service.url).hostname);
  return known;
}

// ---------------------------------------------------------------------------------------------

function firstAddress(node: LabNode): string {
  const address = Object.values(node.addresses).flat()[0] ?? '';
  return splitAddress(address, 32).ip;
}

function nodeNameOf(lab: LabFile, ip: string): string | undefined {
  return lab.nodes.find((n) =>
    Object.values(n.addresses)
      .flat()
      .some((a) => splitAddress(a, 32).ip === ip),
  )?.name;
}

function clip(text: string, length = 80): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
