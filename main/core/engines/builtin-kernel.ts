// LVS Lab's built-in kernel: Debian's user-mode Linux (6.12, with IPVS, IPIP and arptables)
// running a Docker Engine of its own, inside one container on the host's engine. The rest of the
// core sees only the Docker endpoint it serves, a unix socket in the user's state folder, and
// drives it exactly like the host's engine.
//
// Who can run it: any user who can run containers on a rootful Linux Docker Engine, with no other
// host package and no root beyond that. The container is not privileged: it gets NET_ADMIN and
// SYS_PTRACE (the tap to the guest; the kernel runs its processes under ptrace), /dev/net/tun, no
// seccomp filter (ptrace's system-call emulation) and no network (the guest is reached only
// through the socket). The guest's Docker storage is a disk image in a volume, so the lab image
// is loaded once, not at every start.
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';
import type { BuiltinState } from '../../../shared/engine.js';
import type { ProgressEvent, ProgressListener } from '../../../shared/progress.js';
import { demuxLogs } from '../docker/demux.js';
import { execScript } from '../docker/exec.js';
import {
  copyImage,
  ensureImage,
  ensureNodeImage,
  imageExists,
  isNotFound,
  KERNEL_IMAGE_REPO,
} from '../docker/images.js';
import { labelFilter } from '../docker/labels.js';
import { errorText, LabError } from '../errors.js';

export const ENGINE_LABEL = 'org.lvslab.engine';
const OWNER_LABEL = 'org.lvslab.engine-owner';

/** Guest memory: enough for Docker and a lab of six nodes; the file backing it is sparse. */
const DEFAULT_MEMORY_MIB = 2048;
const BOOT_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_S = 45;

export type { BuiltinState } from '../../../shared/engine.js';

export interface BuiltinStatus {
  state: BuiltinState;
  /** `uname -a` of the guest, once it runs. */
  kernel: string | null;
  /** Where the core connects: a unix socket only this user can open. */
  socketPath: string;
  container: string;
  /** Why it is stopped or failed, from its own last words. */
  detail: string | null;
}

export interface BuiltinKernelOptions {
  /** lab-images/kernel, the image's build context. */
  kernelContext: string;
  /** lab-images/node, for the lab image loaded into the guest. */
  nodeContext: string;
  /** The user's state folder: the socket lives in its engine/ subfolder. */
  stateDir: string;
  memoryMiB?: number;
  /** Who may open the socket; default the user running this process. */
  uid?: number;
  gid?: number;
  /** A second engine beside the user's own (the test tiers run theirs as "test"). */
  instance?: string;
}

/** The phases a start reports, in order. */
export type EnginePhase = 'provision' | 'boot' | 'image';

export class BuiltinKernel {
  readonly container: string;
  readonly volume: string;
  readonly socketDir: string;
  private readonly uid: number;
  private readonly gid: number;

  constructor(
    /** The engine the kernel's container runs on. */
    readonly host: Docker,
    private readonly options: BuiltinKernelOptions,
  ) {
    this.uid = options.uid ?? process.getuid?.() ?? 0;
    this.gid = options.gid ?? process.getgid?.() ?? 0;
    // One engine per user of the host engine (and instance): names carry the uid.
    const suffix = `${this.uid}${options.instance === undefined ? '' : `-${options.instance}`}`;
    this.container = `lvs-lab-kernel-${suffix}`;
    this.volume = `lvs-lab-kernel-disk-${suffix}`;
    this.socketDir = path.join(
      options.stateDir,
      options.instance === undefined ? 'engine' : `engine-${options.instance}`,
    );
  }

  get socketPath(): string {
    return path.join(this.socketDir, 'docker.sock');
  }

  /** A client of the engine inside; it answers once `start` has finished. */
  client(): Docker {
    return new Docker({ socketPath: this.socketPath });
  }

  async status(): Promise<BuiltinStatus> {
    const base = { socketPath: this.socketPath, container: this.container };
    let info: Docker.ContainerInspectInfo;
    try {
      info = await this.host.getContainer(this.container).inspect();
    } catch (error) {
      if (isNotFound(error)) return { ...base, state: 'absent', kernel: null, detail: null };
      throw error;
    }
    if (!info.State.Running) {
      const failure = (await this.logLines(200)).findLast((l) => l.startsWith('lvs-engine: error:'));
      return {
        ...base,
        state: failure ? 'failed' : 'stopped',
        kernel: null,
        detail: failure?.replace('lvs-engine: error: ', '') ?? `exited with status ${info.State.ExitCode}`,
      };
    }
    // Running: its engine answering is what counts (its console scrolls on, so its "ready" line
    // soon leaves any tail of the log).
    const kernel = await this.guestKernel();
    if (kernel !== null) return { ...base, state: 'running', kernel, detail: null };
    const booted = (await this.logLines(200)).some((l) => l.startsWith('lvs-engine: phase ready'));
    return booted
      ? { ...base, state: 'failed', kernel: null, detail: 'its Docker Engine stopped answering' }
      : { ...base, state: 'starting', kernel: null, detail: null };
  }

