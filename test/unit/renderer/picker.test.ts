// @vitest-environment jsdom
/// <reference lib="dom" />
import { act, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup } from '@testing-library/react';
import { LabPicker } from '../../../renderer/src/views/picker/LabPicker.js';
import { useLabsStore } from '../../../renderer/src/stores/labs-store.js';
import { useLabStore } from '../../../renderer/src/stores/lab-store.js';
import { usePreflightStore } from '../../../renderer/src/stores/preflight-store.js';
import { FakeLabApi } from './helpers/fake-api.js';
import { instance, preflight, summaries } from './helpers/fixtures.js';
import { setup, show } from './helpers/render.js';

let api: FakeLabApi;

beforeEach(async () => {
  ({ api } = setup(
    new FakeLabApi()
      .handle('labs.list', () => summaries)
      .handle('engine.preflight', () => preflight)
      .handle('lab.status', () => [instance('tun-sysctl', 'orphaned', { instance: 'deadbeef' })])
      .handle('lab.cleanup', () => ({ containers: 3, networks: 1 })),
  ));
  await useLabsStore.getState().load();
  await usePreflightStore.getState().run();
  await useLabStore.getState().refreshStatus();
});

afterEach(cleanup);

describe('lab picker', () => {
  it('lists the labs with their summary, difficulty and seed', () => {
    show(LabPicker, {});
    const card = screen.getByRole('article', { name: 'LVS-TUN in one subnet, ARP hidden with arptables' });
    expect(within(card).getByText('beginner')).toBeTruthy();
    expect(within(card).getByText(/follows seed 000 §3/)).toBeTruthy();
    expect(within(card).getByText(/A director tunnels HTTP requests/)).toBeTruthy();
    expect(screen.getByText(/follows seed 004/)).toBeTruthy();
  });

  it('groups reproductions apart among LVS Lab’s labs, saying which lab they build on', () => {
    show(LabPicker, {});
    const section = screen.getByRole('region', { name: 'Bug reproductions and variations' });
    expect(within(section).getByText(/builds on tun-arptables · seed 000 §3/)).toBeTruthy();
    expect(within(section).queryByText(/LVS-TUN in one subnet/)).toBeNull();
    expect(screen.getByRole('region', { name: "LVS Lab's labs" }).contains(section)).toBe(true);
  });

  it('shows a lab that does not load with its file:line error', () => {
    show(LabPicker, {});
    const card = screen.getByRole('article', { name: 'broken (does not load)' });
    expect(within(card).getByText(/\/labs\/broken\.yaml:31:20: nodes\[1\]\.addresses\.lan/)).toBeTruthy();
  });

  it('shows preflight items and only this platform’s fix, others on demand', () => {
    show(LabPicker, {});
    expect(screen.getByText('IPVS in the kernel (ip_vs)')).toBeTruthy();
    expect(screen.getByText(/cannot run the labs yet/)).toBeTruthy();
    expect(screen.getByText('sudo modprobe ip_vs ip_vs_rr ip_vs_wrr')).toBeTruthy();
    const others = screen.getByText('Other platforms (2)').closest('details');
    expect(others?.open).toBe(false);
    expect(within(others as HTMLElement).getByText(/CONFIG_IP_VS=m/)).toBeTruthy();
  });

  it('lists an orphaned lab with its problems and cleans it up', async () => {
    show(LabPicker, {});
    expect(screen.getByText(/orphaned · instance deadbeef/)).toBeTruthy();
    expect(screen.getByText(/node server3 is exited/)).toBeTruthy();
    api.handle('lab.status', () => []);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Clean up' }));
      await Promise.resolve();
    });
    expect(api.callsOf('lab.cleanup')).toEqual([[['deadbeef']]]);
    expect(await screen.findByText('No lab is running.')).toBeTruthy();
  });

  it('starts a lab from its card', async () => {
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
    show(LabPicker, {});
    const card = screen.getByRole('article', { name: 'LVS-TUN in one subnet, ARP hidden with arptables' });
    fireEvent.click(within(card).getByRole('button', { name: 'Start' }));
    expect(useLabStore.getState().activeLabId).toBe('tun-arptables');
    expect(useLabStore.getState().operation).toEqual({ kind: 'up', labId: 'tun-arptables' });
    await act(async () => {
      finish();
      await Promise.resolve();
    });
  });

  it('shows why the labs could not be listed, with a retry', async () => {
    api.handle('labs.list', () => {
      throw Object.assign(new Error('labs folder missing'), { hint: 'run from the repository' });
    });
    await useLabsStore.getState().load();
    show(LabPicker, {});
    expect(screen.getByRole('alert').textContent).toContain('labs folder missing');
    expect(screen.getByText('run from the repository')).toBeTruthy();
    expect(screen.getAllByRole('button', { name: 'Retry' }).length).toBeGreaterThan(0);
  });
});
