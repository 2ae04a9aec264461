// One node in the topology: role colour and label, name, state, addresses, and the VIP on the
// director.
import { createElement as h } from 'react';
import type { NodeStatus } from '../../../../shared/status.js';
import type { NodeLayout } from './topology-layout.js';

const ROLE_LABELS: Record<string, string> = {
  director: 'director',
  realserver: 'real server',
  client: 'client',
  router: 'router',
};

function stateClass(status: NodeStatus | undefined): string {
  if (!status) return 'state-none';
  return status.state === 'running' ? 'state-running' : 'state-stopped';
}

export function TopologyNode({ layout, status }: { layout: NodeLayout; status: NodeStatus | undefined }) {
  const { node, x, y, width, height } = layout;
  const role = node.role;
  const stateText = status ? status.state : 'not started';
  let lineY = y + 52;
  return h(
    'g',
    { className: `topo-node role-${role} ${stateClass(status)}`, 'data-node': node.name },
    h(
      'title',
      null,
      `${node.name} (${ROLE_LABELS[role] ?? role}): ${status ? status.status : 'not started'}`,
    ),
    h('rect', { className: 'topo-box', x, y, width, height, rx: 8 }),
    h('rect', { className: 'topo-band', x, y, width: 6, height, rx: 3 }),
    h('text', { className: 'topo-name', x: x + 16, y: y + 19 }, node.name),
    h('circle', { className: 'topo-state', cx: x + width - 14, cy: y + 14, r: 5 }),
    h(
      'text',
      { className: 'topo-role', x: x + 16, y: y + 35 },
      `${ROLE_LABELS[role] ?? role} · ${stateText}`,
    ),
    layout.addresses.map((line) => {
      const text = h('text', { key: line, className: 'topo-address', x: x + 16, y: lineY }, line);
      lineY += 15;
      return text;
    }),
    layout.vip === null
      ? null
      : h('text', { className: 'topo-vip', x: x + 16, y: lineY }, `VIP ${layout.vip}`),
  );
}
