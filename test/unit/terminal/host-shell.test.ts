// The host terminal: how its shell is started, and a real shell in a real pseudo-terminal
// (node-pty) through the TerminalManager the app uses, so with the same batching and flow
// control as a node's terminal. No Docker: the lab runtime is never asked.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LabRuntime } from '../../../main/core/runtime/lab-runtime.js';
import { HIGH_WATERMARK } from '../../../main/core/terminal/flow-control.js';
import { hostShellLaunch } from '../../../main/core/terminal/host-shell.js';
import { TerminalManager, type TerminalSink } from '../../../main/core/terminal/terminal-manager.js';

const root = path.resolve(import.meta.dirname, '../../..');

describe('hostShellLaunch', () => {
  const executable =
    (...files: string[]) =>
    (file: string) =>
      files.includes(file);
  const directories =
    (...dirs: string[]) =>
    (dir: string) =>
      dirs.includes(dir);

  it("starts the user's shell in the repository, with its bin/ first on PATH and TERM=xterm-256color", () => {
    const launch = hostShellLaunch(
      '/src/lvs-lab',
      { SHELL: '/usr/bin/zsh', HOME: '/home/ada', PATH: '/usr/bin:/bin', TERM: 'dumb', LANG: 'C.UTF-8' },
      executable('/usr/bin/zsh', '/bin/bash'),
      directories('/src/lvs-lab', '/src/lvs-lab/bin'),
    );
    expect(launch.file).toBe('/bin/sh');
    expect(launch.args).toEqual(['-c', 'stty iutf8 2>/dev/null; exec "$0"', '/usr/bin/zsh']);
    expect(launch.cwd).toBe('/src/lvs-lab');
    expect(launch.env).toMatchObject({
      PATH: '/src/lvs-lab/bin:/usr/bin:/bin',
      TERM: 'xterm-256color',
      HOME: '/home/ada',
      LANG: 'C.UTF-8',
    });
  });

  it('falls back to /bin/bash, then /bin/sh, and to the home folder outside a repository', () => {
    const env = { SHELL: '/opt/missing/fish', HOME: '/home/ada', PATH: '/usr/bin' };
    const bash = hostShellLaunch('/opt/app/resources', env, executable('/bin/bash'), directories());
    expect(bash.args[2]).toBe('/bin/bash');
    expect(bash.cwd).toBe('/home/ada');
    expect(bash.env.PATH).toBe('/usr/bin');
    expect(hostShellLaunch(null, { HOME: '/home/ada' }, executable(), directories()).args[2]).toBe('/bin/sh');
    // A relative $SHELL is not trusted to name the same program in another folder.
    expect(hostShellLaunch(null, { SHELL: 'zsh' }, executable('zsh'), directories()).args[2]).toBe('/bin/sh');
  });

  it("leaves out npm's and Electron's variables and those of another terminal", () => {
    const launch = hostShellLaunch(
      null,
      {
        HOME: '/home/ada',
        npm_config_prefix: '/tmp/x',
        npm_lifecycle_event: 'start:browser',
        INIT_CWD: '/src',
        ELECTRON_RUN_AS_NODE: '1',
        TMUX: '/tmp/tmux-0/default,1,0',
        COLUMNS: '80',
        DOCKER_HOST: 'unix:///run/docker.sock',
      },
      executable(),
      directories(),
    );
    expect(Object.keys(launch.env).sort()).toEqual(['COLORTERM', 'DOCKER_HOST', 'HOME', 'PATH', 'TERM']);
  });
});

/** Everything the shell printed, as raw chunks, acked (or not) like the page would. */
class Page {
  readonly chunks: Uint8Array[] = [];
  /** The chunks decoded as xterm does: a character split across chunks is kept for the next. */
  private decoded = '';
  private readonly decoder = new TextDecoder();
  received = 0;
  acked = 0;
  acking = true;
  exits: string[] = [];
  private waiters: (() => void)[] = [];
  manager: TerminalManager | null = null;
  sessionId = '';

