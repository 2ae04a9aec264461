// @vitest-environment jsdom
/// <reference lib="dom" />
// The authoring loop in the app: when a saved lab file changed its topology, the lab view offers
// a restart, which stops the lab and starts it again from the file.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TopologyChangedNotice } from '../../../renderer/src/views/lab/TopologyChangedNotice.js';
import { FakeLabApi } from './helpers/fake-api.js';
import { instance } from './helpers/fixtures.js';
import { setup } from './helpers/render.js';

let api: FakeLabApi;

beforeEach(() => {
  ({ api } = setup(new FakeLabApi()));
});

afterEach(() => {
  cleanup();
});

describe('TopologyChangedNotice', () => {
  it('says nothing while the file and the running lab agree', () => {
    render(<TopologyChangedNotice instance={instance('my-lab')} />);
    expect(screen.queryByTestId('topology-changed')).toBeNull();
  });

  it('offers a restart that stops the lab, then starts it again', async () => {
    api.handle('lab.down', () => ({ containers: 4, networks: 1 }));
    api.handle('lab.status', () => []);
    api.handle('lab.up', () => instance('my-lab'));
    render(<TopologyChangedNotice instance={instance('my-lab', 'running', { topologyChanged: true })} />);
    expect(screen.getByTestId('topology-changed').textContent).toMatch(
      /changed its networks, nodes or service/,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Restart the lab' }));
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(api.calls.map((c) => c.name).filter((n) => n === 'lab.down' || n === 'lab.up')).toEqual([
      'lab.down',
      'lab.up',
    ]);
  });
});
