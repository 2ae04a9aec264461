// Errors that belong to no view (a background refresh failed), in a corner until dismissed.
import { createElement as h } from 'react';
import { useUiStore } from '../../stores/ui-store.js';

export function Toasts() {
  const toasts = useUiStore((s) => s.toasts);
  const dismiss = useUiStore((s) => s.dismissToast);
  if (toasts.length === 0) return null;
  return h(
    'div',
    { className: 'toasts', role: 'status', 'aria-live': 'polite' },
    toasts.map((toast) =>
      h(
        'div',
        { key: toast.id, className: `toast toast-${toast.kind}` },
        h(
          'div',
          null,
          toast.message,
          toast.hint === undefined ? null : h('div', { className: 'dim' }, toast.hint),
        ),
        h(
          'button',
          {
            type: 'button',
            className: 'icon-button',
            'aria-label': 'Dismiss',
            onClick: () => {
              dismiss(toast.id);
            },
          },
          '×',
        ),
      ),
    ),
  );
}
