// @vitest-environment jsdom
/// <reference lib="dom" />
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LabApiError } from '../../../renderer/src/api/errors.js';
import { useLabFilesStore } from '../../../renderer/src/stores/lab-files-store.js';
import { useLabsStore } from '../../../renderer/src/stores/labs-store.js';
import { useLabStore } from '../../../renderer/src/stores/lab-store.js';
import { useStepsStore } from '../../../renderer/src/stores/steps-store.js';
import { useUiStore } from '../../../renderer/src/stores/ui-store.js';
import { App } from '../../../renderer/src/views/app/App.js';
import { LabHeader } from '../../../renderer/src/views/lab/LabHeader.js';
import { LabPicker } from '../../../renderer/src/views/picker/LabPicker.js';
import type { LabSummary } from '../../../shared/api.js';
import { catchDownloads, type Download } from './helpers/downloads.js';
import { FakeLabApi } from './helpers/fake-api.js';
import { arptablesDetail, instance, preflight, step, steps, summaries } from './helpers/fixtures.js';
import { setup } from './helpers/render.js';

const myLab: LabSummary = {
  id: 'my-tun',
  title: 'My LVS-TUN',
  summary: 'A trainer’s take on tun-arptables.',
  difficulty: 'beginner',
  seed: 'seed 000 §3',
  file: '/home/me/.config/lvs-lab/labs/my-tun.yaml',
  steps: 3,
  source: 'user',
  warnings: [
    'my-tun.yaml:12:7: service.scheduler: wrr with equal weights is rr',
    'my-tun.yaml:40:9: steps[2].commands: arp_ignore set on the director',
  ],
};

const brokenMine: LabSummary = {
  id: 'half-done',
  title: '',
  summary: '',
  difficulty: '',
  seed: '',
  file: '/home/me/.config/lvs-lab/labs/half-done.yaml',
  steps: 0,
  source: 'user',
  error:
    'half-done.yaml:3:1: seed: required\nhalf-done.yaml:18:14: nodes[0].addresses.lan: 10.0.0.300 is not a host address\n',
};

const bundleBytes = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0xff, 0x00, 0x80, 0x7f, 0x10]);
const bundleBase64 = btoa(String.fromCharCode(...bundleBytes));

let api: FakeLabApi;
let labs: LabSummary[];
let downloads: Download[];

beforeEach(() => {
  labs = [...summaries, myLab, brokenMine];
  ({ api } = setup(
    new FakeLabApi()
      .handle('labs.list', () => labs)
      .handle('engine.preflight', () => preflight)
      .handle('lab.status', () => []),
  ));
  downloads = catchDownloads();
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const settle = () =>
  act(async () => {
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  });

async function showPicker(): Promise<void> {
  await useLabsStore.getState().load();
  render(<LabPicker />);
}

function bytesOf(blob: Blob): Promise<Uint8Array> {
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => {
      resolve(new Uint8Array(reader.result as ArrayBuffer));
    };
    reader.readAsArrayBuffer(blob);
  });
}

function toastMessages(): string[] {
  return useUiStore.getState().toasts.map((t) => t.message);
}

function dropFiles(files: File[]): void {
  const zone = screen.getByTestId('bundle-drop-zone');
  const dataTransfer = { files, types: ['Files'], dropEffect: 'none' };
  fireEvent.dragEnter(zone, { dataTransfer });
  fireEvent.dragOver(zone, { dataTransfer });
  fireEvent.drop(zone, { dataTransfer });
}

