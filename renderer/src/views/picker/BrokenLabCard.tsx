// A lab file that does not load: its name and the loader's errors, each with file:line.
import type { LabSummary } from '../../../../shared/api.js';

export function BrokenLabCard({ lab }: { lab: LabSummary }) {
  return (
    <article className="card lab-card lab-card-broken" aria-label={`${lab.id} (does not load)`}>
      <header className="lab-card-head">
        <h3>{lab.id}</h3>
        <span className="badge badge-fail">does not load</span>
      </header>
      <p className="dim">{lab.file}</p>
      <pre className="lab-error">{lab.error ?? ''}</pre>
    </article>
  );
}
