// Parser for arptables listings: `arptables -L -n [--line-numbers] [-v]` (legacy backend 0.0.5)
// and `arptables-save` (legacy, nft, and the old arptables_jf `[p:b] -A ...` form). Pure, never
// throws: unreadable lines are skipped and reported in `unparsed`.
//
// Real legacy 0.0.5 listing (note the trailing blank after each rule and the blank line
// between chains; the target comes first; --line-numbers prefixes `1 `; -v adds `-i * -o *`
// to rules without interfaces and appends `, pcnt=N -- bcnt=N`; a /32 mask is not printed,
// other masks are printed as /8):
//
//   Chain INPUT (policy ACCEPT)
//   -j DROP -d 172.30.99.100
//
//   Chain OUTPUT (policy ACCEPT)
//   -j mangle -s 172.30.99.100 --mangle-ip-s 172.30.99.1
//
// Negations are printed as `! -d 10.0.0.1`; old syntax `-d ! 10.0.0.1` is accepted too. A
// negated value is stored with a leading `! ` (e.g. destination `! 10.0.0.1`), so it never
// compares equal to the plain address.

import { splitLines, stripHostMask, tokens } from './text.js';

export interface ArpRule {
  /** The -j target (DROP, ACCEPT, mangle, CLASSIFY, a user chain); '' when the rule has none. */
  target: string;
  source: string | null;
  destination: string | null;
  sourceMac: string | null;
  destinationMac: string | null;
  mangleIpSource: string | null;
  mangleIpDest: string | null;
  mangleMacSource: string | null;
  mangleMacDest: string | null;
  /** --mangle-target (DROP, CONTINUE); null when absent (ACCEPT). */
  mangleTarget: string | null;
  inInterface: string | null;
  outInterface: string | null;
  /** Other options as printed, e.g. ['--opcode 1', '--h-length 6']. */
  extra: string[];
  /** From --line-numbers, else null. */
  lineNumber: number | null;
  /** Packet and byte counters when printed (-v or save format), else null. */
  packets: number | null;
  bytes: number | null;
  /** The rule as printed, without the line number. */
  raw: string;
}

export interface ArpChain {
  name: string;
  /** ACCEPT / DROP for built-in chains; null for user chains. */
  policy: string | null;
  rules: ArpRule[];
}

export interface ArpTable {
  /** `*filter` in save output; null for a listing. */
  table: string | null;
  chains: ArpChain[];
  unparsed: string[];
}

type ValueField =
  | 'source'
  | 'destination'
  | 'sourceMac'
  | 'destinationMac'
  | 'mangleIpSource'
  | 'mangleIpDest'
  | 'mangleMacSource'
  | 'mangleMacDest'
  | 'mangleTarget'
  | 'inInterface'
  | 'outInterface';

const OPTION_FIELDS: Record<string, ValueField | 'target'> = {
  '-j': 'target',
  '--jump': 'target',
  '-s': 'source',
  '--source-ip': 'source',
  '--src-ip': 'source',
  '-d': 'destination',
  '--destination-ip': 'destination',
  '--dst-ip': 'destination',
  '--source-mac': 'sourceMac',
  '--src-mac': 'sourceMac',
  '--destination-mac': 'destinationMac',
  '--dst-mac': 'destinationMac',
  '-i': 'inInterface',
  '--in-interface': 'inInterface',
  '-o': 'outInterface',
  '--out-interface': 'outInterface',
  '--mangle-ip-s': 'mangleIpSource',
  '--mangle-ip-d': 'mangleIpDest',
  '--mangle-mac-s': 'mangleMacSource',
  '--mangle-mac-d': 'mangleMacDest',
  '--mangle-target': 'mangleTarget',
};

/** A counter as printed by arptables (digits, optionally K/M/G/T in powers of 1000). */
function counter(text: string | undefined): number | null {
  const m = text === undefined ? null : /^(\d+)([KMGT]?)$/.exec(text);
  if (m?.[1] === undefined) return null;
  const unit = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12 }[m[2] ?? ''] ?? 1;
  return Number(m[1]) * unit;
}

function emptyRule(raw: string): ArpRule {
  return {
    target: '',
    source: null,
    destination: null,
    sourceMac: null,
    destinationMac: null,
    mangleIpSource: null,
    mangleIpDest: null,
    mangleMacSource: null,
    mangleMacDest: null,
    mangleTarget: null,
    inInterface: null,
    outInterface: null,
    extra: [],
    lineNumber: null,
    packets: null,
    bytes: null,
    raw,
  };
}

/**
 * Reads the options of one rule (`-j DROP -d 1.2.3.4`, `-d 1.2.3.4 -j DROP`, ...). Returns null
 * when the text does not look like a rule (it must start with an option or `!`).
 */
