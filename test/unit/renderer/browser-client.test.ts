// @vitest-environment jsdom
/// <reference lib="dom" />
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createBrowserClient,
  socketUrl,
  type BrowserClient,
  type SocketLike,
} from '../../../renderer/src/api/browser-client.js';
import { LabApiError } from '../../../renderer/src/api/errors.js';
import { decodeBinaryFrame, encodeTerminalFrame } from '../../../renderer/src/api/frames.js';

class FakeSocket implements SocketLike {
  static all: FakeSocket[] = [];
  binaryType = 'blob';
  readyState = 0;
  sent: string[] = [];
  onopen: ((event: Event) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string): void {
    this.sent.push(data);
  }
  close(): void {
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  drop(): void {
    this.readyState = 3;
    this.onerror?.(new Event('error'));
    this.onclose?.(new CloseEvent('close'));
  }
  receive(data: string | ArrayBuffer): void {
    this.onmessage?.(new MessageEvent('message', { data }));
  }
}

const PAGE = 'https://lab.example:8443/app/?token=secret';

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

let client: BrowserClient;
let fetchMock: ReturnType<typeof vi.fn<(url: string, init: RequestInit) => Promise<Response>>>;

beforeEach(() => {
  FakeSocket.all = [];
  fetchMock = vi.fn<(url: string, init: RequestInit) => Promise<Response>>();
  client = createBrowserClient({
    pageUrl: PAGE,
    fetch: fetchMock,
    createSocket: (url) => new FakeSocket(url),
    backoff: (attempt) => 100 * (attempt + 1),
    tabId: 'tab-7',
  });
});

afterEach(() => {
  client.dispose();
  vi.useRealTimers();
});

function socket(i = -1): FakeSocket {
  const s = FakeSocket.all.at(i);
  if (!s) throw new Error('no socket');
  return s;
}

describe('requests', () => {
  it('POSTs api/request/<name> with {args}, relative to the page, and answers the value', async () => {
    fetchMock.mockResolvedValue(jsonResponse({ ok: true, value: { sessionId: 's1' } }));
    const result = await client.request('terminal.open', {
      labId: 'tun-arptables',
      node: 'server1',
      cols: 80,
      rows: 24,
    });
    expect(result).toEqual({ sessionId: 's1' });
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe('https://lab.example:8443/app/api/request/terminal.open');
    expect(init?.method).toBe('POST');
    // The tab's name goes with every request, so that what it opens is routed to it alone.
    expect(init?.headers).toEqual({ 'content-type': 'application/json', 'x-lvslab-tab': 'tab-7' });
    expect(JSON.parse(init?.body as string)).toEqual({
      args: [{ labId: 'tun-arptables', node: 'server1', cols: 80, rows: 24 }],
    });
  });

  it('throws an Error carrying the hint and the lab-file issues', async () => {
    const issue = { file: 'labs/x.yaml', line: 31, column: 20, field: 'nodes[1]', message: 'bad address' };
    fetchMock.mockResolvedValue(
      jsonResponse({
        ok: false,
        error: { message: 'lab x does not load', hint: 'fix the file', issues: [issue] },
      }),
    );
    const error: unknown = await client.request('labs.get', 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LabApiError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ message: 'lab x does not load', hint: 'fix the file', issues: [issue] });
  });

  it('explains a refused cookie', async () => {
    fetchMock.mockResolvedValue(new Response('Forbidden', { status: 403 }));
    const error: unknown = await client.request('labs.list').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LabApiError);
    expect((error as LabApiError).hint).toContain('?token=');
  });

  it('says when the server cannot be reached', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));
    await expect(client.request('labs.list')).rejects.toThrow(/cannot be reached/);
  });
});

