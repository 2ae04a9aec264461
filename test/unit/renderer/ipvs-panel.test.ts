// @vitest-environment jsdom
/// <reference lib="dom" />
import { act, cleanup, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPVS_POLL_MS, IpvsPanel } from '../../../renderer/src/views/ipvs/IpvsPanel.js';
import type { IpvsView } from '../../../shared/api.js';
import { FakeLabApi } from './helpers/fake-api.js';
import { ipvsView } from './helpers/fixtures.js';
import { setup, show } from './helpers/render.js';

let api: FakeLabApi;
let view: IpvsView;

beforeEach(() => {
  view = ipvsView();
  ({ api } = setup(new FakeLabApi().handle('ipvs.read', () => view)));
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('IPVS table', () => {
  it('shows services and real servers with forward, weight and counters, OutPkts included', async () => {
    show(IpvsPanel, { labId: 'tun-arptables', running: true });
    const table = await screen.findByRole('table');
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((th) => th.textContent);
    expect(headers).toEqual([
      'Service / real server',
      'Scheduler / forward',
      'Weight',
      'Conns',
      'InPkts',
      'OutPkts',
      'InBytes',
      'OutBytes',
    ]);
    const service = within(table).getByText('TCP 172.25.88.100:80').closest('tr') as HTMLElement;
    expect(within(service).getByText('rr')).toBeTruthy();
    expect(service.querySelector('[data-col="inPkts"]')?.textContent).toBe('72');
    expect(service.querySelector('[data-col="outPkts"]')?.textContent).toBe('0');
    const rs = within(table)
      .getByText(/172\.25\.88\.2:80/)
      .closest('tr') as HTMLElement;
    expect(within(rs).getByText('Tunnel')).toBeTruthy();
    expect(within(rs).getByText('server2')).toBeTruthy();
    expect(rs.querySelector('[data-col="conns"]')?.textContent).toBe('6');
    expect(rs.querySelector('[data-col="outPkts"]')?.textContent).toBe('0');
  });

  it('explains why OutPkts stays 0 in TUN mode', () => {
    show(IpvsPanel, { labId: 'tun-arptables', running: true });
    const callout = screen.getByRole('complementary', { name: 'Why OutPkts stays 0' });
    expect(callout.textContent).toMatch(/Replies bypass the director/);
  });

  it('shows the error when IPVS is missing', async () => {
    view = ipvsView({ error: 'ipvsadm: Protocol not available (is ip_vs loaded?)', services: [] });
    show(IpvsPanel, { labId: 'tun-arptables', running: true });
    expect(await screen.findByText('ipvsadm: Protocol not available (is ip_vs loaded?)')).toBeTruthy();
    expect(screen.getByText('IPVS is not available on the director')).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('polls every 2 s while shown and stops when hidden', async () => {
    vi.useFakeTimers();
    const { unmount } = show(IpvsPanel, { labId: 'tun-arptables', running: true });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(IPVS_POLL_MS * 3);
    });
    expect(api.callsOf('ipvs.read').length).toBe(4);
    unmount();
    await vi.advanceTimersByTimeAsync(IPVS_POLL_MS * 3);
    expect(api.callsOf('ipvs.read').length).toBe(4);
  });

  it('does not read while the lab is stopped', () => {
    show(IpvsPanel, { labId: 'tun-arptables', running: false });
    expect(api.callsOf('ipvs.read')).toEqual([]);
    expect(screen.getByText('Start the lab to read its IPVS table.')).toBeTruthy();
  });
});
