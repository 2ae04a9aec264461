// The Electron window's security baseline, held in place without Electron.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppUrl, isExternalLinkAllowed, windowOptions } from '../../../main/electron/window-options.js';

describe('the main window', () => {
  it('isolates the page: context isolation, sandbox, no Node, no webviews, web security on', () => {
    const { webPreferences } = windowOptions('/app/out/electron');
    expect(webPreferences).toEqual({
      preload: '/app/out/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    });
  });

  it('opens only web links outside the app', () => {
    expect(isExternalLinkAllowed('https://www.kernel.org/doc/')).toBe(true);
    expect(isExternalLinkAllowed('http://example.org/')).toBe(true);
    expect(isExternalLinkAllowed('file:///etc/passwd')).toBe(false);
    expect(isExternalLinkAllowed('javascript:alert(1)')).toBe(false);
    expect(isExternalLinkAllowed('vscode://x')).toBe(false);
    expect(isExternalLinkAllowed('not a url')).toBe(false);
  });

  it('navigates only to its own page', () => {
    const index = path.resolve('/app/out/renderer/index.html');
    expect(isAppUrl('file:///app/out/renderer/index.html#lab=tun-arptables', index)).toBe(true);
    expect(isAppUrl('file:///app/out/renderer/../../../etc/passwd', index)).toBe(false);
    expect(isAppUrl('https://evil.example/', index)).toBe(false);
  });
});
