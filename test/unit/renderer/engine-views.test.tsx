// @vitest-environment jsdom
/// <reference lib="dom" />
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useEngineStore } from '../../../renderer/src/stores/engine-store.js';
import { useLabStore } from '../../../renderer/src/stores/lab-store.js';
import { usePreflightStore } from '../../../renderer/src/stores/preflight-store.js';
import { EngineBadge } from '../../../renderer/src/views/engine/EngineBadge.js';
import { EngineDiedBanner } from '../../../renderer/src/views/engine/EngineDiedBanner.js';
import { EnginePanel } from '../../../renderer/src/views/engine/EnginePanel.js';
import { LabHeader } from '../../../renderer/src/views/lab/LabHeader.js';
import { PreflightPanel } from '../../../renderer/src/views/picker/PreflightPanel.js';
import type { EngineInfo } from '../../../shared/engine.js';
import type { PreflightReport } from '../../../shared/preflight.js';
import { FakeLabApi } from './helpers/fake-api.js';
import { builtinEngine, hostEngine, kernelPreflight } from './helpers/engine-fixtures.js';
import { arptablesDetail, instance } from './helpers/fixtures.js';
import { setup } from './helpers/render.js';

let api: FakeLabApi;

function withEngine(info: EngineInfo, report: PreflightReport | null = null) {
  useEngineStore.setState({ info });
  usePreflightStore.setState({ report });
}

const settle = () =>
  act(async () => {
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  });

