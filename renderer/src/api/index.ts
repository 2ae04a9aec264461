// The page's one way to the core: the Electron preload's API when present, else the
// browser-mode client. Tests install a fake with setApi().
import type { LabApi } from '../../../shared/api.js';
import type {} from './window.js';
import { createBrowserClient } from './browser-client.js';
import { alwaysOpen, type ConnectionSource } from './connection.js';

let api: LabApi | null = null;
let connection: ConnectionSource = alwaysOpen;

function choose(): LabApi {
  if (window.lvsLab) return window.lvsLab;
  const client = createBrowserClient();
  connection = client.connection;
  return client;
}

export function getApi(): LabApi {
  api ??= choose();
  return api;
}

/** Whether the channel to the core is up (always, in Electron). */
export function getConnection(): ConnectionSource {
  getApi();
  return connection;
}

/** True when running under the browser-mode server rather than Electron. */
export function isBrowserMode(): boolean {
  return getConnection() !== alwaysOpen;
}

/** Replaces the API (tests, or a shell that builds its own). */
export function setApi(next: LabApi, nextConnection: ConnectionSource = alwaysOpen): void {
  api = next;
  connection = nextConnection;
}
