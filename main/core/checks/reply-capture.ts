// Where the replies go. The claim of LVS-TUN is that answers travel from the real server to the
// client and never through the director. IPVS cannot show it (it counts no OutPkts for tunnelled
// connections, whatever the replies do), so the bypass check watches the packets themselves:
// while the client sends requests to the service, the director's outgoing TCP packets from the
// service port are captured (there must be none), and the client's incoming ones are captured
// with their link-layer source (the frames must come from somebody other than the director).
import { randomBytes } from 'node:crypto';
import type { ExecResult } from '../docker/exec.js';
import { shellQuote } from '../parsers/index.js';
import { startTcpdump } from '../capture/tcpdump.js';

export interface ReplyFrame {
  /** The sender's MAC address on the capturing host's link, when the capture shows it. */
  mac: string | null;
  source: string;
  destination: string;
}

export interface ReplyCapture {
  /** The node that sent the requests. */
  client: string;
  /** Reply packets the client received. */
  atClient: ReplyFrame[];
  /** Reply packets the director sent out (on any interface). */
  fromDirector: ReplyFrame[];
  /** Requests the client made, and how many were answered. */
  requests: number;
  answered: number;
}

export type CaptureExec = (node: string, script: string, timeoutMs: number) => Promise<ExecResult>;

/** Longest a capture may run, whatever happens to the scripts that stop it. */
const CAPTURE_LIMIT_SECONDS = 60;

/** tcpdump's text lines (with link-layer headers) of one direction, to `file`. */
function startCapture(file: string, filter: string, direction: 'in' | 'out'): string {
  return startTcpdump(
    file,
    `-i any -e -nn -l -Q ${direction} ${shellQuote(filter)} >${file}`,
    CAPTURE_LIMIT_SECONDS,
  );
}

/** Shell that stops the capture started with `file` and prints what it saw. */
function stopCapture(file: string): string {
  // A moment for the last packets to be written, then the capture ends and prints.
  return `sleep 0.3; kill $(cat ${file}.pid) 2>/dev/null; sleep 0.1; cat ${file}; rm -f ${file} ${file}.err ${file}.pid`;
}

/**
 * Runs the capture: the director listens first, then the client listens and sends `requests`
 * requests to the URL, then the director's capture is stopped. Three execs, all bounded.
 */
export async function captureReplies(
  exec: CaptureExec,
  options: { director: string; client: string; url: string; requests: number; timeoutSeconds: number },
): Promise<ReplyCapture> {
  const { hostname, port } = new URL(options.url);
  const servicePort = port === '' ? '80' : port;
  const file = `/tmp/lvs-replies-${randomBytes(4).toString('hex')}`;
  const replies = `tcp and src port ${servicePort}`;
  const started = await exec(options.director, startCapture(file, replies, 'out'), 15_000);
  if (started.exitCode !== 0) {
    throw new Error(`cannot capture on ${options.director}: ${(started.stderr || started.stdout).trim()}`);
  }
  const budgetMs = (options.requests * (options.timeoutSeconds + 0.5) + 15) * 1000;
  let client: ExecResult | null = null;
  let clientError: Error | null = null;
  try {
    client = await exec(
      options.client,
      [
        startCapture(file, `${replies} and src host ${hostname}`, 'in'),
        // One line per request: its HTTP status, 000 when nothing came back.
        `n=0; while [ $n -lt ${options.requests} ]; do curl -s -o /dev/null -w '@@status %{http_code}\\n' -m ${options.timeoutSeconds} ${shellQuote(options.url)}; n=$((n + 1)); done`,
        stopCapture(file),
      ].join('\n'),
      budgetMs,
    );
  } catch (error) {
    clientError = error instanceof Error ? error : new Error(String(error));
  }
  // Always stop the director's capture, even when the client's side failed.
  const fromDirector = await exec(options.director, stopCapture(file), 15_000);
  if (clientError !== null) throw clientError;
  if (client === null || client.exitCode !== 0) {
    throw new Error(
      `cannot capture on ${options.client}: ${(client?.stderr || client?.stdout || '').trim()}`,
    );
  }
  const statuses = [...client.stdout.matchAll(/^@@status (\d{3})$/gm)].map((m) => m[1]);
  return {
    client: options.client,
    atClient: parseReplyFrames(client.stdout),
    fromDirector: parseReplyFrames(fromDirector.stdout),
    requests: statuses.length,
    answered: statuses.filter((s) => s !== '000').length,
  };
}

const MAC = /\b([0-9a-f]{2}(?::[0-9a-f]{2}){5})\b/;
const ENDPOINTS = /(\d+\.\d+\.\d+\.\d+)\.(\d+) > (\d+\.\d+\.\d+\.\d+)\.(\d+):/;

/**
 * Reads tcpdump's lines (`-e -nn` on the `any` device): the link-layer source when shown, and the
 * IP endpoints. Lines that are not packets (tcpdump's own messages) are left out.
 */
export function parseReplyFrames(text: string): ReplyFrame[] {
  const frames: ReplyFrame[] = [];
  for (const line of text.split('\n')) {
    const endpoints = ENDPOINTS.exec(line);
    if (!endpoints) continue;
    // The MAC comes before the IP part; a MAC-like string inside the payload must not count.
    const head = line.slice(0, endpoints.index);
    frames.push({
      mac: MAC.exec(head)?.[1] ?? null,
      source: `${endpoints[1] ?? ''}:${endpoints[2] ?? ''}`,
      destination: `${endpoints[3] ?? ''}:${endpoints[4] ?? ''}`,
    });
  }
  return frames;
}
