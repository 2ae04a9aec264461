// The names a bundle may hold. A bundle comes from a stranger and its files end up on the
// user's disk, so a name must stay inside the folder it is unpacked into on every system LVS
// Lab runs on: plain relative segments of portable characters, and no two names that the file
// systems of macOS and Windows (case-insensitive) would take for the same file.

export const MAX_PATH_LENGTH = 200;

const SEGMENT = /^[A-Za-z0-9._-]+$/;
// C0 controls (NUL included) and DEL.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Why this name is refused inside a bundle, or null when it is fine. */
export function checkBundlePath(name: string): string | null {
  if (name === '') return 'the name is empty';
  // Checked before anything quotes the name, so that no message carries a control character.
  if (CONTROL.test(name)) return 'the name contains a control character';
  if (name.length > MAX_PATH_LENGTH) return `the name is longer than ${MAX_PATH_LENGTH} characters`;
  if (name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name)) {
    return 'the name is an absolute path; a bundle holds only paths relative to its folder';
  }
  if (name.includes('\\')) return 'the name contains a backslash; bundle paths use / between folders';
  for (const segment of name.split('/')) {
    if (segment === '') return 'the name has an empty segment (// or a / at the end)';
    if (segment === '..') return 'the name goes up a folder (..), out of the bundle';
    if (segment === '.') return 'the name has a "." segment';
    if (!SEGMENT.test(segment)) {
      return `"${segment}" has characters other than letters, digits, ".", "_" and "-"`;
    }
  }
  return null;
}

/**
 * Why these names cannot live side by side in one folder, or null: a name given twice, two
 * names that differ only in case, or a name that is a file and also the folder of another.
 * The first clash found, in the order given.
 */
export function findDuplicates(names: string[]): string | null {
  const exact = new Set<string>();
  const folded = new Map<string, string>();
  for (const name of names) {
    if (exact.has(name)) return `${name} appears twice`;
    exact.add(name);
    const other = folded.get(name.toLowerCase());
    if (other !== undefined) {
      return `${other} and ${name} differ only in case, and would be the same file on macOS and Windows`;
    }
    folded.set(name.toLowerCase(), name);
  }
  // Every folder some name needs, case-folded, with the first name that needs it.
  const folders = new Map<string, string>();
  for (const name of names) {
    for (let i = name.indexOf('/'); i !== -1; i = name.indexOf('/', i + 1)) {
      const folder = name.slice(0, i).toLowerCase();
      if (!folders.has(folder)) folders.set(folder, name);
    }
  }
  for (const name of names) {
    const inside = folders.get(name.toLowerCase());
    if (inside !== undefined) return `${name} is a file and also the folder of ${inside}`;
  }
  return null;
}
