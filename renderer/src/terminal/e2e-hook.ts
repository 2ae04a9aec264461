// A read-only window into the terminals for end-to-end tests, installed only when the page URL
// has ?e2e=1. It reads xterm's buffer, which works whatever renders the terminal.
import type {} from '../api/window.js';
import type { TerminalRegistry } from './terminal-registry.js';

export function isE2E(search: string): boolean {
  return new URLSearchParams(search).get('e2e') === '1';
}

export function installE2EHook(search: string, registry: () => TerminalRegistry): boolean {
  if (!isE2E(search)) return false;
  const hook = Object.freeze({
    terminalText: (node: string): string => registry().text(node),
  });
  Object.defineProperty(window, '__lvsLabE2E', { value: hook, writable: false, configurable: false });
  return true;
}
