// The app's engine, switchable while it runs: the preflight panel's "use the built-in kernel",
// the engine setting, and a restart after the built-in kernel died. Every part of the core holds
// one Docker client; switching replaces the connection inside it (its modem), so the runtime,
// the checks and the terminals follow without knowing that anything changed.
import type Docker from 'dockerode';
import type { EngineChoice, EngineInfo, EngineKind } from '../../../shared/engine.js';
import type { ProgressListener } from '../../../shared/progress.js';
import { engineEndpoint } from '../docker/engine.js';
import type { BuiltinKernel } from './builtin-kernel.js';
import { chooseEngine, kernelName, type ChosenEngine } from './choose-engine.js';

export class EngineSwitch {
  private current: Omit<ChosenEngine, 'docker'>;

  /**
   * `docker` is the client the whole core holds; it starts out as the host's. `host` is a second,
   * fixed client of the host engine (the built-in kernel runs there).
   */
  constructor(
    readonly docker: Docker,
    private readonly host: Docker,
    private readonly kernel: BuiltinKernel,
    private readonly nodeContext: string,
    initial?: ChosenEngine,
  ) {
    this.current = initial ?? {
      kind: 'host',
      endpoint: engineEndpoint().url,
      kernel: '',
      reason: 'the host engine',
    };
    if (initial) this.adopt(initial);
  }

  get kind(): EngineKind {
    return this.current.kind;
  }

  async info(): Promise<EngineInfo> {
    const builtin = await this.kernel.status().catch((error: unknown) => ({
      state: 'failed' as const,
      kernel: null,
      detail: String(error),
    }));
    let kernel = this.current.kernel;
    if (this.current.kind === 'builtin') kernel = kernelName(builtin.kernel);
    else if (kernel === '') {
      const hostInfo = (await this.host.info().catch(() => ({}))) as { KernelVersion?: string };
      kernel = hostInfo.KernelVersion === undefined ? 'unknown' : `Linux ${hostInfo.KernelVersion}`;
      this.current.kernel = kernel;
    }
    return {
      ...this.current,
      kernel,
      builtin: { state: builtin.state, kernel: builtin.kernel, detail: builtin.detail },
    };
  }

  /** Switches to the engine asked for (starting the built-in kernel if need be). */
  async use(choice: EngineChoice, onProgress?: ProgressListener): Promise<EngineInfo> {
    const chosen = await chooseEngine(choice, {
      host: this.host,
      kernel: this.kernel,
      nodeContext: this.nodeContext,
      ...(onProgress === undefined ? {} : { onProgress }),
    });
    this.adopt(chosen);
    return this.info();
  }

  /** Stops the built-in kernel; the app goes back to the host engine. */
  async stopBuiltin(): Promise<EngineInfo> {
    await this.kernel.stop();
    if (this.current.kind === 'builtin') {
      this.adopt({
        kind: 'host',
        docker: this.host,
        endpoint: engineEndpoint().url,
        kernel: '',
        reason: "the host engine (LVS Lab's built-in kernel was stopped)",
      });
    }
    return this.info();
  }

  logs(): Promise<string> {
    return this.kernel.logs();
  }

  private adopt(chosen: ChosenEngine): void {
    const { docker, ...rest } = chosen;
    // The one place that knows clients can change under the core: everything created from
    // `this.docker` from now on talks to the chosen engine.
    this.docker.modem = docker.modem;
    this.current = rest;
  }
}
