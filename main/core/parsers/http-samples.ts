// A bounded curl loop for the client container, its parser, and the attribution of each answer
// to the real server whose page it returned. Pure functions, no I/O.
//
// Each request prints exactly one line:
//   LVSLAB-SAMPLE <n> <http_code> <time_total> <curl exit status> <body as base64, may be empty>
// The body is base64-encoded (coreutils `base64 -w0`) so that no page content, however odd
// (blank lines, our own marker, binary), can break the framing.

export interface CurlSample {
  /** HTTP status; null when curl got no response (it prints 000). */
  status: number | null;
  /** curl's %{time_total} in seconds; null if unreadable. */
  seconds: number | null;
  /** curl's exit status: 0 ok, 7 connection refused, 28 timeout, ... */
  curlExit: number;
  body: string;
}

export interface AttributedSample extends CurlSample {
  /** The node whose page equals the trimmed body; null if none (or several) match. */
  node: string | null;
}

export const CURL_SAMPLE_MARKER = 'LVSLAB-SAMPLE';

function clamp(value: number, min: number, max: number): number {
  if (Number.isNaN(value)) return min;
  return Math.min(max, Math.max(min, value));
}

/** Single-quotes a word for POSIX sh. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The POSIX sh snippet that requests `url` `count` times (clamped to 1..1000, integer), each
 * with a total timeout of `timeoutSeconds` (clamped to 0.1..30), sequentially, and prints one
 * LVSLAB-SAMPLE line per request. It needs curl, base64 and mktemp (curl and coreutils), it ends
 * by itself after at most count × timeout seconds plus process start-up, and it removes its
 * temporary file.
 */
export function curlSamplesScript(url: string, count: number, timeoutSeconds: number): string {
  const n = Math.floor(clamp(count, 1, 1000));
  const t = Math.round(clamp(timeoutSeconds, 0.1, 30) * 1000) / 1000;
  return [
    `f=$(mktemp) || exit 1`,
    `i=0`,
    `while [ "$i" -lt ${n} ]; do`,
    `  i=$((i + 1))`,
    `  : > "$f"`,
    `  w=$(curl -s -m ${t} -o "$f" -w '%{http_code} %{time_total}' ${shellQuote(url)} 2>/dev/null)`,
    `  rc=$?`,
    `  b=$(base64 -w0 < "$f")`,
    `  echo "${CURL_SAMPLE_MARKER} $i \${w:-000 0} $rc $b"`,
    `done`,
    `rm -f "$f"`,
  ].join('\n');
}

const LINE_RE = new RegExp(
  `^${CURL_SAMPLE_MARKER} (\\d+) (\\d{3}) (\\S+) (\\d+)(?: ([A-Za-z0-9+/=]*))?\\s*$`,
);

/** Parses the output of curlSamplesScript(); other lines are ignored. Never throws. */
export function parseCurlSamples(text: string): CurlSample[] {
  const samples: CurlSample[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = LINE_RE.exec(line);
    if (m === null) continue;
    const status = Number(m[2]);
    const seconds = Number(m[3]);
    samples.push({
      status: status === 0 ? null : status,
      seconds: Number.isFinite(seconds) ? seconds : null,
      curlExit: Number(m[4]),
      body: Buffer.from(m[5] ?? '', 'base64').toString('utf8'),
    });
  }
  return samples;
}

/**
 * Maps each sample to the node whose page content equals the sample's body, both trimmed,
 * compared exactly. A body matching no page, or matching the pages of several nodes (which
 * then cannot be told apart), gets node null.
 */
export function attribute(
  samples: readonly CurlSample[],
  pages: Readonly<Record<string, string>>,
): AttributedSample[] {
  const byContent = new Map<string, string[]>();
  for (const [node, page] of Object.entries(pages)) {
    const key = page.trim();
    byContent.set(key, [...(byContent.get(key) ?? []), node]);
  }
  return samples.map((s) => {
    const nodes = byContent.get(s.body.trim()) ?? [];
    return { ...s, node: nodes.length === 1 ? (nodes[0] ?? null) : null };
  });
}
