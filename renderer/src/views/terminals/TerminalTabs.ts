// One tab per node, with the state of its shell.
import { createElement as h } from 'react';
import { useTerminalsStore, type TerminalStatus } from '../../stores/terminals-store.js';
import { StatusDot, type DotTone } from '../common/StatusDot.js';

const TONES: Record<TerminalStatus, DotTone> = {
  idle: 'off',
  connecting: 'busy',
  open: 'ok',
  exited: 'fail',
  error: 'fail',
};

export function TerminalTabs({ nodes, active }: { nodes: { name: string; role: string }[]; active: string }) {
  const sessions = useTerminalsStore((s) => s.sessions);
  const setActive = useTerminalsStore((s) => s.setActive);
  return h(
    'div',
    { className: 'tabs terminal-tabs', role: 'tablist', 'aria-label': 'Terminals' },
    nodes.map((node, i) => {
      const status = sessions[node.name]?.status ?? 'idle';
      return h(
        'button',
        {
          key: node.name,
          type: 'button',
          role: 'tab',
          'aria-selected': node.name === active,
          className: node.name === active ? 'tab tab-active' : 'tab',
          title: `${node.name} (${node.role}) · Alt+${i + 1}`,
          onClick: () => {
            setActive(node.name);
          },
        },
        h(StatusDot, { tone: TONES[status], label: status }),
        node.name,
      );
    }),
  );
}
