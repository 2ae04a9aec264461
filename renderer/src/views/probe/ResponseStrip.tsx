// The latest answers, oldest to newest, one cell each, coloured by the real server that
// answered; failures in their own style.
import type { ProbeSample } from '../../../../shared/api.js';
import { isTimeout } from '../../stores/probe-stats.js';
import { colorClassOf } from './server-colors.js';

export const STRIP_LENGTH = 120;

function describe(sample: ProbeSample): string {
  if (sample.error !== null) return `#${sample.seq}: ${sample.error}`;
  const latency = sample.latencyMs === null ? '' : `, ${sample.latencyMs.toFixed(1)} ms`;
  return `#${sample.seq}: ${sample.node ?? 'unknown server'}${latency}`;
}

export function ResponseStrip({ samples, colors }: { samples: ProbeSample[]; colors: Map<string, string> }) {
  return (
    <div className="response-strip" role="list" aria-label="Latest answers, oldest first">
      {samples.map((sample) => {
        const kind =
          sample.error === null
            ? colorClassOf(colors, sample.node)
            : isTimeout(sample.error)
              ? 'cell-timeout'
              : 'cell-error';
        return (
          <span
            key={sample.seq}
            role="listitem"
            className={`cell ${kind}`}
            title={describe(sample)}
            aria-label={describe(sample)}
          />
        );
      })}
      {samples.length === 0 ? <span className="dim">No answers yet.</span> : null}
    </div>
  );
}