  /**
   * Starts the engine and loads the lab image into it; returns its client. Idempotent: a running
   * engine is reused as it is, and its image is loaded again only when its hash changed.
   */
  async start(onProgress: ProgressListener = () => undefined): Promise<Docker> {
    const report = (phase: EnginePhase, state: ProgressEvent['state'], message?: string) => {
      onProgress({ phase: 'engine', name: phase, state, ...(message === undefined ? {} : { message }) });
    };
    let current = await this.status();
    if (current.state === 'stopped' || current.state === 'failed') {
      await this.removeContainer();
      current = await this.status();
    }
    if (current.state === 'absent') {
      report('provision', 'working', 'the kernel image (first time: Debian packages, about a minute)');
      const image = await ensureImage(this.host, KERNEL_IMAGE_REPO, this.options.kernelContext, (event) => {
        onProgress({ ...event, phase: 'engine', name: 'provision' });
      });
      report('provision', 'done', image);
      report('boot', 'working', 'booting the user-mode kernel with its Docker Engine');
      await this.createAndStart(image);
    } else {
      report('provision', 'done', 'already provisioned');
      report('boot', 'working', current.state === 'running' ? 'already running' : 'booting');
    }
    const kernel = await this.waitReady();
    report('boot', 'done', kernel);
    const engine = this.client();
    report('image', 'working', 'the lab node image');
    const nodeImage = await ensureNodeImage(this.host, this.options.nodeContext, (event) => {
      onProgress({ ...event, phase: 'engine', name: 'image' });
    });
    const present = await imageExists(engine, nodeImage);
    if (!present) {
      report('image', 'working', `loading ${nodeImage} into the kernel's engine`);
      await copyImage(this.host, engine, nodeImage);
    }
    report('image', 'done', present ? `${nodeImage} already loaded` : `${nodeImage} loaded`);
    return engine;
  }

  /** Stops the engine and removes its container; its disk (the loaded images) is kept. Idempotent. */
  async stop(): Promise<boolean> {
    const existed = (await this.status()).state !== 'absent';
    await this.removeContainer();
    await rm(this.socketPath, { force: true });
    return existed;
  }

  /** The container's output (the kernel's console and the engine's own lines), and dockerd's log. */
  async logs(tail = 200): Promise<string> {
    const lines = await this.logLines(tail);
    let dockerd = '';
    try {
      const result = await execScript(
        this.host.getContainer(this.container),
        `tail -n ${tail} /run/lvs-engine/ctl/dockerd.log`,
        { timeoutMs: 15_000 },
      );
      dockerd = result.stdout;
    } catch {
      // Not running: the container's own output is all there is.
    }
    return [...lines, ...(dockerd ? ['--- dockerd log (inside the kernel) ---', dockerd] : [])].join('\n');
  }

  /** Leftovers of a crash: this user's stopped engine containers and a socket nobody serves. */
  async cleanup(): Promise<string[]> {
    const removed: string[] = [];
    const containers = await this.host.listContainers({
      all: true,
      filters: labelFilter({ [ENGINE_LABEL]: 'builtin', [OWNER_LABEL]: String(this.uid) }),
    });
    for (const c of containers) {
      if (c.State === 'running') continue;
      await this.host.getContainer(c.Id).remove({ force: true });
      removed.push(`container ${c.Names[0]?.slice(1) ?? c.Id}`);
    }
    const running = containers.some((c) => c.State === 'running');
    if (!running && (await stat(this.socketPath).catch(() => null))) {
      await rm(this.socketPath, { force: true });
      removed.push(`socket ${this.socketPath}`);
    }
    return removed;
  }

