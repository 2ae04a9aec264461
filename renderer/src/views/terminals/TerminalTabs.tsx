// One tab per node, with the state of its shell.
import { useTerminalsStore, type TerminalStatus } from '../../stores/terminals-store.js';
import { StatusDot, type DotTone } from '../common/StatusDot.js';
import { Tabs } from '../common/Tabs.js';

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
  return (
    <Tabs
      label="Terminals"
      className="terminal-tabs"
      tabs={nodes.map((node, i) => {
        const status = sessions[node.name]?.status ?? 'idle';
        return {
          id: node.name,
          label: node.name,
          title: `${node.name} (${node.role}) · Alt+${i + 1}`,
          icon: <StatusDot tone={TONES[status]} label={status} />,
        };
      })}
      active={active}
      onSelect={setActive}
    />
  );
}