export function parseArpRuleText(text: string, raw: string = text.trim()): ArpRule | null {
  let body = text.trim();
  const rule = emptyRule(raw);
  const counters = /,\s*pcnt=\s*(\S+)\s+--\s+bcnt=\s*(\S+)\s*$/.exec(body);
  if (counters !== null) {
    rule.packets = counter(counters[1]);
    rule.bytes = counter(counters[2]);
    body = body.slice(0, counters.index).trim();
  }
  const toks = tokens(body);
  if (toks.length === 0 || !(toks[0]?.startsWith('-') === true || toks[0] === '!')) return null;
  let negate = false;
  for (let i = 0; i < toks.length; i++) {
    const tok = toks[i] ?? '';
    if (tok === '!') {
      negate = true;
      continue;
    }
    if (!tok.startsWith('-')) {
      rule.extra.push(tok);
      negate = false;
      continue;
    }
    if (tok === '-c' || tok === '--set-counters') {
      rule.packets = counter(toks[i + 1]);
      rule.bytes = counter(toks[i + 2]);
      i += 2;
      continue;
    }
    // The value, with the old `-d ! 10.0.0.1` negation syntax.
    let j = i + 1;
    if (toks[j] === '!') {
      negate = true;
      j++;
    }
    const value = toks[j];
    const field = OPTION_FIELDS[tok];
    const hasValue = value !== undefined && (!value.startsWith('-') || /^-\d/.test(value));
    if (field === undefined || !hasValue) {
      // Unknown option: keep it with its value (if the next token is not an option).
      rule.extra.push(hasValue ? `${negate ? '! ' : ''}${tok} ${value}` : `${negate ? '! ' : ''}${tok}`);
      if (hasValue) i = j;
      negate = false;
      continue;
    }
    const shown = negate ? `! ${value}` : value;
    if (field === 'target') rule.target = shown;
    // -v prints `-i * -o *` (`any` without -n) for rules that match every interface.
    else if ((field === 'inInterface' || field === 'outInterface') && (value === '*' || value === 'any')) {
      rule[field] = negate ? shown : null;
    } else rule[field] = shown;
    i = j;
    negate = false;
  }
  return rule;
}

const CHAIN_RE = /^Chain (\S+) \((?:policy (\S+)[^)]*|(\d+) references?)\)\s*$/;

/**
 * Parses `arptables -L -n` (with or without --line-numbers, -v) and arptables-save output.
 * Never throws; lines it does not understand (e.g. the column layout of the old arptables_jf
 * `arptables -L`) end up in `unparsed`.
 */
export function parseArptables(text: string): ArpTable {
  const result: ArpTable = { table: null, chains: [], unparsed: [] };
  const chain = (name: string): ArpChain => {
    let c = result.chains.find((x) => x.name === name);
    if (c === undefined) {
      c = { name, policy: null, rules: [] };
      result.chains.push(c);
    }
    return c;
  };
  let current: ArpChain | null = null;
  for (const rawLine of splitLines(text)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line === 'COMMIT') continue;

    const header = CHAIN_RE.exec(line);
    if (header?.[1] !== undefined) {
      current = chain(header[1]);
      current.policy = header[2] ?? null;
      continue;
    }
    const table = /^\*(\S+)$/.exec(line);
    if (table?.[1] !== undefined) {
      result.table = table[1];
      continue;
    }
    // Save format: `:INPUT ACCEPT` or `:INPUT ACCEPT [0:0]` (`-` for user chains).
    const decl = /^:(\S+)\s+(\S+)/.exec(line);
    if (decl?.[1] !== undefined) {
      chain(decl[1]).policy = decl[2] === '-' || decl[2] === undefined ? null : decl[2];
      continue;
    }
    const policy = /^-P\s+(\S+)\s+(\S+)\s*$/.exec(line);
    if (policy?.[1] !== undefined) {
      chain(policy[1]).policy = policy[2] ?? null;
      continue;
    }
    const newChain = /^-N\s+(\S+)\s*$/.exec(line);
    if (newChain?.[1] !== undefined) {
      chain(newChain[1]);
      continue;
    }
    // Save format rule: `-A INPUT ...`, old arptables_jf: `[0:0] -A IN ...`.
    const append = /^(?:\[(\d+):(\d+)\]\s+)?-A\s+(\S+)\s+(.*)$/.exec(line);
    if (append?.[3] !== undefined && append[4] !== undefined) {
      const rule = parseArpRuleText(append[4], line);
      if (rule === null) {
        result.unparsed.push(rawLine);
        continue;
      }
      if (append[1] !== undefined) {
        rule.packets = counter(append[1]);
        rule.bytes = counter(append[2]);
      }
      chain(append[3]).rules.push(rule);
      continue;
    }
    // Listing rule, optionally with a line number.
    const numbered = /^(\d+)\s+(.*)$/.exec(line);
    const body = numbered?.[2] ?? line;
    const rule = current === null ? null : parseArpRuleText(body, body.trim());
    if (rule === null || current === null) {
      result.unparsed.push(rawLine);
      continue;
    }
    rule.lineNumber = numbered?.[1] === undefined ? null : Number(numbered[1]);
    current.rules.push(rule);
  }
  return result;
}

/** Criteria for findArpRule: undefined means "any"; null means "must be absent". */
export interface ArpRuleQuery {
  chain: string;
  target: string;
  source?: string | null;
  destination?: string | null;
  mangleIpSource?: string | null;
  mangleIpDest?: string | null;
  mangleMacSource?: string | null;
  mangleMacDest?: string | null;
  inInterface?: string | null;
  outInterface?: string | null;
}

/** Address comparison that ignores a host mask (/32 or /255.255.255.255) and MAC case. */
function sameValue(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  const norm = (s: string): string => stripHostMask(s.replace(/\/255\.255\.255\.255$/, '')).toLowerCase();
  return norm(a) === norm(b);
}

const QUERY_FIELDS = [
  'source',
  'destination',
  'mangleIpSource',
  'mangleIpDest',
  'mangleMacSource',
  'mangleMacDest',
  'inInterface',
  'outInterface',
] as const;

/**
 * The first rule of `chain` with this target (case-insensitive) whose given fields match;
 * addresses are compared ignoring a /32 suffix. Returns null when there is none.
 */
export function findArpRule(table: ArpTable, query: ArpRuleQuery): ArpRule | null {
  const chain = table.chains.find((c) => c.name === query.chain);
  if (chain === undefined) return null;
  for (const rule of chain.rules) {
    if (rule.target.toLowerCase() !== query.target.toLowerCase()) continue;
    const ok = QUERY_FIELDS.every((f) => {
      const want = query[f];
      return want === undefined || sameValue(rule[f], want);
    });
    if (ok) return rule;
  }
  return null;
}
