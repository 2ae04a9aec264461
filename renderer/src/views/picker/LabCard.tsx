// One lab in the picker: what it teaches, how hard, which seed it follows, and a start button.
import type { LabSummary } from '../../../../shared/api.js';

export interface LabCardProps {
  lab: LabSummary;
  running: boolean;
  busy: boolean;
  onStart: (labId: string) => void;
  onOpen: (labId: string) => void;
}

export function LabCard({ lab, running, busy, onStart, onOpen }: LabCardProps) {
  return (
    <article className="card lab-card" aria-label={lab.title}>
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
      <div className="card-actions">
        {running ? (
          <button
            type="button"
            className="primary"
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
      </div>
    </article>
  );
}
