// The Packets panel: which nodes and interfaces to capture on, for how long, the capture under
// way, and the last one's result (its files and its merged, decoded timeline). Captures belong to
// this window or tab; the core ends each with a `capture.done` event.
import { create } from 'zustand';
import type { CaptureResult } from '../../../shared/capture.js';
import { getApi } from '../api/index.js';
import { toErrorInfo, type ErrorInfo } from '../api/errors.js';

export interface CaptureState {
  labId: string | null;
  /** "node" (every interface) or "node:iface", in the lab's node order. */
  targets: string[];
  seconds: number;
  count: number;
  /** The capture under way, if any. */
  captureId: string | null;
  result: CaptureResult | null;
  error: ErrorInfo | null;
  setTargets: (targets: string[]) => void;
  setLimits: (limits: { seconds?: number; count?: number }) => void;
  start: (labId: string) => Promise<void>;
  stop: () => Promise<void>;
  /** The core's `capture.done`: taken only for the capture this page started. */
  finish: (result: CaptureResult) => void;
  download: (fileName: string) => Promise<{ fileName: string; bytes: Uint8Array<ArrayBuffer> } | null>;
}

export const useCaptureStore = create<CaptureState>()((set, get) => ({
  labId: null,
  targets: [],
  seconds: 10,
  count: 1000,
  captureId: null,
  result: null,
  error: null,

  setTargets(targets) {
    set({ targets });
  },

  setLimits(limits) {
    set(limits);
  },

  async start(labId) {
    const { targets, seconds, count, captureId } = get();
    if (captureId !== null) return;
    set({ labId, error: null, result: null });
    try {
      const started = await getApi().request('capture.start', { labId, targets, seconds, count });
      set({ captureId: started.captureId });
    } catch (error) {
      set({ error: toErrorInfo(error) });
    }
  },

  async stop() {
    const { captureId } = get();
    if (captureId === null) return;
    try {
      await getApi().request('capture.stop', captureId);
    } catch (error) {
      set({ error: toErrorInfo(error) });
    }
  },

  finish(result) {
    if (result.captureId !== get().captureId) return;
    set({
      captureId: null,
      result,
      error: result.error === undefined ? null : { message: `the capture failed: ${result.error}` },
    });
  },

  async download(fileName) {
    const { result } = get();
    if (result === null) return null;
    try {
      const file = await getApi().request('capture.pcap', result.labId, result.folder, fileName);
      return { fileName: file.fileName, bytes: Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0)) };
    } catch (error) {
      set({ error: toErrorInfo(error) });
      return null;
    }
  },
}));
