// A degraded or orphaned lab: what is wrong, and the way out.
import { createElement as h } from 'react';
import type { LabInstanceStatus } from '../../../../shared/status.js';
import { useLabStore } from '../../stores/lab-store.js';

export function InstanceProblems({ instance }: { instance: LabInstanceStatus }) {
  const cleanup = useLabStore((s) => s.cleanup);
  const busy = useLabStore((s) => s.operation !== null);
  if (instance.health === 'running') return null;
  return h(
    'div',
    { className: `notice notice-${instance.health === 'orphaned' ? 'error' : 'warn'}`, role: 'alert' },
    h(
      'strong',
      { className: 'notice-title' },
      instance.health === 'orphaned'
        ? 'This lab was left behind and cannot be used'
        : 'This lab is degraded: some nodes are not running',
    ),
    h(
      'ul',
      null,
      instance.problems.map((p, i) => h('li', { key: i }, p)),
    ),
    h(
      'div',
      { className: 'notice-actions' },
      h(
        'button',
        {
          type: 'button',
          className: 'danger',
          disabled: busy,
          onClick: () => void cleanup([instance.instance]),
        },
        'Clean up (remove its containers and networks)',
      ),
    ),
  );
}
