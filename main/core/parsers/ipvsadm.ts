// Parsers for ipvsadm 1.31 listings: `ipvsadm -Ln`, `ipvsadm -Ln --stats [--exact]` and
// `ipvsadm -Ln --rate [--exact]`. Pure functions: they never throw, they skip what they do not
// understand and report those lines in `unparsed`.
//
// Layout written by ipvsadm.c (print_title / print_service_entry / print_largenum):
//
//   IP Virtual Server version 1.2.1 (size=4096)
//   Prot LocalAddress:Port Scheduler Flags
//     -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
//   TCP  172.25.88.100:80 rr persistent 300
//     -> 172.25.88.2:80               Tunnel  1      0          0
//   FWM  10 rr
//   TCP  [2001:db8::1]:80 sh (sh-fallback,sh-port)
//
// With --stats the columns are Conns InPkts OutPkts InBytes OutBytes, with --rate
// CPS InPPS OutPPS InBPS OutBPS. Without --exact, print_largenum() prints values of 10^8 and
// more as value/1000 with K, value/10^6 with M (from 10^9), value/10^9 with G (from 10^11) and
// value/10^12 with T (from 10^14), integer division: the printed figure is a lower bound.

import { parseUInt, splitLines, tokens } from './text.js';

export type IpvsProtocol = 'TCP' | 'UDP' | 'SCTP' | 'FWM';

/** Forwarding method as printed by fwd_name(): Tunnel (-i), Route (-g), Masq (-m), Local. */
export type IpvsForward = 'Tunnel' | 'Route' | 'Masq' | 'Local' | (string & Record<never, never>);

export interface IpvsRealServer {
  address: string;
  port: number;
  forward: IpvsForward;
  weight: number;
  activeConn: number;
  inactConn: number;
  /** The TunnelInfo column (`--tun-info`, newer ipvsadm only), e.g. `ipip`; null when absent. */
  tunnelInfo: string | null;
}

export interface IpvsService {
  protocol: IpvsProtocol;
  /** The virtual address without brackets; '' for an FWM service. */
  address: string;
  /** The virtual port; 0 for an FWM service. */
  port: number;
  /** The firewall mark of an FWM service, else null. */
  fwmark: number | null;
  family: 'inet' | 'inet6';
  scheduler: string;
  /** Scheduler and service flags, e.g. ['sh-fallback', 'sh-port'] or ['ops']. */
  flags: string[];
  persistentSeconds: number | null;
  /** `mask 255.255.255.0` (IPv4) or `mask 64` (IPv6) after `persistent N`, else null. */
  persistenceMask: string | null;
  /** `pe sip` (persistence engine), else null. */
  persistenceEngine: string | null;
  realServers: IpvsRealServer[];
}

export interface IpvsTable {
  /** From `IP Virtual Server version 1.2.1 (size=4096)`; null if that header line was absent. */
  version: string | null;
  connTableSize: number | null;
  services: IpvsService[];
  /** Non-blank lines that were not understood (skipped). */
  unparsed: string[];
}

export interface IpvsCounters {
  conns: number;
  inPkts: number;
  outPkts: number;
  inBytes: number;
  outBytes: number;
}

export interface IpvsRates {
  /** Connections per second. */
  cps: number;
  inPps: number;
  outPps: number;
  /** Bytes per second. */
  inBps: number;
  outBps: number;
}

export interface IpvsStatsEndpoint<T> {
  address: string;
  port: number;
  values: T;
  /** False when at least one value on this line was printed rounded (K/M/G/T suffix). */
  exact: boolean;
}

export interface IpvsStatsService<T> extends IpvsStatsEndpoint<T> {
  protocol: IpvsProtocol;
  fwmark: number | null;
  family: 'inet' | 'inet6';
  realServers: IpvsStatsEndpoint<T>[];
}

export interface IpvsStatsTableOf<T> {
  version: string | null;
  connTableSize: number | null;
  /**
   * True when every number in the text is exact. Output of `--exact` always is; output without it
   * is exact as long as no value reached 10^8 (smaller values are printed in full either way).
   */
  exact: boolean;
  services: IpvsStatsService<T>[];
  unparsed: string[];
}

export type IpvsStatsTable = IpvsStatsTableOf<IpvsCounters>;
export type IpvsRateTable = IpvsStatsTableOf<IpvsRates>;

const VERSION_RE = /^IP Virtual Server version (\S+) \(size=(\d+)\)\s*$/;

interface AddrPort {
  address: string;
  port: number;
  family: 'inet' | 'inet6';
}

