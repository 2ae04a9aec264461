// Starting the built-in kernel: provisioning (its image, built from Debian packages the first
// time), boot, and loading the lab image into it, each with its latest message.
import type { ProgressEntry } from '../../stores/progress-log.js';
import { enginePhases, useEngineStore } from '../../stores/engine-store.js';
import { StatusDot, type DotTone } from '../common/StatusDot.js';

const TONES: Record<ProgressEntry['state'], DotTone> = { working: 'busy', done: 'ok', failed: 'fail' };

export function EngineProgress() {
  const progress = useEngineStore((s) => s.progress);
  return (
    <ul className="engine-progress" aria-label="Starting the built-in kernel">
      {enginePhases(progress).map(({ name, label, entry }) => {
        const fraction = entry?.fraction ?? null;
        return (
          <li key={name} className={`progress-entry progress-${entry?.state ?? 'waiting'}`}>
            <StatusDot tone={entry ? TONES[entry.state] : 'off'} label={entry?.state ?? 'waiting'} />
            <span className="progress-name">{label}</span>
            <span className="progress-message dim" title={entry?.message}>
              {entry ? (entry.message ?? entry.state) : 'waiting'}
            </span>
            {fraction === null || entry?.state !== 'working' ? null : (
              <progress max={1} value={fraction} aria-label={`${label} progress`} />
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** Said wherever the built-in kernel can be started: the first start is slow, and why. */
export function FirstStartNote() {
  return (
    <p className="dim engine-note">
      The first start takes about a minute: it builds the kernel’s image from Debian packages. Later starts
      take about 10 s.
    </p>
  );
}
