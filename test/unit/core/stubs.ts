// Stand-ins for the commands the check engine runs inside lab nodes (ip, ipvsadm, arptables,
// sysctl). Each prints a REAL captured output from a file, so that the generated shell scripts
// run for real under /bin/sh while the outputs stay those of the real tools.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExecResult } from '../../../main/core/docker/exec.js';

export interface NodeOutputs {
  addr?: string;
  route?: string;
  neigh?: string;
  /** `ipvsadm -Ln`; with `ipvsStderr` the text goes to stderr and the exit code is `ipvsExit`. */
  ipvs?: string;
  ipvsStats?: string;
  ipvsStderr?: string;
  ipvsExit?: number;
  arptables?: string;
  /** `key = value` lines; keys not listed are reported missing, as procps does. */
  sysctl?: string;
}

const IP = `#!/bin/sh
case "$*" in
"-j addr show") f=addr ;;
"-j route show") f=route ;;
"-j neigh show") f=neigh ;;
*) echo "stand-in ip: unexpected arguments: $*" >&2; exit 9 ;;
esac
[ -f "$STUB_DIR/$f" ] || { echo "stand-in ip: no $f output" >&2; exit 1; }
cat "$STUB_DIR/$f"
`;

const IPVSADM = `#!/bin/sh
if [ -f "$STUB_DIR/ipvs-stderr" ]; then cat "$STUB_DIR/ipvs-stderr" >&2; exit "$(cat "$STUB_DIR/ipvs-exit")"; fi
case "$*" in
"-Ln") cat "$STUB_DIR/ipvs" ;;
"-Ln --stats --exact") cat "$STUB_DIR/ipvs-stats" ;;
*) echo "stand-in ipvsadm: unexpected arguments: $*" >&2; exit 9 ;;
esac
`;

const ARPTABLES = `#!/bin/sh
[ "$*" = "-L -n" ] || { echo "stand-in arptables: unexpected arguments: $*" >&2; exit 9; }
cat "$STUB_DIR/arptables"
`;

// procps 4.0.2 prints each key it can read and, on stderr, "cannot stat" for the others; it
// then exits 1 (as measured on this host).
const SYSCTL = `#!/bin/sh
rc=0
for key in "$@"; do
  line=$(grep -F "$key = " "$STUB_DIR/sysctl" | head -n 1)
  if [ -n "$line" ]; then echo "$line"; else
    echo "sysctl: cannot stat /proc/sys/$(echo "$key" | tr . /): No such file or directory" >&2
    rc=1
  fi
done
exit $rc
`;

export class StubNodes {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'lvslab-stubs-'));
  private readonly bin = path.join(this.dir, 'bin');

  constructor() {
    mkdirSync(this.bin);
    for (const [name, text] of Object.entries({
      ip: IP,
      ipvsadm: IPVSADM,
      arptables: ARPTABLES,
      sysctl: SYSCTL,
    })) {
      writeFileSync(path.join(this.bin, name), text);
      chmodSync(path.join(this.bin, name), 0o755);
    }
  }

  /** Writes a node's outputs; returns the directory the stand-ins read. */
  node(name: string, outputs: NodeOutputs): string {
    const dir = path.join(this.dir, name);
    mkdirSync(dir, { recursive: true });
    const files: Record<string, string | undefined> = {
      addr: outputs.addr,
      route: outputs.route,
      neigh: outputs.neigh,
      ipvs: outputs.ipvs,
      'ipvs-stats': outputs.ipvsStats,
      'ipvs-stderr': outputs.ipvsStderr,
      'ipvs-exit': outputs.ipvsStderr === undefined ? undefined : String(outputs.ipvsExit ?? 2),
      arptables: outputs.arptables,
      sysctl: outputs.sysctl ?? '',
    };
    for (const [file, text] of Object.entries(files))
      if (text !== undefined) writeFileSync(path.join(dir, file), text);
    return dir;
  }

  /** Runs a script with /bin/sh as if in node `name`: the stand-ins first on PATH. */
  run(name: string, script: string): ExecResult {
    const result = spawnSync('/bin/sh', ['-c', script], {
      encoding: 'utf8',
      env: {
        PATH: `${this.bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
        STUB_DIR: path.join(this.dir, name),
        LC_ALL: 'C',
      },
      timeout: 20_000,
    });
    return { exitCode: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, timedOut: false };
  }

  /** Like run(), without blocking the event loop (for tests that also serve HTTP in-process). */
  runAsync(name: string, script: string): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', script], {
        env: {
          PATH: `${this.bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
          STUB_DIR: path.join(this.dir, name),
          LC_ALL: 'C',
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => {
        resolve({ exitCode: code ?? -1, stdout, stderr, timedOut: false });
      });
    });
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
