// @vitest-environment jsdom
/// <reference lib="dom" />
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createBrowserClient,
  socketUrl,
  type BrowserClient,
  SEND_QUEUE_LIMITS,
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

let client: BrowserClient;

beforeEach(() => {
  FakeSocket.all = [];
  client = createBrowserClient({
    pageUrl: PAGE,
    createSocket: (url) => new FakeSocket(url),
    backoff: (attempt) => 100 * (attempt + 1),
    requestWaitMs: 1000,
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

interface RequestFrame {
  type: string;
  id: number;
  name: string;
  args: unknown[];
}

/** The request frames the page sent on a socket. */
function requestsOn(s: FakeSocket): RequestFrame[] {
  return s.sent.map((f) => JSON.parse(f) as RequestFrame).filter((f) => f.type === 'request');
}

function answer(s: FakeSocket, id: number, result: unknown): void {
  s.receive(JSON.stringify({ type: 'result', id, result }));
}

describe('requests', () => {
  it('go over the socket as {"type":"request",id,name,args} and resolve with the matching result', async () => {
    socket().open();
    const first = client.request('terminal.open', {
      labId: 'tun-arptables',
      node: 'server1',
      cols: 80,
      rows: 24,
    });
    const second = client.request('labs.list');
    const [a, b] = requestsOn(socket());
    expect(a).toEqual({
      type: 'request',
      id: a?.id,
      name: 'terminal.open',
      args: [{ labId: 'tun-arptables', node: 'server1', cols: 80, rows: 24 }],
    });
    expect(b?.name).toBe('labs.list');
    expect(a?.id).not.toBe(b?.id);
    // Answers may come in any order; each settles its own request.
    answer(socket(), b?.id ?? 0, { ok: true, value: [] });
    answer(socket(), a?.id ?? 0, { ok: true, value: { sessionId: 's1' } });
    expect(await first).toEqual({ sessionId: 's1' });
    expect(await second).toEqual([]);
  });

  it('throws an Error carrying the hint and the lab-file issues', async () => {
    socket().open();
    const issue = { file: 'labs/x.yaml', line: 31, column: 20, field: 'nodes[1]', message: 'bad address' };
    const pending = client.request('labs.get', 'x').catch((e: unknown) => e);
    answer(socket(), requestsOn(socket())[0]?.id ?? 0, {
      ok: false,
      error: { message: 'lab x does not load', hint: 'fix the file', issues: [issue] },
    });
    const error = await pending;
    expect(error).toBeInstanceOf(LabApiError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ message: 'lab x does not load', hint: 'fix the file', issues: [issue] });
  });

  it('refuses an answer that is not a result', async () => {
    socket().open();
    const pending = client.request('labs.list');
    answer(socket(), requestsOn(socket())[0]?.id ?? 0, { value: 3 });
    await expect(pending).rejects.toThrow(/not a result/);
  });

  it('made before the socket opens, wait for it and go out once it does', async () => {
    const pending = client.request('labs.list');
    expect(socket().sent).toEqual([]);
    socket().open();
    const [frame] = requestsOn(socket());
    expect(frame?.name).toBe('labs.list');
    answer(socket(), frame?.id ?? 0, { ok: true, value: ['x'] });
    expect(await pending).toEqual(['x']);
  });

  it('say when the server cannot be reached in time', async () => {
    vi.useFakeTimers();
    const pending = client.request('labs.list');
    vi.advanceTimersByTime(1000);
    await expect(pending).rejects.toThrow(/cannot be reached \(labs.list\)/);
  });

  it('in flight when the socket drops fail with that reason; the next socket carries new ones', async () => {
    vi.useFakeTimers();
    socket().open();
    const lost = client.request('lab.up', 'tun-arptables');
    socket().drop();
    await expect(lost).rejects.toThrow(/dropped during lab.up/);
    const later = client.request('labs.list');
    vi.advanceTimersByTime(100);
    socket().open();
    const [frame] = requestsOn(socket());
    expect(frame?.name).toBe('labs.list');
    answer(socket(), frame?.id ?? 0, { ok: true, value: [] });
    expect(await later).toEqual([]);
  });
});

describe('the WebSocket', () => {
  it('connects to api/ws with the scheme matching the page, naming nothing of its own', () => {
    expect(socket(0).url).toBe('wss://lab.example:8443/app/api/ws');
    expect(socketUrl('http://127.0.0.1:5173/')).toBe('ws://127.0.0.1:5173/api/ws');
    expect(socket(0).binaryType).toBe('arraybuffer');
  });

  it("reconnects with the resume key from the server's hello, and only that", () => {
    vi.useFakeTimers();
    socket().open();
    socket().receive(JSON.stringify({ type: 'hello', resume: 'k/ey+1' }));
    socket().drop();
    vi.advanceTimersByTime(100);
    expect(socket().url).toBe('wss://lab.example:8443/app/api/ws?resume=k%2Fey%2B1');
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

  it('queues sends made before the first connect and sends them in order once open', () => {
    client.send('terminal.input', 's1', 'ls');
    expect(socket().sent).toEqual([]);
    socket().open();
    client.send('terminal.input', 's1', ' -l');
    client.send('terminal.ack', 's1', 5000);
    expect(socket().sent.map((s) => JSON.parse(s) as unknown)).toEqual([
      { type: 'send', name: 'terminal.input', args: ['s1', 'ls'] },
      { type: 'send', name: 'terminal.input', args: ['s1', ' -l'] },
      { type: 'send', name: 'terminal.ack', args: ['s1', 5000] },
    ]);
  });

  it('bounds that queue', () => {
    for (let i = 0; i < SEND_QUEUE_LIMITS.frames + 50; i++) client.send('terminal.input', 's1', 'x');
    socket().open();
    expect(socket().sent).toHaveLength(SEND_QUEUE_LIMITS.frames);
  });

  it('drops sends while the socket is down after it was open', () => {
    vi.useFakeTimers();
    socket().open();
    socket().drop();
    client.send('terminal.input', 's1', 'late');
    vi.advanceTimersByTime(100);
    socket().open();
    expect(socket().sent).toEqual([]);
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
