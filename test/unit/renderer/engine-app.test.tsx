// @vitest-environment jsdom
/// <reference lib="dom" />
// The engine in the whole page: chosen while the page opens, switched from the preflight, dead
// under a running lab, and asked again after the connection comes back.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setApi } from '../../../renderer/src/api/index.js';
import { useEngineStore } from '../../../renderer/src/stores/engine-store.js';
import type { ConnectionSource, ConnectionState } from '../../../renderer/src/api/connection.js';
import { App } from '../../../renderer/src/views/app/App.js';
import { ENGINE_PROGRESS_ID, type EngineInfo } from '../../../shared/engine.js';
import type { PreflightReport } from '../../../shared/preflight.js';
import type { LabInstanceStatus } from '../../../shared/status.js';
import { FakeLabApi } from './helpers/fake-api.js';
import { builtinEngine, hostEngine, kernelPreflight } from './helpers/engine-fixtures.js';
import { arptablesDetail, instance, steps, summaries } from './helpers/fixtures.js';
import { setup } from './helpers/render.js';

let api: FakeLabApi;
let status: LabInstanceStatus[];
let engine: EngineInfo;
let report: PreflightReport;

beforeEach(() => {
  status = [];
  engine = hostEngine();
  report = kernelPreflight('fail', 'fail');
  ({ api } = setup(
    new FakeLabApi()
      .handle('lab.status', () => status)
      .handle('labs.list', () => summaries)
      .handle('labs.get', () => arptablesDetail)
      .handle('lab.steps', () => steps)
      .handle('terminal.open', () => ({ sessionId: 's1' }))
      .handle('terminal.close', () => null)
      .handle('engine.preflight', () => report)
      .handle('engine.info', () => engine),
  ));
});

afterEach(cleanup);

const settle = () =>
  act(async () => {
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  });

const badgeText = () => screen.getAllByRole('status', { name: 'Engine' })[0]?.textContent;

describe('the engine in the app', () => {
  it('switches to the built-in kernel from the preflight and checks the new engine', async () => {
    api.handle('engine.use', (choice) => {
      // As the core does: progress, then engine.changed to every window, then the answer.
      api.emit('progress', ENGINE_PROGRESS_ID, { phase: 'engine', name: 'boot', state: 'working' });
      engine = builtinEngine();
      report = kernelPreflight('ok', 'ok');
      api.emit('engine.changed', engine);
      expect(choice).toBe('builtin');
      return engine;
    });
    render(<App />);
    await settle();
    expect(badgeText()).toBe('Host engine · Linux 6.18.44-1-cloud-amd64');
    const preflight = screen.getByRole('region', { name: 'Docker Engine' });
    fireEvent.click(within(preflight).getByRole('button', { name: 'Use the built-in kernel' }));
    await settle();
    expect(api.callsOf('engine.use')).toEqual([['builtin']]);
    expect(api.callsOf('engine.preflight').length).toBe(2);
    const after = screen.getByRole('region', { name: 'Docker Engine (built-in kernel)' });
    expect(within(after).getByText('This engine can run the labs.')).toBeTruthy();
    expect(within(after).queryByRole('button', { name: 'Use the built-in kernel' })).toBeNull();
    expect(badgeText()).toBe('Built-in kernel · Linux 6.1.176 (user-mode)');
  });

  it('shows the engine choice the desktop app is making as the page opens', async () => {
    render(<App />);
    await settle();
    act(() => {
      api.emit('progress', ENGINE_PROGRESS_ID, {
        phase: 'engine',
        name: 'provision',
        state: 'working',
        message: 'the kernel image (first time: Debian packages, about a minute)',
      });
    });
    expect(badgeText()).toBe('Starting the built-in kernel…');
    const progress = screen.getAllByRole('list', { name: 'Starting the built-in kernel' })[0] as HTMLElement;
    expect(progress.textContent).toContain('Debian packages');
    // Nothing to click meanwhile: a second switch would race the first.
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Use the built-in kernel' }).disabled).toBe(
      true,
    );
    engine = builtinEngine();
    report = kernelPreflight('ok', 'ok');
    act(() => {
      api.emit('engine.changed', engine);
    });
    await settle();
    expect(badgeText()).toBe('Built-in kernel · Linux 6.1.176 (user-mode)');
    expect(api.callsOf('engine.preflight').length).toBe(2);
  });

  it('says when the built-in kernel dies under a running lab, and restarts it', async () => {
    status = [instance('tun-arptables')];
    engine = builtinEngine();
    report = kernelPreflight('ok', 'ok');
    render(<App />);
    await settle();
    expect(screen.getByRole('button', { name: 'Stop lab' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();

    // A while later the kernel is killed; the labs change (their nodes are gone) and the page
    // asks the engine.
    useEngineStore.setState({ refreshedAt: 0 });
    engine = builtinEngine('stopped', 'exited with status 137');
    status = [instance('tun-arptables', 'degraded')];
    act(() => {
      api.emit('lab.changed', status);
    });
    await settle();
    const banner = screen.getByRole('alert', { name: 'Built-in kernel stopped' });
    expect(banner.textContent).toContain("LVS Lab's built-in kernel stopped: exited with status 137");

    api.handle('engine.use', () => {
      engine = builtinEngine();
      return engine;
    });
    fireEvent.click(within(banner).getByRole('button', { name: 'Restart it' }));
    await settle();
    expect(api.callsOf('engine.use')).toEqual([['builtin']]);
    expect(screen.queryByRole('alert', { name: 'Built-in kernel stopped' })).toBeNull();
  });

  it('asks which engine runs the labs again when the connection comes back', async () => {
    let state: ConnectionState = { status: 'open', attempt: 0, retryAt: null };
    const listeners = new Set<(s: ConnectionState) => void>();
    const connection: ConnectionSource = {
      get: () => state,
      subscribe: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      retryNow: () => undefined,
    };
    setApi(api, connection);
    const move = (next: ConnectionState) => {
      state = next;
      for (const listener of listeners) listener(state);
    };
    render(<App />);
    await settle();
    expect(api.callsOf('engine.info').length).toBe(1);
    engine = builtinEngine();
    act(() => {
      move({ status: 'reconnecting', attempt: 1, retryAt: null });
      move({ status: 'open', attempt: 0, retryAt: null });
    });
    await settle();
    expect(api.callsOf('engine.info').length).toBe(2);
    expect(badgeText()).toBe('Built-in kernel · Linux 6.1.176 (user-mode)');
  });
});
