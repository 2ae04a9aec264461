import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labSchema, type LabStep } from '../../../shared/lab-schema.js';
import type { ExecResult } from '../../../main/core/docker/exec.js';
import {
  checkStep,
  commandsScript,
  parseCommandsOutput,
  runChecks,
  runStep,
} from '../../../main/core/engine/step-runner.js';
import { captured, defined, loadLab, umlCaptured } from './helpers.js';
import { StubNodes } from './stubs.js';

const MARKER = '@@lvslab-00c0ffee0042';

/** Runs the generated script for real with /bin/sh -c, as `docker exec ... sh -c` does. */
function sh(script: string) {
  const result = spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8', timeout: 20_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function runCommands(commands: string[]) {
  const result = sh(commandsScript(commands, MARKER));
  return { ...result, results: parseCommandsOutput('server1', commands, result.stdout, MARKER) };
}

describe('commandsScript run by /bin/sh, read back by parseCommandsOutput', () => {
  const FILE_EXISTS = `sh -c 'echo "RTNETLINK answers: File exists" >&2; exit 2'`;
  const commands = [
    'echo hello',
    FILE_EXISTS,
    "printf 'a\\nb'",
    'echo visible # and a comment',
    'for i in 1 2 3; do\n  echo "n$i"\ndone',
    'echo out; echo err >&2; echo out2',
    'false',
    'echo never',
    'echo never either',
  ];

  it('outputs per command in order, stderr included, exit codes, and the stop at the first real failure', () => {
    const { status, stderr, results } = runCommands(commands);
    expect(stderr).toBe('');
    expect(status).toBe(1);
    expect(results).toEqual([
      { node: 'server1', command: 'echo hello', exitCode: 0, output: 'hello', alreadyDone: false },
      {
        node: 'server1',
        command: FILE_EXISTS,
        exitCode: 2,
        output: 'RTNETLINK answers: File exists',
        alreadyDone: true,
      },
      { node: 'server1', command: "printf 'a\\nb'", exitCode: 0, output: 'a\nb', alreadyDone: false },
      {
        node: 'server1',
        command: 'echo visible # and a comment',
        exitCode: 0,
        output: 'visible',
        alreadyDone: false,
      },
      {
        node: 'server1',
        command: 'for i in 1 2 3; do\n  echo "n$i"\ndone',
        exitCode: 0,
        output: 'n1\nn2\nn3',
        alreadyDone: false,
      },
      {
        node: 'server1',
        command: 'echo out; echo err >&2; echo out2',
        exitCode: 0,
        output: 'out\nerr\nout2',
        alreadyDone: false,
      },
      { node: 'server1', command: 'false', exitCode: 1, output: '', alreadyDone: false },
    ]);
  });

  it('the commands after the failure are absent, so they count as skipped', () => {
    const { stdout, results } = runCommands(commands);
    expect(results).toHaveLength(7);
    expect(stdout).not.toContain('never');
    expect(commands.slice(results.length)).toEqual(['echo never', 'echo never either']);
  });

  it("ipvsadm's duplicate service and destination count as already done; the script goes on", () => {
    const { status, results } = runCommands([
      "echo 'Service already exists' >&2; exit 255",
      "echo 'Destination already exists' >&2; exit 255",
      'echo after',
    ]);
    expect(status).toBe(0);
    expect(results.map((r) => [r.exitCode, r.alreadyDone, r.output])).toEqual([
      [255, true, 'Service already exists'],
      [255, true, 'Destination already exists'],
      [0, false, 'after'],
    ]);
  });

  it('a message that only resembles "already done" is a real failure', () => {
    const { results } = runCommands(["echo 'RTNETLINK answers: No such process' >&2; exit 2", 'echo after']);
    expect(results).toEqual([
      {
        node: 'server1',
        command: "echo 'RTNETLINK answers: No such process' >&2; exit 2",
        exitCode: 2,
        output: 'RTNETLINK answers: No such process',
        alreadyDone: false,
      },
    ]);
  });

  it('a command succeeding while printing "File exists" is not "already done"', () => {
    const { results } = runCommands(['echo "RTNETLINK answers: File exists"']);
    expect(results[0]).toMatchObject({ exitCode: 0, alreadyDone: false });
  });

  it('quotes, pipes, command substitution, && and || keep their shell meaning', () => {
    const { results } = runCommands([
      `echo "it's" 'a "test"'`,
      'echo abc | tr a-c x-z',
      'echo "$(echo inner)"',
      'true && echo and',
      'false || echo or',
      'case x in x) echo matched;; esac',
      'echo $((6 * 7))',
    ]);
    expect(results.map((r) => r.output)).toEqual([
      'it\'s a "test"',
      'xyz',
      'inner',
      'and',
      'or',
      'matched',
      '42',
    ]);
    expect(results.every((r) => r.exitCode === 0)).toBe(true);
  });

  it('exit inside a command ends only that command', () => {
    const { status, results } = runCommands(['echo before; exit 3; echo not-reached', 'echo next']);
    expect(results).toEqual([
      {
        node: 'server1',
        command: 'echo before; exit 3; echo not-reached',
        exitCode: 3,
        output: 'before',
        alreadyDone: false,
      },
    ]);
    expect(status).toBe(3);
  });

  it('each command runs in its own subshell: cd and variables do not carry over', () => {
    const { results } = runCommands(['cd / && X=1 && pwd', 'pwd; echo "X=${X:-unset}"']);
    expect(results[0]?.output).toBe('/');
    expect(results[1]?.output).not.toMatch(/^\/\n/);
    expect(results[1]?.output.split('\n')[1]).toBe('X=unset');
  });

  it('a command printing nothing and the trailing newlines of outputs', () => {
    const { results } = runCommands(['true', 'printf "x\\n\\n\\n"']);
    expect(results.map((r) => r.output)).toEqual(['', 'x']);
  });

  it('an empty command list is an empty script', () => {
    expect(commandsScript([], MARKER)).toBe('');
    expect(sh('').status).toBe(0);
  });
});

