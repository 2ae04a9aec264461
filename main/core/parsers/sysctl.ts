// Parser for procps `sysctl KEY...`, `sysctl -a` and `sysctl -w KEY=VALUE` output, and the
// kernel's rule for effective per-interface IPv4 settings. Pure functions, never throw.

import { parseInt10, splitLines } from './text.js';

export interface SysctlResult {
  /** key → value as printed (internal tabs kept: `32768\t60999`). */
  values: Map<string, string>;
  /** Keys that sysctl reported as absent (`cannot stat /proc/sys/...: No such file or directory`). */
  missing: string[];
  /** Other `sysctl: ...` / `error: ...` lines (permission denied, malformed settings, ...). */
  errors: string[];
}

// procps accepts any character but blanks and '=' in a key; interface names add '/', '@', ':', '-'.
const KEY_RE = /^[A-Za-z0-9_][A-Za-z0-9_./:@+-]*$/;
const MISSING_RE = /^sysctl: cannot stat \/proc\/sys\/(\S+?): No such file or directory\s*$/;

/**
 * procps turns /proc/sys paths into keys by swapping '/' and '.': the path
 * `net/ipv4/conf/eth0.100/rp_filter` is the key `net.ipv4.conf.eth0/100.rp_filter`.
 */
export function sysctlPathToKey(path: string): string {
  return path
    .split('/')
    .filter((c) => c !== '')
    .map((c) => c.replaceAll('.', '/'))
    .join('.');
}

/** The sysctl key of an interface name (dots in names such as `eth0.100` become '/'). */
export function ifaceKey(iface: string): string {
  return iface.replaceAll('.', '/');
}

/** Parses sysctl output lines `key = value` (or `key=value`). Unknown lines are ignored. */
export function parseSysctl(text: string): SysctlResult {
  const result: SysctlResult = { values: new Map(), missing: [], errors: [] };
  for (const raw of splitLines(text)) {
    const line = raw.trim();
    if (line === '') continue;
    const missing = MISSING_RE.exec(line);
    if (missing?.[1] !== undefined) {
      result.missing.push(sysctlPathToKey(missing[1]));
      continue;
    }
    if (/^(?:sysctl|error):/.test(line)) {
      result.errors.push(line);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    if (!KEY_RE.test(key)) continue;
    result.values.set(key, line.slice(eq + 1).trim());
  }
  return result;
}

/**
 * IPv4 conf parameters whose effective value on an interface is max(conf.all.X, conf.<iface>.X).
 * Kernel include/linux/inetdevice.h:
 *   #define IN_DEV_MAXCONF(in_dev, attr) \
 *     (max(IPV4_DEVCONF_ALL(dev_net(in_dev->dev), attr), IN_DEV_CONF_GET((in_dev), attr)))
 *   #define IN_DEV_RPFILTER(in_dev)     IN_DEV_MAXCONF((in_dev), RP_FILTER)
 *   #define IN_DEV_ARP_ANNOUNCE(in_dev) IN_DEV_MAXCONF((in_dev), ARP_ANNOUNCE)
 *   #define IN_DEV_ARP_IGNORE(in_dev)   IN_DEV_MAXCONF((in_dev), ARP_IGNORE)
 *   #define IN_DEV_ARP_NOTIFY(in_dev)   IN_DEV_MAXCONF((in_dev), ARP_NOTIFY)
 *   #define IN_DEV_ARP_ACCEPT(in_dev)   IN_DEV_MAXCONF((in_dev), ARP_ACCEPT)  (Linux >= 6.0; before
 *     it was IN_DEV_ORCONF, which gives the same result for the values 0 and 1 older kernels accept)
 * So rp_filter=0 on tunl0 is not enough when conf.all.rp_filter is 1: the effective value is 1.
 * conf.default.X only seeds interfaces created later; it never takes part in this rule.
 */
export const MAX_CONF_PARAMS: readonly string[] = [
  'rp_filter',
  'arp_ignore',
  'arp_announce',
  'arp_notify',
  'arp_accept',
];

// For the message only: parameters the kernel combines as all OR iface / all AND iface.
const OR_CONF_PARAMS = new Set([
  'arp_filter',
  'proxy_arp',
  'proxy_arp_pvlan',
  'log_martians',
  'accept_local',
  'send_redirects',
  'secure_redirects',
  'shared_media',
  'promote_secondaries',
  'route_localnet',
  'src_valid_mark',
  'ignore_routes_with_linkdown',
]);
const AND_CONF_PARAMS = new Set([
  'mc_forwarding',
  'bc_forwarding',
  'accept_source_route',
  'bootp_relay',
  'arp_evict_nocarrier',
]);

export interface EffectiveConf {
  /** The effective value, or null when a value it depends on is missing or not an integer. */
  value: number | null;
  /** conf.all.<param> (null if absent or not an integer). */
  all: number | null;
  /** conf.<iface>.<param> (null if absent or not an integer). */
  iface: number | null;
  /** How the value was obtained, for messages: `max(all=1, tunl0=0)`. */
  rule: string;
}

function show(n: number | null): string {
  return n === null ? '?' : String(n);
}

/**
 * The effective per-interface value of net.ipv4.conf.<iface>.<param>.
 * For MAX_CONF_PARAMS it is max(all, iface). For every other parameter this returns the
 * interface's own value and says so in `rule` (arp_filter, for instance, is all OR iface in the
 * kernel, and forwarding is per interface only): checks on those must read both keys themselves.
 */
export function effectiveConfValue(
  values: ReadonlyMap<string, string>,
  param: string,
  iface: string,
): EffectiveConf {
  const all = parseInt10(values.get(`net.ipv4.conf.all.${param}`));
  const own = parseInt10(values.get(`net.ipv4.conf.${ifaceKey(iface)}.${param}`));
  if (MAX_CONF_PARAMS.includes(param)) {
    return {
      value: all === null || own === null ? null : Math.max(all, own),
      all,
      iface: own,
      rule: `max(all=${show(all)}, ${iface}=${show(own)})`,
    };
  }
  const kernel = OR_CONF_PARAMS.has(param)
    ? `the kernel uses all OR ${iface}`
    : AND_CONF_PARAMS.has(param)
      ? `the kernel uses all AND ${iface}`
      : 'not combined with conf.all';
  return {
    value: own,
    all,
    iface: own,
    rule: `${iface}=${show(own)} (the interface's own value; ${param}: ${kernel})`,
  };
}
