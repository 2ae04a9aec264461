// @vitest-environment jsdom
/// <reference lib="dom" />
// The Host tab: disabled with how to turn it on while the core says it is off; a shell on the
// host, said so in the tab, when it is on. Its session lives in the terminal registry under a
// key no node can have, and is the page's rather than a lab's.
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppFeatures } from '../../../shared/api.js';
import { TerminalsPanel } from '../../../renderer/src/views/terminals/TerminalsPanel.js';
import { useTerminalsStore } from '../../../renderer/src/stores/terminals-store.js';
import { getTerminalRegistry } from '../../../renderer/src/terminal/registry-instance.js';
import { HOST_TERMINAL } from '../../../renderer/src/terminal/terminal-registry.js';
import { FakeLabApi } from './helpers/fake-api.js';
import type { FakeTerminalView } from './helpers/fake-view.js';
import { arptablesDetail } from './helpers/fixtures.js';
import { setup, show } from './helpers/render.js';

const OFF: AppFeatures = {
  hostTerminal: false,
  hostTerminalReason: 'the host terminal is off: start with `lvs-lab serve --host-terminal` to turn it on',
};
const ON: AppFeatures = { hostTerminal: true, hostUser: 'ada' };

let api: FakeLabApi;
let views: Map<string, FakeTerminalView>;
let sessions = 0;

function start(features: AppFeatures) {
  sessions = 0;
  ({ api, views } = setup(
    new FakeLabApi()
      .handle('terminal.open', () => ({ sessionId: `s${++sessions}` }))
      .handle('terminal.openHost', () => ({ sessionId: `h${++sessions}` }))
      .handle('terminal.close', () => null)
      .handle('app.features', () => features),
  ));
  getTerminalRegistry().useLab('tun-arptables');
}

beforeEach(() => {
  start(ON);
});

afterEach(cleanup);

const settle = () =>
  act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
  });

function hostTab(): HTMLElement {
  return screen.getByRole('tab', { name: /Host/ });
}

describe('the Host tab', () => {
  it('is disabled while the host terminal is off, and its tooltip says how to turn it on', async () => {
    start(OFF);
    show(TerminalsPanel, { labId: 'tun-arptables', detail: arptablesDetail, running: true });
    await settle();
    const tab = hostTab();
    expect(tab.getAttribute('aria-disabled')).toBe('true');
    expect(tab.classList.contains('tab-disabled')).toBe(true);
    expect(tab.title).toBe(
      'The host terminal is off: start with `lvs-lab serve --host-terminal` to turn it on',
    );
    fireEvent.click(tab);
    await settle();
    expect(tab.getAttribute('aria-selected')).toBe('false');
    expect(api.callsOf('terminal.openHost')).toEqual([]);
    expect(screen.getByText('Shell on server1')).toBeTruthy();
    // The node tabs are as they were.
    const server2 = screen.getByRole('tab', { name: /server2/ });
    expect(server2.className).toBe('tab');
    expect(server2.getAttribute('aria-disabled')).toBeNull();
  });

  it('is disabled, saying why, when the core cannot be asked', async () => {
    start(ON);
    delete api.handlers['app.features'];
    show(TerminalsPanel, { labId: 'tun-arptables', detail: arptablesDetail, running: true });
    await settle();
    expect(hostTab().getAttribute('aria-disabled')).toBe('true');
    expect(hostTab().title).toBe('The host terminal is unavailable: fake API: no handler for app.features');
  });

  it('opens a shell on the host when on, and says whose shell it is', async () => {
    show(TerminalsPanel, { labId: 'tun-arptables', detail: arptablesDetail, running: true });
    await settle();
    expect(hostTab().getAttribute('aria-disabled')).toBeNull();
    expect(hostTab().title).toBe('A shell on this machine as ada');
    fireEvent.click(hostTab());
    await settle();
    expect(hostTab().getAttribute('aria-selected')).toBe('true');
    expect(api.callsOf('terminal.openHost')).toEqual([[{ cols: 80, rows: 24 }]]);
    expect(
      screen.getByText(
        'This is a shell on the host as ada: what you type runs on this machine, not in a lab node.',
      ),
    ).toBeTruthy();
    expect(screen.getByText('Shell on the host')).toBeTruthy();
    expect(views.get(HOST_TERMINAL)?.parent?.classList.contains('terminal-pane')).toBe(true);
    // Its bytes and input go by its session id, like a node's.
    act(() => {
      api.emit('terminal.data', 'h2', new TextEncoder().encode('ada@host:~$ '));
    });
    expect(views.get(HOST_TERMINAL)?.text()).toContain('ada@host:~$ ');
    views.get(HOST_TERMINAL)?.type('docker ps\r');
    expect(api.sendsOf('terminal.input')).toContainEqual(['h2', 'docker ps\r']);
  });

  it('works while the lab is stopped: the host needs no lab', async () => {
    show(TerminalsPanel, { labId: 'tun-arptables', detail: arptablesDetail, running: false });
    await settle();
    expect(screen.getByText('Start the lab to open a terminal on each node.')).toBeTruthy();
    fireEvent.click(hostTab());
    await settle();
    expect(api.callsOf('terminal.openHost')).toHaveLength(1);
    expect(api.callsOf('terminal.open')).toEqual([]);
    expect(screen.getByText('Shell on the host')).toBeTruthy();
  });

  it('shows the core refusing, with its hint, and reconnects on request', async () => {
    api.handle('terminal.openHost', () => {
      throw Object.assign(new Error(OFF.hostTerminalReason), {
        hint: 'browser mode keeps it off unless asked',
      });
    });
    show(TerminalsPanel, { labId: 'tun-arptables', detail: arptablesDetail, running: true });
    await settle();
    fireEvent.click(hostTab());
    await settle();
    expect(views.get(HOST_TERMINAL)?.text()).toContain(
      'could not open a shell on the host: the host terminal is off: start with `lvs-lab serve --host-terminal`',
    );
    expect(screen.getByText('browser mode keeps it off unless asked')).toBeTruthy();
    api.handle('terminal.openHost', () => ({ sessionId: 'h9' }));
    fireEvent.click(screen.getByRole('button', { name: 'Reconnect' }));
    await settle();
    expect(screen.getByText('Shell on the host')).toBeTruthy();
  });
});

describe('the host session in the registry', () => {
  it('outlives a lab switch and a stopped lab, which close the node terminals only', async () => {
    const registry = getTerminalRegistry();
    registry.ensure(HOST_TERMINAL);
    registry.ensure('server1');
    await registry.open(HOST_TERMINAL);
    await registry.open('server1');
    expect(api.callsOf('terminal.openHost')).toHaveLength(1);
    registry.useLab('tun-sysctl');
    expect(api.callsOf('terminal.close')).toEqual([['s2']]);
    expect(registry.has(HOST_TERMINAL)).toBe(true);
    expect(registry.has('server1')).toBe(false);
    expect(Object.keys(useTerminalsStore.getState().sessions)).toEqual([HOST_TERMINAL]);
    registry.closeLabTerminals();
    expect(useTerminalsStore.getState().sessions[HOST_TERMINAL]?.status).toBe('open');
    // Node status never reconnects it.
    registry.onStatus(null);
    expect(api.callsOf('terminal.openHost')).toHaveLength(1);
    registry.closeAll();
    expect(api.callsOf('terminal.close')).toEqual([['s2'], ['h1']]);
  });
});
