// A lab file that does not load: its name, each of the loader's errors with its file:line, any
// lint warnings, and (for the user's own labs) a way to remove it.
import type { LabSummary } from '../../../../shared/api.js';
import { LabFileActions } from './LabFileActions.js';
import { LabErrors, LabWarnings } from './LabValidation.js';

export function BrokenLabCard({ lab }: { lab: LabSummary }) {
  return (
    <article
      className="card lab-card lab-card-broken"
      aria-label={`${lab.id} (does not load)`}
      data-testid={`lab-card-${lab.id}`}
    >
      <header className="lab-card-head">
        <h3>{lab.id}</h3>
        <span className="badge badge-fail">does not load</span>
      </header>
      <p className="dim">{lab.file}</p>
      <LabErrors lab={lab} />
      <LabWarnings lab={lab} />
      {lab.source === 'user' ? (
        <div className="card-actions">
          <LabFileActions lab={lab} />
        </div>
      ) : null}
    </article>
  );
}
