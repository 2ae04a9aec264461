// @vitest-environment jsdom
/// <reference lib="dom" />
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../../renderer/src/views/app/App.js';
import { ViewBoundary } from '../../../renderer/src/views/common/ViewBoundary.js';
import { useLabStore } from '../../../renderer/src/stores/lab-store.js';
import { useUiStore } from '../../../renderer/src/stores/ui-store.js';
import type { LabInstanceStatus } from '../../../shared/status.js';
import { FakeLabApi } from './helpers/fake-api.js';
import { arptablesDetail, instance, preflight, steps, summaries } from './helpers/fixtures.js';
import { setup } from './helpers/render.js';

let api: FakeLabApi;
let status: LabInstanceStatus[];

beforeEach(() => {
  status = [instance('tun-arptables')];
  ({ api } = setup(
    new FakeLabApi()
      .handle('lab.status', () => status)
      .handle('labs.list', () => summaries)
      .handle('engine.preflight', () => preflight)
      .handle('labs.get', () => arptablesDetail)
      .handle('lab.steps', () => steps)
      .handle('terminal.open', () => ({ sessionId: 's1' }))
      .handle('terminal.close', () => null)
      .handle('lab.cleanup', () => ({ containers: 4, networks: 1 })),
  ));
});

afterEach(cleanup);

const settle = () =>
  act(async () => {
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  });

describe('app', () => {
  it('re-attaches to the running lab after a reload and reopens its terminal', async () => {
    render(createElement(App));
    await settle();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe(arptablesDetail.title);
    expect(screen.getByText(/follows seed 000 §3/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Stop lab' })).toBeTruthy();
    expect(screen.getAllByText('Virtual service in tunnel mode').length).toBeGreaterThan(0);
    expect(api.callsOf('terminal.open')).toEqual([
      [{ labId: 'tun-arptables', node: 'server1', cols: 80, rows: 24 }],
    ]);
  });

  it('opens the picker when nothing runs', async () => {
    status = [];
    render(createElement(App));
    await settle();
    expect(screen.getByRole('region', { name: "LVS Lab's labs" })).toBeTruthy();
    expect(screen.getByText('No lab is running.')).toBeTruthy();
  });

  it('shows a degraded lab’s problems with a cleanup', async () => {
    status = [instance('tun-arptables', 'degraded')];
    render(createElement(App));
    await settle();
    expect(screen.getByText('This lab is degraded: some nodes are not running')).toBeTruthy();
    expect(screen.getByText(/node server3 is exited/)).toBeTruthy();
    status = [];
    fireEvent.click(screen.getByRole('button', { name: /Clean up/ }));
    await settle();
    expect(api.callsOf('lab.cleanup')).toEqual([[['a1b2c3d4']]]);
  });

  it('shows start progress per network and node from progress events', async () => {
    status = [];
    let finish: () => void = () => undefined;
    api.handle(
      'lab.up',
      (labId) =>
        new Promise(
          (resolve) =>
            (finish = () => {
              resolve(instance(labId));
            }),
        ),
    );
    render(createElement(App));
    await settle();
    const card = screen.getByRole('article', { name: arptablesDetail.title });
    fireEvent.click(card.querySelector('button.primary') as HTMLElement);
    await settle();
    act(() => {
      api.emit('progress', 'tun-arptables', { phase: 'network', name: 'lan', state: 'done' });
      api.emit('progress', 'tun-arptables', {
        phase: 'node',
        name: 'server1',
        state: 'working',
        message: 'creating',
      });
    });
    const progress = screen.getByRole('region', { name: 'Starting the lab' });
    expect(progress.textContent).toContain('Networks');
    expect(progress.textContent).toContain('lan');
    expect(progress.textContent).toContain('server1');
    expect(progress.textContent).toContain('creating');
    finish();
    await settle();
    expect(screen.queryByRole('region', { name: 'Starting the lab' })).toBeNull();
  });

  it('switches panels and opens help from the keyboard', async () => {
    render(createElement(App));
    await settle();
    fireEvent.keyDown(document.body, { key: '@', code: 'Digit3', ctrlKey: true, shiftKey: true });
    expect(useUiStore.getState().panel).toBe('ipvs');
    fireEvent.keyDown(document.body, { key: '?', shiftKey: true });
    expect(screen.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeTruthy();
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('stops the lab after confirmation and closes its terminals', async () => {
    api.handle('lab.down', () => {
      status = [];
      return { containers: 4, networks: 1 };
    });
    render(createElement(App));
    await settle();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    fireEvent.click(screen.getByRole('button', { name: 'Stop lab' }));
    await settle();
    expect(api.callsOf('lab.down')).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Stop lab' }));
    await settle();
    expect(confirm).toHaveBeenCalledTimes(2);
    expect(api.callsOf('lab.down')).toEqual([['tun-arptables']]);
    expect(api.callsOf('terminal.close')).toEqual([['s1']]);
    expect(screen.getByRole('button', { name: 'Start lab' })).toBeTruthy();
  });

  it('says in a toast when the status cannot be read in the lab view', async () => {
    render(createElement(App));
    await settle();
    api.handle('lab.status', () => {
      throw new Error('engine gone');
    });
    await act(async () => {
      await useLabStore.getState().refreshStatus();
    });
    expect(screen.getByText('Lab status could not be read: engine gone')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByText(/Lab status could not be read/)).toBeNull();
  });

  it('sets the theme on the page and remembers it', async () => {
    render(createElement(App));
    await settle();
    act(() => {
      useUiStore.getState().setTheme('dark');
    });
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(localStorage.getItem('lvs-lab.theme')).toBe('dark');
  });
});

describe('view error boundary', () => {
  it('shows the error with a retry instead of a blank view', () => {
    let fail = true;
    function Fragile() {
      if (fail) throw new Error('layout exploded');
      return createElement('p', null, 'all good');
    }
    const original = console.error;
    console.error = () => undefined; // React logs the caught error
    try {
      render(createElement(ViewBoundary, { name: 'The topology' }, createElement(Fragile)));
    } finally {
      console.error = original;
    }
    expect(screen.getByText('The topology could not be shown')).toBeTruthy();
    expect(screen.getByText('layout exploded')).toBeTruthy();
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(screen.getByText('all good')).toBeTruthy();
  });
});