describe('the two groups of labs', () => {
  it('puts shipped labs and reproductions in one group and the user’s labs in the other', async () => {
    await showPicker();
    const builtin = screen.getByRole('region', { name: "LVS Lab's labs" });
    const mine = screen.getByTestId('user-labs');
    expect(within(builtin).getByTestId('lab-card-tun-arptables')).toBeTruthy();
    expect(within(builtin).getByTestId('lab-card-repro-wrr-weights')).toBeTruthy();
    expect(within(builtin).queryByTestId('lab-card-my-tun')).toBeNull();
    expect(within(mine).getByTestId('lab-card-my-tun')).toBeTruthy();
    expect(within(mine).getByTestId('lab-card-half-done')).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Your labs' })).toBe(mine);
  });

  it('says how to get labs of one’s own when there are none', async () => {
    labs = summaries;
    await showPicker();
    expect(
      within(screen.getByTestId('user-labs')).getByText(/Import a bundle, or make your own copy/),
    ).toBeTruthy();
  });

  it('offers a copy of shipped labs, and export and remove of the user’s', async () => {
    await showPicker();
    expect(screen.getByTestId('lab-copy-tun-arptables')).toBeTruthy();
    expect(screen.queryByTestId('lab-export-tun-arptables')).toBeNull();
    expect(screen.queryByTestId('lab-remove-tun-arptables')).toBeNull();
    expect(screen.queryByTestId('lab-copy-my-tun')).toBeNull();
    expect(screen.getByTestId('lab-export-my-tun')).toBeTruthy();
    expect(screen.getByTestId('lab-remove-my-tun')).toBeTruthy();
    // A shipped lab that does not load has nothing to copy; the user's can still be removed.
    expect(screen.queryByTestId('lab-copy-broken')).toBeNull();
    expect(screen.queryByTestId('lab-export-half-done')).toBeNull();
    expect(screen.getByTestId('lab-remove-half-done')).toBeTruthy();
  });
});

describe('validation on the cards', () => {
  it('lists each error of a lab that does not load, with its file:line', async () => {
    await showPicker();
    const errors = screen.getByTestId('lab-errors-half-done');
    expect(
      within(errors)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'half-done.yaml:3:1: seed: required',
      'half-done.yaml:18:14: nodes[0].addresses.lan: 10.0.0.300 is not a host address',
    ]);
  });

  it('folds lint warnings behind their count', async () => {
    await showPicker();
    const warnings = screen.getByTestId('lab-warnings-my-tun');
    expect(warnings.tagName).toBe('DETAILS');
    expect((warnings as HTMLDetailsElement).open).toBe(false);
    expect(within(warnings).getByText('2 lint warnings')).toBeTruthy();
    expect(
      within(warnings)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(myLab.warnings);
    expect(screen.queryByTestId('lab-warnings-tun-arptables')).toBeNull();
  });
});

describe('copy, export and remove', () => {
  it('copies a shipped lab into the user’s labs, says under which id, and lists it', async () => {
    const copy: LabSummary = {
      ...myLab,
      id: 'tun-arptables-2',
      file: '/home/me/.config/lvs-lab/labs/tun-arptables-2.yaml',
      warnings: [],
    };
    api.handle('labs.copy', () => {
      labs = [...labs, copy];
      return copy;
    });
    await showPicker();
    fireEvent.click(screen.getByTestId('lab-copy-tun-arptables'));
    expect(screen.getByTestId('lab-copy-tun-arptables').textContent).toBe('Copying…');
    await settle();
    expect(api.callsOf('labs.copy')).toEqual([['tun-arptables']]);
    expect(toastMessages()).toContain('Copied to your labs as tun-arptables-2');
    expect(within(screen.getByTestId('user-labs')).getByTestId('lab-card-tun-arptables-2')).toBeTruthy();
  });

  it('says why a copy failed', async () => {
    api.handle('labs.copy', () => {
      throw new LabApiError('the labs folder is read-only');
    });
    await showPicker();
    fireEvent.click(screen.getByTestId('lab-copy-tun-arptables'));
    await settle();
    expect(toastMessages()).toEqual(['tun-arptables was not copied: the labs folder is read-only']);
    expect(useLabFilesStore.getState().busy).toEqual({});
  });

  it('exports a user lab as the bundle’s bytes under its file name', async () => {
    api.handle('labs.export', () => ({ fileName: 'my-tun.lvslab', base64: bundleBase64 }));
    await showPicker();
    fireEvent.click(screen.getByTestId('lab-export-my-tun'));
    await settle();
    expect(api.callsOf('labs.export')).toEqual([['my-tun']]);
    expect(downloads.map((d) => d.name)).toEqual(['my-tun.lvslab']);
    const blob = downloads[0]?.blob ?? new Blob();
    expect(blob.type).toBe('application/octet-stream');
    expect(Array.from(await bytesOf(blob))).toEqual(Array.from(bundleBytes));
  });

  it('removes a user lab only once the dialog is confirmed', async () => {
    api.handle('labs.remove', () => {
      labs = labs.filter((l) => l.id !== 'my-tun');
      return null;
    });
    await showPicker();
    fireEvent.click(screen.getByTestId('lab-remove-my-tun'));
    const dialog = screen.getByRole('dialog', { name: 'Remove my-tun?' });
    expect(within(dialog).getByText(myLab.file)).toBeTruthy();
    expect(document.activeElement?.textContent).toBe('Cancel');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(api.callsOf('labs.remove')).toEqual([]);

    fireEvent.click(screen.getByTestId('lab-remove-my-tun'));
    fireEvent.click(screen.getByTestId('lab-remove-confirm-my-tun'));
    await settle();
    expect(api.callsOf('labs.remove')).toEqual([['my-tun']]);
    expect(screen.queryByTestId('lab-card-my-tun')).toBeNull();
  });

  it('exports any lab from its header, a shipped one too', async () => {
    api.handle('labs.export', () => ({ fileName: 'tun-arptables.lvslab', base64: bundleBase64 }));
    render(<LabHeader labId="tun-arptables" detail={arptablesDetail} instance={null} />);
    fireEvent.click(screen.getByTestId('lab-export-tun-arptables'));
    await settle();
    expect(api.callsOf('labs.export')).toEqual([['tun-arptables']]);
    expect(downloads.map((d) => d.name)).toEqual(['tun-arptables.lvslab']);
  });
});

