// A trainer's round trip through the lvs-lab command on the host engine: write a lab with a file
// for a node, pack it, import it into a clean labs folder, start it (the file is in the node),
// stop it; export it again byte for byte; a hostile bundle refused with nothing written; and
// `lvs-lab test` skipping (exit 4) where the engine lacks IPVS.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileBundle } from '../hostile-tar.js';
import { runLvsLab, type CliResult } from '../cli-runner.js';
import { repoRoot } from './helpers.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'lvslab-trainer-'));
const stateDir = path.join(scratch, 'state');
const userLabs = path.join(scratch, 'user-labs');
const hostHasIpvs = spawnSync('sh', ['-c', 'test -e /proc/net/ip_vs']).status === 0;
const LAB = 'trainer-made';

function lvsLab(...args: string[]): Promise<CliResult> {
  return runLvsLab(args, { env: { LVS_LAB_STATE_DIR: stateDir, LVS_LAB_USER_LABS: userLabs }, cwd: scratch });
}

/** The trainer's source folder: tun-arptables under another id, with a message of the day on server2. */
function writeSource(): string {
  const dir = path.join(scratch, 'source');
  mkdirSync(path.join(dir, 'files'), { recursive: true });
  writeFileSync(path.join(dir, 'files', 'motd.txt'), 'Welcome to the trainer lab\n');
  const text = readFileSync(path.join(repoRoot, 'labs/tun-arptables.yaml'), 'utf8')
    .replace(/^id: tun-arptables$/m, `id: ${LAB}`)
    .replace(/^title: .*$/m, "title: A trainer's lab")
    .replace(
      '    page: <h1>server2</h1>',
      '    page: <h1>server2</h1>\n    files:\n      - { source: files/motd.txt, target: /etc/motd, mode: "0600" }',
    );
  writeFileSync(path.join(dir, 'lab.yaml'), text);
  return dir;
}

describe('a trainer shares a lab', () => {
  beforeAll(async () => {
    await lvsLab('down', LAB, '--engine', 'host');
  });
  afterAll(async () => {
    await lvsLab('down', LAB, '--engine', 'host');
    rmSync(scratch, { recursive: true, force: true });
  });

  it('pack, import into a clean folder, up with the file in place, down; export is byte-identical', async () => {
    const source = writeSource();
    const packed = await lvsLab('pack', source, '-o', 'mine.lvslab', '--author', 'A Trainer');
    expect(packed.code, packed.stderr).toBe(0);

    const imported = await lvsLab('import', 'mine.lvslab');
    expect(imported.code, imported.stderr).toBe(0);
    expect(readdirSync(userLabs)).toEqual([LAB]);
    const list = JSON.parse((await lvsLab('list', '--json')).stdout) as { id: string; source: string }[];
    expect(list.find((l) => l.id === LAB)?.source).toBe('user');

    const up = await lvsLab('up', LAB, '--engine', 'host');
    expect(up.code, up.stderr).toBe(0);
    const motd = await lvsLab(
      'exec',
      'server2',
      '--engine',
      'host',
      '--',
      'stat',
      '-c',
      '%a %s',
      '/etc/motd',
    );
    expect(motd.stdout.trim()).toBe(`600 ${'Welcome to the trainer lab\n'.length}`);
    const cat = await lvsLab('exec', 'server2', '--engine', 'host', '--', 'cat', '/etc/motd');
    expect(cat.stdout).toBe('Welcome to the trainer lab\n');
    expect((await lvsLab('down', LAB, '--engine', 'host')).code).toBe(0);

    const exported = await lvsLab('export', LAB, '-o', 'again.lvslab', '--author', 'A Trainer');
    expect(exported.code, exported.stderr).toBe(0);
    expect(
      readFileSync(path.join(scratch, 'again.lvslab')).equals(
        readFileSync(path.join(scratch, 'mine.lvslab')),
      ),
    ).toBe(true);
  });

  it('refuses a hostile bundle with a clear message, exit 2, and writes nothing', async () => {
    const before = readdirSync(userLabs);
    writeFileSync(
      path.join(scratch, 'evil.lvslab'),
      hostileBundle([{ name: 'lab.yaml', type: '2', linkName: '/etc/passwd', mode: 0o777 }]),
    );
    const refused = await lvsLab('import', 'evil.lvslab');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('symbolic link');
    expect(readdirSync(userLabs)).toEqual(before);
  });

  it('dev: reloads at each save, says what is wrong with its line, and offers a restart for a new topology', async () => {
    const file = path.join(scratch, 'dev-lab.yaml');
    const original = readFileSync(path.join(repoRoot, 'labs/tun-arptables.yaml'), 'utf8').replace(
      /^id: tun-arptables$/m,
      `id: ${LAB}`,
    );
    writeFileSync(file, original);
    expect((await lvsLab('up', file, '--engine', 'host')).code).toBe(0);
    const dev = spawn(
      process.execPath,
      [path.join(repoRoot, 'bin/lvs-lab.js'), 'dev', file, '--engine', 'host'],
      {
        env: { ...process.env, LVS_LAB_STATE_DIR: stateDir, LVS_LAB_USER_LABS: userLabs, NO_COLOR: '1' },
      },
    );
    let output = '';
    dev.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const shows = async (pattern: RegExp) => {
      for (let i = 0; i < 100 && !pattern.test(output); i++) await new Promise((r) => setTimeout(r, 100));
      expect(output).toMatch(pattern);
      output = '';
    };
    try {
      await shows(/running: steps, checks and faults apply to it now\nwatching /);
      writeFileSync(
        file,
        original.replace('title: Send requests to the VIP from the client', 'title: Now curl'),
      );
      await shows(/ok, 6 steps[\s\S]*running: steps, checks and faults apply/);
      writeFileSync(file, original.replace('  vip: 172.25.88.100', '  vip: 999.1.1.1'));
      await shows(/has errors:\n {2}.*dev-lab\.yaml:\d+:\d+: service\.vip: expected an IPv4 address/);
      writeFileSync(file, original.replace('    page: <h1>server2</h1>', '    page: <h1>server two</h1>'));
      await shows(/networks, nodes or service changed: press r to restart/);
    } finally {
      dev.kill('SIGINT');
      await lvsLab('down', LAB, '--engine', 'host');
    }
  });

  it.skipIf(hostHasIpvs)(
    'lvs-lab test skips (exit 4) on an engine without IPVS, leaving nothing',
    async () => {
      const result = await lvsLab('test', 'tun-arptables', '--engine', 'host', '--json');
      expect(result.code, result.stderr).toBe(4);
      expect(JSON.parse(result.stdout)).toMatchObject({
        verdict: 'skip',
        reason: expect.stringContaining('IPVS') as string,
      });
      const status = JSON.parse((await lvsLab('status', '--engine', 'host', '--json')).stdout) as {
        labId: string;
      }[];
      expect(status.some((s) => s.labId === 'tun-arptables')).toBe(false);
    },
  );
});
