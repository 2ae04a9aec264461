// Progress of long work (starting and stopping a lab, building the image), reported by the core
// and shown by every shell: the CLI prints it, the desktop app draws it.

export type ProgressPhase =
  'engine' | 'lock' | 'image' | 'network' | 'node' | 'setup' | 'rollback' | 'remove';
export type ProgressState = 'working' | 'done' | 'failed';

export interface ProgressEvent {
  phase: ProgressPhase;
  /** The network, node or image concerned. */
  name: string;
  state: ProgressState;
  message?: string;
  /** 0..1 when known. */
  fraction?: number | null;
}

export type ProgressListener = (event: ProgressEvent) => void;
