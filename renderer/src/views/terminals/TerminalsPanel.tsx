// A terminal per node, as tabs, and the Host tab: a shell on the machine running LVS Lab.
import type { LabPanelProps } from '../lab/panel-props.js';
import { useTerminalsStore } from '../../stores/terminals-store.js';
import { HOST_TERMINAL } from '../../terminal/terminal-registry.js';
import { HostTerminalArea, useHostTerminalTab } from './HostTerminal.js';
import { TerminalPane } from './TerminalPane.js';
import { TerminalSearch } from './TerminalSearch.js';
import { FaultMenu } from '../faults/FaultMenu.js';
import { TerminalStatusBar } from './TerminalStatusBar.js';
import { TerminalTabs } from './TerminalTabs.js';

export function TerminalsPanel({ labId, detail, running }: LabPanelProps) {
  const activeNode = useTerminalsStore((s) => s.activeNode);
  const searchOpen = useTerminalsStore((s) => s.searchOpen);
  const hasSession = useTerminalsStore((s) => activeNode !== null && s.sessions[activeNode] !== undefined);
  const host = useHostTerminalTab();
  const nodes = detail.nodes.map((n) => ({ name: n.name, role: n.role }));
  const hostShown = host.enabled && activeNode === HOST_TERMINAL;
  const active = hostShown
    ? HOST_TERMINAL
    : (nodes.find((n) => n.name === activeNode)?.name ?? nodes[0]?.name);
  if (active === undefined) return <p className="dim">This lab has no nodes.</p>;
  // A stopped lab still shows the scrollback of terminals it had; it opens no new ones. The
  // host's shell needs no lab.
  const showPane = running || (hasSession && active === activeNode);
  return (
    <div className="terminals">
      <TerminalTabs nodes={nodes} active={active} host={host} />
      {hostShown ? (
        <HostTerminalArea labId={labId} user={host.user} searchOpen={searchOpen} />
      ) : showPane ? (
        <div className="terminal-area">
          {searchOpen ? <TerminalSearch key={`search-${active}`} node={active} /> : null}
          <TerminalPane key={`pane-${active}`} labId={labId} node={active} />
          <TerminalStatusBar node={active}>
            {running ? <FaultMenu labId={labId} node={active} /> : undefined}
          </TerminalStatusBar>
        </div>
      ) : (
        <p className="empty-panel">Start the lab to open a terminal on each node.</p>
      )}
    </div>
  );
}
