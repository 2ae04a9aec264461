// Small IPv4 arithmetic for the lab validator and the Docker runtime. Addresses are handled as
// unsigned 32-bit numbers.

export function ipToNumber(ip: string): number {
  const parts = ip.split('.').map(Number);
  return (((parts[0] ?? 0) << 24) | ((parts[1] ?? 0) << 16) | ((parts[2] ?? 0) << 8) | (parts[3] ?? 0)) >>> 0;
}

export function numberToIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}

export interface Subnet {
  network: number;
  prefix: number;
  /** First and last address of the block, network and broadcast included. */
  first: number;
  last: number;
}

export function parseCidr(text: string): Subnet {
  const [address = '', prefixText = '32'] = text.split('/');
  const prefix = Number(prefixText);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const network = (ipToNumber(address) & mask) >>> 0;
  return { network, prefix, first: network, last: (network | (~mask >>> 0)) >>> 0 };
}

export function subnetContains(subnet: Subnet, ip: string): boolean {
  const value = ipToNumber(ip);
  return value >= subnet.first && value <= subnet.last;
}

/** A host address: inside the subnet, and neither its network nor its broadcast address. */
export function isUsableHost(subnet: Subnet, ip: string): boolean {
  const value = ipToNumber(ip);
  return value > subnet.first && value < subnet.last;
}

export function subnetsOverlap(a: Subnet, b: Subnet): boolean {
  return a.first <= b.last && b.first <= a.last;
}

export function formatCidr(subnet: Subnet): string {
  return `${numberToIp(subnet.network)}/${subnet.prefix}`;
}

/** `10.0.0.0/24` stays as is; a host address without a prefix becomes `/32`. */
export function normalizeDestination(destination: string): string {
  if (destination === 'default') return destination;
  return destination.includes('/') ? formatCidr(parseCidr(destination)) : `${destination}/32`;
}

/** `172.25.88.1/24` to its parts; without a prefix, the network's. */
export function splitAddress(text: string, networkPrefix: number): { ip: string; prefix: number } {
  const [ip = '', prefix] = text.split('/');
  return { ip, prefix: prefix === undefined ? networkPrefix : Number(prefix) };
}

/** The highest host address of the subnet that is not in `used`, or null when all are taken. */
export function highestFreeHost(subnet: Subnet, used: ReadonlySet<number>): string | null {
  for (let candidate = subnet.last - 1; candidate > subnet.first; candidate--) {
    if (!used.has(candidate)) return numberToIp(candidate);
  }
  return null;
}
