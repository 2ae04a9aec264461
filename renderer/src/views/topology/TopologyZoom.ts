// The topology at its natural size, over the page: the column beside the terminals is narrow
// for labs with many nodes in a row.
import { createElement as h, useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';

export function TopologyZoom({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose: () => void;
  children?: ReactNode;
}) {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    closeRef.current?.focus();
  }, []);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
    }
  };
  return h(
    'div',
    { className: 'overlay', onClick: onClose, onKeyDown },
    h(
      'div',
      {
        className: 'dialog topology-zoom',
        role: 'dialog',
        'aria-modal': true,
        'aria-label': title,
        onClick: (event: { stopPropagation(): void }) => {
          event.stopPropagation();
        },
      },
      h(
        'header',
        { className: 'section-head' },
        h('h2', null, title),
        h('button', { type: 'button', ref: closeRef, onClick: onClose }, 'Close'),
      ),
      children,
    ),
  );
}
