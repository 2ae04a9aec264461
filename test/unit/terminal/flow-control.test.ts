import { describe, expect, it } from 'vitest';
import { FlowController, HIGH_WATERMARK, LOW_WATERMARK } from '../../../main/core/terminal/flow-control.js';

function controller(highWatermark = 100, lowWatermark = 10) {
  const calls: string[] = [];
  const flow = new FlowController(
    { pause: () => calls.push('pause'), resume: () => calls.push('resume') },
    { highWatermark, lowWatermark },
  );
  return { flow, calls };
}

describe('FlowController', () => {
  it('uses the VS Code watermarks by default', () => {
    expect([HIGH_WATERMARK, LOW_WATERMARK]).toEqual([100_000, 5_000]);
    const calls: string[] = [];
    const flow = new FlowController({ pause: () => calls.push('pause'), resume: () => calls.push('resume') });
    flow.sent(100_000);
    expect(calls).toEqual([]);
    flow.sent(1);
    expect(calls).toEqual(['pause']);
    flow.ack(95_001);
    expect(calls).toEqual(['pause']);
    flow.ack(1);
    expect(calls).toEqual(['pause', 'resume']);
  });

  it('pauses once the unacked bytes pass the high watermark, and only once', () => {
    const { flow, calls } = controller();
    flow.sent(60);
    flow.sent(40);
    expect(flow.isPaused).toBe(false);
    flow.sent(1);
    expect(flow.isPaused).toBe(true);
    flow.sent(500); // Bytes already read still count.
    expect(calls).toEqual(['pause']);
    expect(flow.unackedBytes).toBe(601);
  });

  it('resumes only below the low watermark, and only once', () => {
    const { flow, calls } = controller();
    flow.sent(150);
    flow.ack(100);
    flow.ack(40); // 10 left: not below 10.
    expect(calls).toEqual(['pause']);
    flow.ack(1);
    expect(calls).toEqual(['pause', 'resume']);
    flow.ack(5);
    expect(calls).toEqual(['pause', 'resume']);
    expect(flow.isPaused).toBe(false);
  });

  it('pauses again on the next flood', () => {
    const { flow, calls } = controller();
    flow.sent(101);
    flow.ack(101);
    flow.sent(101);
    expect(calls).toEqual(['pause', 'resume', 'pause']);
  });

  it('clamps the count at zero: acking too much banks no credit for the next flood', () => {
    const { flow, calls } = controller();
    flow.sent(50);
    flow.ack(10_000);
    expect(flow.unackedBytes).toBe(0);
    flow.sent(101);
    expect(calls).toEqual(['pause']);
  });

  it('ignores negative, zero and non-numeric counts', () => {
    const { flow, calls } = controller();
    flow.sent(101);
    for (const n of [-1_000, 0, Number.NaN, Number.POSITIVE_INFINITY]) flow.ack(n);
    flow.sent(-50);
    flow.sent(Number.NaN);
    expect(flow.unackedBytes).toBe(101);
    expect(calls).toEqual(['pause']);
  });

  it('never stays paused when the page acks in units no larger than the low watermark', () => {
    // VS Code: CharCountAckSize must be <= LowWatermarkChars, or the terminal may never unpause.
    const { flow, calls } = controller(100_000, 5_000);
    let parsed = 0;
    for (let i = 0; i < 40; i++) flow.sent(4_099);
    for (let i = 0; i < 40; i++) {
      parsed += 4_099;
      while (parsed >= 5_000) {
        flow.ack(5_000);
        parsed -= 5_000;
      }
    }
    expect(flow.unackedBytes).toBe(parsed);
    expect(flow.unackedBytes).toBeLessThan(5_000);
    expect(calls).toEqual(['pause', 'resume']);
  });

  it('reset forgets the unacked bytes and resumes a paused stream', () => {
    const { flow, calls } = controller();
    flow.reset();
    expect(calls).toEqual([]);
    flow.sent(500);
    flow.reset();
    expect(flow.unackedBytes).toBe(0);
    expect(calls).toEqual(['pause', 'resume']);
  });
});
