// Shared helpers for the core unit tests: the real lab files, the real captured command
// outputs, and small builders that keep each test's input visible.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { LabLoadError, parseLab, type LabIssue } from '../../../main/core/lab/loader.js';
import type { Lab } from '../../../main/core/lab/model.js';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function repoFile(relative: string): string {
  return readFileSync(path.join(ROOT, relative), 'utf8');
}

/** A real command output captured in a Debian container (see test/fixtures/captured/README.md). */
export function captured(name: string): string {
  return repoFile(`test/fixtures/captured/${name}`);
}

/**
 * A real output captured on the User-mode Linux kernel with IPVS and IPIP, by
 * tun-arptables set up by hand on the user-mode Linux kernel: director 172.25.88.1, real servers .2 and .3, VIP .100, after
 * six requests from the client.
 */
export function umlCaptured(name: string): string {
  return repoFile(`test/kernel/uml/captured/${name}`);
}

export type LabId = 'tun-arptables' | 'tun-cross-subnet' | 'tun-sysctl';

export function labText(id: LabId): string {
  return repoFile(`labs/${id}.yaml`);
}

export function loadLab(id: LabId): Lab {
  return parseLab(labText(id), `labs/${id}.yaml`, path.join(ROOT, 'labs', `${id}.yaml`));
}

export interface Edited {
  text: string;
  /** 1-based line where the replacement starts. */
  line: number;
}

/**
 * Replaces one whole line of a text, found by its content (the `occurrence`-th line equal to
 * `old`), and says which line it was. Lab files get reformatted by others while the tests live,
 * so lines are found by content, never by number; a missing line fails the test loudly.
 */
export function replaceLine(text: string, old: string, replacement: string, occurrence = 1): Edited {
  const lines = text.split('\n');
  let seen = 0;
  const index = lines.findIndex((l) => l === old && ++seen === occurrence);
  if (index < 0) throw new Error(`no line ${JSON.stringify(old)} (occurrence ${occurrence}) in the text`);
  lines[index] = replacement;
  return { text: lines.join('\n'), line: index + 1 };
}

/** The 1-based number of the `occurrence`-th line equal to `line`. */
export function lineOf(text: string, line: string, occurrence = 1): number {
  return replaceLine(text, line, line, occurrence).line;
}

/** The issues parseLab reports; fails the test when the text loads. */
export function loadIssues(text: string, displayName = 'labs/test.yaml'): LabIssue[] {
  try {
    parseLab(text, displayName);
  } catch (error) {
    expect(error).toBeInstanceOf(LabLoadError);
    return (error as LabLoadError).issues;
  }
  throw new Error('the lab loaded, expected a LabLoadError');
}

/** The single issue parseLab reports. */
export function loadIssue(text: string, displayName = 'labs/test.yaml'): LabIssue {
  const issues = loadIssues(text, displayName);
  expect(issues, JSON.stringify(issues, null, 2)).toHaveLength(1);
  return issues[0] as LabIssue;
}

/** The value, or a failed test saying what was missing. */
export function defined<T>(value: T | null | undefined, what = 'a value'): T {
  if (value === undefined || value === null) throw new Error(`expected ${what}`);
  return value;
}
