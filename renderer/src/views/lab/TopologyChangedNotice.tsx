// The authoring loop in the app: a trainer saved the lab file with other networks, nodes or
// service. Steps and checks already apply; the topology needs the lab made again.
import type { LabInstanceStatus } from '../../../../shared/status.js';
import { useLabStore } from '../../stores/lab-store.js';

export function TopologyChangedNotice({ instance }: { instance: LabInstanceStatus }) {
  const up = useLabStore((s) => s.up);
  const down = useLabStore((s) => s.down);
  const busy = useLabStore((s) => s.operation !== null);
  if (!instance.topologyChanged || instance.health !== 'running') return null;
  const restart = async () => {
    if (await down(instance.labId)) await up(instance.labId);
  };
  return (
    <div className="notice notice-warn" role="status" data-testid="topology-changed">
      <strong className="notice-title">The lab file changed its networks, nodes or service</strong>
      <p>
        Steps, checks and faults from the file apply now. The new topology needs the lab made again: a restart
        removes its containers, so step progress starts over.
      </p>
      <div className="notice-actions">
        <button type="button" disabled={busy} onClick={() => void restart()}>
          Restart the lab
        </button>
      </div>
    </div>
  );
}
