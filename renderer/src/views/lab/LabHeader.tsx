// The lab's name, seed and state, the engine it runs on, with start and stop, and the lab as a
// bundle to hand on (Export) or, while it runs, a reproduction of what it shows.
import type { LabDetail } from '../../../../shared/api.js';
import type { LabInstanceStatus } from '../../../../shared/status.js';
import { useLabStore } from '../../stores/lab-store.js';
import { getTerminalRegistry } from '../../terminal/registry-instance.js';
import { StatusDot } from '../common/StatusDot.js';
import { EngineHeaderControls } from '../engine/EngineHeaderControls.js';
import { ExportLabButton } from './ExportLabButton.js';
import { SaveReproButton } from './SaveReproButton.js';

export interface LabHeaderProps {
  labId: string;
  detail: LabDetail | null;
  instance: LabInstanceStatus | null;
}

function seedText(detail: LabDetail): string {
  const seed = `seed ${detail.seed.document}${detail.seed.section === undefined ? '' : ` ${detail.seed.section}`}`;
  return detail.base === undefined ? `follows ${seed}` : `builds on ${detail.base} · ${seed}`;
}

export function LabHeader({ labId, detail, instance }: LabHeaderProps) {
  const operation = useLabStore((s) => s.operation);
  const up = useLabStore((s) => s.up);
  const down = useLabStore((s) => s.down);
  const close = useLabStore((s) => s.close);
  const busy = operation !== null;
  const health = instance?.health ?? 'stopped';
  const stop = async () => {
    if (!window.confirm(`Stop ${labId}? Its containers and networks are removed.`)) return;
    if (await down(labId)) getTerminalRegistry().closeLabTerminals();
  };
  return (
    <header className="lab-header">
      <button type="button" className="link-button" onClick={close}>
        ← All labs
      </button>
      <div className="lab-title">
        <h1>{detail?.title ?? labId}</h1>
        {detail ? <span className="dim">{`${seedText(detail)} · ${detail.difficulty}`}</span> : null}
      </div>
      <EngineHeaderControls />
      <span className={`health health-${health}`}>
        <StatusDot
          tone={
            health === 'running'
              ? 'ok'
              : health === 'degraded'
                ? 'warn'
                : health === 'orphaned'
                  ? 'fail'
                  : 'off'
          }
          label={health}
        />
        {operation?.labId === labId ? (operation.kind === 'up' ? 'starting…' : 'stopping…') : health}
      </span>
      {instance?.health === 'running' ? <SaveReproButton labId={labId} /> : null}
      <ExportLabButton labId={labId} />
      {instance && instance.health !== 'orphaned' ? (
        <button type="button" className="danger" disabled={busy} onClick={() => void stop()}>
          Stop lab
        </button>
      ) : (
        <button type="button" className="primary" disabled={busy} onClick={() => void up(labId)}>
          Start lab
        </button>
      )}
    </header>
  );
}
