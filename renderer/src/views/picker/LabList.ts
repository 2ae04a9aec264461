// The labs, then the reproductions that build on them.
import { createElement as h } from 'react';
import type { LabSummary } from '../../../../shared/api.js';
import { groupLabs } from '../../stores/labs-store.js';
import { BrokenLabCard } from './BrokenLabCard.js';
import { LabCard } from './LabCard.js';

export interface LabListProps {
  labs: LabSummary[];
  runningLabIds: Set<string>;
  busy: boolean;
  onStart: (labId: string) => void;
  onOpen: (labId: string) => void;
}

export function LabList({ labs, runningLabIds, busy, onStart, onOpen }: LabListProps) {
  const groups = groupLabs(labs);
  const card = (lab: LabSummary) =>
    lab.error === undefined
      ? h(LabCard, { key: lab.file, lab, running: runningLabIds.has(lab.id), busy, onStart, onOpen })
      : h(BrokenLabCard, { key: lab.file, lab });
  return h(
    'div',
    { className: 'lab-list' },
    h(
      'section',
      { 'aria-labelledby': 'labs-title' },
      h('h2', { id: 'labs-title' }, 'Labs'),
      groups.labs.map(card),
    ),
    groups.reproductions.length === 0
      ? null
      : h(
          'section',
          { 'aria-labelledby': 'repro-title' },
          h('h2', { id: 'repro-title' }, 'Bug reproductions and variations'),
          h(
            'p',
            { className: 'dim' },
            'Each builds on a lab, leaves out or changes a step, and checks the symptom.',
          ),
          groups.reproductions.map(card),
        ),
  );
}