/** `172.25.88.2:80` or `[2001:db8::1]:80`; null for anything else (e.g. names from a listing without -n). */
export function parseAddrPort(text: string): AddrPort | null {
  const v6 = /^\[([0-9A-Fa-f:.]+(?:%[\w.-]+)?)\]:(\d+)$/.exec(text);
  if (v6?.[1] !== undefined) {
    const port = parseUInt(v6[2]);
    return port !== null && port <= 65535 ? { address: v6[1], port, family: 'inet6' } : null;
  }
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d+)$/.exec(text);
  if (v4?.[1] !== undefined) {
    const port = parseUInt(v4[2]);
    return port !== null && port <= 65535 ? { address: v4[1], port, family: 'inet' } : null;
  }
  return null;
}

interface ServiceHead extends AddrPort {
  protocol: IpvsProtocol;
  fwmark: number | null;
  rest: string[];
}

function parseServiceHead(toks: string[]): ServiceHead | null {
  const [first, second] = toks;
  if (first === 'TCP' || first === 'UDP' || first === 'SCTP') {
    const ap = second === undefined ? null : parseAddrPort(second);
    if (ap === null) return null;
    return { protocol: first, ...ap, fwmark: null, rest: toks.slice(2) };
  }
  if (first === 'FWM') {
    const mark = parseUInt(second);
    if (mark === null) return null;
    const v6 = toks[2] === 'IPv6';
    return {
      protocol: 'FWM',
      address: '',
      port: 0,
      family: v6 ? 'inet6' : 'inet',
      fwmark: mark,
      rest: toks.slice(v6 ? 3 : 2),
    };
  }
  return null;
}

function parseHeaderLine(
  line: string,
  into: { version: string | null; connTableSize: number | null },
): boolean {
  const m = VERSION_RE.exec(line.trim());
  if (m?.[1] === undefined) return false;
  into.version = m[1];
  into.connTableSize = parseUInt(m[2]);
  return true;
}

function isTitleLine(toks: string[]): boolean {
  return toks[0] === 'Prot' || (toks[0] === '->' && toks[1]?.startsWith('RemoteAddress') === true);
}

/** Parses `ipvsadm -Ln` (also `-ln`, `-L -n`). Never throws. */
export function parseIpvsList(text: string): IpvsTable {
  const table: IpvsTable = { version: null, connTableSize: null, services: [], unparsed: [] };
  let current: IpvsService | null = null;
  for (const line of splitLines(text)) {
    if (line.trim() === '') continue;
    if (parseHeaderLine(line, table)) continue;
    const toks = tokens(line);
    if (isTitleLine(toks)) continue;
    if (toks[0] === '->') {
      const rs = current === null ? null : parseRealServer(toks.slice(1));
      if (rs === null || current === null) table.unparsed.push(line);
      else current.realServers.push(rs);
      continue;
    }
    const head = parseServiceHead(toks);
    const svc = head === null ? null : serviceFromHead(head);
    if (svc === null) {
      table.unparsed.push(line);
      // A real-server line after an unreadable service must not attach to the previous one.
      current = null;
      continue;
    }
    table.services.push(svc);
    current = svc;
  }
  return table;
}

function serviceFromHead(head: ServiceHead): IpvsService | null {
  const [scheduler, ...rest] = head.rest;
  if (scheduler === undefined || !/^[a-z][\w-]*$/i.test(scheduler)) return null;
  const svc: IpvsService = {
    protocol: head.protocol,
    address: head.address,
    port: head.port,
    fwmark: head.fwmark,
    family: head.family,
    scheduler,
    flags: [],
    persistentSeconds: null,
    persistenceMask: null,
    persistenceEngine: null,
    realServers: [],
  };
  for (let i = 0; i < rest.length; i++) {
    const tok = rest[i] ?? '';
    const next = rest[i + 1];
    if (tok === 'persistent' && parseUInt(next) !== null) {
      svc.persistentSeconds = parseUInt(next);
      i++;
    } else if (tok === 'mask' && next !== undefined) {
      svc.persistenceMask = next;
      i++;
    } else if (tok === 'pe' && next !== undefined) {
      svc.persistenceEngine = next;
      i++;
    } else {
      // Scheduler flags are printed as `(sh-fallback,sh-port)`; accept bare words too.
      for (const flag of tok.replace(/[()]/g, '').split(',')) {
        if (flag !== '') svc.flags.push(flag);
      }
    }
  }
  return svc;
}

function parseRealServer(toks: string[]): IpvsRealServer | null {
  if (toks.length !== 5 && toks.length !== 6) return null;
  const ap = parseAddrPort(toks[0] ?? '');
  const forward = toks[1];
  const tunnelInfo = toks.length === 6 ? (toks[2] ?? null) : null;
  if (tunnelInfo !== null && /^\d+$/.test(tunnelInfo)) return null;
  const nums = toks.slice(toks.length - 3);
  const weight = parseUInt(nums[0]);
  const activeConn = parseUInt(nums[1]);
  const inactConn = parseUInt(nums[2]);
  if (ap === null || forward === undefined || /^\d/.test(forward)) return null;
  if (weight === null || activeConn === null || inactConn === null) return null;
  return { address: ap.address, port: ap.port, forward, weight, activeConn, inactConn, tunnelInfo };
}

