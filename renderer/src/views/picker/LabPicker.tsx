// The start page: the labs to choose from (a .lvslab bundle dropped on it is imported), the
// engine's preflight, which engine runs the labs, and labs already on it.
import { useLabStore } from '../../stores/lab-store.js';
import { useLabsStore } from '../../stores/labs-store.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { ViewBoundary } from '../common/ViewBoundary.js';
import { EnginePanel } from '../engine/EnginePanel.js';
import { BundleDropZone } from './BundleDropZone.js';
import { InstancesPanel } from './InstancesPanel.js';
import { LabList } from './LabList.js';
import { PreflightPanel } from './PreflightPanel.js';

function Labs() {
  const labs = useLabsStore((s) => s.labs);
  const loading = useLabsStore((s) => s.loading);
  const error = useLabsStore((s) => s.error);
  const load = useLabsStore((s) => s.load);
  const instances = useLabStore((s) => s.instances);
  const busy = useLabStore((s) => s.operation !== null);
  const up = useLabStore((s) => s.up);
  const open = useLabStore((s) => s.open);
  const running = new Set((instances ?? []).filter((i) => i.health !== 'orphaned').map((i) => i.labId));
  if (error)
    return <ErrorNotice title="The labs could not be listed" error={error} onRetry={() => void load()} />;
  if (!labs) return <p className="dim">{loading ? 'Loading the labs…' : 'No labs yet.'}</p>;
  return (
    <LabList
      labs={labs}
      runningLabIds={running}
      busy={busy}
      onStart={(labId) => {
        void up(labId);
      }}
      onOpen={open}
    />
  );
}

export function LabPicker() {
  return (
    <BundleDropZone className="picker">
      <div className="picker-labs">
        <ViewBoundary name="The lab list">
          <Labs />
        </ViewBoundary>
      </div>
      <aside className="picker-side">
        <ViewBoundary name="Preflight">
          <PreflightPanel />
        </ViewBoundary>
        <ViewBoundary name="The engine">
          <EnginePanel />
        </ViewBoundary>
        <ViewBoundary name="The labs on the engine">
          <InstancesPanel />
        </ViewBoundary>
      </aside>
    </BundleDropZone>
  );
}
