// The manager's bookkeeping and event order, with a stand-in for the Docker exec API: a shell
// is a Duplex whose output the test pushes and whose input it records.
import { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { LabError } from '../../../main/core/errors.js';
import type { LabRuntime } from '../../../main/core/runtime/lab-runtime.js';
import { TerminalManager, type TerminalSink } from '../../../main/core/terminal/terminal-manager.js';

class FakeShell {
  constructor(readonly env: string[]) {}
  input = '';
  resizes: { h: number; w: number }[] = [];
  exitCode: number | null = null;
  /** While set, the shell reads no input: writes stay pending and the stream fills up. */
  private stalledWrites: (() => void)[] | null = null;
  readonly stream = new Duplex({
    read: () => undefined,
    write: (chunk: Buffer, _encoding, done) => {
      this.input += chunk.toString();
      if (this.stalledWrites) this.stalledWrites.push(done);
      else done();
    },
  });
  stall() {
    this.stalledWrites = [];
  }
  unstall() {
    const held = this.stalledWrites ?? [];
    this.stalledWrites = null;
    for (const done of held) done();
  }
  output(text: string) {
    this.stream.push(Buffer.from(text));
  }
  exit(code: number) {
    this.exitCode = code;
    this.stream.push(null);
  }
}

/** A node container: TTY execs are shells; the hang-up exec (no TTY) ends the shell it names with 129. */
function fakeRuntime(options: { startDelayMs?: number } = {}) {
  const shells: FakeShell[] = [];
  const container = {
    modem: { demuxStream: (stream: Duplex) => stream.resume() },
    inspect: () => Promise.resolve({ State: { Running: true, StartedAt: 't0' } }),
    exec: (opts: Docker.ExecCreateOptions) => {
      if (!opts.Tty) {
        const stream = new Duplex({
          read: () => undefined,
          write: (_c, _e, done) => {
            done();
          },
        });
        const script = opts.Cmd?.join(' ') ?? '';
        for (const shell of shells) {
          if (shell.exitCode === null && shell.env.some((e) => script.includes(`'${e}'`))) shell.exit(129);
        }
        return Promise.resolve({
          start: () => {
            setImmediate(() => stream.push(null));
            return Promise.resolve(stream);
          },
          inspect: () => Promise.resolve({ Running: false, ExitCode: 0 }),
        });
      }
      const shell = new FakeShell((opts.Env ?? []).filter((e) => e.startsWith('LVSLAB_TERMINAL=')));
      shells.push(shell);
      return Promise.resolve({
        start: () =>
          new Promise((resolve) =>
            setTimeout(() => {
              resolve(shell.stream);
            }, options.startDelayMs ?? 0),
          ),
        resize: (size: { h: number; w: number }) => {
          shell.resizes.push(size);
          return Promise.resolve();
        },
        inspect: () => Promise.resolve({ Running: shell.exitCode === null, ExitCode: shell.exitCode }),
      });
    },
  };
  const runtime = {
    nodeContainer: (labId: string, node: string) =>
      node === 'server2'
        ? Promise.resolve(container)
        : Promise.reject(new LabError(`lab ${labId} has no node "${node}"`)),
  } as unknown as LabRuntime;
  return { runtime, shells };
}

function recorder() {
  const events: string[] = [];
  const sink: TerminalSink = {
    data: (id, bytes) => events.push(`data ${id} ${Buffer.from(bytes).toString()}`),
    exit: (id, code, reason) => events.push(`exit ${id} ${code} ${reason}`),
  };
  return { events, sink };
}

const args = { labId: 'lab', node: 'server2', cols: 80, rows: 24 };
const tick = () => new Promise((r) => setTimeout(r, 20));

describe('TerminalManager', () => {
  it('emits nothing before open resolves, then data, then one exit after the last data', async () => {
    const { runtime, shells } = fakeRuntime();
    const { events, sink } = recorder();
    const manager = new TerminalManager(runtime, sink, { exitSettleMs: 0 });
    const opening = manager.open('w1', args);
    await new Promise((r) => setImmediate(r));
    shells[0]?.output('prompt# ');
    const { sessionId } = await opening;
    expect(events).toEqual([]);
    expect(shells[0]?.resizes).toEqual([{ h: 24, w: 80 }]);
    manager.input(sessionId, 'exit 3\r');
    expect(shells[0]?.input).toBe('exit 3\r');
    await tick();
    shells[0]?.output('logout\r\n');
    shells[0]?.exit(3);
    await tick();
    expect(events).toEqual([
      `data ${sessionId} prompt# `,
      `data ${sessionId} logout\r\n`,
      `exit ${sessionId} 3 the shell exited`,
    ]);
    expect(manager.list()).toEqual([]);
  });

  it('holds input back while the shell does not read it, drops past the bound and says so in the terminal', async () => {
    const { runtime, shells } = fakeRuntime();
    const { events, sink } = recorder();
    const manager = new TerminalManager(runtime, sink, { exitSettleMs: 0 });
    const { sessionId } = await manager.open('w1', args);
    const shell = shells[0];
    if (!shell) throw new Error('no shell');
    shell.stall();
    const paste = 'p'.repeat(60 * 1024);
    manager.input(sessionId, paste); // more than the stream's buffer: it is full now
    // 17 pastes fit in the 1 MiB bound, the 3 others are dropped; the short line still fits.
    for (let i = 0; i < 20; i++) manager.input(sessionId, paste);
    manager.input(sessionId, 'echo done\r');
    await tick();
    // Only the first paste reached the stream; one notice for the whole episode.
    expect(shell.input).toBe(paste);
    const notices = events.filter((e) => e.includes('[LVS Lab: the shell is not reading its input'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('1024 KiB of it wait');
    shell.unstall();
    await tick();
    // What waited went in, in order.
    expect(shell.input).toBe(`${paste.repeat(18)}echo done\r`);
    shell.exit(0);
    await tick();
  });

  it('ignores unknown sessions on the hot path and rejects closing them', async () => {
    const { runtime } = fakeRuntime();
    const manager = new TerminalManager(runtime, recorder().sink);
    manager.input('nope', 'ls\r');
    manager.resize('nope', 10, 10);
    manager.ack('nope', 10);
    await expect(manager.close('nope')).rejects.toThrow(
      'no terminal session nope: it has ended or never existed',
    );
  });

  it('passes on the runtime refusing a node', async () => {
    const { runtime } = fakeRuntime();
    const manager = new TerminalManager(runtime, recorder().sink);
    await expect(manager.open('w1', { ...args, node: 'server9' })).rejects.toThrow(
      'lab lab has no node "server9"',
    );
  });

  it('close hangs up the shell and resolves after its exit event', async () => {
    const { runtime, shells } = fakeRuntime();
    const { events, sink } = recorder();
    const manager = new TerminalManager(runtime, sink, { exitSettleMs: 0 });
    const { sessionId } = await manager.open('w1', args);
    await manager.close(sessionId);
    expect(shells[0]?.exitCode).toBe(129);
    expect(events).toEqual([`exit ${sessionId} 129 the terminal was closed`]);
    await expect(manager.close(sessionId)).rejects.toThrow('no terminal session');
  });

  it('closeOwner ends that owner’s sessions only, including one still opening', async () => {
    const { runtime } = fakeRuntime({ startDelayMs: 50 });
    const { events, sink } = recorder();
    const manager = new TerminalManager(runtime, sink, { exitSettleMs: 0 });
    const [a, b] = await Promise.all([manager.open('a', args), manager.open('b', args)]);
    const late = expect(manager.open('a', args)).rejects.toThrow(
      'ended while it was opening: its window was closed',
    );
    await tick();
    await manager.closeOwner('a');
    await late;
    expect(events).toContain(`exit ${a.sessionId} 129 its window was closed`);
    expect(events.some((e) => e.includes(b.sessionId))).toBe(false);
    expect(manager.list().map((s) => s.owner)).toEqual(['b']);
  });
});
