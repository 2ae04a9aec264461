// @vitest-environment jsdom
/// <reference lib="dom" />
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StepGuide } from '../../../renderer/src/views/steps/StepGuide.js';
import { useStepsStore } from '../../../renderer/src/stores/steps-store.js';
import { useTerminalsStore } from '../../../renderer/src/stores/terminals-store.js';
import { useUiStore } from '../../../renderer/src/stores/ui-store.js';
import { getTerminalRegistry } from '../../../renderer/src/terminal/registry-instance.js';
import { FakeLabApi } from './helpers/fake-api.js';
import { steps } from './helpers/fixtures.js';
import { setup, show } from './helpers/render.js';

let api: FakeLabApi;

beforeEach(async () => {
  ({ api } = setup(
    new FakeLabApi()
      .handle('lab.steps', () => steps)
      .handle('terminal.open', () => ({ sessionId: 'sess-1' }))
      .handle('step.check', (_labId, stepId) => ({
        stepId,
        ok: false,
        checks: [
          { kind: 'link', label: 'tunl0 on server1 is up', ok: true },
          {
            kind: 'ipvs-service',
            label: 'a virtual service with rr',
            ok: false,
            reason: 'no virtual service for 172.25.88.100:80',
          },
        ],
      })),
  ));
  getTerminalRegistry().useLab('tun-arptables');
  await useStepsStore.getState().load('tun-arptables');
});

afterEach(cleanup);

function selectedStep(): HTMLElement {
  const item = document.querySelector<HTMLElement>('.step-selected');
  if (!item) throw new Error('no selected step');
  return item;
}

describe('step guide', () => {
  it('shows every step with its progress and opens the first one not done', () => {
    show(StepGuide, { labId: 'tun-arptables', running: true });
    expect(screen.getByText('1 of 3 done')).toBeTruthy();
    const first = screen.getByText('Bring up tunl0 on the director').closest('li');
    expect(within(first as HTMLElement).getByText('done')).toBeTruthy();
    expect(selectedStep().querySelector('.step-title')?.textContent).toBe('Virtual service in tunnel mode');
  });

  it('renders the explanation from markdown, with raw HTML shown as text', () => {
    show(StepGuide, { labId: 'tun-arptables', running: true });
    const body = selectedStep().querySelector('.markdown');
    expect(body?.querySelector('strong')?.textContent).toBe('Virtual service in tunnel mode');
    expect(body?.querySelector('code')?.textContent).toBe('tunl0');
    expect(body?.querySelector('script')).toBeNull();
    expect(body?.textContent).toContain('<script>alert(1)</script>');
  });

  it('lists the commands per node', () => {
    show(StepGuide, { labId: 'tun-arptables', running: true });
    const step = selectedStep();
    expect(within(step).getByText('server1')).toBeTruthy();
    expect(within(step).getByText('modprobe ipip')).toBeTruthy();
    expect(within(step).getByText('ip addr add 172.25.88.100/32 dev tunl0')).toBeTruthy();
    expect(within(step).getAllByRole('button', { name: 'Type into terminal' })).toHaveLength(3);
  });

  it('Check shows each check and the reason of a failure', async () => {
    show(StepGuide, { labId: 'tun-arptables', running: true });
    await act(async () => {
      fireEvent.click(within(selectedStep()).getByRole('button', { name: 'Check (2)' }));
      await Promise.resolve();
    });
    expect(await screen.findByText('1 of 2 checks fail.')).toBeTruthy();
    expect(screen.getByText('tunl0 on server1 is up')).toBeTruthy();
    expect(screen.getByText('a virtual service with rr')).toBeTruthy();
    expect(screen.getByText('no virtual service for 172.25.88.100:80')).toBeTruthy();
    expect(api.callsOf('step.check')).toEqual([['tun-arptables', 'director-ipvs']]);
  });

  it('Type into terminal sends the command to that node’s shell without Enter', async () => {
    show(StepGuide, { labId: 'tun-arptables', running: true });
    const row = screen.getByText('ip addr add 172.25.88.100/32 dev tunl0').closest('li');
    await act(async () => {
      fireEvent.click(within(row as HTMLElement).getByRole('button', { name: 'Type into terminal' }));
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(api.callsOf('terminal.open')).toEqual([
      [{ labId: 'tun-arptables', node: 'server2', cols: 80, rows: 24 }],
    ]);
    expect(api.sendsOf('terminal.input')).toEqual([['sess-1', 'ip addr add 172.25.88.100/32 dev tunl0']]);
    expect(useUiStore.getState().panel).toBe('terminals');
    expect(useTerminalsStore.getState().activeNode).toBe('server2');
  });

  it('Run for me runs the step and shows its commands and checks', async () => {
    api.handle('step.run', (_labId, stepId) => ({
      run: {
        stepId,
        ok: false,
        commands: [
          {
            node: 'server1',
            command: 'modprobe ipip',
            exitCode: 1,
            output: 'modprobe: FATAL',
            alreadyDone: false,
          },
        ],
        skipped: [{ node: 'server1', command: 'ip link set up tunl0' }],
      },
      check: {
        stepId,
        ok: false,
        checks: [{ kind: 'link', label: 'tunl0 on server1 is up', ok: false, reason: 'tunl0 is down' }],
      },
    }));
    show(StepGuide, { labId: 'tun-arptables', running: true });
    await act(async () => {
      fireEvent.click(within(selectedStep()).getByRole('button', { name: 'Run for me' }));
      await Promise.resolve();
    });
    expect(await screen.findByText('A command failed')).toBeTruthy();
    expect(screen.getByText('modprobe: FATAL')).toBeTruthy();
    expect(screen.getByText('tunl0 is down')).toBeTruthy();
    expect(screen.getByText(/Not run, because an earlier command/)).toBeTruthy();
  });

  it('disables running and checking while the lab is stopped', () => {
    show(StepGuide, { labId: 'tun-arptables', running: false });
    const step = selectedStep();
    expect(within(step).getByRole<HTMLButtonElement>('button', { name: 'Run for me' }).disabled).toBe(true);
    expect(within(step).getByText('Start the lab to run and check steps.')).toBeTruthy();
  });

  it('resets progress after confirmation', async () => {
    api.handle('lab.resetProgress', () => steps.map((s) => ({ ...s, progress: {} })));
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    show(StepGuide, { labId: 'tun-arptables', running: true });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Reset progress' }));
      await Promise.resolve();
    });
    expect(await screen.findByText('0 of 3 done')).toBeTruthy();
  });
});
