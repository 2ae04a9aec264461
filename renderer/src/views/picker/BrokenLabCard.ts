// A lab file that does not load: its name and the loader's errors, each with file:line.
import { createElement as h } from 'react';
import type { LabSummary } from '../../../../shared/api.js';

export function BrokenLabCard({ lab }: { lab: LabSummary }) {
  return h(
    'article',
    { className: 'card lab-card lab-card-broken', 'aria-label': `${lab.id} (does not load)` },
    h(
      'header',
      { className: 'lab-card-head' },
      h('h3', null, lab.id),
      h('span', { className: 'badge badge-fail' }, 'does not load'),
    ),
    h('p', { className: 'dim' }, lab.file),
    h('pre', { className: 'lab-error' }, lab.error ?? ''),
  );
}
