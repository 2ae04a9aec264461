// @vitest-environment jsdom
/// <reference lib="dom" />
import { beforeEach, describe, expect, it } from 'vitest';
import { AckBatcher } from '../../../renderer/src/terminal/ack-batcher.js';
import {
  PENDING_INPUT_MAX_CHARS,
  TerminalRegistry,
} from '../../../renderer/src/terminal/terminal-registry.js';
import { memoryLedger, sessionStorageLedger } from '../../../renderer/src/terminal/session-ledger.js';
import { useTerminalsStore } from '../../../renderer/src/stores/terminals-store.js';
import { FakeLabApi } from './helpers/fake-api.js';
import { FakeTerminalView } from './helpers/fake-view.js';
import { instance, nodeStatus } from './helpers/fixtures.js';
import { resetStores } from './helpers/stores.js';

let api: FakeLabApi;
let views: Map<string, FakeTerminalView>;
let registry: TerminalRegistry;
let sessions: number;
let clock: number;

function view(node: string): FakeTerminalView {
  const v = views.get(node);
  if (!v) throw new Error(`no view for ${node}`);
  return v;
}

const bytes = (n: number) => new Uint8Array(n).fill(0x61);
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => {
  resetStores();
  sessions = 0;
  clock = 0;
  views = new Map();
  api = new FakeLabApi()
    .handle('terminal.open', () => ({ sessionId: `s${++sessions}` }))
    .handle('terminal.close', () => null);
  registry = new TerminalRegistry(
    api,
    (node) => {
      const v = new FakeTerminalView(node);
      views.set(node, v);
      return v;
    },
    useTerminalsStore,
    () => clock,
  );
  registry.start();
  registry.useLab('tun-arptables');
});

describe('AckBatcher', () => {
  it('acks in batches of at least 5 000 bytes', () => {
    const acks: number[] = [];
    const batcher = new AckBatcher((n) => acks.push(n));
    batcher.parsed(3000);
    expect(acks).toEqual([]);
    batcher.parsed(2500);
    expect(acks).toEqual([5500]);
    batcher.parsed(100);
    expect(batcher.pending).toBe(100);
    batcher.parsed(20_000);
    expect(acks).toEqual([5500, 20_100]);
  });
});

