// The user's labs folder: a trainer's own files listed beside LVS Lab's, "make my own copy",
// bundles exported and imported (folders and git checkouts too), and what is refused, with
// nothing written. Each test gets an empty user folder of its own; the shipped labs are read in
// place.
import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BundleError, readBundle, writeBundle } from '../../../main/core/bundle/bundle-file.js';
import { LabLoadError } from '../../../main/core/lab/loader.js';
import { LabLibrary } from '../../../main/core/library/lab-library.js';
import { UserLabActions } from '../../../main/core/library/user-lab-actions.js';
import { copyId } from '../../../main/core/library/user-labs.js';
import { hostileBundle } from '../../hostile-tar.js';
import { labText, ROOT } from './helpers.js';

const VERSION = '0.1.0';
let userDir: string;
let scratch: string;
let library: LabLibrary;
let actions: UserLabActions;

beforeEach(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'lvslab-user-labs-test-'));
  userDir = path.join(scratch, 'labs');
  library = new LabLibrary({ labsDir: path.join(ROOT, 'labs'), userLabsDir: userDir });
  actions = new UserLabActions(library, userDir, VERSION);
});
afterEach(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** tun-arptables under another id, as a trainer would start their own. */
function ownLab(id: string, extra = ''): string {
  return labText('tun-arptables').replace(/^id: tun-arptables$/m, `id: ${id}`) + extra;
}

const userFiles = () => (readdirSync(scratch).includes('labs') ? readdirSync(userDir) : []);

describe('the user labs folder', () => {
  it("lists a lab written from scratch beside the built-in ones, as the user's", async () => {
    mkdirSync(userDir);
    writeFileSync(path.join(userDir, 'my-lab.yaml'), ownLab('my-lab'));
    const labs = await library.list();
    expect(labs.find((l) => l.id === 'my-lab')).toMatchObject({ source: 'user', steps: 6 });
    expect(labs.find((l) => l.id === 'tun-arptables')?.source).toBe('builtin');
    expect((await library.resolve('my-lab')).id).toBe('my-lab');
  });

  it('shows a broken user lab with its file and line, and keeps listing the others', async () => {
    mkdirSync(userDir);
    writeFileSync(
      path.join(userDir, 'broken.yaml'),
      ownLab('broken').replace('  vip: 172.25.88.100', '  vip: 999.1.1.1'),
    );
    const broken = (await library.list()).find((l) => l.id === 'broken');
    expect(broken?.error).toMatch(/broken\.yaml:\d+:\d+: service\.vip: expected an IPv4 address/);
  });

  it('refuses a second lab with an id that is taken, naming the first', async () => {
    mkdirSync(userDir);
    writeFileSync(path.join(userDir, 'mine.yaml'), labText('tun-arptables'));
    const mine = (await library.list()).find((l) => l.file.endsWith('mine.yaml'));
    expect(mine?.error).toMatch(/the id tun-arptables is already the id of .*labs\/tun-arptables\.yaml/);
  });

  it('resolves a user lab that extends a built-in lab by id', async () => {
    mkdirSync(userDir);
    const derived = readFileSync(path.join(ROOT, 'labs/repro/rp-filter.yaml'), 'utf8').replace(
      /^id: repro-rp-filter$/m,
      'id: my-rp',
    );
    writeFileSync(path.join(userDir, 'my-rp.yaml'), derived);
    const lab = await library.resolve('my-rp');
    expect(lab.base).toBe('tun-arptables');
  });
});

describe('make my own copy', () => {
  it('copies a built-in lab under a free id, keeping its comments, and it loads', async () => {
    const copy = await actions.copy('tun-arptables');
    expect(copy).toMatchObject({
      id: 'tun-arptables-copy',
      source: 'user',
      title: expect.stringContaining('(my copy)') as string,
    });
    const text = readFileSync(copy.file, 'utf8');
    expect(text).toContain('id: tun-arptables-copy');
    // The original's comments survive the rename.
    const firstComment = labText('tun-arptables')
      .split('\n')
      .find((l) => l.trim().startsWith('#'));
    if (firstComment) expect(text).toContain(firstComment.trim());
    expect((await actions.copy('tun-arptables')).id).toBe('tun-arptables-copy-2');
  });

  it('copies a reproduction with its base, so that the copy stands alone', async () => {
    const copy = await actions.copy('repro-rp-filter');
    expect(readdirSync(path.dirname(copy.file)).sort()).toEqual(['base', 'lab.yaml']);
    expect((await library.resolve(copy.id)).base).toBe('tun-arptables');
  });

  it('finds a free id within the 31 characters an id may have', () => {
    const long = 'a'.repeat(31);
    expect(copyId(long, new Set())).toHaveLength(31);
    expect(copyId('lab', new Set(['lab-copy', 'lab-copy-2']))).toBe('lab-copy-3');
  });

  it("removes only the user's labs", async () => {
    const copy = await actions.copy('tun-sysctl');
    const none = () => Promise.resolve([]);
    await expect(actions.remove('tun-sysctl', none)).rejects.toThrow(/one of LVS Lab's labs/);
    await expect(actions.remove(copy.id, () => Promise.resolve([copy.id]))).rejects.toThrow(/is running/);
    // An engine that cannot be reached runs no lab: the removal goes ahead.
    await actions.remove(copy.id, () => Promise.reject(new Error('no engine')));
    expect(userFiles()).toEqual([]);
  });
});

describe('bundles', () => {
  it('export then import into a clean folder, and the re-export is byte-identical', async () => {
    const first = await actions.export('repro-missing-vip', 'A Trainer');
    const { manifest } = readBundle(first.bytes, { currentVersion: VERSION });
    expect(manifest).toMatchObject({
      id: 'repro-missing-vip',
      author: 'A Trainer',
      base: 'base/tun-arptables.yaml',
    });
    // Importing needs the id free: a fresh library whose built-in folder lacks the reproduction.
    const otherBuiltin = path.join(scratch, 'builtin');
    mkdirSync(otherBuiltin);
    writeFileSync(path.join(otherBuiltin, 'tun-arptables.yaml'), labText('tun-arptables'));
    const clean = new LabLibrary({ labsDir: otherBuiltin, userLabsDir: userDir });
    const cleanActions = new UserLabActions(clean, userDir, VERSION);
    const imported = await cleanActions.importBytes(first.bytes, first.fileName);
    expect(imported).toMatchObject({ id: 'repro-missing-vip', source: 'user' });
    const again = await cleanActions.export('repro-missing-vip', 'A Trainer');
    expect(again.bytes.equals(first.bytes)).toBe(true);
  });

  it('packs a lab with the files it places in nodes, and they reach the import', async () => {
    const dir = path.join(scratch, 'src');
    mkdirSync(path.join(dir, 'files'), { recursive: true });
    writeFileSync(path.join(dir, 'files', 'motd.txt'), 'welcome\n');
    const withFile = ownLab('with-file').replace(
      '    page: <h1>server2</h1>',
      '    page: <h1>server2</h1>\n    files:\n      - { source: files/motd.txt, target: /etc/motd }',
    );
    writeFileSync(path.join(dir, 'lab.yaml'), withFile);
    const packed = await actions.pack(dir);
    const imported = await actions.importBytes(packed.bytes, 'with-file.lvslab');
    expect(readFileSync(path.join(path.dirname(imported.file), 'files', 'motd.txt'), 'utf8')).toBe(
      'welcome\n',
    );
    const lab = await library.resolve('with-file');
    expect(lab.nodes.find((n) => n.name === 'server2')?.assets).toEqual([
      { path: path.join(path.dirname(imported.file), 'files', 'motd.txt'), target: '/etc/motd', mode: 0o644 },
    ]);
  });

  it('refuses a bundle whose lab does not validate, with file:line, and writes nothing', async () => {
    const bad = ownLab('bad-lab').replace('  vip: 172.25.88.100', '  vip: 172.25.88.1');
    const bytes = writeBundle(
      {
        id: 'bad-lab',
        title: 'x',
        author: 'x',
        description: 'x',
        minLvsLabVersion: VERSION,
        createdWith: VERSION,
        lab: 'lab.yaml',
      },
      [{ path: 'lab.yaml', data: Buffer.from(bad), mode: 0o644 }],
    );
    const error = await actions.importBytes(bytes, 'bad.lvslab').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LabLoadError);
    expect((error as LabLoadError).issues[0]).toMatchObject({
      file: expect.stringContaining('bad.lvslab') as string,
      field: 'service.vip',
    });
    expect((error as LabLoadError).issues[0]?.line).toBeGreaterThan(1);
    expect(userFiles()).toEqual([]);
  });

  it('refuses a hostile bundle (a path out of the folder) and writes nothing', async () => {
    const bytes = hostileBundle([{ name: '../escape.yaml', data: Buffer.from('evil') }]);
    await expect(actions.importBytes(bytes, 'evil.lvslab')).rejects.toBeInstanceOf(BundleError);
    expect(userFiles()).toEqual([]);
    expect(readdirSync(scratch)).not.toContain('escape.yaml');
  });

  it('refuses to import over a lab with the same id', async () => {
    const { bytes } = await actions.export('tun-arptables');
    await expect(actions.importBytes(bytes, 'x.lvslab')).rejects.toThrow(/already a lab tun-arptables/);
    expect(userFiles()).toEqual([]);
  });
});

describe('import from a folder or a git repository', () => {
  it('imports a folder, refusing one with a link in it', async () => {
    const dir = path.join(scratch, 'folder');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'lab.yaml'), ownLab('from-folder'));
    expect((await actions.importArg(dir, 'me')).id).toBe('from-folder');
    const linked = path.join(scratch, 'linked');
    mkdirSync(linked);
    writeFileSync(path.join(linked, 'lab.yaml'), ownLab('linked'));
    symlinkSync('/etc/passwd', path.join(linked, 'passwd'));
    await expect(actions.importArg(linked, 'me')).rejects.toThrow(/link/);
    expect(userFiles()).toEqual(['from-folder']);
  });

  it('imports a local git repository at a tag, without its history', async () => {
    const repo = path.join(scratch, 'repo');
    mkdirSync(repo);
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], { cwd: repo });
    git('init', '--quiet');
    writeFileSync(path.join(repo, 'lab.yaml'), ownLab('from-git'));
    git('add', '.');
    git('commit', '--quiet', '-m', 'lab');
    git('tag', 'v1');
    writeFileSync(path.join(repo, 'lab.yaml'), 'not: a lab\n');
    git('commit', '--quiet', '-am', 'broken later');
    const imported = await actions.importArg(`file://${repo}@v1`, 'me');
    expect(imported.id).toBe('from-git');
    expect(readdirSync(path.dirname(imported.file))).toEqual(['lab.yaml']);
  });
});

