// Applies the shortcuts. The listener runs in the capture phase, so a terminal does not see the
// keys the page takes (Alt+1 would otherwise also reach the shell).
import { useEffect } from 'react';
import { useLabStore } from '../stores/lab-store.js';
import { useLabsStore } from '../stores/labs-store.js';
import { useStepsStore } from '../stores/steps-store.js';
import { useTerminalsStore } from '../stores/terminals-store.js';
import { useUiStore } from '../stores/ui-store.js';
import { keyContext, matchShortcut, type ShortcutAction } from './shortcuts.js';

/** Carries out an action; false when it does not apply now (the key then goes on as usual). */
export function performShortcut(action: ShortcutAction): boolean {
  const ui = useUiStore.getState();
  const terminals = useTerminalsStore.getState();
  const labId = useLabStore.getState().activeLabId;
  switch (action.type) {
    case 'help':
      ui.setHelpOpen(!ui.helpOpen);
      return true;
    case 'escape':
      if (ui.helpOpen) {
        ui.setHelpOpen(false);
        return true;
      }
      if (terminals.searchOpen) {
        terminals.setSearchOpen(false);
        return true;
      }
      return false;
    case 'theme':
      ui.toggleTheme();
      return true;
    case 'panel':
      if (labId === null) return false;
      ui.setPanel(action.panel);
      return true;
    case 'terminal': {
      if (labId === null) return false;
      const node = useLabsStore.getState().details[labId]?.nodes[action.index];
      if (!node) return false;
      ui.setPanel('terminals');
      terminals.setActive(node.name);
      return true;
    }
    case 'search':
      if (labId === null || ui.panel !== 'terminals') return false;
      terminals.setSearchOpen(true);
      return true;
    case 'step':
      if (labId === null) return false;
      useStepsStore.getState().move(action.delta);
      return true;
    case 'check': {
      const steps = useStepsStore.getState();
      if (labId === null || steps.selectedStepId === null) return false;
      void steps.check(steps.selectedStepId);
      return true;
    }
  }
}

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.repeat && event.key !== '[' && event.key !== ']') return;
      const action = matchShortcut(event, keyContext(event.target));
      if (action && performShortcut(action)) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => {
      window.removeEventListener('keydown', onKey, { capture: true });
    };
  }, []);
}
