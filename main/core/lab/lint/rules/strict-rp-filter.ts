// A real server gets the requests through the IPIP tunnel with the client's source address,
// which it routes out of another interface: strict reverse-path filtering drops them.
import type { SemanticIssue } from '../../semantics.js';
import { effective, type LintContext } from '../context.js';
import { warning } from './warning.js';

export function strictRpFilter({ nodes }: LintContext): SemanticIssue[] {
  return nodes.flatMap((facts) => {
    if (facts.node.role !== 'realserver' || (facts.vip.length === 0 && !facts.tunnelUp)) return [];
    if (effective(facts, 'rp_filter', 'tunl0') !== 1) return [];
    const key = ['all', 'tunl0']
      .map((device) => `net.ipv4.conf.${device}.rp_filter`)
      .find((k) => facts.sysctls.get(k)?.value === 1);
    const setting = key === undefined ? undefined : facts.sysctls.get(key);
    if (key === undefined || !setting) return [];
    const name = facts.node.name;
    return [
      warning(
        'strict-rp-filter',
        setting.path,
        `${name} receives the tunnelled requests on tunl0 but ${key} stays 1 (strict) after every step: the kernel applies the larger of all and tunl0, and strict reverse-path filtering drops the decapsulated requests, whose source is routed out of another interface. In a step on ${name}, set net.ipv4.conf.all.rp_filter=0 and net.ipv4.conf.tunl0.rp_filter=0 (or 2)`,
      ),
    ];
  });
}
