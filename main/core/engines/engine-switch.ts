// The app's engine, switchable while it runs: the preflight panel's "use the built-in kernel",
// the engine setting, and a restart after the built-in kernel died. Every part of the core holds
// one Docker client; switching replaces the connection inside it (its modem), so the runtime,
// the checks and the terminals follow without knowing that anything changed.
import type Docker from 'dockerode';
import type { EngineChoice, EngineInfo } from '../../../shared/engine.js';
import type { ProgressListener } from '../../../shared/progress.js';
import { engineEndpoint } from '../docker/engine.js';
import type { BuiltinKernel } from './builtin-kernel.js';
import { chooseEngine, kernelName, type ChosenEngine } from './choose-engine.js';
import { writeEngineSetting } from './engine-setting.js';

export interface EngineSwitchOptions {
  /** The client the whole core holds; it starts out as the host's. */
  docker: Docker;
  /** A second, fixed client of the host engine (the built-in kernel runs there). */
  host: Docker;
  kernel: BuiltinKernel;
  /** lab-images/node, for the host preflight of an automatic choice. */
  nodeContext: string;
  /** The engine already chosen (browser mode chooses before it serves); default the host. */
  initial?: ChosenEngine;
  /** What was asked for to get `initial`. */
  choice?: EngineChoice;
  /** Where the app's choice is kept for the next start; not kept without it. */
  stateDir?: string;
}

export class EngineSwitch {
  readonly docker: Docker;
  private current: Omit<ChosenEngine, 'docker'>;
  private choice: EngineChoice;

  constructor(private readonly options: EngineSwitchOptions) {
    this.docker = options.docker;
    this.choice = options.choice ?? 'auto';
    this.current = {
      kind: 'host',
      endpoint: engineEndpoint().url,
      kernel: '',
      reason: 'the host engine',
    };
    if (options.initial) this.adopt(options.initial);
  }

  /** Where the core connects now; known without asking either engine anything. */
  endpoint(): string {
    return this.current.endpoint;
  }

  async info(): Promise<EngineInfo> {
    const builtin = await this.options.kernel.status().catch((error: unknown) => ({
      state: 'failed' as const,
      kernel: null,
      detail: String(error),
    }));
    let kernel = this.current.kernel;
    if (this.current.kind === 'builtin') kernel = kernelName(builtin.kernel);
    else if (kernel === '') {
      const hostInfo = (await this.options.host.info().catch(() => ({}))) as { KernelVersion?: string };
      kernel = hostInfo.KernelVersion === undefined ? 'unknown' : `Linux ${hostInfo.KernelVersion}`;
      this.current.kernel = kernel;
    }
    return {
      ...this.current,
      choice: this.choice,
      kernel,
      builtin: { state: builtin.state, kernel: builtin.kernel, detail: builtin.detail },
    };
  }

  /** Switches to the engine asked for (starting the built-in kernel if need be). */
  async use(choice: EngineChoice, onProgress?: ProgressListener): Promise<EngineInfo> {
    const chosen = await chooseEngine(choice, {
      host: this.options.host,
      kernel: this.options.kernel,
      nodeContext: this.options.nodeContext,
      ...(onProgress === undefined ? {} : { onProgress }),
    });
    this.adopt(chosen);
    this.choice = choice;
    if (this.options.stateDir !== undefined) await writeEngineSetting(this.options.stateDir, choice);
    return this.info();
  }

  /** Stops the built-in kernel; the app goes back to the host engine. */
  async stopBuiltin(): Promise<EngineInfo> {
    await this.options.kernel.stop();
    if (this.current.kind === 'builtin') {
      this.adopt({
        kind: 'host',
        docker: this.options.host,
        endpoint: engineEndpoint().url,
        kernel: '',
        reason: "the host engine (LVS Lab's built-in kernel was stopped)",
      });
    }
    return this.info();
  }

  logs(): Promise<string> {
    return this.options.kernel.logs();
  }

  private adopt(chosen: ChosenEngine): void {
    const { docker, ...rest } = chosen;
    // The one place that knows clients can change under the core: everything created from
    // `this.docker` from now on talks to the chosen engine.
    this.docker.modem = docker.modem;
    this.current = rest;
  }
}
