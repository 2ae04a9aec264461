// The top bar: the app's name, the theme and the help.
import { useUiStore } from '../../stores/ui-store.js';
import { ThemeToggle } from '../common/ThemeToggle.js';

export function AppHeader() {
  const setHelpOpen = useUiStore((s) => s.setHelpOpen);
  return (
    <header className="app-header">
      <span className="app-name">LVS Lab</span>
      <span className="app-tagline dim">Linux Virtual Server, IP tunneling</span>
      <span className="spacer" />
      <ThemeToggle />
      <button
        type="button"
        className="header-button"
        title="Keyboard shortcuts (?)"
        onClick={() => {
          setHelpOpen(true);
        }}
      >
        ? Shortcuts
      </button>
    </header>
  );
}
