// The Electron shell: one window, the security baseline of window-options.ts, and the API
// contract over two IPC channels. Everything else is the core (main/core), shared with the
// browser mode and the CLI.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  ipcMain,
  session,
  shell,
  type IpcMainEvent,
  type IpcMainInvokeEvent,
} from 'electron';
import { IPC } from '../../shared/api-names.js';
import Docker from 'dockerode';
import type { ApiHandler, EventSink } from '../core/api/handler.js';
import { connectEngine } from '../core/docker/engine.js';
import { BuiltinKernel } from '../core/engines/builtin-kernel.js';
import { parseEngineChoice } from '../core/engines/choose-engine.js';
import { readEngineSetting } from '../core/engines/engine-setting.js';
import { EngineSwitch } from '../core/engines/engine-switch.js';
import { LabService } from '../core/lab-service.js';
import { createApiHandler } from '../core/app.js';
import { defaultPaths, resourceRoot } from '../core/paths.js';
import { isAppUrl, isExternalLinkAllowed, windowOptions } from './window-options.js';

const here = path.dirname(fileURLToPath(import.meta.url));
// Packaged: labs/ and lab-images/ are resources beside the app; from the repository, its root.
const root = app.isPackaged ? process.resourcesPath : resourceRoot(here);
const rendererIndex = path.resolve(here, '../../renderer/index.html');
const preloadDir = path.resolve(here, '../../electron');
const DEFAULT_LAB = 'tun-arptables';

const windows = new Map<number, BrowserWindow>();
const ownerOf = (webContentsId: number) => `window-${webContentsId}`;

function createWindow(handler: ApiHandler): void {
  const window = new BrowserWindow(windowOptions(preloadDir));
  const id = window.webContents.id;
  windows.set(id, window);
  window.once('ready-to-show', () => {
    window.show();
  });
  // Nothing but the app's own page may load in the window; links open in the user's browser.
  window.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, rendererIndex)) event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (isExternalLinkAllowed(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  // A crashed or reloaded page must not leave terminals paused on unacknowledged bytes.
  window.webContents.on('render-process-gone', () => void handler.disconnect(ownerOf(id)));
  window.webContents.on('did-start-navigation', (details) => {
    if (details.isMainFrame && !details.isSameDocument) void handler.disconnect(ownerOf(id));
  });
  window.on('closed', () => {
    windows.delete(id);
    void handler.disconnect(ownerOf(id));
  });
  void window.loadFile(rendererIndex, { hash: `lab=${process.env.LVS_LAB_DEFAULT ?? DEFAULT_LAB}` });
}

/** Calls from anything but one of our windows showing our page are refused. */
function trustedSender(event: IpcMainEvent | IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return windows.has(event.sender.id) && frame !== null && isAppUrl(frame.url, rendererIndex);
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  // The page asks for no permission (camera, notifications, ...): refuse them all.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => {
    callback(false);
  });

  // The engine: the window opens at once on the host engine, and the choice (the built-in kernel
  // where the host kernel lacks ip_vs or ipip) is made meanwhile, its progress shown in the app.
  const paths = defaultPaths(root);
  const host = connectEngine();
  const kernel = new BuiltinKernel(host, {
    kernelContext: paths.kernelContext,
    nodeContext: paths.imageContext,
    stateDir: paths.stateDir,
  });
  const engines = new EngineSwitch({
    docker: new Docker(),
    host,
    kernel,
    nodeContext: paths.imageContext,
    stateDir: paths.stateDir,
  });
  const emit: EventSink = (target, name, ...args) => {
    for (const [id, window] of windows) {
      if (target === 'all' || target.owner === ownerOf(id)) window.webContents.send(IPC.event, name, args);
    }
  };
  // The desktop app is the local user's own window: its Host tab opens a shell as that user.
  const handler = createApiHandler(paths, emit, new LabService(paths, engines.docker), {
    hostTerminal: true,
    engines,
  });
  // LVS_LAB_ENGINE wins, then the setting of the app's Engine panel, then the automatic choice.
  const choice = parseEngineChoice(process.env.LVS_LAB_ENGINE ?? (await readEngineSetting(paths.stateDir)));
  void handler.request('app', 'engine.use', [choice]).then((result) => {
    if (!result.ok) console.error(`LVS Lab: no engine: ${result.error.message}`);
  });

  ipcMain.handle(IPC.request, (event, name: unknown, args: unknown) => {
    if (!trustedSender(event)) return { ok: false, error: { message: 'refused: not the LVS Lab window' } };
    return handler.request(ownerOf(event.sender.id), String(name), args);
  });
  ipcMain.on(IPC.send, (event, name: unknown, args: unknown) => {
    if (trustedSender(event)) handler.send(ownerOf(event.sender.id), String(name), args);
  });

  createWindow(handler);
  app.on('second-instance', () => {
    const [first] = windows.values();
    if (first) {
      if (first.isMinimized()) first.restore();
      first.focus();
    }
  });
  app.on('window-all-closed', () => {
    app.quit();
  });
  // Shells left in running labs would linger (Docker cannot kill an exec): hang them up first.
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    void handler.shutdown().finally(() => {
      app.quit();
    });
  });
}

void main();
