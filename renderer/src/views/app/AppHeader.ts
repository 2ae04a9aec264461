// The top bar: the app's name, the theme and the help.
import { createElement as h } from 'react';
import { useUiStore } from '../../stores/ui-store.js';
import { ThemeToggle } from '../common/ThemeToggle.js';

export function AppHeader() {
  const setHelpOpen = useUiStore((s) => s.setHelpOpen);
  return h(
    'header',
    { className: 'app-header' },
    h('span', { className: 'app-name' }, 'LVS Lab'),
    h('span', { className: 'app-tagline dim' }, 'Linux Virtual Server, IP tunneling'),
    h('span', { className: 'spacer' }),
    h(ThemeToggle),
    h(
      'button',
      {
        type: 'button',
        className: 'header-button',
        title: 'Keyboard shortcuts (?)',
        onClick: () => {
          setHelpOpen(true);
        },
      },
      '? Shortcuts',
    ),
  );
}
