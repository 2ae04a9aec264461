// Parsers for iproute2 6.1 JSON output: `ip -j addr show`, `ip -j route show [table all]` and
// `ip -j neigh show`. Pure functions. They throw a descriptive Error only when the text is not a
// JSON array at all; inside the array, entries they cannot read are skipped.
//
// Notes on the JSON of iproute2 6.1 (seen in real captures, test/fixtures/parsers):
// - A veth peer shown as `eth0@if12` in text is `"ifname":"eth0"` plus `"link_index":12` in JSON
//   (`"link":"veth0"` instead when the peer is in the same namespace).
// - tunl0 (`tunl0@NONE` in text) is `"ifname":"tunl0"`, `"link":null`, `"link_type":"ipip"` and
//   `"address":"0.0.0.0"`: an IPv4 link address, not a MAC. Its operstate is UNKNOWN when up.
// - `ip -j -4 addr` leaves out link_type and address (older versions also print `{}` for links
//   without an address of that family).
// - Host routes have no prefix in "dst" ("172.25.88.100"); the parser adds /32 (or /128).
// - With a `dev` filter (`ip -j neigh show dev eth0`) entries have no "dev".

import { isRecord } from './text.js';

export interface InterfaceAddress {
  family: 'inet' | 'inet6';
  local: string;
  prefixlen: number;
  label: string | null;
  scope: string | null;
  broadcast: string | null;
  secondary: boolean;
}

export interface NetInterface {
  name: string;
  index: number;
  flags: string[];
  /** UP, DOWN, UNKNOWN (tunl0 and lo report UNKNOWN when up), LOWERLAYERDOWN, … */
  operstate: string;
  /** Administratively up: flags include UP. */
  up: boolean;
  /** Carrier: flags include LOWER_UP. */
  lowerUp: boolean;
  mtu: number;
  /** ether, loopback, ipip, … ('' when not reported, e.g. with `ip -4`). */
  linkType: string;
  /** The link-layer address when it is a MAC (xx:xx:xx:xx:xx:xx), else null (tunl0 has 0.0.0.0). */
  mac: string | null;
  /** The raw link-layer "address" field, whatever its form; null when absent. */
  linkAddress: string | null;
  /** Peer interface index of `eth0@if12` (12) when the peer is in another namespace, else null. */
  linkIndex: number | null;
  /** Peer interface name of `veth1@veth0` when the peer is in the same namespace, else null. */
  link: string | null;
  master: string | null;
  addresses: InterfaceAddress[];
}

export interface Route {
  /** 'default' or a CIDR; host routes are normalised to /32 (IPv4) or /128 (IPv6). */
  dst: string;
  gateway: string | null;
  dev: string | null;
  protocol: string | null;
  scope: string | null;
  prefsrc: string | null;
  /** unicast routes have no "type" in the JSON: null; else local, broadcast, unreachable, … */
  type: string | null;
  /** null for the main table (not printed), else local, a number, … */
  table: string | null;
  metric: number | null;
  flags: string[];
  /** Address family, from dst, gateway or prefsrc; null when none says (e.g. `default dev tun0`). */
  family: 'inet' | 'inet6' | null;
}

export interface Neighbour {
  dst: string;
  dev: string | null;
  lladdr: string | null;
  /** e.g. ['REACHABLE'], ['STALE'], ['FAILED'], ['PERMANENT'] */
  state: string[];
  router: boolean;
}

function parseJsonArray(json: string, what: string): unknown[] {
  const text = json.trim();
  if (text === '') throw new Error(`empty output, expected the JSON array printed by \`${what}\``);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new Error(
      `not JSON (${reason}); \`${what}\` output starts with ${JSON.stringify(text.slice(0, 80))}`,
    );
  }
  if (!Array.isArray(value)) {
    throw new Error(`expected a JSON array from \`${what}\`, got ${value === null ? 'null' : typeof value}`);
  }
  return value as unknown[];
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

const MAC_RE = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/i;

/** Parses `ip -j addr show` (also `ip -j link show`: addresses are then empty). */
export function parseIpAddr(json: string): NetInterface[] {
  const out: NetInterface[] = [];
  for (const entry of parseJsonArray(json, 'ip -j addr show')) {
    if (!isRecord(entry)) continue;
    const name = str(entry.ifname);
    const index = num(entry.ifindex);
    if (name === null || index === null) continue;
    const flags = strings(entry.flags);
    const linkAddress = str(entry.address);
    const addresses: InterfaceAddress[] = [];
    if (Array.isArray(entry.addr_info)) {
      for (const a of entry.addr_info as unknown[]) {
        if (!isRecord(a)) continue;
        const family = a.family;
        const local = str(a.local);
        const prefixlen = num(a.prefixlen);
        if ((family !== 'inet' && family !== 'inet6') || local === null || prefixlen === null) continue;
        addresses.push({
          family,
          local,
          prefixlen,
          label: str(a.label),
          scope: str(a.scope),
          broadcast: str(a.broadcast),
          secondary: a.secondary === true,
        });
      }
    }
    out.push({
      name,
      index,
      flags,
      operstate: str(entry.operstate) ?? 'UNKNOWN',
      up: flags.includes('UP'),
      lowerUp: flags.includes('LOWER_UP'),
      mtu: num(entry.mtu) ?? 0,
      linkType: str(entry.link_type) ?? '',
      mac: linkAddress !== null && MAC_RE.test(linkAddress) ? linkAddress.toLowerCase() : null,
      linkAddress,
      linkIndex: num(entry.link_index),
      link: str(entry.link),
      master: str(entry.master),
      addresses,
    });
  }
  return out;
}

