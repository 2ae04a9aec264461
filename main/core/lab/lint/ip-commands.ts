// ip(8), and net-tools' ifconfig and route where they do the same: which commands put an address
// on the node, route to a destination, or bring the tunnel device up.
import { hostOf, IPV4_TEXT, optionValue } from './shell-words.js';

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
export function routeDestination(argv: string[]): { index: number; type: string } | null {
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
export function addressPlaced(argv: string[]): { ip: string; device: string } | null {
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

export function bringsTunnelUp(argv: string[]): boolean {
  const ip = ipCommand(argv);
  const isLinkSet = ip?.object === 'link' && ip.verb === 'set';
  return (isLinkSet || argv[0] === 'ifconfig') && argv.includes('tunl0') && argv.includes('up');
}