describe('the WebSocket', () => {
  it('connects to api/ws with the scheme matching the page', () => {
    expect(socket(0).url).toBe('wss://lab.example:8443/app/api/ws?tab=tab-7');
    expect(socketUrl('http://127.0.0.1:5173/', 'tab-1')).toBe('ws://127.0.0.1:5173/api/ws?tab=tab-1');
    expect(socket(0).binaryType).toBe('arraybuffer');
  });

  it('delivers JSON events to listeners', () => {
    socket().open();
    const seen: unknown[] = [];
    const off = client.on('probe.end', (probeId, reason) => seen.push([probeId, reason]));
    socket().receive(JSON.stringify({ type: 'event', name: 'probe.end', args: ['p1', 'done'] }));
    off();
    socket().receive(JSON.stringify({ type: 'event', name: 'probe.end', args: ['p2', 'done'] }));
    expect(seen).toEqual([['p1', 'done']]);
  });

  it('ignores malformed frames and unknown events', () => {
    socket().open();
    const seen: unknown[] = [];
    client.on('lab.changed', (status) => seen.push(status));
    socket().receive('not json');
    socket().receive(JSON.stringify({ type: 'event', name: 'nope', args: [] }));
    socket().receive(JSON.stringify({ type: 'send', name: 'lab.changed', args: [[]] }));
    expect(seen).toEqual([]);
  });

  it('passes terminal data from binary frames as bytes, never decoded', () => {
    socket().open();
    const seen: [string, Uint8Array][] = [];
    client.on('terminal.data', (sessionId, data) => seen.push([sessionId, data]));
    // "é" split across two frames: each frame holds half a character.
    const first = encodeTerminalFrame('sess-1', new Uint8Array([0x41, 0xc3]));
    const second = encodeTerminalFrame('sess-1', new Uint8Array([0xa9]));
    socket().receive(first.slice().buffer);
    socket().receive(second.slice().buffer);
    expect(seen.map(([id]) => id)).toEqual(['sess-1', 'sess-1']);
    expect(seen[0]?.[1]).toBeInstanceOf(Uint8Array);
    expect([...(seen[0]?.[1] ?? [])]).toEqual([0x41, 0xc3]);
    expect([...(seen[1]?.[1] ?? [])]).toEqual([0xa9]);
  });

  it('decodes the frame layout: type 1, id length, ASCII id, bytes', () => {
    const frame = new Uint8Array([1, 3, 0x61, 0x62, 0x63, 9, 8, 7]);
    const decoded = decodeBinaryFrame(frame.buffer);
    expect(decoded?.sessionId).toBe('abc');
    expect([...(decoded?.data ?? [])]).toEqual([9, 8, 7]);
    expect(decodeBinaryFrame(new Uint8Array([2, 1, 0x61]))).toBeNull();
    expect(decodeBinaryFrame(new Uint8Array([1, 5, 0x61]))).toBeNull();
  });

  it('sends {"type":"send",name,args} text frames while open and drops them while down', () => {
    client.send('terminal.input', 's1', 'ls');
    expect(socket().sent).toEqual([]);
    socket().open();
    client.send('terminal.input', 's1', 'ls -l');
    client.send('terminal.ack', 's1', 5000);
    expect(socket().sent.map((s) => JSON.parse(s) as unknown)).toEqual([
      { type: 'send', name: 'terminal.input', args: ['s1', 'ls -l'] },
      { type: 'send', name: 'terminal.ack', args: ['s1', 5000] },
    ]);
  });

  it('reconnects with backoff and reports the connection state', () => {
    vi.useFakeTimers();
    const states: string[] = [];
    client.connection.subscribe((s) => states.push(`${s.status}:${s.attempt}`));
    socket().open();
    socket().drop();
    expect(client.connection.get().status).toBe('reconnecting');
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(FakeSocket.all).toHaveLength(2);
    socket().drop();
    vi.advanceTimersByTime(150);
    expect(FakeSocket.all).toHaveLength(2); // the second wait is 200 ms
    vi.advanceTimersByTime(50);
    expect(FakeSocket.all).toHaveLength(3);
    socket().open();
    expect(states).toEqual(['open:0', 'reconnecting:1', 'reconnecting:2', 'open:0']);
  });

  it('retries at once on request, and stops for good when disposed', () => {
    vi.useFakeTimers();
    socket().drop();
    client.connection.retryNow();
    expect(FakeSocket.all).toHaveLength(2);
    client.dispose();
    socket().drop();
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(2);
  });
});