describe('import', () => {
  const imported: LabSummary = {
    ...myLab,
    id: 'from-trainer',
    title: 'From the trainer',
    file: '/home/me/.config/lvs-lab/labs/from-trainer.yaml',
    warnings: [],
  };

  function chooseFile(file: File): void {
    fireEvent.change(screen.getByTestId('import-file-input'), { target: { files: [file] } });
  }

  it('sends the chosen bundle as base64, shows progress, then lists the lab', async () => {
    let answer: () => void = () => undefined;
    api.handle(
      'labs.import',
      () =>
        new Promise((resolve) => {
          answer = () => {
            labs = [...labs, imported];
            resolve(imported);
          };
        }),
    );
    await showPicker();
    chooseFile(new File([bundleBytes], 'from-trainer.lvslab'));
    await settle();
    expect(api.callsOf('labs.import')).toEqual([[{ fileName: 'from-trainer.lvslab', base64: bundleBase64 }]]);
    const button = screen.getByTestId('import-lab');
    expect(button.textContent).toBe('Importing…');
    expect(button).toHaveProperty('disabled', true);
    answer();
    await settle();
    expect(button.textContent).toBe('Import lab…');
    expect(toastMessages()).toContain('Imported From the trainer (from-trainer)');
    expect(within(screen.getByTestId('user-labs')).getByTestId('lab-card-from-trainer')).toBeTruthy();
  });

  it('shows why a bundle was refused, with its file:line issues, until dismissed', async () => {
    api.handle('labs.import', () => {
      throw new LabApiError('the bundle’s lab does not load', {
        hint: 'fix the lab and export it again',
        issues: [
          { file: 'lab.yaml', line: 14, column: 9, field: 'nodes[1].role', message: 'unknown role "server"' },
        ],
      });
    });
    await showPicker();
    chooseFile(new File([bundleBytes], 'bad.lvslab'));
    await settle();
    const notice = screen.getByTestId('import-error');
    expect(notice.textContent).toContain('bad.lvslab was not imported: the bundle’s lab does not load');
    expect(within(notice).getByText('lab.yaml:14:9: nodes[1].role: unknown role "server"')).toBeTruthy();
    expect(within(notice).getByText('fix the lab and export it again')).toBeTruthy();
    expect(screen.getByTestId('import-lab')).toHaveProperty('disabled', false);
    fireEvent.click(within(notice).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('import-error')).toBeNull();
  });

  it('imports the first file dropped on the picker, highlighting it during the drag', async () => {
    api.handle('labs.import', () => imported);
    await showPicker();
    const zone = screen.getByTestId('bundle-drop-zone');
    fireEvent.dragEnter(zone, { dataTransfer: { files: [], types: ['Files'] } });
    expect(zone.className).toContain('drop-zone-active');
    expect(screen.getByText('Release to import the lab bundle.').getAttribute('role')).toBe('status');
    dropFiles([new File([bundleBytes], 'first.lvslab'), new File([bundleBytes], 'second.lvslab')]);
    await settle();
    expect(zone.className).not.toContain('drop-zone-active');
    expect(api.callsOf('labs.import')).toEqual([[{ fileName: 'first.lvslab', base64: bundleBase64 }]]);
  });

  it('refuses a dropped file that is no .lvslab bundle without asking the core', async () => {
    api.handle('labs.import', () => imported);
    await showPicker();
    dropFiles([new File(['# notes'], 'notes.md')]);
    await settle();
    expect(api.callsOf('labs.import')).toEqual([]);
    expect(screen.getByTestId('import-error').textContent).toContain('notes.md is not a lab bundle');
  });

  it('refuses a bundle over 4 MiB before reading it', async () => {
    await useLabFilesStore.getState().importBundle({
      name: 'huge.lvslab',
      size: 5 * 1024 * 1024,
    } as File);
    expect(api.callsOf('labs.import')).toEqual([]);
    expect(useLabFilesStore.getState().importError?.message).toMatch(/huge\.lvslab is 5\.0 MiB/);
  });
});

