// The preload: the page's only door to main. It exposes three named functions on
// `window.lvsLab` (the LabApi of shared/api.ts), never ipcRenderer itself, allows only the API's
// names, and never hands the page an IpcRendererEvent. Bundled into one CommonJS file, as a
// sandboxed preload requires.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_NAMES, IPC, REQUEST_NAMES, SEND_NAMES } from '../../shared/api-names.js';
import type { ApiError, ApiResult, LabApi } from '../../shared/api.js';

const requests = new Set<string>(REQUEST_NAMES);
const sends = new Set<string>(SEND_NAMES);
const events = new Set<string>(EVENT_NAMES);

const api: LabApi = {
  async request(name, ...args) {
    if (!requests.has(name)) throw new Error(`unknown request ${name}`);
    const result = (await ipcRenderer.invoke(IPC.request, name, args)) as ApiResult<never>;
    if (result.ok) return result.value;
    throw Object.assign(new Error(result.error.message), result.error satisfies ApiError);
  },
  send(name, ...args) {
    if (sends.has(name)) ipcRenderer.send(IPC.send, name, args);
  },
  on(name, listener) {
    if (!events.has(name)) throw new Error(`unknown event ${name}`);
    const handler = (_event: IpcRendererEvent, eventName: string, args: unknown[]) => {
      if (eventName === name) (listener as (...a: unknown[]) => void)(...args);
    };
    ipcRenderer.on(IPC.event, handler);
    return () => {
      ipcRenderer.removeListener(IPC.event, handler);
    };
  },
};

contextBridge.exposeInMainWorld('lvsLab', api);
