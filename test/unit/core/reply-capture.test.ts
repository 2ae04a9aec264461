// The reply capture: tcpdump's lines read on real captures, and the three execs that make a
// capture (director listens, client listens and asks, director stops), in that order, always
// stopping the director's capture.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { ExecResult } from '../../../main/core/docker/exec.js';
import { captureReplies, parseReplyFrames } from '../../../main/core/checks/reply-capture.js';
import { repoFile } from './helpers.js';

const tcpdump = (name: string) => repoFile(`test/fixtures/captured-tcpdump/${name}`);

describe('parseReplyFrames', () => {
  it("reads each reply's sender MAC and endpoints from tcpdump -e -nn on the any device", () => {
    const frames = parseReplyFrames(tcpdump('client-replies-tun.txt'));
    expect(frames).toHaveLength(11);
    expect(frames[0]).toEqual({
      mac: '02:42:ac:19:58:03',
      source: '172.25.88.100:80',
      destination: '172.25.88.250:48860',
    });
    expect(new Set(frames.map((f) => f.mac))).toEqual(new Set(['02:42:ac:19:58:02', '02:42:ac:19:58:03']));
  });

  it("leaves out tcpdump's own lines, and a MAC-like text in the payload does not count", () => {
    const text = [
      'tcpdump: data link type LINUX_SLL2',
      'listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes',
      '11:15:20.1 eth0  In  ifindex 12 ethertype IPv4 (0x0800), length 80: 172.25.88.100.80 > 172.25.88.250.4: Flags [P.], length 17: HTTP: aa:bb:cc:dd:ee:ff',
    ].join('\n');
    expect(parseReplyFrames(text)).toEqual([
      { mac: null, source: '172.25.88.100:80', destination: '172.25.88.250:4' },
    ]);
  });
});

/** An exec that records each call, answers from a list, and checks the scripts are valid shell. */
function recorder(answers: Partial<ExecResult>[]) {
  const calls: { node: string; script: string }[] = [];
  const exec = (node: string, script: string): Promise<ExecResult> => {
    expect(spawnSync('sh', ['-n', '-c', script]).status, script).toBe(0);
    calls.push({ node, script });
    const answer = answers.shift() ?? {};
    return Promise.resolve({ exitCode: 0, stdout: '', stderr: '', timedOut: false, ...answer });
  };
  return { exec, calls };
}

const options = {
  director: 'server1',
  client: 'client',
  url: 'http://172.25.88.100/',
  requests: 2,
  timeoutSeconds: 2,
};

describe('captureReplies', () => {
  it('director first, then the client, then the director again; counts the answers', async () => {
    const { exec, calls } = recorder([
      {},
      { stdout: `@@status 200\n@@status 000\n${tcpdump('client-replies-tun.txt')}` },
      { stdout: '' },
    ]);
    const capture = await captureReplies(exec, options);
    expect(calls.map((c) => c.node)).toEqual(['server1', 'client', 'server1']);
    expect(calls[0]?.script).toMatch(/tcpdump -i any -e -nn -l -Q out 'tcp and src port 80'/);
    expect(calls[1]?.script).toMatch(/-Q in 'tcp and src port 80 and src host 172\.25\.88\.100'/);
    expect(calls[1]?.script).toMatch(/curl .* -m 2 'http:\/\/172\.25\.88\.100\/'/);
    // Every capture is bounded in time, whatever stops it.
    for (const call of calls.slice(0, 2)) expect(call.script).toMatch(/timeout 60 tcpdump/);
    expect(capture).toMatchObject({ client: 'client', requests: 2, answered: 1, fromDirector: [] });
    expect(capture.atClient).toHaveLength(11);
  });

  it("stops the director's capture even when the client's side fails, and says which node failed", async () => {
    const { exec, calls } = recorder([{}, { exitCode: 3, stderr: 'tcpdump: eth0: No such device' }, {}]);
    await expect(captureReplies(exec, options)).rejects.toThrow(
      'cannot capture on client: tcpdump: eth0: No such device',
    );
    expect(calls.map((c) => c.node)).toEqual(['server1', 'client', 'server1']);
  });

  it('a director that cannot capture: nothing is sent', async () => {
    const { exec, calls } = recorder([{ exitCode: 3, stderr: 'sh: tcpdump: not found' }]);
    await expect(captureReplies(exec, options)).rejects.toThrow(
      'cannot capture on server1: sh: tcpdump: not found',
    );
    expect(calls.map((c) => c.node)).toEqual(['server1']);
  });
});
