// The terminal path against a real engine: a login shell in a lab node through the exec API,
// raw bytes out, flow control, sizes, exit codes and ends. Uses its own lab (termtest, on
// 10.199.1.0/24) so that it never meets another test's lab.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HIGH_WATERMARK } from '../../main/core/terminal/flow-control.js';
import { SESSION_ENV } from '../../main/core/terminal/docker-shell.js';
import { TerminalManager, type TerminalSink } from '../../main/core/terminal/terminal-manager.js';
import { docker, labVariant, newService, sh } from './helpers.js';

const LAB = 'termtest';
const service = newService();

interface Exit {
  code: number | null;
  reason: string;
}

/** Records every event, per session, and acks like xterm does unless told not to. */
class Recorder implements TerminalSink {
  manager: TerminalManager | null = null;
  readonly chunks = new Map<string, Buffer[]>();
  readonly exits = new Map<string, Exit>();
  readonly noAck = new Set<string>();
  /** Data that arrived after the session's exit event: must stay empty. */
  readonly late: string[] = [];

  data(sessionId: string, bytes: Uint8Array): void {
    if (this.exits.has(sessionId)) this.late.push(sessionId);
    const list = this.chunks.get(sessionId) ?? [];
    list.push(Buffer.from(bytes));
    this.chunks.set(sessionId, list);
    if (!this.noAck.has(sessionId)) {
      // xterm acks once it has parsed a write: a turn of the loop later.
      setImmediate(() => this.manager?.ack(sessionId, bytes.length));
    }
  }

  exit(sessionId: string, code: number | null, reason: string): void {
    this.exits.set(sessionId, { code, reason });
  }

  bytes(sessionId: string): Buffer {
    return Buffer.concat(this.chunks.get(sessionId) ?? []);
  }

  count(sessionId: string): number {
    return (this.chunks.get(sessionId) ?? []).reduce((n, c) => n + c.length, 0);
  }

  async waitFor(sessionId: string, text: string, timeoutMs = 20_000): Promise<Buffer> {
    await until(() => this.bytes(sessionId).includes(text), timeoutMs, `"${text}" from ${sessionId}`);
    return this.bytes(sessionId);
  }

