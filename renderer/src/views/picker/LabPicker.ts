// The start page: the labs to choose from, the engine's preflight, and labs already on it.
import { createElement as h } from 'react';
import { useLabStore } from '../../stores/lab-store.js';
import { useLabsStore } from '../../stores/labs-store.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { ViewBoundary } from '../common/ViewBoundary.js';
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
    return h(ErrorNotice, { title: 'The labs could not be listed', error, onRetry: () => void load() });
  if (!labs) return h('p', { className: 'dim' }, loading ? 'Loading the labs…' : 'No labs yet.');
  return h(LabList, {
    labs,
    runningLabIds: running,
    busy,
    onStart: (labId) => {
      void up(labId);
    },
    onOpen: open,
  });
}

export function LabPicker() {
  return h(
    'main',
    { className: 'picker' },
    h('div', { className: 'picker-labs' }, h(ViewBoundary, { name: 'The lab list' }, h(Labs))),
    h(
      'aside',
      { className: 'picker-side' },
      h(ViewBoundary, { name: 'Preflight' }, h(PreflightPanel)),
      h(ViewBoundary, { name: 'The labs on the engine' }, h(InstancesPanel)),
    ),
  );
}
