// Ctrl+Shift+F in a terminal: find in its scrollback. Enter: next, Shift+Enter: previous, Esc: close.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { getTerminalRegistry } from '../../terminal/registry-instance.js';
import { useTerminalsStore } from '../../stores/terminals-store.js';

/** `label` names where the shell runs when that is not a node ("the host"). */
export function TerminalSearch({ node, label = node }: { node: string; label?: string }) {
  const setOpen = useTerminalsStore((s) => s.setSearchOpen);
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
    return () => {
      getTerminalRegistry().view(node)?.clearFind();
    };
  }, [node]);

  const find = (direction: 'next' | 'previous') => {
    if (text === '') return;
    const found = getTerminalRegistry().view(node)?.find(text, direction) ?? false;
    setMissing(!found);
  };
  const close = () => {
    setOpen(false);
    getTerminalRegistry().view(node)?.focus();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      find(event.shiftKey ? 'previous' : 'next');
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close();
    }
  };
  return (
    <div className="terminal-search" role="search">
      <input
        ref={input}
        type="search"
        value={text}
        placeholder={`Find in ${label}'s terminal`}
        aria-label="Find in terminal"
        aria-invalid={missing}
        onChange={(event) => {
          setText(event.target.value);
          setMissing(false);
        }}
        onKeyDown={onKeyDown}
      />
      <button
        type="button"
        className="small"
        onClick={() => {
          find('previous');
        }}
      >
        ↑
      </button>
      <button
        type="button"
        className="small"
        onClick={() => {
          find('next');
        }}
      >
        ↓
      </button>
      {missing ? <span className="dim">no match</span> : null}
      <button type="button" className="icon-button" aria-label="Close search" onClick={close}>
        ×
      </button>
    </div>
  );
}
