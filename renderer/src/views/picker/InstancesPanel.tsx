// Labs present on the engine: open a running one; clean up what a crash left behind.
import type { LabInstanceStatus } from '../../../../shared/status.js';
import { useLabStore } from '../../stores/lab-store.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { SectionHead } from '../common/SectionHead.js';
import { StatusDot } from '../common/StatusDot.js';

function InstanceRow({ instance }: { instance: LabInstanceStatus }) {
  const open = useLabStore((s) => s.open);
  const cleanup = useLabStore((s) => s.cleanup);
  const busy = useLabStore((s) => s.operation !== null);
  const tone = instance.health === 'running' ? 'ok' : instance.health === 'degraded' ? 'warn' : 'fail';
  return (
    <li className={`instance instance-${instance.health}`}>
      <div className="instance-head">
        <StatusDot tone={tone} label={instance.health} />
        <strong>{instance.labId}</strong>
        <span className="dim">{`${instance.health} · instance ${instance.instance}`}</span>
      </div>
      {instance.problems.length === 0 ? null : (
        <ul className="problems">
          {instance.problems.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      )}
      <div className="card-actions">
        {instance.health === 'orphaned' ? null : (
          <button
            type="button"
            onClick={() => {
              open(instance.labId);
            }}
          >
            Open
          </button>
        )}
        {instance.health === 'running' ? null : (
          <button
            type="button"
            className="danger"
            disabled={busy}
            onClick={() => {
              void cleanup([instance.instance]);
            }}
          >
            Clean up
          </button>
        )}
      </div>
    </li>
  );
}

export function InstancesPanel() {
  const instances = useLabStore((s) => s.instances);
  const statusError = useLabStore((s) => s.statusError);
  const refresh = useLabStore((s) => s.refreshStatus);
  const operation = useLabStore((s) => s.operation);
  const operationError = useLabStore((s) => s.operationError);
  const dismiss = useLabStore((s) => s.dismissOperationError);
  return (
    <section className="card instances" aria-labelledby="instances-title">
      <SectionHead title="On the engine" titleId="instances-title">
        <button type="button" onClick={() => void refresh()}>
          Refresh
        </button>
      </SectionHead>
      {statusError ? (
        <ErrorNotice title="Lab status failed" error={statusError} onRetry={() => void refresh()} />
      ) : null}
      {operation?.kind === 'cleanup' ? <p className="dim">Cleaning up…</p> : null}
      {operationError?.kind === 'cleanup' ? (
        <ErrorNotice title="Cleanup failed" error={operationError.error} onDismiss={dismiss} />
      ) : null}
      {instances === null ? (
        <p className="dim">Asking the engine…</p>
      ) : instances.length === 0 ? (
        <p className="dim">No lab is running.</p>
      ) : (
        <ul className="instance-list">
          {instances.map((instance) => (
            <InstanceRow key={instance.instance} instance={instance} />
          ))}
        </ul>
      )}
    </section>
  );
}
