// The keyboard shortcuts, as one table the help overlay prints and one matcher the page uses.
// Shortcuts that are plain keys ("?", "[", "c") only work outside terminals and text fields, so
// typing is never stolen; the modified ones work everywhere, terminals included.
import type { Panel } from '../stores/ui-store.js';

export type ShortcutAction =
  | { type: 'help' }
  | { type: 'escape' }
  | { type: 'panel'; panel: Panel }
  | { type: 'terminal'; index: number }
  | { type: 'search' }
  | { type: 'step'; delta: number }
  | { type: 'check' }
  | { type: 'theme' };

export interface Shortcut {
  keys: string;
  description: string;
}

export const SHORTCUTS: Shortcut[] = [
  { keys: '?', description: 'Show or hide this help' },
  { keys: 'Esc', description: 'Close the help or the terminal search' },
  { keys: 'Ctrl+Shift+1', description: 'Show the terminals' },
  { keys: 'Ctrl+Shift+2', description: 'Show the live round-robin panel' },
  { keys: 'Ctrl+Shift+3', description: 'Show the IPVS table' },
  { keys: 'Ctrl+Shift+4', description: 'Show the packets panel (captures)' },
  { keys: 'Alt+1 … Alt+9', description: "Show node 1…9's terminal" },
  { keys: 'Ctrl+Shift+F', description: 'Search the terminal (Enter: next, Shift+Enter: previous)' },
  { keys: '[  ]', description: 'Previous / next step' },
  { keys: 'c', description: 'Check the selected step' },
  { keys: 'Ctrl+Shift+L', description: 'Switch between the light and dark theme' },
];

export interface KeyLike {
  key: string;
  code: string;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  metaKey: boolean;
}

export interface KeyContext {
  /** Focus is in a terminal (its hidden textarea). */
  inTerminal: boolean;
  /** Focus is in a text field, select or editable element. */
  inEditable: boolean;
}

const PANELS: Record<string, Panel> = {
  Digit1: 'terminals',
  Digit2: 'probe',
  Digit3: 'ipvs',
  Digit4: 'capture',
};

export function matchShortcut(event: KeyLike, context: KeyContext): ShortcutAction | null {
  const ctrl = event.ctrlKey || event.metaKey;
  if (event.key === 'Escape') return { type: 'escape' };
  if (ctrl && event.shiftKey && !event.altKey) {
    const panel = PANELS[event.code];
    if (panel) return { type: 'panel', panel };
    if (event.code === 'KeyF') return { type: 'search' };
    if (event.code === 'KeyL') return { type: 'theme' };
    return null;
  }
  // Alt+digit: by code, since Alt changes the character on some layouts (macOS).
  if (event.altKey && !ctrl && !event.shiftKey) {
    const digit = /^Digit([1-9])$/.exec(event.code);
    if (digit) return { type: 'terminal', index: Number(digit[1]) - 1 };
    return null;
  }
  if (context.inTerminal || context.inEditable || ctrl || event.altKey) return null;
  switch (event.key) {
    case '?':
      return { type: 'help' };
    case '[':
      return { type: 'step', delta: -1 };
    case ']':
      return { type: 'step', delta: 1 };
    case 'c':
      return { type: 'check' };
    default:
      return null;
  }
}

export function keyContext(target: EventTarget | null): KeyContext {
  if (!(target instanceof Element)) return { inTerminal: false, inEditable: false };
  const inTerminal = target.closest('.terminal-host') !== null;
  const inEditable =
    !inTerminal &&
    (target instanceof HTMLInputElement ||
      target instanceof HTMLTextAreaElement ||
      target instanceof HTMLSelectElement ||
      target.closest('[contenteditable]:not([contenteditable="false"])') !== null);
  return { inTerminal, inEditable };
}
