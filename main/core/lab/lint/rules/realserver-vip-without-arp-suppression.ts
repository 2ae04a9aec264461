// A real server that carries the VIP on the VIP's segment must not answer ARP for it nor announce
// it, or the client's packets for the VIP go to that server instead of the director.
import type { LabNode } from '../../../../../shared/lab-schema.js';
import { splitAddress, subnetContains } from '../../ipv4.js';
import type { SemanticIssue } from '../../semantics.js';
import { effective, type LintContext } from '../context.js';
import { warning } from './warning.js';

/** arp_ignore values with which a request for an address on another device gets no answer. */
const ARP_IGNORE_HIDING = new Set([1, 2, 8]);

export function realserverVipWithoutArpSuppression({ lab, nodes, subnets }: LintContext): SemanticIssue[] {
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

function firstAddress(node: LabNode): string {
  const address = Object.values(node.addresses).flat()[0] ?? '';
  return splitAddress(address, 32).ip;
}
