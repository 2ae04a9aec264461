// A whole lab from the UI alone, in Debian's Chromium, against browser mode on a real Docker
// Engine: pick and start a lab, use a node's terminal, run steps and read their checks (passing
// where this kernel can, failing with the reason where it cannot), open the live round-robin
// panel and the IPVS table, and stop the lab. Screenshots of each screen are saved.
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from './harness.js';

const LAB = 'tun-arptables';
const LAB_TITLE = 'LVS-TUN in one subnet, ARP hidden with arptables';
// The engine runs on this machine's kernel here: what it lacks decides which checks can pass.
const hasIpvs = existsSync('/proc/net/ip_vs');

/** The page's globals these tests read, typed without the DOM library (this file runs in Node). */
interface PageGlobals {
  document: { querySelector(selector: string): { textContent: string | null } | null };
}

let e2e: E2E;
let page: Page;

beforeAll(async () => {
  // Every shell takes 1.5 s to open, as on a slow engine: typing at once must still arrive.
  e2e = await startE2E({ terminalOpenDelayMs: 1500 });
  page = e2e.page;
  await e2e.service.runtime.down(LAB);
  // Dialogs (Stop asks to confirm) are accepted, as a user would.
  page.on('dialog', (dialog) => void dialog.accept());
});

afterAll(async () => {
  await e2e.close();
  await e2e.service.runtime.down(LAB);
});

