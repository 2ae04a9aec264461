// Small text helpers shared by the command-output parsers. Pure functions, no I/O.

/** Splits command output into lines, accepting \n, \r\n and stray \r. */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n|\r/);
}

/** Splits a line on runs of blanks (spaces and tabs), dropping empty tokens. */
export function tokens(line: string): string[] {
  return line.split(/[ \t]+/).filter((t) => t.length > 0);
}

/** A non-negative decimal integer written with digits only, or null. */
export function parseUInt(token: string | undefined): number | null {
  if (token === undefined || !/^\d+$/.test(token)) return null;
  const n = Number(token);
  return Number.isSafeInteger(n) ? n : null;
}

/** A decimal integer, possibly negative, written with digits only, or null. */
export function parseInt10(token: string | undefined): number | null {
  if (token === undefined || !/^-?\d+$/.test(token)) return null;
  const n = Number(token);
  return Number.isSafeInteger(n) ? n : null;
}

/** Whether a value is a plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Removes one trailing `/32` (IPv4) or `/128` (IPv6) host mask, for comparing addresses. */
export function stripHostMask(address: string): string {
  return address.replace(/\/(?:32|128)$/, '');
}
