// @vitest-environment jsdom
/// <reference lib="dom" />
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TerminalsPanel } from '../../../renderer/src/views/terminals/TerminalsPanel.js';
import { useTerminalsStore } from '../../../renderer/src/stores/terminals-store.js';
import { getTerminalRegistry } from '../../../renderer/src/terminal/registry-instance.js';
import { FakeLabApi } from './helpers/fake-api.js';
import type { FakeTerminalView } from './helpers/fake-view.js';
import { arptablesDetail } from './helpers/fixtures.js';
import { setup, show } from './helpers/render.js';

let api: FakeLabApi;
let views: Map<string, FakeTerminalView>;
let sessions = 0;

beforeEach(() => {
  sessions = 0;
  ({ api, views } = setup(new FakeLabApi().handle('terminal.open', () => ({ sessionId: `s${++sessions}` }))));
  api.handle('terminal.close', () => null);
  getTerminalRegistry().useLab('tun-arptables');
});

afterEach(cleanup);

const settle = () =>
  act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
  });

function view(node: string): FakeTerminalView {
  const v = views.get(node);
  if (!v) throw new Error(`no terminal for ${node}`);
  return v;
}

describe('terminals panel', () => {
  it('has a tab per node, then the Host tab, and opens the first node’s shell in the pane', async () => {
    show(TerminalsPanel, { labId: 'tun-arptables', detail: arptablesDetail, running: true });
    await settle();
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual([
      'server1',
      'server2',
      'server3',
      'client',
      'Host',
    ]);
    expect(api.callsOf('terminal.open')).toEqual([
      [{ labId: 'tun-arptables', node: 'server1', cols: 80, rows: 24 }],
    ]);
    expect(view('server1').parent?.classList.contains('terminal-pane')).toBe(true);
    expect(screen.getByText('Shell on server1')).toBeTruthy();
  });

  it('re-parents the same terminal when tabs switch, so its scrollback stays', async () => {
    show(TerminalsPanel, { labId: 'tun-arptables', detail: arptablesDetail, running: true });
    await settle();
    const first = view('server1');
    fireEvent.click(screen.getByRole('tab', { name: /server2/ }));
    await settle();
    expect(first.parent).toBeNull();
    expect(view('server2').parent).not.toBeNull();
    fireEvent.click(screen.getByRole('tab', { name: /server1/ }));
    await settle();
    expect(view('server1')).toBe(first);
    expect(first.attachCount).toBe(2);
    expect(first.disposed).toBe(false);
    expect(api.callsOf('terminal.open')).toHaveLength(2); // server1 was not reopened
  });

  it('shows the exit and reconnects on request', async () => {
    show(TerminalsPanel, { labId: 'tun-arptables', detail: arptablesDetail, running: true });
    await settle();
    act(() => {
      api.emit('terminal.exit', 's1', 130, 'shell exited');
    });
    expect(screen.getByText('Exited: shell exited (code 130)')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Reconnect' }));
    await settle();
    expect(api.callsOf('terminal.open')).toHaveLength(2);
    expect(screen.getByText('Shell on server1')).toBeTruthy();
  });

  it('searches the scrollback', async () => {
    show(TerminalsPanel, { labId: 'tun-arptables', detail: arptablesDetail, running: true });
    await settle();
    act(() => {
      api.emit('terminal.data', 's1', new TextEncoder().encode('TCP  172.25.88.100:80 rr\r\n'));
      useTerminalsStore.getState().setSearchOpen(true);
    });
    const input = screen.getByRole('searchbox', { name: 'Find in terminal' });
    fireEvent.change(input, { target: { value: 'nothing here' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(screen.getByText('no match')).toBeTruthy();
    fireEvent.change(input, { target: { value: '172.25.88.100' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(screen.queryByText('no match')).toBeNull();
    fireEvent.keyDown(input, { key: 'Escape' });
    expect(screen.queryByRole('searchbox')).toBeNull();
  });

  it('asks to start the lab instead of opening shells while it is stopped', () => {
    show(TerminalsPanel, { labId: 'tun-arptables', detail: arptablesDetail, running: false });
    expect(screen.getByText('Start the lab to open a terminal on each node.')).toBeTruthy();
    expect(api.callsOf('terminal.open')).toEqual([]);
  });
});
