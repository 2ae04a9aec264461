// Starting or stopping a lab: one line per image, network and node, as the core reports them.
import { progressGroups, type ProgressEntry, type ProgressLog } from '../../stores/progress-log.js';
import { StatusDot, type DotTone } from '../common/StatusDot.js';

const TONES: Record<ProgressEntry['state'], DotTone> = { working: 'busy', done: 'ok', failed: 'fail' };

function Entry({ entry }: { entry: ProgressEntry }) {
  const fraction = entry.fraction ?? null;
  return (
    <li className={`progress-entry progress-${entry.state}`}>
      <StatusDot tone={TONES[entry.state]} label={entry.state} />
      <span className="progress-name">{entry.name}</span>
      <span className="progress-message dim">{entry.message ?? entry.state}</span>
      {fraction === null || entry.state !== 'working' ? null : (
        <progress max={1} value={fraction} aria-label={`${entry.name} progress`} />
      )}
    </li>
  );
}

export function LabProgress({ title, log }: { title: string; log: ProgressLog }) {
  const groups = progressGroups(log);
  return (
    <section className="card lab-progress" aria-label={title}>
      <h3>{title}</h3>
      {groups.length === 0 ? (
        <p className="dim">Waiting for the engine…</p>
      ) : (
        groups.map((group) => (
          <div key={group.phase} className="progress-group">
            <h4>{group.label}</h4>
            <ul>
              {group.entries.map((entry) => (
                <Entry key={`${entry.phase}:${entry.name}`} entry={entry} />
              ))}
            </ul>
          </div>
        ))
      )}
    </section>
  );
}
