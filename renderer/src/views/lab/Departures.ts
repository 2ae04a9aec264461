// Where the lab departs from its seed document, and why.
import { createElement as h } from 'react';
import type { LabDetail } from '../../../../shared/api.js';

export function Departures({ departures }: { departures: LabDetail['departures'] }) {
  if (departures.length === 0) return null;
  return h(
    'details',
    { className: 'departures' },
    h('summary', null, `Where this lab departs from its seed (${departures.length})`),
    h(
      'ul',
      null,
      departures.map((d, i) =>
        h('li', { key: i }, h('p', null, d.what), h('p', { className: 'dim' }, d.why)),
      ),
    ),
  );
}