  async waitExit(sessionId: string, timeoutMs = 20_000): Promise<Exit> {
    await until(() => this.exits.has(sessionId), timeoutMs, `the exit of ${sessionId}`);
    return this.exits.get(sessionId) as Exit;
  }
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How many processes in the node carry this session's marker (its shell and children). */
async function processesOf(node: string, sessionId: string): Promise<number> {
  const out = await sh(
    service,
    LAB,
    node,
    `n=0; for d in /proc/[0-9]*; do tr '\\0' '\\n' < "$d/environ" 2>/dev/null | grep -qx '${SESSION_ENV}=${sessionId}' && n=$((n+1)); done; echo $n`,
  );
  return Number(out.trim());
}

const recorder = new Recorder();
const manager = new TerminalManager(service.runtime, recorder);
recorder.manager = manager;

async function openShell(node: string, owner = 'window-1', cols = 80, rows = 24): Promise<string> {
  const { sessionId } = await manager.open(owner, { labId: LAB, node, cols, rows });
  await recorder.waitFor(sessionId, '# ');
  return sessionId;
}

beforeAll(async () => {
  const file = labVariant('tun-arptables', LAB, [
    ['172.25.88.0/24', '10.199.1.0/24'],
    [/172\.25\.88\./g, '10.199.1.'],
  ]);
  await service.runtime.down(LAB); // Only a termtest left by an earlier run of this file.
  await service.up(file);
});

afterAll(async () => {
  await manager.closeAll();
  await service.runtime.down(LAB);
  expect(recorder.late).toEqual([]);
});

describe('terminal sessions on a real engine', () => {
  it('runs a command typed into the shell and sends its output back', async () => {
    const id = await openShell('server2');
    manager.input(id, 'echo hello-$((6*7))\r');
    await recorder.waitFor(id, 'hello-42');
    await manager.close(id);
    expect(await recorder.waitExit(id)).toMatchObject({ reason: 'the terminal was closed' });
  });

  it('delivers multi-byte UTF-8 byte-exact although chunks split characters', async () => {
    const id = await openShell('server2');
    const unit = Buffer.from('é€😀'); // 2 + 3 + 4 bytes
    const octal = [...unit].map((b) => `\\${b.toString(8)}`).join('');
    manager.input(id, `printf '${octal}%.0s' $(seq 200000); echo; echo D''ONE\r`);
    const all = await recorder.waitFor(id, 'DONE\r\n', 60_000);
    const expected = Buffer.concat(Array.from({ length: 200_000 }, () => unit));
    const at = all.indexOf(expected);
    expect(at).toBeGreaterThan(0);
    expect(all.subarray(at + expected.length, at + expected.length + 2).toString()).toBe('\r\n');
    // Chunk ends that fall inside a character: the next byte is a UTF-8 continuation byte. With
    // 1.8 MB in chunks of at most 64 KiB, ends at arbitrary offsets, this is never zero.
    let offset = 0;
    let splits = 0;
    for (const chunk of recorder.chunks.get(id) ?? []) {
      offset += chunk.length;
      const next = all[offset];
      if (next !== undefined && (next & 0xc0) === 0x80) splits++;
    }
    expect(splits).toBeGreaterThan(0);
    await manager.close(id);
  });

  it('starts at the size it was opened with and follows resizes, the last of a burst winning', async () => {
    const id = await openShell('server3', 'window-1', 100, 30);
    manager.input(id, 'stty size\r');
    await recorder.waitFor(id, '30 100\r\n');
    manager.resize(id, 90, 20);
    manager.resize(id, 120, 40);
    await sleep(200);
    manager.input(id, 'stty size\r');
    const out = await recorder.waitFor(id, '40 120\r\n');
    expect(out.includes('20 90\r\n')).toBe(false);
    manager.resize(id, 0, -5); // Clamped to 1x1.
    await sleep(200);
    manager.input(id, 'stty size\r');
    await recorder.waitFor(id, '1 1\r\n');
    await manager.close(id);
  });

  it('pauses a flood near the high watermark until the page acks, and loses no byte', async () => {
    const { sessionId: id } = await manager.open('window-1', {
      labId: LAB,
      node: 'server2',
      cols: 80,
      rows: 24,
    });
    recorder.noAck.add(id);
    await recorder.waitFor(id, '# ');
    manager.input(id, "head -c 3000000 /dev/zero | base64 -w 0; echo; echo D''ONE\r");
    // Nothing is acked: delivery stops once more than HIGH_WATERMARK bytes are unacked.
    await until(() => recorder.count(id) > HIGH_WATERMARK, 20_000, 'the flood');
    await sleep(300);
    const paused = recorder.count(id);
    await sleep(700);
    expect(recorder.count(id)).toBe(paused);
    // At most one read (64 KiB) past the mark, and far from the 4 MB the command writes.
    expect(paused).toBeGreaterThan(HIGH_WATERMARK);
    expect(paused).toBeLessThanOrEqual(HIGH_WATERMARK + 64 * 1024);
    expect(recorder.bytes(id).includes('DONE')).toBe(false);
    // The page catches up: ack what it got, then every write as it arrives.
    recorder.noAck.delete(id);
    manager.ack(id, paused);
    const all = await recorder.waitFor(id, 'DONE\r\n', 60_000);
    const first = all.indexOf('A');
    const run = 4_000_000; // base64 of 3 000 000 zero bytes
    expect(all.subarray(first, first + run).equals(Buffer.alloc(run, 'A'))).toBe(true);
    expect(all[first + run]).not.toBe('A'.charCodeAt(0));
    expect(all.subarray(first + run).indexOf('A')).toBe(-1);
    await manager.close(id);
  });

  it('reports the exit code of the shell, after its last output, and then forgets the session', async () => {
    const id = await openShell('server3');
    manager.input(id, 'echo bye; exit 3\r');
    expect(await recorder.waitExit(id)).toEqual({ code: 3, reason: 'the shell exited' });
    expect(recorder.bytes(id).includes('bye\r\n')).toBe(true);
    expect(manager.list().some((s) => s.sessionId === id)).toBe(false);
    // The hot path ignores an ended session; close says it is gone.
    manager.input(id, 'echo nobody\r');
    manager.resize(id, 10, 10);
    manager.ack(id, 1000);
    await expect(manager.close(id)).rejects.toThrow(`no terminal session ${id}`);
  });

  it('closeOwner hangs up that owner’s shells only', async () => {
    const a1 = await openShell('server2', 'window-a');
    const a2 = await openShell('server3', 'window-a');
    const b = await openShell('server2', 'window-b');
    manager.input(a1, 'sleep 1000 &\r'); // A job: hung up with its shell.
    await recorder.waitFor(a1, '[1]');
    expect(await processesOf('server2', a1)).toBe(2);
    await manager.closeOwner('window-a');
    expect(recorder.exits.get(a1)?.reason).toBe('its window was closed');
    expect(recorder.exits.get(a2)?.reason).toBe('its window was closed');
    expect(recorder.exits.has(b)).toBe(false);
    expect(await processesOf('server2', a1)).toBe(0);
    expect(await processesOf('server3', a2)).toBe(0);
    expect(await processesOf('server2', b)).toBe(1);
    manager.input(b, 'echo still-$((40+2))\r');
    await recorder.waitFor(b, 'still-42');
    expect(manager.list().map((s) => s.owner)).toEqual(['window-b']);
    await manager.close(b);
  });

  it('ends a session whose container is killed with a reason naming the node, and opens again after a restart', async () => {
    const id = await openShell('client');
    const container = docker.getContainer(`lvslab-${LAB}-client`);
    await container.kill();
    const exit = await recorder.waitExit(id);
    expect(exit.reason).toBe('node client stopped');
    await expect(
      manager.open('window-1', { labId: LAB, node: 'client', cols: 80, rows: 24 }),
    ).rejects.toThrow(`node client of lab ${LAB} is exited`);
    await container.start();
    const again = await openShell('client');
    manager.input(again, 'echo back-$((6*7))\r');
    await recorder.waitFor(again, 'back-42');
    await manager.close(again);
  });

  it('refuses a node that is not in the lab', async () => {
    await expect(
      manager.open('window-1', { labId: LAB, node: 'nobody', cols: 80, rows: 24 }),
    ).rejects.toThrow(`lab ${LAB} has no node "nobody"`);
  });
});
