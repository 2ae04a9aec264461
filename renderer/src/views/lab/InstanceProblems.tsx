// A degraded or orphaned lab: what is wrong, and the way out.
import type { LabInstanceStatus } from '../../../../shared/status.js';
import { useLabStore } from '../../stores/lab-store.js';

export function InstanceProblems({ instance }: { instance: LabInstanceStatus }) {
  const cleanup = useLabStore((s) => s.cleanup);
  const busy = useLabStore((s) => s.operation !== null);
  if (instance.health === 'running') return null;
  return (
    <div className={`notice notice-${instance.health === 'orphaned' ? 'error' : 'warn'}`} role="alert">
      <strong className="notice-title">
        {instance.health === 'orphaned'
          ? 'This lab was left behind and cannot be used'
          : 'This lab is degraded: some nodes are not running'}
      </strong>
      <ul>
        {instance.problems.map((p, i) => (
          <li key={i}>{p}</li>
        ))}
      </ul>
      <div className="notice-actions">
        <button
          type="button"
          className="danger"
          disabled={busy}
          onClick={() => void cleanup([instance.instance])}
        >
          Clean up (remove its containers and networks)
        </button>
      </div>
    </div>
  );
}
