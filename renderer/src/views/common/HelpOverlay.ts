// The "?" overlay: every keyboard shortcut.
import { createElement as h, useEffect, useRef } from 'react';
import { SHORTCUTS } from '../../app/shortcuts.js';
import { useUiStore } from '../../stores/ui-store.js';

export function HelpOverlay() {
  const open = useUiStore((s) => s.helpOpen);
  const setOpen = useUiStore((s) => s.setHelpOpen);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) closeRef.current?.focus();
  }, [open]);
  if (!open) return null;
  const close = () => {
    setOpen(false);
  };
  return h(
    'div',
    { className: 'overlay', onClick: close },
    h(
      'div',
      {
        className: 'dialog',
        role: 'dialog',
        'aria-modal': true,
        'aria-labelledby': 'help-title',
        onClick: (event: { stopPropagation(): void }) => {
          event.stopPropagation();
        },
      },
      h('h2', { id: 'help-title' }, 'Keyboard shortcuts'),
      h(
        'table',
        { className: 'shortcuts' },
        h(
          'tbody',
          null,
          SHORTCUTS.map((s) =>
            h('tr', { key: s.keys }, h('td', null, h('kbd', null, s.keys)), h('td', null, s.description)),
          ),
        ),
      ),
      h(
        'p',
        { className: 'dim' },
        'Plain keys (?, [, ], c) work outside terminals and text fields; the others work everywhere.',
      ),
      h('button', { type: 'button', ref: closeRef, onClick: close }, 'Close'),
    ),
  );
}
