// Which engine and kernel the labs run on, in one line, with why as its tooltip; for the
// built-in kernel, a dot with its state.
import type { ReactNode } from 'react';
import { engineSwitching, useEngineStore } from '../../stores/engine-store.js';
import { StatusDot } from '../common/StatusDot.js';
import { BUILTIN_TONES, builtinStateText, engineLabel, switchingText } from './engine-text.js';

export function EngineBadge() {
  const info = useEngineStore((s) => s.info);
  const switching = useEngineStore(engineSwitching);
  const stopping = useEngineStore((s) => s.busy === 'stop');
  const pendingChoice = useEngineStore((s) => s.pendingChoice);
  const startingKernel = useEngineStore((s) => s.progress.order.length > 0);

  let body: ReactNode;
  if (switching || stopping) {
    body = (
      <>
        <StatusDot tone="busy" label="switching" />
        <span className="engine-badge-text">
          {stopping ? 'Stopping the built-in kernel…' : switchingText(pendingChoice, startingKernel)}
        </span>
      </>
    );
  } else if (info === null) {
    body = <span className="engine-badge-text dim">Asking which engine runs the labs…</span>;
  } else {
    body = (
      <>
        {info.kind === 'builtin' ? (
          <StatusDot
            tone={BUILTIN_TONES[info.builtin.state]}
            label={`built-in kernel ${builtinStateText(info.builtin)}`}
          />
        ) : null}
        <span className="engine-badge-text">{engineLabel(info)}</span>
      </>
    );
  }
  return (
    <span
      className={`engine-badge${info === null ? '' : ` engine-${info.kind}`}`}
      role="status"
      aria-label="Engine"
      title={info?.reason}
    >
      {body}
    </span>
  );
}
