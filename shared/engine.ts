// Which engine runs the labs, as every shell shows it: the host's Docker Engine, or LVS Lab's
// built-in kernel (user-mode Linux with IPVS and IPIP, and a Docker Engine inside).

export type EngineKind = 'host' | 'builtin';
export type EngineChoice = EngineKind | 'auto';

export type BuiltinState = 'absent' | 'starting' | 'running' | 'stopped' | 'failed';

export interface EngineInfo {
  kind: EngineKind;
  /** What was asked for: automatic (the host when its kernel can, else the built-in kernel) or one of them. */
  choice: EngineChoice;
  /** The kernel the labs run on, e.g. "Linux 6.1.176 (user-mode)". */
  kernel: string;
  /** Where the core connects. */
  endpoint: string;
  /** Why this engine, in one line. */
  reason: string;
  /** The built-in kernel's own state, whichever engine is in use. */
  builtin: { state: BuiltinState; kernel: string | null; detail: string | null };
}

/** The progress of engine work (starting the built-in kernel) travels as lab progress of this id. */
export const ENGINE_PROGRESS_ID = '@engine';
