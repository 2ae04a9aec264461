// A lab file's regular expression cannot freeze the main process: it runs in a worker thread
// with a time limit, and a pattern that backtracks without end ends as a timeout.
import { afterAll, describe, expect, it } from 'vitest';
import { PatternMatcher } from '../../../main/core/engine/pattern-matcher.js';

const matcher = new PatternMatcher(300);
afterAll(() => matcher.close());

/** 'aaaa…ab': `(a+)+$` tries every way to split the a's before failing, 2^n of them. */
const CATASTROPHIC = { pattern: '(a+)+$', text: `${'a'.repeat(40)}b` };

describe('PatternMatcher', () => {
  it('matches and misses like RegExp, with the flags given', async () => {
    expect(await matcher.test('^rule \\d+$', 'm', 'header\nrule 42\n')).toEqual({ kind: 'match' });
    expect(await matcher.test('^rule \\d+$', '', 'header\nrule 42\n')).toEqual({ kind: 'no-match' });
    expect(await matcher.test('RULE', 'i', 'rule')).toEqual({ kind: 'match' });
  });

  it('a pattern that does not compile is an error, not a throw', async () => {
    const outcome = await matcher.test('(', 'm', 'x');
    expect(outcome.kind).toBe('error');
    expect(outcome).toMatchObject({ message: expect.stringContaining('Unterminated group') as unknown });
  });

  it('a catastrophic pattern times out within bounds while the main thread keeps running', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const started = performance.now();
    const outcome = await matcher.test(CATASTROPHIC.pattern, 'm', CATASTROPHIC.text);
    const elapsed = performance.now() - started;
    clearInterval(timer);
    expect(outcome).toEqual({ kind: 'timeout', timeoutMs: 300 });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(3_000);
    // A frozen main thread would have fired the interval at most once.
    expect(ticks).toBeGreaterThan(10);
  });

  it('an idle matcher does not keep the process alive (the CLI exits after its checks)', async () => {
    // The other tests' workers, including one terminated while stuck, are gone first.
    await matcher.close();
    const held = () => process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length;
    const before = held();
    expect(await matcher.test('x', '', 'x')).toEqual({ kind: 'match' });
    // A worker left referenced would show as one more message port.
    expect(held()).toBe(before);
  });

  it('after a timeout a new worker serves the next match, and queued matches keep their order', async () => {
    const results = await Promise.all([
      matcher.test(CATASTROPHIC.pattern, 'm', CATASTROPHIC.text),
      matcher.test('b$', 'm', CATASTROPHIC.text),
      matcher.test('^c', 'm', CATASTROPHIC.text),
    ]);
    expect(results.map((r) => r.kind)).toEqual(['timeout', 'match', 'no-match']);
  });
});
