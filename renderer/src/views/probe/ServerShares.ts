// Answers per real server: count, share, and the share the scheduler aims for.
import { createElement as h } from 'react';
import type { ExpectedShares } from '../../stores/probe-stats.js';
import { UNKNOWN_SERVER } from '../../stores/probe-store.js';
import { colorClassOf } from './server-colors.js';

export interface ServerSharesProps {
  servers: string[];
  counts: Record<string, number>;
  answered: number;
  expected: ExpectedShares;
  colors: Map<string, string>;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(share > 0 && share < 0.1 ? 1 : 0)}%`;
}

export function ServerShares({ servers, counts, answered, expected, colors }: ServerSharesProps) {
  // The lab's real servers, then any other answer key (an address, "(unknown)").
  const keys = [...servers];
  for (const key of [...Object.keys(expected.shares ?? {}), ...Object.keys(counts)]) {
    if (!keys.includes(key)) keys.push(key);
  }
  return h(
    'table',
    { className: 'shares' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, 'Real server'),
        h('th', { scope: 'col', className: 'num' }, 'Answers'),
        h('th', { scope: 'col', className: 'num' }, 'Share'),
        h('th', { scope: 'col', className: 'num' }, `Expected (${expected.scheduler})`),
        h('th', { scope: 'col' }, h('span', { className: 'sr-only' }, 'Share bar')),
      ),
    ),
    h(
      'tbody',
      null,
      keys.map((key) => {
        const count = counts[key] ?? 0;
        const share = answered === 0 ? 0 : count / answered;
        const want = expected.shares?.[key];
        return h(
          'tr',
          { key, 'data-server': key },
          h(
            'th',
            { scope: 'row' },
            h('span', { className: `swatch ${colorClassOf(colors, key === UNKNOWN_SERVER ? null : key)}` }),
            key,
          ),
          h('td', { className: 'num' }, String(count)),
          h('td', { className: 'num' }, answered === 0 ? '–' : percent(share)),
          h('td', { className: 'num' }, want === undefined ? '–' : percent(want)),
          h(
            'td',
            { className: 'bar-cell' },
            h(
              'div',
              { className: 'bar' },
              h('div', {
                className: `bar-fill ${colorClassOf(colors, key)}`,
                style: { width: `${(share * 100).toFixed(1)}%` },
              }),
              want === undefined
                ? null
                : h('div', { className: 'bar-mark', style: { left: `${(want * 100).toFixed(1)}%` } }),
            ),
          ),
        );
      }),
    ),
  );
}
