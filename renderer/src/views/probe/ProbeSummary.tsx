// Totals beside the shares: failures, latency and the rate actually reached.

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
  const item = (label: string, value: string, className = '') => (
    <div className={`stat ${className}`}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
  return (
    <dl className="probe-summary">
      {item('Requests', String(props.total))}
      {item('Answered', String(props.answered))}
      {item('Timeouts', String(props.timeouts), props.timeouts > 0 ? 'stat-bad' : '')}
      {item('Errors', String(props.errors), props.errors > 0 ? 'stat-bad' : '')}
      {item('Latency p50', ms(props.p50))}
      {item('Latency p95', ms(props.p95))}
      {item('Rate (5 s)', `${props.rate.toFixed(1)} /s`)}
      {kinds.length === 0 ? null : (
        <div className="stat stat-wide">
          <dt>Errors by kind</dt>
          <dd>{kinds.map(([kind, n]) => `${kind}: ${n}`).join(', ')}</dd>
        </div>
      )}
    </dl>
  );
}
