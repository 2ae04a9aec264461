// arptables (and arptables-legacy, arptables-nft) and nft rules in an arp table: the rules a
// command adds, deletes or flushes, replayed into the rules a node has once all steps have run.
// Real servers use them to hide the VIP from ARP.
import { hostOf, optionValue } from './shell-words.js';

export interface ArpRule {
  chain: 'INPUT' | 'OUTPUT';
  source?: string | undefined;
  destination?: string | undefined;
  target?: string | undefined;
}

type ArpOperation =
  { kind: 'flush'; chain?: ArpRule['chain'] | undefined } | { kind: 'append' | 'delete'; rule: ArpRule };

/** arptables (and the arptables_jf chain names IN and OUT), or an nft rule in an arp table. */
export function arpOperation(argv: string[]): ArpOperation | null {
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

export function applyArpOperation(rules: ArpRule[], operation: ArpOperation | null): void {
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
