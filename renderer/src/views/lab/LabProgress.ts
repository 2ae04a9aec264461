// Starting or stopping a lab: one line per image, network and node, as the core reports them.
import { createElement as h } from 'react';
import { progressGroups, type ProgressEntry, type ProgressLog } from '../../stores/progress-log.js';
import { StatusDot, type DotTone } from '../common/StatusDot.js';

const TONES: Record<ProgressEntry['state'], DotTone> = { working: 'busy', done: 'ok', failed: 'fail' };

function Entry({ entry }: { entry: ProgressEntry }) {
  const fraction = entry.fraction ?? null;
  return h(
    'li',
    { className: `progress-entry progress-${entry.state}` },
    h(StatusDot, { tone: TONES[entry.state], label: entry.state }),
    h('span', { className: 'progress-name' }, entry.name),
    h('span', { className: 'progress-message dim' }, entry.message ?? entry.state),
    fraction === null || entry.state !== 'working'
      ? null
      : h('progress', { max: 1, value: fraction, 'aria-label': `${entry.name} progress` }),
  );
}

export function LabProgress({ title, log }: { title: string; log: ProgressLog }) {
  const groups = progressGroups(log);
  return h(
    'section',
    { className: 'card lab-progress', 'aria-label': title },
    h('h3', null, title),
    groups.length === 0
      ? h('p', { className: 'dim' }, 'Waiting for the engine…')
      : groups.map((group) =>
          h(
            'div',
            { key: group.phase, className: 'progress-group' },
            h('h4', null, group.label),
            h(
              'ul',
              null,
              group.entries.map((entry) => h(Entry, { key: `${entry.phase}:${entry.name}`, entry })),
            ),
          ),
        ),
  );
}
