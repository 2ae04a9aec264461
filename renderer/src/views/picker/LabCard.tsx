// One lab in the picker: what it teaches, how hard, which seed it follows, what the linter says,
// a start button, and what can be done with its file (copy a shipped lab; export or remove one
// of the user's).
import type { LabSummary } from '../../../../shared/api.js';
import { LabFileActions } from './LabFileActions.js';
import { LabWarnings } from './LabValidation.js';

export interface LabCardProps {
  lab: LabSummary;
  running: boolean;
  busy: boolean;
  onStart: (labId: string) => void;
  onOpen: (labId: string) => void;
}

export function LabCard({ lab, running, busy, onStart, onOpen }: LabCardProps) {
  return (
    <article className="card lab-card" aria-label={lab.title} data-testid={`lab-card-${lab.id}`}>
      <header className="lab-card-head">
        <h3>{lab.title}</h3>
        <span className={`badge badge-${lab.difficulty}`}>{lab.difficulty}</span>
      </header>
      <p className="lab-summary">{lab.summary}</p>
      <p className="lab-meta">
        <code>{lab.id}</code>
        {' · '}
        {lab.base === undefined ? `follows ${lab.seed}` : `builds on ${lab.base} · ${lab.seed}`}
        {' · '}
        {`${lab.steps} steps`}
      </p>
      <LabWarnings lab={lab} />
      <div className="card-actions">
        {running ? (
          <button
            type="button"
            className="primary"
            data-testid={`lab-open-${lab.id}`}
            onClick={() => {
              onOpen(lab.id);
            }}
          >
            Open (running)
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            data-testid={`lab-start-${lab.id}`}
            disabled={busy}
            onClick={() => {
              onStart(lab.id);
            }}
          >
            Start
          </button>
        )}
        {running ? null : (
          <button
            type="button"
            onClick={() => {
              onOpen(lab.id);
            }}
          >
            Read the steps
          </button>
        )}
        <span className="card-actions-gap" />
        <LabFileActions lab={lab} />
      </div>
    </article>
  );
}
