// The sysctls a command line sets, whichever way it writes them: sysctl(8) or a write into /proc/sys.
// The rules about ARP and reverse-path filtering read the values the steps leave.

/** `echo 1 > /proc/sys/…`, `echo 1 | tee /proc/sys/…`: the shell splits these, so read the line. */
const PROC_SYS_WRITE =
  /\b(?:echo|printf)\s+["']?(-?\d+)["']?\s*(?:>>?|\|\s*(?:sudo\s+)?tee(?:\s+-a)?)\s*\/proc\/sys\/([\w./-]+)/g;

/** The sysctls a command line sets, with `/` paths as dotted keys. */
export function sysctlWrites(line: { text: string; simple: string[][] }): { key: string; value: number }[] {
  const viaSysctl = line.simple
    .filter((argv) => argv[0] === 'sysctl')
    .flatMap((argv) => argv.slice(1).map((word) => /^([\w./-]+)=(-?\d+)$/.exec(word)))
    .flatMap((m) => (m ? [{ key: m[1] ?? '', value: Number(m[2]) }] : []));
  const viaProc = [...line.text.matchAll(PROC_SYS_WRITE)].map((m) => ({
    key: m[2] ?? '',
    value: Number(m[1]),
  }));
  return [...viaSysctl, ...viaProc].map((w) => ({ ...w, key: w.key.replaceAll('/', '.') }));
}
