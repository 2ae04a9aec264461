// What the page finds on `window`: the Electron preload's API (absent in browser mode) and the
// read-only end-to-end hook (present only with ?e2e=1).
import type { LabApi } from '../../../shared/api.js';

declare global {
  interface Window {
    /** Exposed by the Electron preload through contextBridge; undefined in a plain browser. */
    lvsLab?: LabApi;
    /** Set only when the page URL has ?e2e=1: lets end-to-end tests read what a terminal shows. */
    __lvsLabE2E?: { terminalText(node: string): string };
  }
}

export {};
