// Where the lab departs from its seed document, and why.
import type { LabDetail } from '../../../../shared/api.js';

export function Departures({ departures }: { departures: LabDetail['departures'] }) {
  if (departures.length === 0) return null;
  return (
    <details className="departures">
      <summary>{`Where this lab departs from its seed (${departures.length})`}</summary>
      <ul>
        {departures.map((d, i) => (
          <li key={i}>
            <p>{d.what}</p>
            <p className="dim">{d.why}</p>
          </li>
        ))}
      </ul>
    </details>
  );
}
