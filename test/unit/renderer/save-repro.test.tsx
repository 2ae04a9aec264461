// @vitest-environment jsdom
/// <reference lib="dom" />
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LabApiError } from '../../../renderer/src/api/errors.js';
import { useUiStore } from '../../../renderer/src/stores/ui-store.js';
import { SaveReproButton } from '../../../renderer/src/views/lab/SaveReproButton.js';
import { catchDownloads, type Download } from './helpers/downloads.js';
import { FakeLabApi } from './helpers/fake-api.js';
import { setup } from './helpers/render.js';

let api: FakeLabApi;
let downloads: Download[];

beforeEach(() => {
  ({ api } = setup(new FakeLabApi()));
  downloads = catchDownloads();
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** jsdom's Blob has no text(): read it as a page would. */
function textOf(blob: Blob | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    if (blob === undefined) {
      reject(new Error('nothing was downloaded'));
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      resolve(typeof reader.result === 'string' ? reader.result : '');
    };
    reader.readAsText(blob);
  });
}

const settle = () =>
  act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
  });

describe('Save reproduction', () => {
  it('downloads the repro file the core wrote for this lab, under its name', async () => {
    api.handle('repro.report', () => ({
      fileName: 'tun-arptables-x.lvsrepro.yaml',
      text: 'format: lvs-lab-repro\n',
    }));
    render(<SaveReproButton labId="tun-arptables" />);
    fireEvent.click(screen.getByRole('button', { name: 'Save reproduction' }));
    expect(screen.getByRole('button', { name: 'Saving reproduction…' })).toHaveProperty('disabled', true);
    await settle();
    expect(api.callsOf('repro.report')).toEqual([['tun-arptables']]);
    expect(downloads.map((d) => d.name)).toEqual(['tun-arptables-x.lvsrepro.yaml']);
    expect(await textOf(downloads[0]?.blob)).toBe('format: lvs-lab-repro\n');
    expect(useUiStore.getState().toasts.map((t) => t.kind)).toEqual(['info']);
  });

  it('says why when no file could be written, and downloads nothing', async () => {
    api.handle('repro.report', () => {
      throw new LabApiError('lab tun-arptables is not running', { hint: 'start one with: lvs-lab up <lab>' });
    });
    render(<SaveReproButton labId="tun-arptables" />);
    fireEvent.click(screen.getByRole('button', { name: 'Save reproduction' }));
    await settle();
    expect(downloads).toEqual([]);
    const [toast] = useUiStore.getState().toasts;
    expect(toast?.kind).toBe('error');
    expect(JSON.stringify(toast)).toContain('No reproduction saved: lab tun-arptables is not running');
    expect(screen.getByRole('button', { name: 'Save reproduction' })).toHaveProperty('disabled', false);
  });
});
