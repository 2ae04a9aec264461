// Under the terminal: the shell's state, Reconnect once it has exited or failed to open, and the
// controls the panel adds for the node (its Break/Fix menu).
import type { ReactNode } from 'react';
import { getTerminalRegistry } from '../../terminal/registry-instance.js';
import { useTerminalsStore } from '../../stores/terminals-store.js';

/** `label` names where the shell runs when that is not a node ("the host"). */
export function TerminalStatusBar({
  node,
  label = node,
  children,
}: {
  node: string;
  label?: string;
  children?: ReactNode;
}) {
  const meta = useTerminalsStore((s) => s.sessions[node]);
  const status = meta?.status ?? 'idle';
  const reconnect = () => {
    void getTerminalRegistry().reconnect(node);
  };
  let text: string;
  switch (status) {
    case 'idle':
      text = 'No shell yet';
      break;
    case 'connecting':
      text = `Opening a shell on ${label}…`;
      break;
    case 'open':
      text = `Shell on ${label}`;
      break;
    case 'exited':
      text = `Exited: ${meta?.reason ?? 'unknown reason'}${meta?.exitCode == null ? '' : ` (code ${meta.exitCode})`}`;
      break;
    case 'error':
      text = `Could not open a shell: ${meta?.error?.message ?? 'unknown error'}`;
      break;
  }
  return (
    <div className={`terminal-status terminal-${status}`} role="status">
      <span>{text}</span>
      {status === 'error' && meta?.error?.hint !== undefined ? (
        <span className="dim">{meta.error.hint}</span>
      ) : null}
      {status === 'exited' || status === 'error' ? (
        <button type="button" className="small" onClick={reconnect}>
          Reconnect
        </button>
      ) : null}
      {children === undefined ? null : <span className="terminal-status-extra">{children}</span>}
    </div>
  );
}
