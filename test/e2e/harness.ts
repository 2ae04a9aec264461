// The end-to-end harness: the real browser-mode server in this process, on a real Docker
// Engine, and Debian's Chromium driven by playwright-core. No mocks between the page and the
// engine. Screenshots go to test-results/screenshots/.
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApiHandler } from '../../main/core/app.js';
import { LabService } from '../../main/core/lab-service.js';
import { defaultPaths } from '../../main/core/paths.js';
import { BrowserServer } from '../../main/server/browser-server.js';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const screenshotDir = path.join(repoRoot, 'test-results', 'screenshots');

export interface E2E {
  service: LabService;
  server: BrowserServer;
  url: string;
  browser: Browser;
  page: Page;
  shot: (name: string) => Promise<string>;
  close: () => Promise<void>;
}

export async function startE2E(options: { colorScheme?: 'light' | 'dark' } = {}): Promise<E2E> {
  const service = new LabService(
    { ...defaultPaths(repoRoot), stateDir: mkdtempSync(path.join(os.tmpdir(), 'lvslab-e2e-')) },
    new Docker(),
  );
  const server = new BrowserServer({
    staticDir: path.join(repoRoot, 'out/renderer'),
    createHandler: (emit) => createApiHandler(service.paths, emit, service),
  });
  const { url } = await server.listen();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    // This machine's network is closed: keep Chromium from reaching out at all.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'dark',
  });
  const page = await context.newPage();
  mkdirSync(screenshotDir, { recursive: true });
  return {
    service,
    server,
    url,
    browser,
    page,
    shot: async (name) => {
      const file = path.join(screenshotDir, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}
