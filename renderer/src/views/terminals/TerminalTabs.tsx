// One tab per node, with the state of its shell, and the Host tab after them.
import { useTerminalsStore, type TerminalStatus } from '../../stores/terminals-store.js';
import { HOST_TERMINAL } from '../../terminal/terminal-registry.js';
import { StatusDot, type DotTone } from '../common/StatusDot.js';
import { Tabs } from '../common/Tabs.js';
import type { HostTerminalTab } from './HostTerminal.js';

const TONES: Record<TerminalStatus, DotTone> = {
  idle: 'off',
  connecting: 'busy',
  open: 'ok',
  exited: 'fail',
  error: 'fail',
};

export function TerminalTabs({
  nodes,
  active,
  host,
}: {
  nodes: { name: string; role: string }[];
  active: string;
  host: HostTerminalTab;
}) {
  const sessions = useTerminalsStore((s) => s.sessions);
  const setActive = useTerminalsStore((s) => s.setActive);
  const hostStatus = sessions[HOST_TERMINAL]?.status ?? 'idle';
  return (
    <Tabs
      label="Terminals"
      className="terminal-tabs"
      tabs={[
        ...nodes.map((node, i) => {
          const status = sessions[node.name]?.status ?? 'idle';
          return {
            id: node.name,
            label: node.name,
            title: `${node.name} (${node.role}) · Alt+${i + 1}`,
            icon: <StatusDot tone={TONES[status]} label={status} />,
          };
        }),
        {
          id: HOST_TERMINAL,
          label: 'Host',
          title: host.title,
          icon: host.enabled ? (
            <StatusDot tone={TONES[hostStatus]} label={hostStatus} />
          ) : (
            <StatusDot tone="off" label="off" />
          ),
          disabled: !host.enabled,
        },
      ]}
      active={active}
      onSelect={setActive}
    />
  );
}
