// The authoring loop's watcher: a burst of saves (an editor's temporary file, rename, chmod) is
// reported once, after it settles; a save in a sub-folder counts; nothing after close.
import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { watchFolder } from '../../../main/core/library/lab-watcher.js';

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('watchFolder', () => {
  it('reports a burst of saves once, a save below the folder too, and nothing once closed', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lvslab-watch-'));
    mkdirSync(path.join(dir, 'my-lab'));
    let changes = 0;
    const watcher = watchFolder(
      dir,
      () => {
        changes++;
        return Promise.resolve();
      },
      { settleMs: 100 },
    );
    await settle(50);
    writeFileSync(path.join(dir, '.lab.yaml.swp'), 'a');
    renameSync(path.join(dir, '.lab.yaml.swp'), path.join(dir, 'lab.yaml'));
    writeFileSync(path.join(dir, 'lab.yaml'), 'b');
    await settle(400);
    expect(changes).toBe(1);
    writeFileSync(path.join(dir, 'my-lab', 'lab.yaml'), 'c');
    await settle(400);
    expect(changes).toBe(2);
    watcher.close();
    writeFileSync(path.join(dir, 'lab.yaml'), 'd');
    await settle(400);
    expect(changes).toBe(2);
  });

  it('creates the folder it is asked to watch', () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'lvslab-watch-')), 'not', 'yet');
    watchFolder(dir, () => Promise.resolve()).close();
    expect(() => {
      writeFileSync(path.join(dir, 'x'), '');
    }).not.toThrow();
  });
});
