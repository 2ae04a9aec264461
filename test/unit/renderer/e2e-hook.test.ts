// @vitest-environment jsdom
/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { installE2EHook, isE2E } from '../../../renderer/src/terminal/e2e-hook.js';
import { TerminalRegistry } from '../../../renderer/src/terminal/terminal-registry.js';
import { FakeLabApi } from './helpers/fake-api.js';
import { FakeTerminalView } from './helpers/fake-view.js';

describe('e2e hook', () => {
  it('is installed only with ?e2e=1', () => {
    expect(isE2E('?e2e=1')).toBe(true);
    expect(isE2E('?token=abc&e2e=1')).toBe(true);
    expect(isE2E('?e2e=0')).toBe(false);
    expect(isE2E('')).toBe(false);
  });

  it('reads what a node’s terminal shows, read-only', async () => {
    const api = new FakeLabApi().handle('terminal.open', () => ({ sessionId: 's1' }));
    const registry = new TerminalRegistry(api, (node) => new FakeTerminalView(node));
    registry.start();
    registry.useLab('tun-arptables');
    expect(installE2EHook('', () => registry)).toBe(false);
    expect(window.__lvsLabE2E).toBeUndefined();
    expect(installE2EHook('?e2e=1', () => registry)).toBe(true);
    await registry.open('server1');
    api.emit('terminal.data', 's1', new TextEncoder().encode('root@server1:/# '));
    expect(window.__lvsLabE2E?.terminalText('server1')).toBe('root@server1:/# ');
    expect(() => {
      (window as { __lvsLabE2E?: unknown }).__lvsLabE2E = undefined;
    }).toThrow();
  });
});
