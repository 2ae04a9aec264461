// An http check that expects a strict rotation holds only with a scheduler that rotates. This
// replays the director's ipvsadm commands step by step to know the scheduler and weights each
// check meets.
import { SCHEDULERS, type LabFile, type Scheduler } from '../../../../../shared/lab-schema.js';
import { splitAddress } from '../../ipv4.js';
import type { SemanticIssue } from '../../semantics.js';
import type { LintContext } from '../context.js';
import {
  DEFAULT_SCHEDULER,
  DEFAULT_WEIGHT,
  ipvsadmCommand,
  type IpvsadmCommand,
} from '../ipvsadm-commands.js';
import { hostOf, optionValue } from '../shell-words.js';
import { warning } from './warning.js';

/** The director's IPVS state as the steps leave it: the scheduler and each real server's weight. */
interface IpvsState {
  scheduler: Scheduler;
  weights: Map<string, number>;
}

function applyIpvsadm(state: IpvsState, command: IpvsadmCommand): void {
  const server = hostOf(optionValue(command.argv, ['-r', '--real-server']));
  const scheduler = SCHEDULERS.find((s) => s === optionValue(command.argv, ['-s', '--scheduler']));
  const weight = Number(optionValue(command.argv, ['-w', '--weight']) ?? DEFAULT_WEIGHT);
  switch (command.operation) {
    case 'add-service':
      state.scheduler = scheduler ?? DEFAULT_SCHEDULER;
      break;
    case 'edit-service':
      if (scheduler) state.scheduler = scheduler;
      break;
    case 'clear':
      state.weights.clear();
      break;
    case 'add-server':
    case 'edit-server':
      state.weights.set(server, weight);
      break;
    case 'delete-server':
      state.weights.delete(server);
      break;
  }
}

/** Schedulers that pick by connection counts and weights, and ones that hash the client. */
const COUNTING_SCHEDULERS = new Set<Scheduler>(['lc', 'wlc', 'sed', 'nq', 'lblc', 'lblcr']);
const HASHING_SCHEDULERS = new Set<Scheduler>(['sh', 'dh', 'mh']);

export function rotationWithWeightedScheduler({ lab, lines }: LintContext): SemanticIssue[] {
  const state: IpvsState = { scheduler: lab.service.scheduler, weights: new Map() };
  return lab.steps.flatMap((step, s) => {
    // A step's commands run before its checks.
    for (const line of lines.filter((l) => l.step === s)) {
      for (const argv of line.simple) {
        const command = ipvsadmCommand(argv);
        if (command) applyIpvsadm(state, command);
      }
    }
    return step.checks.flatMap((check, c) => {
      if (check.kind !== 'http' || !check.expect.rotation) return [];
      const why = rotationBreaker(lab, state);
      return why
        ? [
            warning(
              'rotation-with-weighted-scheduler',
              ['steps', s, 'checks', c, 'expect', 'rotation'],
              `this check expects the answers to rotate through ${check.expect.rotation.join(', ')}, but ${why}. Expect counts instead, or use rr (or equal weights)`,
            ),
          ]
        : [];
    });
  });
}

/** Why the scheduler will not answer in a fixed rotation; null when it will. */
function rotationBreaker(lab: LabFile, { scheduler, weights }: IpvsState): string | null {
  const named = [...weights].map(([ip, w]) => `${nodeNameOf(lab, ip) ?? ip} ${w}`).join(', ');
  if (HASHING_SCHEDULERS.has(scheduler))
    return `the scheduler is ${scheduler}, which hashes addresses: one client always reaches the same server`;
  if (COUNTING_SCHEDULERS.has(scheduler))
    return `the scheduler is ${scheduler}, which picks by connection counts and weights, not in a fixed order`;
  const values = new Set(weights.values());
  if (scheduler === 'wrr' && values.size > 1)
    return `the scheduler is wrr and the weights differ (${named}): each server answers in proportion to its weight`;
  if (values.has(0)) return `a real server has weight 0 (${named}) and gets no new requests`;
  return null;
}

function nodeNameOf(lab: LabFile, ip: string): string | undefined {
  return lab.nodes.find((n) =>
    Object.values(n.addresses)
      .flat()
      .some((a) => splitAddress(a, 32).ip === ip),
  )?.name;
}