  readonly sink: TerminalSink = {
    data: (_sessionId, bytes) => {
      this.chunks.push(bytes);
      this.decoded += this.decoder.decode(bytes, { stream: true });
      this.received += bytes.length;
      if (this.acking) this.ackAll();
      for (const wake of this.waiters.splice(0)) wake();
    },
    exit: (_sessionId, code, reason) => {
      this.exits.push(`${code} ${reason}`);
      for (const wake of this.waiters.splice(0)) wake();
    },
  };

  ackAll(): void {
    // In steps of at most the low watermark, as the page acks.
    while (this.acked < this.received) {
      const step = Math.min(5_000, this.received - this.acked);
      this.acked += step;
      this.manager?.ack(this.sessionId, step);
    }
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }

  text(): string {
    return this.decoded;
  }

  /** Resolves once `done` holds, failing after `ms` with what was printed so far. */
  async until(done: () => boolean, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!done()) {
      if (Date.now() > deadline)
        throw new Error(`timed out; the terminal shows:\n${this.text().slice(-2000)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  /** Resolves once no output has come for `ms`. */
  async quiet(ms: number): Promise<void> {
    for (;;) {
      const before = this.received;
      await new Promise((resolve) => setTimeout(resolve, ms));
      if (this.received === before) return;
    }
  }
}

const unusedRuntime = {
  nodeContainer: () => Promise.reject(new Error('no lab in this test')),
} as unknown as LabRuntime;

let open: { manager: TerminalManager; sessionId: string } | null = null;

afterEach(async () => {
  if (open && open.manager.ownerOf(open.sessionId) !== undefined) await open.manager.close(open.sessionId);
  open = null;
});

async function openHostShell(options: { closeGraceMs?: number } = {}) {
  const page = new Page();
  const manager = new TerminalManager(unusedRuntime, page.sink, options, { root });
  const { sessionId } = await manager.openHost('window-1', { cols: 120, rows: 40 });
  page.manager = manager;
  page.sessionId = sessionId;
  open = { manager, sessionId };
  return { page, manager, sessionId };
}

/** Types a command and waits for a marker only its output (not its echo) contains. */
async function run(page: Page, manager: TerminalManager, command: string, marker: string): Promise<void> {
  manager.input(page.sessionId, `${command}\r`);
  await page.until(() => page.text().includes(marker));
}

describe('a host shell in a real pty, through the TerminalManager', () => {
  it('runs what is typed and sends its output back, in the repository with lvs-lab on PATH', async () => {
    const { page, manager, sessionId } = await openHostShell();
    expect(manager.ownerOf(sessionId)).toBe('window-1');
    expect(manager.list()).toEqual([{ sessionId, owner: 'window-1', labId: null, node: null }]);
    await run(page, manager, 'echo pty-$((6*7))', 'pty-42');
    await run(page, manager, 'echo "term=$TERM cwd=$(pwd)"', `cwd=${root}`);
    expect(page.text()).toContain('term=xterm-256color');
    await run(page, manager, 'echo "lvs=$(command -v lvs-lab)"', 'lvs=/');
    expect(page.text()).toContain(`lvs=${path.join(root, 'bin', 'lvs-lab')}`);
  });

  it('passes multi-byte UTF-8 through as bytes, also when a character is split across reads', async () => {
    const { page, manager } = await openHostShell();
    // Typed in ASCII (octal escapes); printed as UTF-8: é € 😀, then a € whose bytes come in two
    // writes a moment apart, so in two reads of the pty.
    manager.input(
      page.sessionId,
      "printf '<\\303\\251\\342\\202\\254\\360\\237\\230\\200>\\n'; printf '[\\342\\202'; sleep 0.3; printf '\\254]\\n'\r",
    );
    await page.until(() => page.text().includes('[€]'));
    const bytes = page.bytes();
    expect(bytes.includes(Buffer.from('<é€😀>', 'utf8'))).toBe(true);
    // The split was real: one chunk ended inside the €, and nothing was decoded on the way.
    const split = page.chunks.findIndex((c) =>
      Buffer.from(c)
        .subarray(-3)
        .equals(Buffer.from([0x5b, 0xe2, 0x82])),
    );
    expect(split).toBeGreaterThanOrEqual(0);
    expect(Buffer.from(page.chunks[split + 1] ?? []).subarray(0, 1)).toEqual(Buffer.from([0xac]));
    expect(page.text()).not.toContain('\ufffd');
    // The kernel's own line editing knows UTF-8 too (a Backspace erases a whole character).
    await run(
      page,
      manager,
      "stty -a | tr ' ;' '\\n\\n' | grep -x -- '-\\{0,1\\}iutf8' | sed 's/^/flag:/'",
      'flag:',
    );
    await page.until(() => /flag:-?iutf8/.test(page.text()));
    expect(/flag:(-?iutf8)/.exec(page.text())?.[1]).toBe('iutf8');
  });

  it('pauses the pty past the high watermark until the page acks, then finishes', async () => {
    const { page, manager } = await openHostShell();
    await run(page, manager, 'echo ready-$((1+1))', 'ready-2');
    page.ackAll();
    page.acking = false;
    const start = page.received;
    manager.input(page.sessionId, 'yes | head -c 5000000; echo flood-$((2+3))\r');
    await page.until(() => page.received - start > HIGH_WATERMARK);
    await page.quiet(400);
    const stalled = page.received - start;
    // Stopped within one read of the mark, far from the 7.5 MB the flood prints (\n is \r\n).
    expect(stalled).toBeGreaterThan(HIGH_WATERMARK);
    expect(stalled).toBeLessThan(HIGH_WATERMARK + 128 * 1024);
    expect(page.text()).not.toContain('flood-5');
    page.acking = true;
    page.ackAll();
    await page.until(() => page.text().includes('flood-5'), 30_000);
    expect(page.received - start).toBeGreaterThan(7_500_000);
  }, 40_000);

  it('closing the session kills the shell and sends one exit', async () => {
    const { page, manager, sessionId } = await openHostShell();
    await run(page, manager, 'echo pid-$$', 'pid-');
    await page.until(() => /pid-\d+/.test(page.text()));
    const pid = Number(/pid-(\d+)/.exec(page.text())?.[1]);
    expect(existsSync(`/proc/${pid}`)).toBe(true);
    await manager.close(sessionId);
    expect(page.exits).toEqual(['129 the terminal was closed']);
    expect(existsSync(`/proc/${pid}`)).toBe(false);
    expect(manager.ownerOf(sessionId)).toBeUndefined();
  });

  it('a shell that ignores SIGHUP is killed after the grace period', async () => {
    const { page, manager, sessionId } = await openHostShell({ closeGraceMs: 300 });
    await run(page, manager, "trap '' HUP; echo pid-$$", 'pid-');
    await page.until(() => /pid-\d+/.test(page.text()));
    const pid = Number(/pid-(\d+)/.exec(page.text())?.[1]);
    await manager.close(sessionId);
    expect(page.exits).toEqual(['137 the terminal was closed']);
    expect(existsSync(`/proc/${pid}`)).toBe(false);
  });

  it('ends with the exit of the shell, its owner, or the app, never with a lab', async () => {
    const { page, manager, sessionId } = await openHostShell();
    await manager.closeLab('tun-arptables');
    expect(manager.ownerOf(sessionId)).toBe('window-1');
    manager.input(sessionId, 'exit 3\r');
    await page.until(() => page.exits.length > 0);
    expect(page.exits).toEqual(['3 the shell exited']);
    const second = await manager.openHost('window-2', { cols: 80, rows: 24 });
    await manager.closeOwner('window-2');
    expect(manager.ownerOf(second.sessionId)).toBeUndefined();
  });

  it('opens none where the app said no', async () => {
    const manager = new TerminalManager(unusedRuntime, new Page().sink);
    await expect(manager.openHost('window-1', { cols: 80, rows: 24 })).rejects.toThrow(
      'this LVS Lab opens no shell on the host',
    );
  });
});
