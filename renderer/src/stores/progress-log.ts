// Progress of starting or stopping a lab, one line per image, network and node: the latest
// event for each, in the order they first appeared.
import type { ProgressEvent, ProgressPhase } from '../../../shared/progress.js';

export type ProgressEntry = ProgressEvent;

export interface ProgressLog {
  order: string[];
  entries: Record<string, ProgressEntry>;
  /** Any step failed (the core then rolls back). */
  failed: boolean;
}

export const emptyProgress: ProgressLog = { order: [], entries: {}, failed: false };

const key = (event: ProgressEvent) => `${event.phase}:${event.name}`;

export function reduceProgress(log: ProgressLog, event: ProgressEvent): ProgressLog {
  const k = key(event);
  const previous = log.entries[k];
  // A "working" event without a fraction keeps the last one known; "done" is complete.
  const fraction =
    event.state === 'done' ? 1 : event.fraction !== undefined ? event.fraction : (previous?.fraction ?? null);
  const entry: ProgressEntry = { ...event, fraction };
  return {
    order: previous ? log.order : [...log.order, k],
    entries: { ...log.entries, [k]: entry },
    failed: log.failed || event.state === 'failed',
  };
}

const PHASE_LABELS: Record<ProgressPhase, string> = {
  engine: 'Built-in kernel',
  lock: 'Waiting',
  image: 'Image',
  network: 'Networks',
  node: 'Nodes',
  setup: 'Setup',
  rollback: 'Rollback',
  remove: 'Removing',
};

const PHASE_ORDER: ProgressPhase[] = [
  'engine',
  'lock',
  'image',
  'network',
  'node',
  'setup',
  'rollback',
  'remove',
];

export interface ProgressGroup {
  phase: ProgressPhase;
  label: string;
  entries: ProgressEntry[];
}

/** Entries grouped by phase, phases in the order work happens. */
export function progressGroups(log: ProgressLog): ProgressGroup[] {
  return PHASE_ORDER.map((phase) => ({
    phase,
    label: PHASE_LABELS[phase],
    entries: log.order.map((k) => log.entries[k]).filter((e): e is ProgressEntry => e?.phase === phase),
  })).filter((g) => g.entries.length > 0);
}
