// The end-to-end harness: the real browser-mode server in this process, on a real Docker
// Engine, and Debian's Chromium driven by playwright-core. No mocks between the page and the
// engine. Screenshots go to test-results/screenshots/.
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApiHandler } from '../../main/core/app.js';
import { BuiltinKernel } from '../../main/core/engines/builtin-kernel.js';
import { EngineSwitch } from '../../main/core/engines/engine-switch.js';
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
  /** Polls a node's xterm buffer (through the page's test hook) until it shows `wanted`; returns the text. */
  terminalShows: (node: string, wanted: string | RegExp, timeoutMs?: number) => Promise<string>;
  /** Clicks "Stop lab" and waits until the page offers to start a lab again. */
  stopLabFromUi: (timeoutMs: number) => Promise<void>;
  close: () => Promise<void>;
}

/** The page's test hook (renderer/src/terminal/e2e-hook.ts), typed without the DOM library. */
interface TestHookGlobals {
  __lvsLabE2E?: { terminalText(node: string): string };
}

export interface E2EOptions {
  colorScheme?: 'light' | 'dark';
  /**
   * The built-in kernel to run the app on (started already); default the host engine. Either way
   * the app gets the engine control it has in browser mode.
   */
  builtin?: BuiltinKernel;
  /** Where screenshots go, below test-results/. */
  screenshots?: string;
  /**
   * Holds every terminal.open this long before the core runs it: a slow engine (a remote one, or
   * a kernel in user-mode Linux takes seconds), so that what a user types meanwhile is tested.
   */
  terminalOpenDelayMs?: number;
}

export async function startE2E(options: E2EOptions = {}): Promise<E2E> {
  const paths = {
    ...defaultPaths(repoRoot),
    stateDir: mkdtempSync(path.join(os.tmpdir(), 'lvslab-e2e-')),
    // Each file starts with an empty labs folder of the user's own.
    userLabsDir: mkdtempSync(path.join(os.tmpdir(), 'lvslab-e2e-user-labs-')),
  };
  const host = new Docker();
  const kernel =
    options.builtin ??
    new BuiltinKernel(host, {
      kernelContext: paths.kernelContext,
      nodeContext: paths.imageContext,
      stateDir: paths.stateDir,
      instance: 'e2e',
    });
  const engines = new EngineSwitch({ docker: new Docker(), host, kernel, nodeContext: paths.imageContext });
  if (options.builtin) await engines.use('builtin');
  const service = new LabService(paths, engines.docker);
  const server = new BrowserServer({
    staticDir: path.join(repoRoot, 'out/renderer'),
    createHandler: (emit) => {
      const handler = createApiHandler(service.paths, emit, service, { engines });
      const delay = options.terminalOpenDelayMs ?? 0;
      if (delay > 0) {
        const request = handler.request.bind(handler);
        handler.request = async (owner, name, args) => {
          if (name === 'terminal.open') await new Promise((resolve) => setTimeout(resolve, delay));
          return request(owner, name, args);
        };
      }
      return handler;
    },
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
  const shots =
    options.screenshots === undefined
      ? screenshotDir
      : path.join(repoRoot, 'test-results', options.screenshots);
  mkdirSync(shots, { recursive: true });
  return {
    service,
    server,
    url,
    browser,
    page,
    shot: async (name) => {
      const file = path.join(shots, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    terminalShows: async (node, wanted, timeoutMs = 15_000) => {
      const pattern =
        typeof wanted === 'string' ? wanted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : wanted.source;
      // Runs in the page (the CSP forbids evaluating strings); typed here without the DOM library.
      const handle = await page.waitForFunction(
        ([n, source]) => {
          const hook = (globalThis as unknown as TestHookGlobals).__lvsLabE2E;
          const content = hook?.terminalText(n ?? '') ?? '';
          return new RegExp(source ?? '').test(content) ? content : false;
        },
        [node, pattern],
        { timeout: timeoutMs, polling: 200 },
      );
      return (await handle.jsonValue()) as string;
    },
    stopLabFromUi: async (timeoutMs) => {
      await page.getByRole('button', { name: 'Stop lab' }).click();
      await page
        .getByRole('button', { name: 'Start lab' })
        .or(page.getByRole('button', { name: 'Start', exact: true }))
        .first()
        .waitFor({ timeout: timeoutMs });
    },
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}
