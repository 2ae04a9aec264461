// Totals beside the shares: failures, latency and the rate actually reached.
import { createElement as h } from 'react';

export interface ProbeSummaryProps {
  total: number;
  answered: number;
  timeouts: number;
  errors: number;
  errorKinds: Record<string, number>;
  p50: number | null;
  p95: number | null;
  rate: number;
}

const ms = (value: number | null) => (value === null ? '–' : `${value.toFixed(1)} ms`);

export function ProbeSummary(props: ProbeSummaryProps) {
  const kinds = Object.entries(props.errorKinds);
  const item = (label: string, value: string, className = '') =>
    h('div', { className: `stat ${className}` }, h('dt', null, label), h('dd', null, value));
  return h(
    'dl',
    { className: 'probe-summary' },
    item('Requests', String(props.total)),
    item('Answered', String(props.answered)),
    item('Timeouts', String(props.timeouts), props.timeouts > 0 ? 'stat-bad' : ''),
    item('Errors', String(props.errors), props.errors > 0 ? 'stat-bad' : ''),
    item('Latency p50', ms(props.p50)),
    item('Latency p95', ms(props.p95)),
    item('Rate (5 s)', `${props.rate.toFixed(1)} /s`),
    kinds.length === 0
      ? null
      : h(
          'div',
          { className: 'stat stat-wide' },
          h('dt', null, 'Errors by kind'),
          h('dd', null, kinds.map(([kind, n]) => `${kind}: ${n}`).join(', ')),
        ),
  );
}
