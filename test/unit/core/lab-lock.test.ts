// One start or stop of a lab at a time, in this process and across processes (the CLI beside the
// app). Another process is played by a lock file naming a live child process's pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockFile, withLabLock, type LockHolder } from '../../../main/core/lab-lock.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];

function stateDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lvslab-lock-'));
  dirs.push(dir);
  return dir;
}

function writeLock(dir: string, labId: string, holder: LockHolder): string {
  const file = lockFile(dir, labId);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(holder));
  return file;
}

afterEach(async () => {
  for (const child of children.splice(0)) child.kill();
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('withLabLock', () => {
  it('runs one holder of a lab at a time in this process, in call order; other labs run alongside', async () => {
    const dir = stateDir();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`${name} in`);
      await sleep(ms);
      log.push(`${name} out`);
      return name;
    };
    const results = await Promise.all([
      withLabLock(dir, 'tun-arptables', 'starting', task('up', 60)),
      withLabLock(dir, 'tun-arptables', 'stopping', task('down', 10)),
      withLabLock(dir, 'tun-sysctl', 'starting', task('other', 10)),
    ]);
    expect(results).toEqual(['up', 'down', 'other']);
    const mine = log.filter((l) => !l.startsWith('other'));
    expect(mine).toEqual(['up in', 'up out', 'down in', 'down out']);
    expect(log.indexOf('other out')).toBeLessThan(log.indexOf('up out'));
    expect(existsSync(lockFile(dir, 'tun-arptables'))).toBe(false);
  });

  it('releases the lock when the work fails', async () => {
    const dir = stateDir();
    await expect(
      withLabLock(dir, 'lab', 'starting', () => Promise.reject(new Error('engine gone'))),
    ).rejects.toThrow('engine gone');
    expect(existsSync(lockFile(dir, 'lab'))).toBe(false);
    expect(await withLabLock(dir, 'lab', 'starting', () => Promise.resolve(7))).toBe(7);
  });

  it('waits for another live process holding the lab, says so once, and goes on when it lets go', async () => {
    const dir = stateDir();
    const other = spawn('sleep', ['30']);
    children.push(other);
    const file = writeLock(dir, 'lab', { pid: other.pid ?? 0, action: 'starting', since: 'now' });
    const waits: LockHolder[] = [];
    let ran = false;
    const waiting = withLabLock(
      dir,
      'lab',
      'stopping',
      () => {
        ran = true;
        return Promise.resolve();
      },
      { pollMs: 20, onWait: (h) => waits.push(h) },
    );
    await sleep(200);
    expect(ran).toBe(false);
    await rm(file);
    await waiting;
    expect(ran).toBe(true);
    expect(waits).toEqual([{ pid: other.pid, action: 'starting', since: 'now' }]);
  });

  it('gives up after its wait with the holder named', async () => {
    const dir = stateDir();
    const other = spawn('sleep', ['30']);
    children.push(other);
    writeLock(dir, 'lab', { pid: other.pid ?? 0, action: 'starting', since: '2026-12-01T10:00:00Z' });
    await expect(
      withLabLock(dir, 'lab', 'stopping', () => Promise.resolve(), { waitMs: 100, pollMs: 20 }),
    ).rejects.toThrow(
      `lab lab is busy: LVS Lab process ${other.pid} has been starting it since 2026-12-01T10:00:00Z`,
    );
  });

  it('takes over a lock whose holder died', async () => {
    const dir = stateDir();
    const dead = spawn('true');
    children.push(dead);
    await new Promise((resolve) => dead.on('exit', resolve));
    writeLock(dir, 'lab', { pid: dead.pid ?? 0, action: 'starting', since: 'then' });
    expect(await withLabLock(dir, 'lab', 'starting', () => Promise.resolve('mine'), { waitMs: 500 })).toBe(
      'mine',
    );
  });
});