beforeEach(() => {
  ({ api } = setup(
    new FakeLabApi()
      .handle('engine.info', () => hostEngine())
      .handle('engine.use', (choice) => (choice === 'host' ? hostEngine() : builtinEngine()))
      .handle('engine.stopBuiltin', () => hostEngine())
      .handle(
        'engine.logs',
        () => 'lvs-engine: phase boot\nlvs-engine: phase ready Linux lvs-kernel 6.1.176',
      ),
  ));
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('engine badge', () => {
  it('names the built-in kernel, its state and why it is used', () => {
    withEngine(builtinEngine());
    render(<EngineBadge />);
    const badge = screen.getByRole('status', { name: 'Engine' });
    expect(badge.textContent).toBe('Built-in kernel · Linux 6.1.176 (user-mode)');
    expect(badge.title).toMatch(/^the host kernel has no ip_vs and no ipip: using LVS Lab's built-in kernel/);
    expect(within(badge).getByRole('img', { name: 'built-in kernel running' })).toBeTruthy();
  });

  it('names the host engine and its kernel, without a built-in kernel state', () => {
    withEngine(hostEngine());
    render(<EngineBadge />);
    const badge = screen.getByRole('status', { name: 'Engine' });
    expect(badge.textContent).toBe('Host engine · Linux 6.18.44-1-cloud-amd64');
    expect(badge.title).toBe('the host engine, as asked (--engine host)');
    expect(within(badge).queryByRole('img')).toBeNull();
  });

  it('says a switch is under way', () => {
    withEngine(hostEngine());
    useEngineStore.getState().applyProgress({ phase: 'engine', name: 'boot', state: 'working' });
    render(<EngineBadge />);
    expect(screen.getByRole('status', { name: 'Engine' }).textContent).toBe('Starting the built-in kernel…');
  });
});

describe('preflight: the built-in kernel in one click', () => {
  const offer = () => screen.queryByRole('button', { name: 'Use the built-in kernel' });

  it('offers it when the host kernel has no IPVS or no IPIP', () => {
    withEngine(hostEngine(), kernelPreflight('fail', 'ok'));
    const { unmount } = render(<PreflightPanel />);
    expect(
      screen.getByText(/LVS Lab's built-in kernel can: Linux 6.12 with IPVS and IPIP, in one container/),
    ).toBeTruthy();
    expect(screen.getByText('This kernel cannot run LVS-TUN.')).toBeTruthy();
    expect(offer()).toBeTruthy();
    unmount();
    withEngine(hostEngine(), kernelPreflight('ok', 'fail'));
    render(<PreflightPanel />);
    expect(offer()).toBeTruthy();
  });

  it('does not offer it when the host kernel can, or when the built-in kernel is in use', () => {
    withEngine(hostEngine(), kernelPreflight('ok', 'ok'));
    const { unmount } = render(<PreflightPanel />);
    expect(offer()).toBeNull();
    unmount();
    withEngine(builtinEngine(), kernelPreflight('fail', 'fail'));
    render(<PreflightPanel />);
    expect(offer()).toBeNull();
    // The report is about the built-in kernel's engine, and says so.
    expect(screen.getByRole('heading', { name: 'Docker Engine (built-in kernel)' })).toBeTruthy();
  });

  it('keeps the heading "Docker Engine" on the host engine', () => {
    withEngine(hostEngine(), kernelPreflight('ok', 'ok'));
    render(<PreflightPanel />);
    expect(screen.getByRole('region', { name: 'Docker Engine' })).toBeTruthy();
  });

  it('starts the built-in kernel with its progress, and says why it failed', async () => {
    let fail: (error: Error) => void = () => undefined;
    api.handle(
      'engine.use',
      () =>
        new Promise<EngineInfo>((_resolve, reject) => {
          fail = reject;
        }),
    );
    withEngine(hostEngine(), kernelPreflight('fail', 'fail'));
    render(<PreflightPanel />);
    fireEvent.click(offer() as HTMLElement);
    expect(api.callsOf('engine.use')).toEqual([['builtin']]);
    act(() => {
      useEngineStore.getState().applyProgress({
        phase: 'engine',
        name: 'provision',
        state: 'working',
        message: 'debootstrap bookworm',
      });
    });
    const progress = screen.getByRole('list', { name: 'Starting the built-in kernel' });
    expect(progress.textContent).toContain('Provisioning');
    expect(progress.textContent).toContain('debootstrap bookworm');
    expect(progress.textContent).toContain('Lab image');
    expect((offer() as HTMLButtonElement).disabled).toBe(true);
    await act(async () => {
      fail(new Error('no space left on device'));
      await Promise.resolve();
    });
    await settle();
    expect(screen.getByRole('alert').textContent).toContain('no space left on device');
    expect((offer() as HTMLButtonElement).disabled).toBe(false);
  });

  it('asks first when a lab is running', () => {
    useLabStore.setState({ instances: [instance('tun-arptables')] });
    withEngine(hostEngine(), kernelPreflight('fail', 'fail'));
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);
    render(<PreflightPanel />);
    fireEvent.click(offer() as HTMLElement);
    expect(confirm.mock.calls[0]?.[0]).toMatch(
      /tun-arptables is running\. Switching engines ends this lab's terminals; the lab stays on the old engine/,
    );
    expect(api.callsOf('engine.use')).toEqual([]);
  });
});

describe('engine panel', () => {
  it('shows the engine, why, and the built-in kernel’s state', () => {
    withEngine(builtinEngine());
    render(<EnginePanel />);
    const panel = screen.getByRole('region', { name: 'Engine' });
    expect(within(panel).getByRole('status', { name: 'Engine' }).textContent).toContain('Linux 6.1.176');
    expect(within(panel).getByText(/using LVS Lab's built-in kernel/)).toBeTruthy();
    expect(within(panel).getByText('running')).toBeTruthy();
    // The setting shows what was asked for (automatic chose the built-in kernel), not the engine.
    expect(screen.getByRole<HTMLSelectElement>('combobox', { name: 'Engine' }).value).toBe('auto');
    act(() => {
      withEngine({ ...builtinEngine(), choice: 'builtin' });
    });
    expect(screen.getByRole<HTMLSelectElement>('combobox', { name: 'Engine' }).value).toBe('builtin');
  });

  it('switches engines with the setting', async () => {
    withEngine(builtinEngine());
    render(<EnginePanel />);
    const setting = screen.getByRole<HTMLSelectElement>('combobox', { name: 'Engine' });
    expect([...setting.options].map((o) => o.textContent)).toEqual([
      'Automatic',
      'Host engine',
      'Built-in kernel',
    ]);
    fireEvent.change(setting, { target: { value: 'host' } });
    expect(api.callsOf('engine.use')).toEqual([['host']]);
    await settle();
    expect(setting.value).toBe('host');
    fireEvent.change(setting, { target: { value: 'auto' } });
    await settle();
    expect(api.callsOf('engine.use')).toEqual([['host'], ['auto']]);
    // The engine auto chose is the built-in kernel; the setting says what was chosen.
    expect(setting.value).toBe('auto');
    expect(screen.getByRole('status', { name: 'Engine' }).textContent).toContain('Built-in kernel');
  });

  it('asks before switching under a running lab, and stays when told no', () => {
    useLabStore.setState({ instances: [instance('tun-arptables')] });
    withEngine(hostEngine());
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);
    render(<EnginePanel />);
    fireEvent.change(screen.getByRole('combobox', { name: 'Engine' }), { target: { value: 'builtin' } });
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(api.callsOf('engine.use')).toEqual([]);
    expect(screen.getByRole<HTMLSelectElement>('combobox', { name: 'Engine' }).value).toBe('host');
  });

  it('starts the built-in kernel, saying the first start is slow', async () => {
    withEngine(hostEngine());
    render(<EnginePanel />);
    expect(screen.getByText(/first start takes about a minute/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Stop built-in kernel' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Start built-in kernel' }));
    expect(api.callsOf('engine.use')).toEqual([['builtin']]);
    await settle();
    expect(screen.queryByRole('button', { name: 'Start built-in kernel' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Stop built-in kernel' })).toBeTruthy();
  });

  it('stops the built-in kernel', async () => {
    withEngine(builtinEngine());
    render(<EnginePanel />);
    fireEvent.click(screen.getByRole('button', { name: 'Stop built-in kernel' }));
    expect(api.callsOf('engine.stopBuiltin')).toEqual([[]]);
    await settle();
    expect(screen.getByRole('status', { name: 'Engine' }).textContent).toContain('Host engine');
  });

  it('shows the built-in kernel’s logs', async () => {
    withEngine(builtinEngine());
    render(<EnginePanel />);
    fireEvent.click(screen.getByRole('button', { name: 'Show logs' }));
    await settle();
    expect(screen.getByLabelText('Built-in kernel log').textContent).toContain('phase ready');
    fireEvent.click(screen.getByRole('button', { name: 'Hide logs' }));
    expect(screen.queryByLabelText('Built-in kernel log')).toBeNull();
  });
});

describe('lab header', () => {
  it('shows the engine and opens its panel in a dialog', () => {
    withEngine(builtinEngine());
    render(<LabHeader labId="tun-arptables" detail={arptablesDetail} instance={instance('tun-arptables')} />);
    expect(screen.getByRole('status', { name: 'Engine' }).textContent).toBe(
      'Built-in kernel · Linux 6.1.176 (user-mode)',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Engine' }));
    const dialog = screen.getByRole('dialog', { name: 'Engine' });
    expect(within(dialog).getByRole('combobox', { name: 'Engine' })).toBeTruthy();
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Engine' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    // The lab's own controls are where they were.
    expect(screen.getByRole('button', { name: 'Stop lab' })).toBeTruthy();
  });
});

describe('the built-in kernel died', () => {
  it('says so with the reason, and restarts it', async () => {
    withEngine(builtinEngine('failed', 'dockerd exited with status 1'));
    render(<EngineDiedBanner />);
    expect(screen.getByRole('alert').textContent).toContain(
      "LVS Lab's built-in kernel stopped: dockerd exited with status 1",
    );
    fireEvent.click(screen.getByRole('button', { name: 'Restart it' }));
    expect(api.callsOf('engine.use')).toEqual([['builtin']]);
    await settle();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('is silent while the kernel runs or the host engine is in use', () => {
    withEngine(builtinEngine('running'));
    const { unmount } = render(<EngineDiedBanner />);
    expect(screen.queryByRole('alert')).toBeNull();
    unmount();
    withEngine(hostEngine('failed'));
    render(<EngineDiedBanner />);
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
