// @vitest-environment jsdom
/// <reference lib="dom" />
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaptureResult, DecodedPacket } from '../../../shared/capture.js';
import { useCaptureStore } from '../../../renderer/src/stores/capture-store.js';
import { CapturePanel } from '../../../renderer/src/views/capture/CapturePanel.js';
import { FakeLabApi } from './helpers/fake-api.js';
import { arptablesDetail } from './helpers/fixtures.js';
import { setup } from './helpers/render.js';

let api: FakeLabApi;
const clicked: string[] = [];

beforeEach(() => {
  ({ api } = setup(new FakeLabApi().handle('capture.start', () => ({ captureId: 'c-1' }))));
  clicked.length = 0;
  URL.createObjectURL = () => 'blob:test';
  URL.revokeObjectURL = () => undefined;
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    clicked.push(this.download);
  });
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** Shows the panel and starts a capture on one node, as a person would. */
async function captureOn(node: string) {
  render(<CapturePanel labId="tun-arptables" detail={arptablesDetail} running={true} />);
  fireEvent.click(screen.getByRole('checkbox', { name: node }));
  fireEvent.click(screen.getByRole('button', { name: 'Capture' }));
  await settle();
}

const settle = () =>
  act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
  });

const tcp = (source: string, destination: string) => ({
  source,
  destination,
  protocol: 6,
  ttl: 64,
  dontFragment: true,
  totalLength: 60,
});

function packet(extra: Partial<DecodedPacket>): DecodedPacket {
  return { macSource: null, macDestination: null, direction: null, ...extra };
}

const RESULT: CaptureResult = {
  captureId: 'c-1',
  labId: 'tun-arptables',
  folder: '2026-12-01T14-00-00-000Z',
  files: [{ node: 'server1', iface: 'any', fileName: 'server1-any.pcap', packets: 2, bytes: 300 }],
  timeline: [
    {
      timeUs: 1_000_000,
      node: 'server1',
      iface: 'any',
      packet: packet({
        direction: 'in',
        macSource: '02:42:ac:19:58:fa',
        outer: tcp('172.25.88.250', '172.25.88.100'),
        sourcePort: 40000,
        destinationPort: 80,
        tcpFlags: 'S',
      }),
    },
    {
      timeUs: 1_000_120,
      node: 'server1',
      iface: 'any',
      packet: packet({
        direction: 'out',
        macSource: '02:42:ac:19:58:01',
        outer: { ...tcp('172.25.88.1', '172.25.88.2'), protocol: 4 },
        inner: tcp('172.25.88.250', '172.25.88.100'),
        sourcePort: 40000,
        destinationPort: 80,
        tcpFlags: 'S',
      }),
    },
    {
      timeUs: 1_000_500,
      node: 'server1',
      iface: 'any',
      packet: packet({
        direction: 'in',
        arp: { operation: 'request', senderIp: '172.25.88.250', senderMac: 'x', targetIp: '172.25.88.100' },
      }),
    },
  ],
  more: 0,
};

describe('the Packets panel', () => {
  it('captures on the ticked nodes and interfaces, in the lab order', async () => {
    render(<CapturePanel labId="tun-arptables" detail={arptablesDetail} running={true} />);
    const capture = screen.getByRole('button', { name: 'Capture' });
    expect(capture).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByRole('checkbox', { name: 'client' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'server1' }));
    fireEvent.change(screen.getByRole('combobox', { name: 'Interface of server1' }), {
      target: { value: 'tunl0' },
    });
    fireEvent.click(capture);
    await settle();
    expect(api.callsOf('capture.start')).toEqual([
      [{ labId: 'tun-arptables', targets: ['server1:tunl0', 'client'], seconds: 10, count: 1000 }],
    ]);
    expect(screen.getByRole('button', { name: /Stop/ })).toBeTruthy();
  });

  it('shows the timeline with the IPIP outer header apart, and marks one connection when a packet is clicked', async () => {
    await captureOn('server1');
    act(() => {
      useCaptureStore.getState().finish(RESULT);
    });
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    expect(
      within(rows[1] as HTMLElement).getByText('172.25.88.1 → 172.25.88.2 (IPIP, proto 4)'),
    ).toBeTruthy();
    expect(rows[1]?.textContent).toContain('172.25.88.250:40000 → 172.25.88.100:80 [S]');
    expect(rows[2]?.textContent).toContain('ARP who-has 172.25.88.100 tell 172.25.88.250');
    fireEvent.click(rows[0] as HTMLElement);
    const marked = screen.getAllByRole('row').filter((r) => r.classList.contains('followed'));
    expect(marked).toEqual([rows[0], rows[1]]);
  });

  it('downloads a pcap file by its name in the capture folder', async () => {
    api.handle('capture.pcap', (_lab, _folder, fileName) => ({
      fileName: `tun-arptables-x-${fileName}`,
      base64: 'AAEC',
    }));
    await captureOn('server1');
    act(() => {
      useCaptureStore.getState().finish(RESULT);
    });
    fireEvent.click(screen.getByRole('button', { name: 'Download pcap' }));
    await settle();
    expect(api.callsOf('capture.pcap')).toEqual([['tun-arptables', RESULT.folder, 'server1-any.pcap']]);
    expect(clicked).toEqual(['tun-arptables-x-server1-any.pcap']);
  });

  it("ignores another capture's end, and says why one failed", async () => {
    await captureOn('client');
    act(() => {
      useCaptureStore.getState().finish({ ...RESULT, captureId: 'someone-else' });
    });
    expect(screen.queryAllByRole('row')).toEqual([]);
    act(() => {
      useCaptureStore.getState().finish({
        ...RESULT,
        timeline: [],
        files: [],
        error: 'cannot capture on client:any: tcpdump: no such device',
      });
    });
    expect(screen.getByRole('alert').textContent).toContain(
      'the capture failed: cannot capture on client:any',
    );
    expect(screen.getByRole('button', { name: 'Capture' })).toBeTruthy();
  });
});