const SUFFIX: Record<string, number> = { K: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/**
 * A number as printed by ipvsadm's print_largenum(): digits, optionally followed by K, M, G or T
 * (powers of 1000, the figure being the integer quotient). Returns the lower-bound value and
 * whether it is exact, or null for anything else.
 */
export function parseLargeNum(token: string | undefined): { value: number; exact: boolean } | null {
  if (token === undefined) return null;
  const m = /^(\d+)([KMGT]?)$/.exec(token);
  if (m?.[1] === undefined) return null;
  const n = Number(m[1]);
  const unit = m[2] === undefined || m[2] === '' ? undefined : SUFFIX[m[2]];
  if (!Number.isFinite(n)) return null;
  return unit === undefined ? { value: n, exact: true } : { value: n * unit, exact: false };
}

function parseFive(toks: string[]): { nums: number[]; exact: boolean } | null {
  if (toks.length !== 5) return null;
  const nums: number[] = [];
  let exact = true;
  for (const t of toks) {
    const p = parseLargeNum(t);
    if (p === null) return null;
    nums.push(p.value);
    exact &&= p.exact;
  }
  return { nums, exact };
}

function parseStatsLike<T>(text: string, build: (n: number[]) => T): IpvsStatsTableOf<T> {
  const table: IpvsStatsTableOf<T> = {
    version: null,
    connTableSize: null,
    exact: true,
    services: [],
    unparsed: [],
  };
  let current: IpvsStatsService<T> | null = null;
  for (const line of splitLines(text)) {
    if (line.trim() === '') continue;
    if (parseHeaderLine(line, table)) continue;
    const toks = tokens(line);
    if (isTitleLine(toks)) continue;
    if (toks[0] === '->') {
      const ap = parseAddrPort(toks[1] ?? '');
      const five = parseFive(toks.slice(2));
      if (current === null || ap === null || five === null) {
        table.unparsed.push(line);
        continue;
      }
      table.exact &&= five.exact;
      current.realServers.push({
        address: ap.address,
        port: ap.port,
        values: build(five.nums),
        exact: five.exact,
      });
      continue;
    }
    const head = parseServiceHead(toks);
    const five = head === null ? null : parseFive(head.rest);
    if (head === null || five === null) {
      table.unparsed.push(line);
      current = null;
      continue;
    }
    table.exact &&= five.exact;
    current = {
      protocol: head.protocol,
      address: head.address,
      port: head.port,
      fwmark: head.fwmark,
      family: head.family,
      values: build(five.nums),
      exact: five.exact,
      realServers: [],
    };
    table.services.push(current);
  }
  return table;
}

/** Parses `ipvsadm -Ln --stats` and `ipvsadm -Ln --stats --exact`. Never throws. */
export function parseIpvsStats(text: string): IpvsStatsTable {
  return parseStatsLike(text, ([conns = 0, inPkts = 0, outPkts = 0, inBytes = 0, outBytes = 0]) => ({
    conns,
    inPkts,
    outPkts,
    inBytes,
    outBytes,
  }));
}

/** Parses `ipvsadm -Ln --rate` (CPS InPPS OutPPS InBPS OutBPS). Never throws. */
export function parseIpvsRate(text: string): IpvsRateTable {
  return parseStatsLike(text, ([cps = 0, inPps = 0, outPps = 0, inBps = 0, outBps = 0]) => ({
    cps,
    inPps,
    outPps,
    inBps,
    outBps,
  }));
}

/**
 * Recognises ipvsadm's failure messages (stderr or stdout) and returns a short human reason,
 * or null when the text is not such a failure. ipvsadm prints, when ipvs_init() fails:
 *   Can't initialize ipvs: Protocol not available
 *   Are you sure that IP Virtual Server is built in the kernel or as module?
 */
export function detectIpvsUnavailable(stderrOrStdout: string): string | null {
  const text = stderrOrStdout;
  const init = /Can't initialize ipvs:\s*([^\n\r]*)/i.exec(text);
  const cause = init?.[1]?.trim() ?? '';
  if (
    /Protocol not available/i.test(cause) ||
    (init !== null && /built in the kernel or as module/i.test(text) && !/Permission denied/i.test(cause))
  ) {
    return 'the kernel has no IPVS (ip_vs module not loaded or not built)';
  }
  if (init !== null && /Permission denied|Operation not permitted|must be root/i.test(cause)) {
    return 'ipvsadm may not configure IPVS here (it needs root with CAP_NET_ADMIN)';
  }
  if (init !== null) {
    return cause === '' ? 'ipvsadm could not initialise IPVS' : `ipvsadm could not initialise IPVS: ${cause}`;
  }
  if (/ipvsadm[^\n]*(?:not found|No such file or directory)/i.test(text)) {
    return 'ipvsadm is not installed in this container';
  }
  return null;
}
