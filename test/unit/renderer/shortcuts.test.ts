// @vitest-environment jsdom
/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { keyContext, matchShortcut, SHORTCUTS, type KeyLike } from '../../../renderer/src/app/shortcuts.js';

const key = (k: Partial<KeyLike>): KeyLike => ({
  key: '',
  code: '',
  ctrlKey: false,
  shiftKey: false,
  altKey: false,
  metaKey: false,
  ...k,
});
const outside = { inTerminal: false, inEditable: false };
const inTerminal = { inTerminal: true, inEditable: false };

describe('keyboard shortcuts', () => {
  it('opens help with ? but never while typing in a terminal or a field', () => {
    expect(matchShortcut(key({ key: '?', shiftKey: true }), outside)).toEqual({ type: 'help' });
    expect(matchShortcut(key({ key: '?', shiftKey: true }), inTerminal)).toBeNull();
    expect(matchShortcut(key({ key: '?' }), { inTerminal: false, inEditable: true })).toBeNull();
  });

  it('switches panels and terminals with modified keys, even from a terminal', () => {
    expect(
      matchShortcut(key({ code: 'Digit2', key: '@', ctrlKey: true, shiftKey: true }), inTerminal),
    ).toEqual({
      type: 'panel',
      panel: 'probe',
    });
    expect(matchShortcut(key({ code: 'Digit3', ctrlKey: true, shiftKey: true }), outside)).toEqual({
      type: 'panel',
      panel: 'ipvs',
    });
    expect(matchShortcut(key({ code: 'Digit4', key: '¢', altKey: true }), inTerminal)).toEqual({
      type: 'terminal',
      index: 3,
    });
    expect(matchShortcut(key({ code: 'KeyF', key: 'F', ctrlKey: true, shiftKey: true }), inTerminal)).toEqual(
      {
        type: 'search',
      },
    );
  });

  it('moves between steps and checks with plain keys', () => {
    expect(matchShortcut(key({ key: ']' }), outside)).toEqual({ type: 'step', delta: 1 });
    expect(matchShortcut(key({ key: '[' }), outside)).toEqual({ type: 'step', delta: -1 });
    expect(matchShortcut(key({ key: 'c' }), outside)).toEqual({ type: 'check' });
    expect(matchShortcut(key({ key: 'c', ctrlKey: true }), outside)).toBeNull();
  });

  it('documents every shortcut it matches', () => {
    const documented = SHORTCUTS.map((s) => s.keys).join(' ');
    for (const keys of [
      '?',
      'Esc',
      'Ctrl+Shift+1',
      'Ctrl+Shift+2',
      'Ctrl+Shift+3',
      'Ctrl+Shift+4',
      'Alt+1',
      'Ctrl+Shift+F',
      '[',
      'c',
    ]) {
      expect(documented).toContain(keys);
    }
  });

  it('knows a terminal from a text field', () => {
    const host = document.createElement('div');
    host.className = 'terminal-host';
    const helper = document.createElement('textarea');
    host.appendChild(helper);
    expect(keyContext(helper)).toEqual({ inTerminal: true, inEditable: false });
    expect(keyContext(document.createElement('input'))).toEqual({ inTerminal: false, inEditable: true });
    expect(keyContext(document.body)).toEqual({ inTerminal: false, inEditable: false });
  });
});
