// The director must carry the VIP: without it, it neither answers ARP for the VIP nor accepts the
// packets IPVS must tunnel.
import type { SemanticIssue } from '../../semantics.js';
import type { LintContext } from '../context.js';
import { warning } from './warning.js';

export function noVipOnDirector({ lab, nodes }: LintContext): SemanticIssue[] {
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