describe('parseCommandsOutput on constructed output', () => {
  it('ignores other markers and unterminated sections', () => {
    const output = [
      '@@lvslab-ffffffffffff 0',
      'foreign',
      '@@lvslab-ffffffffffff-rc 0 0',
      `${MARKER} 0`,
      'mine',
      `${MARKER}-rc 0 0`,
      `${MARKER} 1`,
      'cut off by a timeout',
    ].join('\n');
    expect(parseCommandsOutput('n', ['a', 'b'], output, MARKER)).toEqual([
      { node: 'n', command: 'a', exitCode: 0, output: 'mine', alreadyDone: false },
    ]);
  });

  it('no output, no results', () => {
    expect(parseCommandsOutput('n', ['a'], '', MARKER)).toEqual([]);
  });
});

/** An exec that runs the script with /bin/sh on this machine, recording what it was given. */
function localExec(calls: { node: string; timeoutMs: number | undefined }[]) {
  return (node: string, script: string, timeoutMs?: number): Promise<ExecResult> => {
    calls.push({ node, timeoutMs });
    const r = spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8', timeout: 20_000 });
    return Promise.resolve({ exitCode: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, timedOut: false });
  };
}

function step(commands: Record<string, string[]>): LabStep {
  return { id: 'test-step', title: 't', explain: 'e', commands, checks: [] };
}

