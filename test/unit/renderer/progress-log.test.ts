// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { emptyProgress, progressGroups, reduceProgress } from '../../../renderer/src/stores/progress-log.js';
import type { ProgressEvent } from '../../../shared/progress.js';

const events: ProgressEvent[] = [
  { phase: 'image', name: 'lvslab/node', state: 'working', message: 'building', fraction: 0.2 },
  { phase: 'network', name: 'lan', state: 'working' },
  { phase: 'image', name: 'lvslab/node', state: 'working', message: 'building' },
  { phase: 'network', name: 'lan', state: 'done' },
  { phase: 'node', name: 'server1', state: 'working' },
  { phase: 'node', name: 'server2', state: 'working' },
  { phase: 'node', name: 'server1', state: 'done' },
  { phase: 'image', name: 'lvslab/node', state: 'done' },
];

describe('progress reducer', () => {
  it('keeps one line per network and node, the latest state, in order of first appearance', () => {
    const log = events.reduce(reduceProgress, emptyProgress);
    expect(log.order).toEqual(['image:lvslab/node', 'network:lan', 'node:server1', 'node:server2']);
    expect(log.entries['node:server1']?.state).toBe('done');
    expect(log.entries['node:server2']?.state).toBe('working');
    expect(log.failed).toBe(false);
  });

  it('keeps the last known fraction while working and completes it when done', () => {
    const two = events.slice(0, 3).reduce(reduceProgress, emptyProgress);
    expect(two.entries['image:lvslab/node']?.fraction).toBe(0.2);
    const all = events.reduce(reduceProgress, emptyProgress);
    expect(all.entries['image:lvslab/node']?.fraction).toBe(1);
  });

  it('remembers a failure', () => {
    const log = [
      ...events,
      { phase: 'node', name: 'server3', state: 'failed', message: 'no ipip' } as const,
    ].reduce(reduceProgress, emptyProgress);
    expect(log.failed).toBe(true);
    expect(log.entries['node:server3']?.message).toBe('no ipip');
  });

  it('groups lines by phase in the order work happens', () => {
    const log = [{ phase: 'node', name: 'server1', state: 'working' } as const, ...events].reduce(
      reduceProgress,
      emptyProgress,
    );
    expect(progressGroups(log).map((g) => [g.label, g.entries.map((e) => e.name)])).toEqual([
      ['Image', ['lvslab/node']],
      ['Networks', ['lan']],
      ['Nodes', ['server1', 'server2']],
    ]);
  });

  it('does not change the log it was given', () => {
    const first = reduceProgress(emptyProgress, events[0] as ProgressEvent);
    reduceProgress(first, events[1] as ProgressEvent);
    expect(first.order).toHaveLength(1);
    expect(emptyProgress.order).toHaveLength(0);
  });
});
