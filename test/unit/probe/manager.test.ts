// The pure parts of the ProbeManager: Docker's stream framing and the end reasons. The manager
// itself runs against real containers in test/docker/probe.test.ts.
import { describe, expect, it } from 'vitest';
import type { ProbeEndReason } from '../../../main/core/probe/line-parser.js';
import { DockerDemuxer, endReason } from '../../../main/core/probe/manager.js';

function frame(type: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const head = Buffer.alloc(8);
  head[0] = type;
  head.writeUInt32BE(payload.length, 4);
  return Buffer.concat([head, payload]);
}

describe('DockerDemuxer', () => {
  it('splits stdout from stderr, whatever the chunk boundaries', () => {
    const stream = Buffer.concat([
      frame(1, 'START 1 http://x/ rate=1\n'),
      frame(2, 'lvs-probe: oops\n'),
      frame(1, 'R 1 0.1 0.2 200 - -\n'),
      frame(1, ''),
    ]);
    for (let cut = 0; cut <= stream.length; cut++) {
      const out: string[] = [];
      const err: string[] = [];
      const demux = new DockerDemuxer(
        (b) => out.push(b.toString()),
        (b) => err.push(b.toString()),
      );
      demux.push(stream.subarray(0, cut));
      demux.push(stream.subarray(cut));
      expect(out.join('')).toBe('START 1 http://x/ rate=1\nR 1 0.1 0.2 200 - -\n');
      expect(err.join('')).toBe('lvs-probe: oops\n');
    }
  });
});

describe('endReason', () => {
  const end = (reason: ProbeEndReason) => ({
    kind: 'end' as const,
    reason,
    sent: 1,
    done: 1,
    ok: 1,
    errors: 0,
    aborted: 0,
    elapsedMs: 1,
  });

  it('a stop asked for wins over what the probe says', () => {
    expect(endReason({ stopReason: 'replaced', end: end('stdin'), exitCode: 0, stderr: '' })).toBe(
      'replaced',
    );
  });

  it('the probe’s own END line', () => {
    const of = (r: Parameters<typeof end>[0]) =>
      endReason({ stopReason: null, end: end(r), exitCode: 0, stderr: '' });
    expect(of('duration')).toBe('duration');
    expect(of('max')).toBe('max-requests');
    expect(of('signal')).toMatch(/^stopped: lvs-probe was killed/);
    expect(of('stdin')).toMatch(/^error: /);
    expect(of('heartbeat')).toBe('error: the probe heard nothing from the app for 5 s and stopped');
    expect(of('output')).toMatch(/^error: /);
  });

  it('no END line: the exit status says why', () => {
    const of = (exitCode: number | null, stderr = '') =>
      endReason({ stopReason: null, end: null, exitCode, stderr });
    expect(of(127, "timeout: failed to run command 'lvs-probe': No such file or directory")).toMatch(
      /no lvs-probe: its lab was started from an older node image; restart the lab/,
    );
    expect(of(124)).toMatch(/time limit/);
    expect(of(2, 'lvs-probe: --rate must be a number from 0.5 to 2000, not "5000"\nusage: ...')).toBe(
      'error: lvs-probe exited with status 2: lvs-probe: --rate must be a number from 0.5 to 2000, not "5000" usage: ...',
    );
    expect(of(null)).toMatch(/without an exit status/);
  });
});
