// Labs present on the engine: open a running one; clean up what a crash left behind.
import { createElement as h } from 'react';
import type { LabInstanceStatus } from '../../../../shared/status.js';
import { useLabStore } from '../../stores/lab-store.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { StatusDot } from '../common/StatusDot.js';

function InstanceRow({ instance }: { instance: LabInstanceStatus }) {
  const open = useLabStore((s) => s.open);
  const cleanup = useLabStore((s) => s.cleanup);
  const busy = useLabStore((s) => s.operation !== null);
  const tone = instance.health === 'running' ? 'ok' : instance.health === 'degraded' ? 'warn' : 'fail';
  return h(
    'li',
    { className: `instance instance-${instance.health}` },
    h(
      'div',
      { className: 'instance-head' },
      h(StatusDot, { tone, label: instance.health }),
      h('strong', null, instance.labId),
      h('span', { className: 'dim' }, `${instance.health} · instance ${instance.instance}`),
    ),
    instance.problems.length === 0
      ? null
      : h(
          'ul',
          { className: 'problems' },
          instance.problems.map((p, i) => h('li', { key: i }, p)),
        ),
    h(
      'div',
      { className: 'card-actions' },
      instance.health === 'orphaned'
        ? null
        : h(
            'button',
            {
              type: 'button',
              onClick: () => {
                open(instance.labId);
              },
            },
            'Open',
          ),
      instance.health === 'running'
        ? null
        : h(
            'button',
            {
              type: 'button',
              className: 'danger',
              disabled: busy,
              onClick: () => {
                void cleanup([instance.instance]);
              },
            },
            'Clean up',
          ),
    ),
  );
}

export function InstancesPanel() {
  const instances = useLabStore((s) => s.instances);
  const statusError = useLabStore((s) => s.statusError);
  const refresh = useLabStore((s) => s.refreshStatus);
  const operation = useLabStore((s) => s.operation);
  const operationError = useLabStore((s) => s.operationError);
  const dismiss = useLabStore((s) => s.dismissOperationError);
  return h(
    'section',
    { className: 'card instances', 'aria-labelledby': 'instances-title' },
    h(
      'header',
      { className: 'section-head' },
      h('h2', { id: 'instances-title' }, 'On the engine'),
      h('button', { type: 'button', onClick: () => void refresh() }, 'Refresh'),
    ),
    statusError
      ? h(ErrorNotice, { title: 'Lab status failed', error: statusError, onRetry: () => void refresh() })
      : null,
    operation?.kind === 'cleanup' ? h('p', { className: 'dim' }, 'Cleaning up…') : null,
    operationError?.kind === 'cleanup'
      ? h(ErrorNotice, { title: 'Cleanup failed', error: operationError.error, onDismiss: dismiss })
      : null,
    instances === null
      ? h('p', { className: 'dim' }, 'Asking the engine…')
      : instances.length === 0
        ? h('p', { className: 'dim' }, 'No lab is running.')
        : h(
            'ul',
            { className: 'instance-list' },
            instances.map((instance) => h(InstanceRow, { key: instance.instance, instance })),
          ),
  );
}