describe('runStep with commands run by /bin/sh', () => {
  it('nodes run their own lists; a failure skips the rest of that node only', async () => {
    const calls: { node: string; timeoutMs: number | undefined }[] = [];
    const result = await runStep(
      step({ server2: ['echo a1', 'false', 'echo a3', 'echo a4'], server3: ['echo b1', 'echo b2'] }),
      localExec(calls),
    );
    expect(calls.map((c) => c.node).sort()).toEqual(['server2', 'server3']);
    expect(calls.every((c) => c.timeoutMs === 120_000)).toBe(true);
    expect(result.stepId).toBe('test-step');
    expect(result.ok).toBe(false);
    expect(result.commands.map((c) => `${c.node}:${c.command}:${c.exitCode}`)).toEqual([
      'server2:echo a1:0',
      'server2:false:1',
      'server3:echo b1:0',
      'server3:echo b2:0',
    ]);
    expect(result.skipped).toEqual([
      { node: 'server2', command: 'echo a3' },
      { node: 'server2', command: 'echo a4' },
    ]);
  });

  it('running a step again: "File exists" is harmless and the step is ok', async () => {
    const result = await runStep(
      step({ server1: [`sh -c 'echo "RTNETLINK answers: File exists" >&2; exit 2'`, 'echo done'] }),
      localExec([]),
    );
    expect(result.ok).toBe(true);
    expect(result.skipped).toEqual([]);
    expect(result.commands.map((c) => c.alreadyDone)).toEqual([true, false]);
  });

  it('the real labs: every command list of every step turns into a script sh can parse', () => {
    for (const id of ['tun-arptables', 'tun-cross-subnet', 'tun-sysctl'] as const) {
      for (const s of loadLab(id).steps) {
        for (const [node, commands] of Object.entries(s.commands)) {
          const parsed = spawnSync('/bin/sh', ['-n', '-c', commandsScript(commands, MARKER)], {
            encoding: 'utf8',
          });
          expect(parsed.status, `${id} ${s.id} ${node}: ${parsed.stderr}`).toBe(0);
        }
      }
    }
  });

  it('an exec cut off by its time limit: the step fails, the hung command is reported as timed out, the rest as not run', async () => {
    const result = await runStep(
      step({ client: ['echo quick', 'sleep 600', 'echo later'] }),
      (_node, script) => {
        // What `timeout` leaves: the output up to the command that hung (its marker and what it
        // printed, no rc line), exit status 124.
        const r = spawnSync('/bin/sh', ['-c', script.replace('sleep 600', 'echo started')], {
          encoding: 'utf8',
        });
        const cut = r.stdout.replace(/^@@lvslab-[0-9a-f]+-rc 1 [\s\S]*$/m, '');
        expect(cut).toMatch(/ 1\nstarted\n$/);
        return Promise.resolve({ exitCode: 124, stdout: cut, stderr: '', timedOut: true });
      },
    );
    expect(result.ok).toBe(false);
    expect(result.commands.map((c) => [c.command, c.exitCode])).toEqual([
      ['echo quick', 0],
      ['sleep 600', 124],
    ]);
    expect(result.commands[1]?.output).toMatch(/timed out/);
    expect(result.skipped).toEqual([{ node: 'client', command: 'echo later' }]);
  });

  it('an exec that throws rejects the whole step', async () => {
    await expect(
      runStep(step({ server1: ['echo x'] }), () => Promise.reject(new Error('no such container'))),
    ).rejects.toThrow('no such container');
  });
});

