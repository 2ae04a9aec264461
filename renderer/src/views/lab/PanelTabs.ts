// Beside the guide: terminals, the live round-robin panel, or the IPVS table.
import { createElement as h } from 'react';
import { useUiStore, type Panel } from '../../stores/ui-store.js';

const PANELS: { panel: Panel; label: string; keys: string }[] = [
  { panel: 'terminals', label: 'Terminals', keys: 'Ctrl+Shift+1' },
  { panel: 'probe', label: 'Live round robin', keys: 'Ctrl+Shift+2' },
  { panel: 'ipvs', label: 'IPVS table', keys: 'Ctrl+Shift+3' },
];

export function PanelTabs() {
  const panel = useUiStore((s) => s.panel);
  const setPanel = useUiStore((s) => s.setPanel);
  return h(
    'div',
    { className: 'tabs panel-tabs', role: 'tablist', 'aria-label': 'Panels' },
    PANELS.map((p) =>
      h(
        'button',
        {
          key: p.panel,
          type: 'button',
          role: 'tab',
          'aria-selected': p.panel === panel,
          className: p.panel === panel ? 'tab tab-active' : 'tab',
          title: p.keys,
          onClick: () => {
            setPanel(p.panel);
          },
        },
        p.label,
      ),
    ),
  );
}
