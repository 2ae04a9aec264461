// A terminal per node, as tabs.
import type { LabDetail } from '../../../../shared/api.js';
import { useTerminalsStore } from '../../stores/terminals-store.js';
import { TerminalPane } from './TerminalPane.js';
import { TerminalSearch } from './TerminalSearch.js';
import { TerminalStatusBar } from './TerminalStatusBar.js';
import { TerminalTabs } from './TerminalTabs.js';

export function TerminalsPanel({
  labId,
  detail,
  running,
}: {
  labId: string;
  detail: LabDetail;
  running: boolean;
}) {
  const activeNode = useTerminalsStore((s) => s.activeNode);
  const searchOpen = useTerminalsStore((s) => s.searchOpen);
  const hasSession = useTerminalsStore((s) => activeNode !== null && s.sessions[activeNode] !== undefined);
  const nodes = detail.nodes.map((n) => ({ name: n.name, role: n.role }));
  const active = nodes.find((n) => n.name === activeNode)?.name ?? nodes[0]?.name;
  if (active === undefined) return <p className="dim">This lab has no nodes.</p>;
  // A stopped lab still shows the scrollback of terminals it had; it opens no new ones.
  const showPane = running || (hasSession && active === activeNode);
  return (
    <div className="terminals">
      <TerminalTabs nodes={nodes} active={active} />
      {showPane ? (
        <div className="terminal-area">
          {searchOpen ? <TerminalSearch key={`search-${active}`} node={active} /> : null}
          <TerminalPane key={`pane-${active}`} labId={labId} node={active} />
          <TerminalStatusBar node={active} />
        </div>
      ) : (
        <p className="empty-panel">Start the lab to open a terminal on each node.</p>
      )}
    </div>
  );
}
