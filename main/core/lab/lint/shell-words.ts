// The lab's commands are shell text. They are not parsed as a shell would (no quoting rules, no
// variables): each line is cut into simple commands at the shell's separators, and each simple
// command into its words, with the words that only lead to the command (sudo, if, X=1…) dropped.
// The command shapes and the rules read these words.

/**
 * A command line as the simple commands it runs, each as its words. Cutting at `$(`, `(` and `)`
 * too makes a command substitution a command of its own, which is what the rules want to see.
 */
export function simpleCommands(line: string): string[][] {
  return line
    .split(/&&|\|\||\$\(|[;|&\n()`]/)
    .map((part) => commandWords(part.trim().split(/\s+/).filter(Boolean)))
    .filter((argv) => argv.length > 0);
}

/** Words that only lead to the command proper: `do ipvsadm …`, `sudo ip …`, `X=1 sysctl …`. */
const LEADING_WORDS = new Set([
  'do',
  'then',
  'else',
  'elif',
  'if',
  'while',
  'until',
  '!',
  '{',
  'sudo',
  'exec',
]);
const LEADING_WORDS_WITH_VALUE = new Set(['timeout']);

function commandWords(words: string[]): string[] {
  // Quotes only group words; the rules look at the words themselves.
  let argv = words.map((w) => w.replace(/["']/g, '')).filter(Boolean);
  for (;;) {
    const first = argv[0];
    if (first === undefined) return argv;
    if (LEADING_WORDS.has(first) || /^[A-Za-z_]\w*=/.test(first)) argv = argv.slice(1);
    else if (LEADING_WORDS_WITH_VALUE.has(first)) argv = argv.slice(2);
    else break;
  }
  // `/sbin/ipvsadm` is ipvsadm.
  return [argv[0]?.replace(/^.*\//, '') ?? '', ...argv.slice(1)];
}

/** The word after the first of `names`, also in the `--name=value` form. */
export function optionValue(argv: string[], names: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? '';
    if (names.includes(word)) return argv[i + 1];
    const long = names.find((n) => n.startsWith('--') && word.startsWith(`${n}=`));
    if (long) return word.slice(long.length + 1);
  }
  return undefined;
}

export const IPV4_TEXT = /^\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?$/;

/** `172.25.88.100/32` or `172.25.88.100:80` to `172.25.88.100`. */
export function hostOf(word: string | undefined): string {
  return (word ?? '').replace(/[/:].*$/, '');
}