describe('terminal registry', () => {
  it('opens a session with the widget size and publishes its state', async () => {
    registry.ensure('server1');
    view('server1').cols = 120;
    view('server1').rows = 40;
    const id = await registry.open('server1');
    expect(id).toBe('s1');
    expect(api.callsOf('terminal.open')).toEqual([
      [{ labId: 'tun-arptables', node: 'server1', cols: 120, rows: 40 }],
    ]);
    expect(useTerminalsStore.getState().sessions.server1).toMatchObject({ status: 'open', sessionId: 's1' });
    // Asked twice while open: the same session.
    expect(await registry.open('server1')).toBe('s1');
    expect(api.callsOf('terminal.open')).toHaveLength(1);
  });

  it('writes data as bytes to the right widget and acks only after xterm parsed it', async () => {
    await registry.open('server1');
    await registry.open('server2');
    view('server1').holdWrites = true;
    api.emit('terminal.data', 's1', bytes(3000));
    api.emit('terminal.data', 's1', bytes(3000));
    api.emit('terminal.data', 's2', bytes(10));
    expect(view('server1').written).toHaveLength(2);
    expect(view('server1').written[0]).toBeInstanceOf(Uint8Array);
    expect(view('server2').written).toHaveLength(1);
    expect(api.sendsOf('terminal.ack')).toEqual([]); // nothing parsed yet
    for (const done of view('server1').pendingDone) done();
    expect(api.sendsOf('terminal.ack')).toEqual([['s1', 6000]]);
  });

  it('holds data that arrives before terminal.open answers', async () => {
    let answer: (v: { sessionId: string }) => void = () => undefined;
    api.handle('terminal.open', () => new Promise((resolve) => (answer = resolve)));
    const opening = registry.open('server1');
    api.emit('terminal.data', 'early', new TextEncoder().encode('login: '));
    answer({ sessionId: 'early' });
    await opening;
    expect(view('server1').text()).toContain('login: ');
  });

  it('forgets held data after a while', async () => {
    api.emit('terminal.data', 'old', bytes(5));
    clock = 60_000;
    api.emit('terminal.data', 'other', bytes(5));
    api.handle('terminal.open', () => ({ sessionId: 'old' }));
    await registry.open('server1');
    expect(view('server1').written).toEqual([]);
  });

  it('sends keystrokes as terminal.input and resizes only on a real change', async () => {
    await registry.open('server1');
    view('server1').type('ls\r');
    view('server1').resize(80, 24); // unchanged
    view('server1').resize(100, 30);
    view('server1').resize(100, 30);
    expect(api.sendsOf('terminal.input')).toEqual([['s1', 'ls\r']]);
    expect(api.sendsOf('terminal.resize')).toEqual([['s1', 100, 30]]);
  });

  it('queues keystrokes typed while the shell is connecting and delivers them in order once it opens', async () => {
    const opening = registry.open('server1');
    view('server1').type('ec');
    view('server1').type('ho hi\r');
    expect(api.sendsOf('terminal.input')).toEqual([]);
    await opening;
    view('server1').type('ls\r');
    expect(api.sendsOf('terminal.input')).toEqual([
      ['s1', 'echo hi\r'],
      ['s1', 'ls\r'],
    ]);
  });

  it('bounds that queue, and says what was not sent when the shell cannot open', async () => {
    const opening = registry.open('server1');
    view('server1').type('x'.repeat(PENDING_INPUT_MAX_CHARS - 1));
    view('server1').type('yy'); // past the bound: dropped
    view('server1').type('z');
    await opening;
    const sent = api.sendsOf('terminal.input').map((args) => args[1] as string);
    expect(sent).toEqual(['x'.repeat(PENDING_INPUT_MAX_CHARS - 1) + 'z']);

    api.handle('terminal.open', () => {
      throw new Error('node server2 is not running');
    });
    const failing = registry.open('server2');
    view('server2').type('pwd\r');
    expect(await failing).toBeNull();
    expect(view('server2').text()).toContain('what you typed meanwhile (4 characters) was not sent');
  });

  it('types a command without Enter', async () => {
    expect(await registry.typeInto('server2', 'ipvsadm -Ln')).toBe(true);
    expect(api.sendsOf('terminal.input')).toEqual([['s1', 'ipvsadm -Ln']]);
    expect(view('server2').focused).toBeGreaterThan(0);
  });

  it('prints a dim exit line, publishes the exit and reconnects on Enter', async () => {
    await registry.open('server1');
    api.emit('terminal.exit', 's1', 0, 'shell exited');
    expect(view('server1').text()).toContain('\x1b[2m[process exited: shell exited]');
    expect(useTerminalsStore.getState().sessions.server1).toMatchObject({ status: 'exited', exitCode: 0 });
    view('server1').type('x'); // not sent anywhere
    expect(api.sendsOf('terminal.input')).toEqual([]);
    view('server1').type('\r');
    await flush();
    expect(useTerminalsStore.getState().sessions.server1).toMatchObject({ status: 'open', sessionId: 's2' });
  });

  it('reconnects in the same widget, closing the old session', async () => {
    await registry.open('server1');
    const widget = view('server1');
    await registry.reconnect('server1');
    expect(api.callsOf('terminal.close')).toEqual([['s1']]);
    expect(view('server1')).toBe(widget);
    // Late bytes of the old session are dropped.
    api.emit('terminal.data', 's1', bytes(3));
    api.emit('terminal.data', 's2', bytes(4));
    expect(widget.written.filter((w) => w instanceof Uint8Array)).toHaveLength(1);
  });

  it('reconnects by itself when an exited node runs again after a restart', async () => {
    registry.onStatus(instance('tun-arptables'));
    await registry.open('server2');
    api.emit('terminal.exit', 's1', 137, 'container stopped');
    registry.onStatus(
      instance('tun-arptables', 'degraded', { nodes: [nodeStatus('server2', 'realserver', 'exited')] }),
    );
    expect(api.callsOf('terminal.open')).toHaveLength(1);
    registry.onStatus(instance('tun-arptables'));
    await flush();
    expect(api.callsOf('terminal.open')).toHaveLength(2);
    expect(useTerminalsStore.getState().sessions.server2?.status).toBe('open');
  });

  it('does not reconnect a shell the user exited while the node kept running', async () => {
    registry.onStatus(instance('tun-arptables'));
    await registry.open('server2');
    api.emit('terminal.exit', 's1', 0, 'exit');
    registry.onStatus(instance('tun-arptables'));
    await flush();
    expect(api.callsOf('terminal.open')).toHaveLength(1);
  });

  it('reconnects when the container was replaced', async () => {
    registry.onStatus(instance('tun-arptables'));
    await registry.open('server2');
    api.emit('terminal.exit', 's1', 137, 'killed');
    registry.onStatus(
      instance('tun-arptables', 'running', {
        nodes: [nodeStatus('server2', 'realserver', 'running', 'new')],
      }),
    );
    await flush();
    expect(api.callsOf('terminal.open')).toHaveLength(2);
  });

  it('shows why a shell could not open', async () => {
    api.handle('terminal.open', () => {
      throw new Error('node server1 is not running');
    });
    expect(await registry.open('server1')).toBeNull();
    expect(useTerminalsStore.getState().sessions.server1).toMatchObject({
      status: 'error',
      error: { message: 'node server1 is not running' },
    });
    expect(view('server1').text()).toContain('could not open a shell on server1');
  });

  it('opens new sessions after the connection to the server came back', async () => {
    await registry.open('server1');
    registry.onConnectionRestored();
    await flush();
    expect(api.callsOf('terminal.close')).toEqual([['s1']]);
    expect(useTerminalsStore.getState().sessions.server1?.sessionId).toBe('s2');
  });

  it('closes everything when the lab changes', async () => {
    await registry.open('server1');
    registry.useLab('tun-sysctl');
    expect(api.callsOf('terminal.close')).toEqual([['s1']]);
    expect(view('server1').disposed).toBe(true);
    expect(useTerminalsStore.getState().sessions).toEqual({});
    expect(registry.has('server1')).toBe(false);
  });

  it('drops a session whose open was superseded', async () => {
    let answer: (v: { sessionId: string }) => void = () => undefined;
    api.handle('terminal.open', () => new Promise((resolve) => (answer = resolve)));
    const opening = registry.open('server1');
    registry.closeAll();
    answer({ sessionId: 'late' });
    expect(await opening).toBeNull();
    expect(api.callsOf('terminal.close')).toEqual([['late']]);
  });

  it('reads the buffer text for the e2e hook', async () => {
    await registry.open('server1');
    api.emit('terminal.data', 's1', new TextEncoder().encode('root@server1:~# '));
    expect(registry.text('server1')).toContain('root@server1:~# ');
    expect(registry.text('nobody')).toBe('');
  });

  it('records open sessions so that a reloaded page closes what it left', async () => {
    const ledger = memoryLedger();
    ledger.save(['left-1', 'left-2']);
    const fresh = new TerminalRegistry(
      api,
      (node) => new FakeTerminalView(node),
      useTerminalsStore,
      () => 0,
      ledger,
    );
    fresh.start();
    expect(api.callsOf('terminal.close')).toEqual([['left-1'], ['left-2']]);
    expect(ledger.load()).toEqual([]);
    fresh.useLab('tun-arptables');
    await fresh.open('server1');
    await fresh.open('server2');
    expect(ledger.load()).toEqual(['s1', 's2']);
    api.emit('terminal.exit', 's1', 0, 'exit');
    expect(ledger.load()).toEqual(['s2']);
    fresh.closeAll();
    expect(ledger.load()).toEqual([]);
  });

  it('keeps the record in sessionStorage, per tab', () => {
    const ledger = sessionStorageLedger();
    ledger.save(['a', 'b']);
    expect(sessionStorageLedger().load()).toEqual(['a', 'b']);
    sessionStorage.setItem('lvs-lab.terminal-sessions', 'not json');
    expect(ledger.load()).toEqual([]);
    ledger.save([]);
    expect(sessionStorage.getItem('lvs-lab.terminal-sessions')).toBeNull();
  });
});
