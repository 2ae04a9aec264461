// @vitest-environment jsdom
/// <reference lib="dom" />
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FaultInfo, FaultRunResult } from '../../../shared/results.js';
import { LabApiError } from '../../../renderer/src/api/errors.js';
import { FaultMenu } from '../../../renderer/src/views/faults/FaultMenu.js';
import { FakeLabApi } from './helpers/fake-api.js';
import { setup } from './helpers/render.js';

const TUNL0_DOWN: FaultInfo = {
  id: 'tunl0-down',
  node: 'server2',
  title: 'tunl0 down',
  symptom: 'Requests the director sends to this real server get no answer.',
  runsOn: 'server2',
  origin: 'builtin',
};
const WEIGHT_ZERO: FaultInfo = {
  id: 'weight-zero',
  node: 'server2',
  title: "this real server's weight set to 0",
  symptom: 'The director stops sending this real server new connections.',
  runsOn: 'server1',
  origin: 'builtin',
};
const PERSISTENCE: FaultInfo = { ...WEIGHT_ZERO, id: 'persistence', node: 'server1', title: 'persistence' };

let api: FakeLabApi;
let broken: Set<string>;

function listed(): FaultInfo[] {
  return [TUNL0_DOWN, WEIGHT_ZERO, PERSISTENCE].map((f) =>
    broken.has(`${f.node}/${f.id}`) ? { ...f, brokenAt: '2026-12-01T13:00:00.000Z' } : f,
  );
}

function ran(fault: string, action: 'break' | 'fix', ok = true): FaultRunResult {
  return { node: 'server2', fault, action, ok, commands: [], skipped: [] };
}

const settle = () =>
  act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
  });

beforeEach(() => {
  broken = new Set();
  ({ api } = setup(new FakeLabApi().handle('fault.list', () => listed())));
});

afterEach(cleanup);

async function openMenu() {
  render(<FaultMenu labId="tun-arptables" node="server2" />);
  await settle();
  fireEvent.click(screen.getByRole('button', { name: 'Break/Fix' }));
  await settle();
}

describe('the Break/Fix menu of a node', () => {
  it("lists only that node's faults, with their symptoms and where they run", async () => {
    await openMenu();
    const items = screen.getAllByRole('listitem');
    expect(items.map((li) => li.getAttribute('data-fault'))).toEqual(['tunl0-down', 'weight-zero']);
    expect(screen.getByText(TUNL0_DOWN.symptom)).toBeTruthy();
    expect(screen.getByText('(runs on server1)')).toBeTruthy();
  });

  it('breaks a fault, then offers Fix and counts it on the button; Fix puts it back', async () => {
    api.handle('fault.break', (_lab, node, fault) => {
      broken.add(`${node}/${fault}`);
      return ran(fault, 'break');
    });
    api.handle('fault.fix', (_lab, node, fault) => {
      broken.delete(`${node}/${fault ?? ''}`);
      return [ran(fault ?? '', 'fix')];
    });
    await openMenu();
    fireEvent.click(screen.getAllByRole('button', { name: 'Break' })[0] as HTMLElement);
    await settle();
    expect(api.callsOf('fault.break')).toEqual([['tun-arptables', 'server2', 'tunl0-down']]);
    expect(screen.getByText('Broken: tunl0-down on server2.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Break/Fix (1 broken)' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Fix' }));
    await settle();
    expect(api.callsOf('fault.fix')).toEqual([['tun-arptables', 'server2', 'tunl0-down']]);
    expect(screen.getByText('Fixed: tunl0-down on server2.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Break/Fix' })).toBeTruthy();
  });

  it('shows the command that failed, and whether a half-done break was put back', async () => {
    api.handle('fault.break', () => ({
      ...ran('tunl0-down', 'break', false),
      commands: [
        {
          node: 'server2',
          command: 'ip link set tunl0 down',
          exitCode: 1,
          output: 'Cannot find device "tunl0"',
          alreadyDone: false,
        },
      ],
      rolledBack: true,
    }));
    await openMenu();
    fireEvent.click(screen.getAllByRole('button', { name: 'Break' })[0] as HTMLElement);
    await settle();
    expect(screen.getByText('Could not break tunl0-down on server2.')).toBeTruthy();
    expect(screen.getByText(/Cannot find device "tunl0"/)).toBeTruthy();
    expect(screen.getByText('What it had changed was put back.')).toBeTruthy();
  });

  it('says what the core refused, with its hint', async () => {
    api.handle('fault.break', () => {
      throw new LabApiError('tunl0-down is already broken on server2', {
        hint: 'fix it first: lvs-lab fix server2 tunl0-down',
      });
    });
    await openMenu();
    fireEvent.click(screen.getAllByRole('button', { name: 'Break' })[0] as HTMLElement);
    await settle();
    expect(screen.getByRole('alert').textContent).toContain('tunl0-down is already broken on server2');
    expect(screen.getByText('fix it first: lvs-lab fix server2 tunl0-down')).toBeTruthy();
  });
});
