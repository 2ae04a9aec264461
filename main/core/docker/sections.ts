// Several commands in one exec, their outputs told apart by marker lines. An exec costs a
// round trip (seconds on a slow engine), so the check engine, preflight and the IPVS view each
// read everything they need from a node in one script.
import { randomBytes } from 'node:crypto';

export interface Section {
  /** Exit status of the section's command. */
  rc: number;
  /** What it printed, stdout and stderr in order. */
  text: string;
}

/** A marker no command output will contain by chance. */
export function newMarker(): string {
  return `@@lvslab-${randomBytes(6).toString('hex')}`;
}

/** One marked section of a script: the command runs in a subshell with stderr folded in. */
export function section(marker: string, name: string, command: string): string {
  return `echo '${marker} ${name}'; ( ${command} ) 2>&1; echo "${marker}-rc $?"`;
}

export function parseSections(output: string, marker: string): Map<string, Section> {
  const sections = new Map<string, Section>();
  const pattern = new RegExp(`^${marker} ([\\w-]+)\\n([\\s\\S]*?)^${marker}-rc (\\d+)$`, 'gm');
  for (const m of output.matchAll(pattern)) sections.set(m[1] ?? '', { rc: Number(m[3]), text: m[2] ?? '' });
  return sections;
}
