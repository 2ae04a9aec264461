// The main window's settings: the security baseline of the app, kept in one pure function so
// that a test can hold it in place without Electron.
import path from 'node:path';

export interface WindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  title: string;
  show: boolean;
  backgroundColor: string;
  webPreferences: {
    preload: string;
    contextIsolation: true;
    sandbox: true;
    nodeIntegration: false;
    nodeIntegrationInWorker: false;
    webviewTag: false;
    webSecurity: true;
    allowRunningInsecureContent: false;
    spellcheck: false;
  };
}

export function windowOptions(preloadDir: string): WindowOptions {
  return {
    width: 1440,
    height: 900,
    // The smallest the layout is designed for.
    minWidth: 1024,
    minHeight: 700,
    title: 'LVS Lab',
    show: false,
    backgroundColor: '#14161a',
    webPreferences: {
      // One bundled CommonJS file: a sandboxed preload cannot load modules or ESM.
      preload: path.join(preloadDir, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  };
}

/** Links the page may open outside the app: web pages only, never file: or custom schemes. */
export function isExternalLinkAllowed(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

/** The app's own page: the built renderer, loaded from a file. Nothing else may load in the window. */
export function isAppUrl(url: string, rendererIndex: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === 'file:' &&
      path.resolve(decodeURIComponent(parsed.pathname)) === path.resolve(rendererIndex)
    );
  } catch {
    return false;
  }
}
