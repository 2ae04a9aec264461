// The pure part of the ProbeManager: the end reasons (Docker's stream framing is in
// test/unit/core/demux.test.ts). The manager itself runs against real containers in test/docker/probe.test.ts.
import { describe, expect, it } from 'vitest';
import type { ProbeEndReason } from '../../../main/core/probe/line-parser.js';
import { endReason } from '../../../main/core/probe/manager.js';

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