  private async createAndStart(image: string): Promise<void> {
    await mkdir(this.socketDir, { recursive: true, mode: 0o700 });
    await rm(this.socketPath, { force: true });
    const memoryMiB = this.options.memoryMiB ?? DEFAULT_MEMORY_MIB;
    await this.refuseIfShortOfMemory(memoryMiB);
    const container = await this.host.createContainer({
      name: this.container,
      Image: image,
      Env: [`LVS_ENGINE_MEM=${memoryMiB}M`, `LVS_ENGINE_UID=${this.uid}`, `LVS_ENGINE_GID=${this.gid}`],
      Labels: { [ENGINE_LABEL]: 'builtin', [OWNER_LABEL]: String(this.uid) },
      HostConfig: {
        // No network: the guest is reached through the socket alone, and lab traffic never
        // leaves the guest.
        NetworkMode: 'none',
        CapAdd: ['NET_ADMIN', 'SYS_PTRACE'],
        Devices: [{ PathOnHost: '/dev/net/tun', PathInContainer: '/dev/net/tun', CgroupPermissions: 'rwm' }],
        SecurityOpt: ['seccomp=unconfined', 'no-new-privileges'],
        // The guest's memory is a file here; UML maps it executable.
        Tmpfs: { '/dev/shm': `rw,exec,nosuid,nodev,size=${memoryMiB + 256}m` },
        Binds: [`${this.socketDir}:/run/lvs-engine-socket`],
        Mounts: [{ Type: 'volume', Source: this.volume, Target: '/var/lib/lvs-engine' }],
        RestartPolicy: { Name: 'no' },
      },
    });
    try {
      await container.start();
    } catch (error) {
      await container.remove({ force: true }).catch(() => undefined);
      const text = errorText(error);
      if (/\/dev\/net\/tun/.test(text)) {
        throw new LabError(
          'the built-in kernel needs /dev/net/tun, and the Docker host has none',
          'load the tun module on the Docker host: sudo modprobe tun',
        );
      }
      throw new LabError(`the built-in kernel could not start: ${text}`);
    }
  }

  private async refuseIfShortOfMemory(memoryMiB: number): Promise<void> {
    const info = (await this.host.info()) as { MemTotal?: number };
    const totalMiB = Math.floor((info.MemTotal ?? 0) / 1024 / 1024);
    // The guest's memory plus room for the host and its own engine.
    if (totalMiB > 0 && totalMiB < memoryMiB + 1024) {
      throw new LabError(
        `the built-in kernel needs about ${memoryMiB + 1024} MiB and the Docker host has ${totalMiB} MiB`,
        "give the Docker host (or Docker Desktop's VM) more memory, or use a host kernel with ip_vs and ipip",
      );
    }
  }

  /** Waits for the engine's "ready" line and a ping through the socket; returns the kernel. */
  private async waitReady(): Promise<string> {
    const deadline = Date.now() + BOOT_TIMEOUT_MS;
    for (;;) {
      const current = await this.status();
      if (current.state === 'running') return current.kernel ?? 'Linux (user-mode)';
      if (current.state === 'failed' || current.state === 'stopped' || current.state === 'absent') {
        const detail = current.detail ?? 'it stopped';
        await this.removeContainer();
        throw new LabError(`the built-in kernel did not start: ${detail}`, 'see `lvs-lab engine logs`');
      }
      if (Date.now() > deadline) {
        const tail = (await this.logLines(15)).join('\n');
        await this.removeContainer();
        throw new LabError(
          `the built-in kernel did not answer within ${BOOT_TIMEOUT_MS / 1000} s`,
          `its last words:\n${tail}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** `Linux <host> <release>` of the guest, as its engine reports it; null while it does not answer. */
  private async guestKernel(): Promise<string | null> {
    try {
      const info = (await this.client().info()) as { Name?: string; KernelVersion?: string };
      return `Linux ${info.Name ?? 'lvs-kernel'} ${info.KernelVersion ?? '?'}`;
    } catch {
      return null;
    }
  }

  private async logLines(tail: number): Promise<string[]> {
    try {
      const buffer = await this.host
        .getContainer(this.container)
        .logs({ stdout: true, stderr: true, tail, follow: false });
      return demuxLogs(buffer)
        .split('\n')
        .filter((l) => l.length > 0);
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
  }

  private async removeContainer(): Promise<void> {
    const container = this.host.getContainer(this.container);
    try {
      await container.stop({ t: STOP_TIMEOUT_S });
    } catch (error) {
      // 304: already stopped; 404: not there.
      const code = (error as { statusCode?: number }).statusCode;
      if (code !== 304 && code !== 404) throw error;
    }
    await container.remove({ force: true }).catch((error: unknown) => {
      if (!isNotFound(error)) throw error;
    });
  }
}