describe('a lab from the UI alone', () => {
  it('shows the labs with their seeds and the preflight with its fixes', async () => {
    await page.goto(`${e2e.url}&e2e=1`);
    const card = page
      .getByRole('article', { name: LAB_TITLE })
      .or(page.locator(`[aria-label="${LAB_TITLE}"]`));
    await card.first().waitFor();
    await expect(card.first().textContent()).resolves.toMatch(/seed 000 §3/);
    // The bug reproductions are listed too, each naming the lab it builds on.
    await page
      .getByText(/builds on tun-arptables/)
      .first()
      .waitFor();
    // Preflight says what this kernel lacks, with the fix.
    if (!hasIpvs)
      await page
        .getByText(/has no IPVS/)
        .first()
        .waitFor({ timeout: 60_000 });
    await e2e.shot('01-lab-picker');
  });

  it('starts the lab with progress and shows its topology', async () => {
    const card = page.locator(`[aria-label="${LAB_TITLE}"]`).first();
    await card.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByRole('button', { name: 'Stop lab' }).waitFor({ timeout: 120_000 });
    // Every node with its address, the director included.
    for (const address of ['172.25.88.1', '172.25.88.2', '172.25.88.3', '172.25.88.250']) {
      await page.getByText(address, { exact: false }).first().waitFor();
    }
    const status = await e2e.service.status();
    expect(status.find((s) => s.labId === LAB)?.health).toBe('running');
    await e2e.shot('02-lab-running');
  });

  it('opens a node terminal, types at once while it connects, and reads the output back from xterm', async () => {
    await page.getByRole('tab', { name: 'Terminals' }).click();
    const tab = page.getByRole('tablist', { name: 'Terminals' }).getByRole('tab', { name: /server2/ });
    await tab.click();
    const pane = page.locator('.terminal-pane[data-node="server2"]');
    await pane.waitFor();
    await pane.click();
    // Typed before the shell is there: the tab still says it is connecting.
    await expect(tab.locator('[aria-label="connecting"]').count()).resolves.toBe(1);
    // The page has no newline of its own: the echo ends its line, so that no prompt redraw can hide it.
    await page.keyboard.type('echo e2e-$((6*7)) && cat /srv/www/index.html && echo');
    await page.keyboard.press('Enter');
    // The page comes last: once it is there, the whole command's output is.
    const text = await e2e.terminalShows('server2', '<h1>server2</h1>');
    expect(text).toContain('e2e-42');
    // The shell's prompt names the node (its hostname).
    expect(text).toContain('server2');
    await e2e.shot('03-terminal');
  });

  it('runs a step that needs no IPVS: its checks pass', async () => {
    await page.getByRole('button', { name: /Hide the VIP from ARP on the real servers/ }).click();
    await page.getByRole('button', { name: 'Run for me' }).first().click();
    const results = page.locator('.check-results').first();
    await results.waitFor({ timeout: 60_000 });
    await expect(results.getAttribute('class')).resolves.toMatch(/check-ok/);
    await expect(page.locator('.check-pass').count()).resolves.toBeGreaterThanOrEqual(4);
    await e2e.shot('04-step-passed');
  });

  it('runs a step that needs IPVS: on a kernel without it, the check says why', async () => {
    await page
      .getByRole('button', { name: /Create the virtual service and add the real servers in tunnel mode/ })
      .click();
    await page.getByRole('button', { name: 'Run for me' }).first().click();
    if (hasIpvs) {
      await page.locator('.check-results.check-ok').first().waitFor({ timeout: 60_000 });
    } else {
      await page.locator('.check-results.check-failed').first().waitFor({ timeout: 60_000 });
      await page
        .getByText(/the kernel has no IPVS/)
        .first()
        .waitFor();
    }
    await e2e.shot('05-step-failed-with-reason');
  });

  it('opens the live round-robin panel and runs the probe: every request shows up, attributed or failed', async () => {
    await page.getByRole('tab', { name: 'Live round robin' }).click();
    await page.getByRole('button', { name: 'Start', exact: true }).last().click();
    const stat = (label: string) =>
      page
        .locator('.probe-summary .stat', { has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) })
        .locator('dd');
    // Wait for real samples: the strip fills and the request count grows.
    await page.locator('.response-strip .cell').first().waitFor({ timeout: 30_000 });
    await page.waitForFunction(
      () => {
        const requests = (globalThis as unknown as PageGlobals).document.querySelector(
          '.probe-summary .stat dd',
        );
        return Number(requests?.textContent ?? '0') >= 5;
      },
      undefined,
      { timeout: 30_000 },
    );
    if (hasIpvs) {
      await expect(stat('Answered').textContent()).resolves.not.toBe('0');
    } else {
      // Nothing balances the VIP on this kernel: the requests time out, and the panel says so.
      await page
        .locator('.response-strip .cell.cell-timeout, .response-strip .cell.cell-error')
        .first()
        .waitFor();
      await expect(stat('Answered').textContent()).resolves.toBe('0');
      expect(Number(await stat('Timeouts').textContent())).toBeGreaterThan(0);
    }
    await e2e.shot('06-round-robin-panel');
    await page.getByRole('button', { name: 'Stop', exact: true }).last().click();
  });

  it('opens the IPVS table view', async () => {
    await page.getByRole('tab', { name: 'IPVS table' }).click();
    await page
      .getByText(hasIpvs ? /OutPkts/ : /IPVS is not available on the director/)
      .first()
      .waitFor({ timeout: 30_000 });
    await e2e.shot('07-ipvs-table');
  });

  it('switches to the light theme', async () => {
    const theme = () =>
      page.evaluate(() => {
        const doc = globalThis as unknown as {
          document: { documentElement: { dataset: Record<string, string | undefined> }; body: object };
          getComputedStyle(e: object): { backgroundColor: string };
        };
        return {
          name: doc.document.documentElement.dataset.theme,
          background: doc.getComputedStyle(doc.document.body).backgroundColor,
        };
      });
    const before = await theme();
    expect(before.name).toBe('dark');
    await page.keyboard.press('Control+Shift+L');
    await page.waitForFunction(
      () =>
        (
          globalThis as unknown as {
            document: { documentElement: { dataset: Record<string, string | undefined> } };
          }
        ).document.documentElement.dataset.theme === 'light',
    );
    const after = await theme();
    expect(after.background).not.toBe(before.background);
    await e2e.shot('08-light-theme');
  });

  it('stops the lab from the UI, leaving nothing behind', async () => {
    await e2e.stopLabFromUi(60_000);
    const status = await e2e.service.status();
    expect(status.find((s) => s.labId === LAB)).toBeUndefined();
  });
});
