// Answers per real server: count, share, and the share the scheduler aims for.
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
  return (
    <table className="shares">
      <thead>
        <tr>
          <th scope="col">Real server</th>
          <th scope="col" className="num">
            Answers
          </th>
          <th scope="col" className="num">
            Share
          </th>
          <th scope="col" className="num">
            {`Expected (${expected.scheduler})`}
          </th>
          <th scope="col">
            <span className="sr-only">Share bar</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {keys.map((key) => {
          const count = counts[key] ?? 0;
          const share = answered === 0 ? 0 : count / answered;
          const want = expected.shares?.[key];
          return (
            <tr key={key} data-server={key}>
              <th scope="row">
                <span className={`swatch ${colorClassOf(colors, key === UNKNOWN_SERVER ? null : key)}`} />
                {key}
              </th>
              <td className="num">{String(count)}</td>
              <td className="num">{answered === 0 ? '–' : percent(share)}</td>
              <td className="num">{want === undefined ? '–' : percent(want)}</td>
              <td className="bar-cell">
                <div className="bar">
                  <div
                    className={`bar-fill ${colorClassOf(colors, key)}`}
                    style={{ width: `${(share * 100).toFixed(1)}%` }}
                  />
                  {want === undefined ? null : (
                    <div className="bar-mark" style={{ left: `${(want * 100).toFixed(1)}%` }} />
                  )}
                </div>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
