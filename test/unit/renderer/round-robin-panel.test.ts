// @vitest-environment jsdom
/// <reference lib="dom" />
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alwaysOpen } from '../../../renderer/src/api/connection.js';
import { wireApp } from '../../../renderer/src/app/wiring.js';
import { getTerminalRegistry } from '../../../renderer/src/terminal/registry-instance.js';
import type { IpvsView, ProbeSample } from '../../../shared/api.js';
import { RoundRobinPanel } from '../../../renderer/src/views/probe/RoundRobinPanel.js';
import { useProbeStore } from '../../../renderer/src/stores/probe-store.js';
import { FakeLabApi } from './helpers/fake-api.js';
import { arptablesDetail, ipvsView } from './helpers/fixtures.js';
import { setup, show } from './helpers/render.js';

let api: FakeLabApi;
let view: IpvsView;
let unwire: () => void = () => undefined;

function answers(nodes: (string | null)[], errors: Record<number, string> = {}): ProbeSample[] {
  return nodes.map((node, i) => ({
    seq: i + 1,
    at: i * 100,
    node,
    status: errors[i] ? null : 200,
    latencyMs: errors[i] ? null : 1 + i,
    error: errors[i] ?? null,
  }));
}

beforeEach(() => {
  view = ipvsView();
  ({ api } = setup(
    new FakeLabApi()
      .handle('ipvs.read', () => view)
      .handle('probe.start', () => ({ probeId: 'p1' }))
      .handle('probe.stop', () => null),
  ));
  // Events reach the store through the app's wiring, as on the page.
  unwire = wireApp(api, alwaysOpen, getTerminalRegistry);
});

afterEach(() => {
  unwire();
  cleanup();
});

function row(server: string): HTMLElement {
  const tr = document.querySelector<HTMLElement>(`tr[data-server="${server}"]`);
  if (!tr) throw new Error(`no row for ${server}`);
  return tr;
}

async function startProbe() {
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    await Promise.resolve();
  });
}

describe('round-robin panel', () => {
  it('starts a probe at the chosen rate', async () => {
    show(RoundRobinPanel, { labId: 'tun-arptables', detail: arptablesDetail, running: true });
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Requests per second' }), {
      target: { value: '40' },
    });
    await startProbe();
    expect(api.callsOf('probe.start')).toEqual([
      [{ labId: 'tun-arptables', ratePerSecond: 40, durationSeconds: 30 }],
    ]);
    expect(screen.getByRole('button', { name: 'Stop' })).toBeTruthy();
  });

  it('counts answers per server with shares beside the expected rr split', async () => {
    show(RoundRobinPanel, { labId: 'tun-arptables', detail: arptablesDetail, running: true });
    await startProbe();
    act(() => {
      api.emit('probe.samples', {
        probeId: 'p1',
        samples: answers(['server2', 'server3', 'server2', 'server3', 'server2', null, null], {
          5: 'timeout',
          6: 'refused',
        }),
      });
    });
    expect(
      within(row('server2'))
        .getAllByRole('cell')
        .map((td) => td.textContent)
        .slice(0, 3),
    ).toEqual(['3', '60%', '50%']);
    expect(
      within(row('server3'))
        .getAllByRole('cell')
        .map((td) => td.textContent)
        .slice(0, 3),
    ).toEqual(['2', '40%', '50%']);
    const summary = document.querySelector('.probe-summary') as HTMLElement;
    expect(within(summary).getByText('Timeouts').nextSibling?.textContent).toBe('1');
    expect(within(summary).getByText('Errors').nextSibling?.textContent).toBe('1');
    expect(within(summary).getByText('refused: 1')).toBeTruthy();
    expect(within(summary).getByText('Latency p50').nextSibling?.textContent).toBe('3.0 ms');
    // One cell per answer, failures in their own style.
    const cells = screen
      .getByRole('list', { name: 'Latest answers, oldest first' })
      .querySelectorAll('.cell');
    expect(cells).toHaveLength(7);
    expect(cells[0]?.className).toContain('srv-0');
    expect(cells[1]?.className).toContain('srv-1');
    expect(cells[5]?.className).toContain('cell-timeout');
    expect(cells[6]?.className).toContain('cell-error');
  });

  it('expects the wrr split from the weights in the IPVS table', async () => {
    const service = view.services[0];
    if (!service) throw new Error('fixture');
    service.scheduler = 'wrr';
    service.realServers = service.realServers.map((rs, i) => ({ ...rs, weight: i === 0 ? 3 : 1 }));
    show(RoundRobinPanel, { labId: 'tun-arptables', detail: arptablesDetail, running: true });
    expect(await screen.findByText('Expected (wrr)')).toBeTruthy();
    expect(within(row('server2')).getAllByRole('cell')[2]?.textContent).toBe('75%');
    expect(within(row('server3')).getAllByRole('cell')[2]?.textContent).toBe('25%');
  });

  it('says why the probe ended', async () => {
    show(RoundRobinPanel, { labId: 'tun-arptables', detail: arptablesDetail, running: true });
    await startProbe();
    act(() => {
      api.emit('probe.end', 'p1', 'duration reached');
    });
    expect(screen.getByText('Probe ended: duration reached')).toBeTruthy();
    expect(useProbeStore.getState().phase).toBe('idle');
  });

  it('cannot start while the lab is stopped', () => {
    show(RoundRobinPanel, { labId: 'tun-arptables', detail: arptablesDetail, running: false });
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Start' }).disabled).toBe(true);
  });
});