describe('labs.changed', () => {
  const editedSteps = [
    steps[0],
    step('director-ipvs', 'Virtual service in tunnel mode, edited'),
    step('realserver-arp', 'Hide the VIP from ARP'),
  ].filter((s) => s !== undefined);

  beforeEach(() => {
    api
      .handle('labs.get', (labId) => ({ ...arptablesDetail, id: labId }))
      .handle('lab.steps', () => steps)
      .handle('terminal.open', () => ({ sessionId: 's1' }))
      .handle('terminal.close', () => null);
  });

  it('shows the new list in the picker', async () => {
    render(<App />);
    await settle();
    expect(screen.queryByTestId('lab-card-new-one')).toBeNull();
    act(() => {
      api.emit('labs.changed', [
        ...labs,
        { ...myLab, id: 'new-one', title: 'New one', file: 'new-one.yaml' },
      ]);
    });
    expect(within(screen.getByTestId('user-labs')).getByTestId('lab-card-new-one')).toBeTruthy();
  });

  it('reloads the open user lab’s detail and steps, keeping the selected step', async () => {
    api.handle('lab.status', () => [instance('my-tun')]);
    render(<App />);
    await settle();
    expect(useLabStore.getState().activeLabId).toBe('my-tun');
    act(() => {
      useStepsStore.getState().select('director-ipvs');
    });
    const before = { get: api.callsOf('labs.get').length, steps: api.callsOf('lab.steps').length };

    api.handle('lab.steps', () => editedSteps);
    act(() => {
      // The trainer saved the file: only a step's title changed, the summary did not.
      api.emit('labs.changed', labs);
    });
    await settle();
    expect(api.callsOf('labs.get').length).toBe(before.get + 1);
    expect(api.callsOf('lab.steps').length).toBe(before.steps + 1);
    expect(useStepsStore.getState().selectedStepId).toBe('director-ipvs');
    expect(screen.getAllByText('Virtual service in tunnel mode, edited').length).toBeGreaterThan(0);
  });

  it('moves to the first open step when the selected one was taken out of the file', async () => {
    api.handle('lab.status', () => [instance('my-tun')]);
    render(<App />);
    await settle();
    act(() => {
      useStepsStore.getState().select('realserver-arp');
    });
    api.handle('lab.steps', () => editedSteps.filter((s) => s.id !== 'realserver-arp'));
    act(() => {
      api.emit('labs.changed', labs);
    });
    await settle();
    expect(useStepsStore.getState().selectedStepId).toBe('director-ipvs');
  });

  it('leaves an open shipped lab alone when its summary did not change', async () => {
    api.handle('lab.status', () => [instance('tun-arptables')]);
    render(<App />);
    await settle();
    const before = { get: api.callsOf('labs.get').length, steps: api.callsOf('lab.steps').length };
    act(() => {
      api.emit('labs.changed', [
        ...labs.map((l) => ({ ...l })),
        { ...myLab, id: 'another', file: 'another.yaml' },
      ]);
    });
    await settle();
    expect(api.callsOf('labs.get').length).toBe(before.get);
    expect(api.callsOf('lab.steps').length).toBe(before.steps);
  });
});