/**
 * Normalises a route destination or address for comparison: 'default' (also 0.0.0.0/0, ::/0),
 * host addresses get /32 or /128, IPv6 is lower-cased.
 */
export function normalizeDst(dst: string): string {
  const d = dst.trim();
  if (d === 'default' || d === '0.0.0.0/0' || d === '::/0') return 'default';
  const v6 = d.includes(':');
  const lower = v6 ? d.toLowerCase() : d;
  if (lower.includes('/')) return lower;
  return `${lower}/${v6 ? '128' : '32'}`;
}

/** Parses `ip -j route show` and `ip -j route show table all` (IPv4 and IPv6). */
export function parseIpRoute(json: string): Route[] {
  const out: Route[] = [];
  for (const entry of parseJsonArray(json, 'ip -j route show')) {
    if (!isRecord(entry)) continue;
    const dst = str(entry.dst);
    if (dst === null) continue;
    const table = entry.table;
    const hints = [dst, str(entry.gateway), str(entry.prefsrc)].filter(
      (x): x is string => x !== null && x !== 'default',
    );
    out.push({
      dst: normalizeDst(dst),
      gateway: str(entry.gateway),
      dev: str(entry.dev),
      protocol: str(entry.protocol),
      scope: str(entry.scope),
      prefsrc: str(entry.prefsrc),
      type: str(entry.type),
      table: typeof table === 'number' ? String(table) : str(table),
      metric: num(entry.metric),
      flags: strings(entry.flags),
      family: hints.length === 0 ? null : hints.some((h) => h.includes(':')) ? 'inet6' : 'inet',
    });
  }
  return out;
}

/** Parses `ip -j neigh show`. */
export function parseIpNeigh(json: string): Neighbour[] {
  const out: Neighbour[] = [];
  for (const entry of parseJsonArray(json, 'ip -j neigh show')) {
    if (!isRecord(entry)) continue;
    const dst = str(entry.dst);
    if (dst === null) continue;
    out.push({
      dst,
      dev: str(entry.dev),
      lladdr: str(entry.lladdr),
      state: strings(entry.state),
      router: 'router' in entry,
    });
  }
  return out;
}

/** Splits `172.25.88.100/32` into address and prefix (null when not given). */
function splitPrefix(address: string): { address: string; prefixlen: number | null } {
  const m = /^(.*)\/(\d{1,3})$/.exec(address.trim());
  if (m?.[1] !== undefined) return { address: m[1], prefixlen: Number(m[2]) };
  return { address: address.trim(), prefixlen: null };
}

function sameAddress(a: string, b: string): boolean {
  return a.includes(':') || b.includes(':') ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/**
 * All interfaces carrying an address. `address` may carry a prefix (`172.25.88.100/32`): then
 * the prefix length must match too; without it any prefix length matches.
 */
export function findAddresses(
  ifaces: readonly NetInterface[],
  address: string,
): { iface: NetInterface; address: InterfaceAddress }[] {
  const want = splitPrefix(address);
  const hits: { iface: NetInterface; address: InterfaceAddress }[] = [];
  for (const iface of ifaces) {
    for (const a of iface.addresses) {
      if (!sameAddress(a.local, want.address)) continue;
      if (want.prefixlen !== null && a.prefixlen !== want.prefixlen) continue;
      hits.push({ iface, address: a });
    }
  }
  return hits;
}

/** The first interface carrying an address (see findAddresses), or null. */
export function findAddress(
  ifaces: readonly NetInterface[],
  address: string,
): { iface: NetInterface; address: InterfaceAddress } | null {
  return findAddresses(ifaces, address)[0] ?? null;
}

/**
 * All routes whose normalised dst equals the normalised destination, in input order. 'default'
 * is printed for both families: `0.0.0.0/0` selects IPv4 and `::/0` IPv6 default routes.
 */
export function routesFor(routes: readonly Route[], destination: string): Route[] {
  const want = normalizeDst(destination);
  const q = destination.trim();
  const family = q === '::/0' ? 'inet6' : q === '0.0.0.0/0' ? 'inet' : null;
  return routes.filter((r) => r.dst === want && (family === null || r.family === family));
}

/**
 * The route for a destination (exact match of dst after normalisation; 'default' included).
 * With `table all` output a destination can appear in several tables: a main-table route
 * (table null or 'main') is preferred, otherwise the first match is returned. A plain
 * 'default' prefers an IPv4 route over an IPv6 one.
 */
export function routeFor(routes: readonly Route[], destination: string): Route | null {
  const hits = routesFor(routes, destination);
  const main = hits.filter((r) => r.table === null || r.table === 'main');
  const pool = main.length > 0 ? main : hits;
  return pool.find((r) => r.family !== 'inet6') ?? pool[0] ?? null;
}
