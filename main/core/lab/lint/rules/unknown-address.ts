// An IPv4 address in a command that is no node's, in none of the lab's networks, nor the VIP is
// most likely a typo.
import type { LabFile } from '../../../../../shared/lab-schema.js';
import { ipToNumber, parseCidr, splitAddress, subnetContains } from '../../ipv4.js';
import type { SemanticIssue } from '../../semantics.js';
import type { LintContext } from '../context.js';
import { routeDestination } from '../ip-commands.js';
import { clip, warning } from './warning.js';

/** Addresses nobody needs to own: the unspecified address, masks, loopback. */
function isIgnoredAddress(ip: string): boolean {
  return ip === '0.0.0.0' || ip.startsWith('255.') || ip.startsWith('127.');
}

const IPV4_IN_TEXT = /(?<![\w.])(\d{1,3}(?:\.\d{1,3}){3})(?:\/(\d{1,2}))?(?![\w.])/g;

export function unknownAddress({ lab, lines, subnets }: LintContext): SemanticIssue[] {
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