describe('runChecks and checkStep: stand-in commands with real captured outputs, real curl', () => {
  const stubs = new StubNodes();
  const lab = loadLab('tun-arptables');
  let server: Server;
  let port = 0;
  const served: string[] = [];

  beforeAll(async () => {
    // A web server that answers as the two real servers would, in turn.
    let n = 0;
    server = createServer((_req, res) => {
      const page = n++ % 2 === 0 ? '<h1>server2</h1>' : '<h1>server3</h1>';
      served.push(page);
      res.end(`${page}\n`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    stubs.node('server1', {
      ipvs: umlCaptured('ipvsadm-Ln.txt'),
      ipvsStats: umlCaptured('ipvsadm-Ln-stats-exact.txt'),
    });
    stubs.node('server2', {
      addr: umlCaptured('ip-j-addr-rs2.json'),
      arptables: umlCaptured('arptables-L-n-rs2.txt'),
    });
    // server3 runs on a kernel without ipip: the Debian capture, no tunl0.
    stubs.node('server3', { addr: captured('ip-j-addr.json'), sysctl: captured('sysctl.txt') });
    stubs.node('client', {});
  });

  afterAll(async () => {
    stubs.remove();
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  });

  function exec(calls: string[]) {
    return (node: string, script: string): Promise<ExecResult> => {
      calls.push(node);
      return stubs.runAsync(node, script);
    };
  }

  it("the lab's director-ipvs step passes on the real ipvsadm table", async () => {
    const ipvsStep = lab.steps.find((s) => s.id === 'director-ipvs');
    if (!ipvsStep) throw new Error('no director-ipvs step');
    const calls: string[] = [];
    const result = await checkStep(lab, ipvsStep, exec(calls));
    expect(result).toEqual({
      stepId: 'director-ipvs',
      ok: true,
      checks: [
        {
          kind: 'ipvs-service',
          label: 'server1 has the virtual service TCP 172.25.88.100:80 with scheduler rr',
          ok: true,
        },
        {
          kind: 'ipvs-realserver',
          label: 'server1 forwards TCP 172.25.88.100:80 to 172.25.88.2:80 by Tunnel with weight 1',
          ok: true,
        },
        {
          kind: 'ipvs-realserver',
          label: 'server1 forwards TCP 172.25.88.100:80 to 172.25.88.3:80 by Tunnel with weight 1',
          ok: true,
        },
      ],
    });
    // One exec for the three checks.
    expect(calls).toEqual(['server1']);
  });

  it("the lab's realserver-tunnel step: server2 passes, server3 (no ipip) fails with the reason", async () => {
    const tunnelStep = lab.steps.find((s) => s.id === 'realserver-tunnel');
    if (!tunnelStep) throw new Error('no realserver-tunnel step');
    const result = await checkStep(lab, tunnelStep, exec([]));
    expect(result.ok).toBe(false);
    expect(result.checks.map((c) => [c.ok, c.reason])).toEqual([
      [true, undefined],
      [
        false,
        "server3 has no tunl0 device: the Docker host's kernel has not loaded the ipip module (see lvs-lab preflight)",
      ],
    ]);
  });

  it('http and command checks run first, in order, then one state read; results keep the check order', async () => {
    const url = `http://127.0.0.1:${port}/`;
    const file = labSchema.shape.steps.element.parse({
      id: 'mixed',
      title: 't',
      explain: 'e',
      checks: [
        { kind: 'ipvs-service', scheduler: 'rr' },
        {
          kind: 'http',
          from: 'client',
          url,
          requests: 4,
          timeoutSeconds: 2,
          expect: { rotation: ['server2', 'server3'] },
        },
        { kind: 'command', node: 'client', run: 'echo ready', stdoutIncludes: 'ready' },
        { kind: 'arptables', node: 'server2', chain: 'INPUT', target: 'DROP', destination: '172.25.88.100' },
      ],
    });
    served.length = 0;
    const calls: string[] = [];
    const results = await runChecks(lab, file.checks, exec(calls));
    expect(served).toHaveLength(4);
    expect(calls.slice(0, 2)).toEqual(['client', 'client']);
    expect(calls.slice(2).sort()).toEqual(['server1', 'server2']);
    expect(results).toEqual([
      {
        kind: 'ipvs-service',
        label: 'server1 has the virtual service TCP 172.25.88.100:80 with scheduler rr',
        ok: true,
      },
      { kind: 'http', label: `4 requests from client to ${url} alternate server2, server3`, ok: true },
      { kind: 'command', label: '`echo ready` on client succeeds', ok: true },
      { kind: 'arptables', label: 'server2 has the arptables rule INPUT -d 172.25.88.100 -j DROP', ok: true },
    ]);
  });

  it('an http check against a closed port: every request is refused', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => {
      closed.close(() => {
        resolve();
      });
    });
    const [check] = labSchema.shape.steps.element.parse({
      id: 'x',
      title: 't',
      explain: 'e',
      checks: [
        {
          kind: 'http',
          from: 'client',
          url: `http://127.0.0.1:${closedPort}/`,
          requests: 2,
          expect: { rotation: ['server2', 'server3'] },
        },
      ],
    }).checks;
    const [result] = await runChecks(lab, [defined(check)], exec([]));
    expect(result?.ok).toBe(false);
    expect(result?.reason).toBe('2 of 2 requests failed (answers: failed(refused), failed(refused))');
  });

  it('command checks: exit code, stdoutIncludes, stdoutMatches, and the trainer reason', async () => {
    const checks = labSchema.shape.steps.element.parse({
      id: 'x',
      title: 't',
      explain: 'e',
      checks: [
        { kind: 'command', node: 'client', run: 'echo nope >&2; exit 4' },
        { kind: 'command', node: 'client', run: 'exit 4', exitCode: 4 },
        { kind: 'command', node: 'client', run: 'echo abc', stdoutIncludes: 'xyz' },
        { kind: 'command', node: 'client', run: 'echo "rule 42"', stdoutMatches: '^rule \\d+$' },
        { kind: 'command', node: 'client', run: 'echo "rule x"', stdoutMatches: '^rule \\d+$' },
        { kind: 'command', node: 'client', run: 'false', reason: 'the router has no DNAT rule' },
      ],
    }).checks;
    const results = await runChecks(lab, checks, exec([]));
    expect(results).toEqual([
      {
        kind: 'command',
        label: '`echo nope >&2; exit 4` on client succeeds',
        ok: false,
        reason: '`echo nope >&2; exit 4` on client exited 4, expected 0: nope',
      },
      { kind: 'command', label: '`exit 4` on client succeeds', ok: true },
      {
        kind: 'command',
        label: '`echo abc` on client succeeds',
        ok: false,
        reason: 'the output of `echo abc` on client lacks "xyz"',
      },
      { kind: 'command', label: '`echo "rule 42"` on client succeeds', ok: true },
      {
        kind: 'command',
        label: '`echo "rule x"` on client succeeds',
        ok: false,
        reason: 'the output of `echo "rule x"` on client does not match /^rule \\d+$/',
      },
      {
        kind: 'command',
        label: 'not: the router has no DNAT rule',
        ok: false,
        reason: 'the router has no DNAT rule',
      },
    ]);
  });

  it('a stdoutMatches pattern that backtracks without end fails the check on a time limit, whatever the reason', async () => {
    const checks = labSchema.shape.steps.element.parse({
      id: 'x',
      title: 't',
      explain: 'e',
      checks: [
        {
          kind: 'command',
          node: 'client',
          run: `printf '${'a'.repeat(40)}b'`,
          stdoutMatches: '(a+)+$',
          reason: 'the trainer reason is not the cause here',
        },
      ],
    }).checks;
    const [result] = await runChecks(lab, checks, exec([]));
    expect(result?.ok).toBe(false);
    expect(result?.reason).toMatch(/^the pattern \/\(a\+\)\+\$\/ took longer than 1000 ms on the output of /);
  });

  it('an exec failure becomes the reason of the check', async () => {
    const checks = labSchema.shape.steps.element.parse({
      id: 'x',
      title: 't',
      explain: 'e',
      checks: [
        { kind: 'command', node: 'client', run: 'true' },
        { kind: 'link', node: 'server2', device: 'tunl0' },
      ],
    }).checks;
    const results = await runChecks(lab, checks, () =>
      Promise.reject(new Error('container client is not running')),
    );
    expect(results.map((r) => [r.ok, r.reason])).toEqual([
      [false, 'container client is not running'],
      [false, 'container client is not running'],
    ]);
  });
});
