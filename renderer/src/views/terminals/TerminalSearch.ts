// Ctrl+Shift+F in a terminal: find in its scrollback. Enter: next, Shift+Enter: previous, Esc: close.
import { createElement as h, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { getTerminalRegistry } from '../../terminal/registry-instance.js';
import { useTerminalsStore } from '../../stores/terminals-store.js';

export function TerminalSearch({ node }: { node: string }) {
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
  return h(
    'div',
    { className: 'terminal-search', role: 'search' },
    h('input', {
      ref: input,
      type: 'search',
      value: text,
      placeholder: `Find in ${node}'s terminal`,
      'aria-label': 'Find in terminal',
      'aria-invalid': missing,
      onChange: (event: { target: HTMLInputElement }) => {
        setText(event.target.value);
        setMissing(false);
      },
      onKeyDown,
    }),
    h(
      'button',
      {
        type: 'button',
        className: 'small',
        onClick: () => {
          find('previous');
        },
      },
      '↑',
    ),
    h(
      'button',
      {
        type: 'button',
        className: 'small',
        onClick: () => {
          find('next');
        },
      },
      '↓',
    ),
    missing ? h('span', { className: 'dim' }, 'no match') : null,
    h(
      'button',
      { type: 'button', className: 'icon-button', 'aria-label': 'Close search', onClick: close },
      '×',
    ),
  );
}
