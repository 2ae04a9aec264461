// Where a node's terminal is shown. The xterm widget lives in the registry; this pane only lends
// it a place in the page (re-parenting keeps the scrollback) and opens the shell on first view.
import { useEffect, useRef } from 'react';
import { getTerminalRegistry } from '../../terminal/registry-instance.js';
import { useTerminalsStore } from '../../stores/terminals-store.js';

export function TerminalPane({ labId, node }: { labId: string; node: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const parent = ref.current;
    if (!parent) return;
    const registry = getTerminalRegistry();
    registry.useLab(labId);
    const view = registry.ensure(node);
    view.attach(parent);
    const status = useTerminalsStore.getState().sessions[node]?.status ?? 'idle';
    if (status === 'idle') void registry.open(node);
    view.focus();
    return () => {
      view.detach();
    };
  }, [labId, node]);
  return <div ref={ref} className="terminal-pane" data-node={node} />;
}