describe("the trainer's guide", () => {
  it('shows the tested worked example as it is', () => {
    const guide = readFileSync(path.join(ROOT, 'labs/README.md'), 'utf8');
    const marker = '<!-- worked-example: test/fixtures/trainer/first-lab/lab.yaml -->';
    const block = /```yaml\n([\s\S]*?)```/.exec(guide.slice(guide.indexOf(marker)))?.[1];
    expect(block).toBe(readFileSync(path.join(ROOT, 'test/fixtures/trainer/first-lab/lab.yaml'), 'utf8'));
  });
});

describe('files a lab places in nodes', () => {
  it('names a missing file at its line', async () => {
    mkdirSync(userDir);
    const text = ownLab('assets').replace(
      '    page: <h1>server2</h1>',
      '    page: <h1>server2</h1>\n    files:\n      - { source: files/none.txt, target: /etc/none }',
    );
    writeFileSync(path.join(userDir, 'assets.yaml'), text);
    const error = await library.resolve('assets').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LabLoadError);
    expect((error as LabLoadError).issues[0]).toMatchObject({
      field: 'nodes[1].files[0].source',
      line: text.split('\n').findIndex((l) => l.includes('files/none.txt')) + 1,
      message: expect.stringContaining('no such file') as string,
    });
  });

  it('refuses a source that leaves the folder, or a target in /proc', async () => {
    mkdirSync(userDir);
    const text = ownLab('escape').replace(
      '    page: <h1>server2</h1>',
      '    page: <h1>server2</h1>\n    files:\n      - { source: ../secret, target: /proc/x }',
    );
    writeFileSync(path.join(userDir, 'escape.yaml'), text);
    const error = (await library.resolve('escape').catch((e: unknown) => e)) as LabLoadError;
    expect(error.issues.map((i) => i.field).sort()).toEqual([
      'nodes[1].files[0].source',
      'nodes[1].files[0].target',
    ]);
  });
});
