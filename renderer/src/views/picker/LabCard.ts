// One lab in the picker: what it teaches, how hard, which seed it follows, and a start button.
import { createElement as h } from 'react';
import type { LabSummary } from '../../../../shared/api.js';

export interface LabCardProps {
  lab: LabSummary;
  running: boolean;
  busy: boolean;
  onStart: (labId: string) => void;
  onOpen: (labId: string) => void;
}

export function LabCard({ lab, running, busy, onStart, onOpen }: LabCardProps) {
  return h(
    'article',
    { className: 'card lab-card', 'aria-label': lab.title },
    h(
      'header',
      { className: 'lab-card-head' },
      h('h3', null, lab.title),
      h('span', { className: `badge badge-${lab.difficulty}` }, lab.difficulty),
    ),
    h('p', { className: 'lab-summary' }, lab.summary),
    h(
      'p',
      { className: 'lab-meta' },
      h('code', null, lab.id),
      ' · ',
      lab.base === undefined ? `follows ${lab.seed}` : `builds on ${lab.base} · ${lab.seed}`,
      ' · ',
      `${lab.steps} steps`,
    ),
    h(
      'div',
      { className: 'card-actions' },
      running
        ? h(
            'button',
            {
              type: 'button',
              className: 'primary',
              onClick: () => {
                onOpen(lab.id);
              },
            },
            'Open (running)',
          )
        : h(
            'button',
            {
              type: 'button',
              className: 'primary',
              disabled: busy,
              onClick: () => {
                onStart(lab.id);
              },
            },
            'Start',
          ),
      running
        ? null
        : h(
            'button',
            {
              type: 'button',
              onClick: () => {
                onOpen(lab.id);
              },
            },
            'Read the steps',
          ),
    ),
  );
}
