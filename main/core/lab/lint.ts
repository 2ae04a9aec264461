// LVS lint: likely LVS-TUN mistakes in a lab that loads. The schema checks shapes and
// semantics.ts checks that a lab agrees with itself; this reads the steps' commands the way a
// reviewer who knows LVS-TUN would, and warns where the lab will probably not behave as an
// LVS-TUN lab should. Warnings never stop a lab from loading: a bug reproduction has its problem on
// purpose, and the caller shows the warning next to it.
//
// Each rule looks for the few command shapes it is about (lint/shell-words.ts cuts the commands
// into words). A rule that cannot tell says nothing, so that a warning is worth reading.
//
// This file is the lint's public face: the rules' ids and descriptions, and lintLab. The work is
// under lint/: the command shapes, the context the rules share, and one file per rule.
import type { LabFile } from '../../../shared/lab-schema.js';
import { lintContext, type LintContext } from './lint/context.js';
import { noVipOnDirector } from './lint/rules/no-vip-on-director.js';
import { realserverVipWithoutArpSuppression } from './lint/rules/realserver-vip-without-arp-suppression.js';
import { rotationWithWeightedScheduler } from './lint/rules/rotation-with-weighted-scheduler.js';
import { strictRpFilter } from './lint/rules/strict-rp-filter.js';
import { tunWithoutI } from './lint/rules/tun-without-i.js';
import { unknownAddress } from './lint/rules/unknown-address.js';
import type { SemanticIssue } from './semantics.js';

export interface LintRule {
  id: string;
  /** One line, for the docs. */
  description: string;
}

export const LINT_RULES = [
  {
    id: 'realserver-vip-without-arp-suppression',
    description:
      'a real server on the VIP’s segment carries the VIP but neither arptables nor arp_ignore=1 with arp_announce=2 hides it from ARP',
  },
  {
    id: 'strict-rp-filter',
    description:
      'a real server receives the tunnelled requests on tunl0 while rp_filter stays strict (1) on all or tunl0',
  },
  {
    id: 'tun-without-i',
    description: 'ipvsadm -a/-e adds or edits a real server without -i (IPIP), or with -g/-m',
  },
  {
    id: 'rotation-with-weighted-scheduler',
    description:
      'an http check expects a strict rotation while the scheduler does not rotate (weights, connection counts, hashing)',
  },
  {
    id: 'no-vip-on-director',
    description: 'no step puts the VIP on the director',
  },
  {
    id: 'unknown-address',
    description:
      'a command names an IPv4 address that is no node’s, in none of the lab’s networks, nor the VIP',
  },
] as const satisfies readonly LintRule[];

export type LintRuleId = (typeof LINT_RULES)[number]['id'];

/** The warnings for a lab that loaded, rule by rule; empty when nothing looks wrong. */
export function lintLab(lab: LabFile): SemanticIssue[] {
  const context = lintContext(lab);
  return RULES.flatMap((rule) => rule.check(context));
}

interface Rule {
  id: LintRuleId;
  check: (context: LintContext) => SemanticIssue[];
}

const RULES: Rule[] = [
  { id: 'realserver-vip-without-arp-suppression', check: realserverVipWithoutArpSuppression },
  { id: 'strict-rp-filter', check: strictRpFilter },
  { id: 'tun-without-i', check: tunWithoutI },
  { id: 'rotation-with-weighted-scheduler', check: rotationWithWeightedScheduler },
  { id: 'no-vip-on-director', check: noVipOnDirector },
  { id: 'unknown-address', check: unknownAddress },
];
