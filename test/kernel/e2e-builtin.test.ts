// The heart of the UI on a real kernel: the app in Debian's Chromium, against browser mode on
// LVS Lab's built-in kernel (IPVS and IPIP), as a learner uses it. Start tun-arptables from the
// picker, run every step (every check passes), watch the live panel alternate strictly between
// the real servers, see the IPVS table's InPkts grow while OutPkts stays 0, and read a curl loop's
// alternating pages back from the client's terminal. Screenshots go to
// test-results/screenshots-builtin/.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startE2E, type E2E } from '../e2e/harness.js';
import { testKernel } from './global-setup.js';

const LAB = 'tun-arptables';
const LAB_TITLE = 'LVS-TUN in one subnet, ARP hidden with arptables';

let e2e: E2E;
let page: Page;

beforeAll(async () => {
  e2e = await startE2E({ builtin: testKernel(inject('kernelStateDir')), screenshots: 'screenshots-builtin' });
  page = e2e.page;
  await e2e.service.runtime.down(LAB);
  page.on('dialog', (dialog) => void dialog.accept());
});

afterAll(async () => {
  await e2e.close();
  await e2e.service.runtime.down(LAB);
});

/** The servers of the response strip's cells, oldest first (from each cell's label "#seq: node, ..."). */
async function stripServers(): Promise<string[]> {
  const labels = await page
    .locator('.response-strip .cell')
    .evaluateAll((cells) =>
      cells.map(
        (c) => (c as unknown as { getAttribute(n: string): string | null }).getAttribute('aria-label') ?? '',
      ),
    );
  return labels.map((l) => /^#\d+: (\S+?)(,|$)/.exec(l)?.[1] ?? l);
}

/** A counter of the IPVS table's service row (its cells name their column). */
async function serviceCounter(column: 'inPkts' | 'outPkts'): Promise<number> {
  const cell = page.locator(`.ipvs-table tr.ipvs-service td[data-col="${column}"]`).first();
  return Number((await cell.textContent())?.replace(/[^\d]/g, '') ?? 'NaN');
}

describe('tun-arptables from the UI on the built-in kernel', () => {
  it('starts the lab from the picker', async () => {
    await page.goto(`${e2e.url}&e2e=1`);
    const card = page.locator(`[aria-label="${LAB_TITLE}"]`).first();
    await card.waitFor();
    await e2e.shot('01-lab-picker');
    await card.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByRole('button', { name: 'Stop lab' }).waitFor({ timeout: 180_000 });
    // The button shows as soon as the lab's containers exist; the lab runs once they all started.
    await page.locator('.lab-header .health-running', { hasText: 'running' }).waitFor({ timeout: 180_000 });
    await e2e.shot('02-lab-running');
  });

  it('runs every step: every check passes', async () => {
    const steps = page.locator('li.step');
    const count = await steps.count();
    expect(count).toBeGreaterThanOrEqual(5);
    for (let i = 0; i < count; i++) {
      const step = steps.nth(i);
      await step.locator('.step-head').click();
      await step.getByRole('button', { name: 'Run for me' }).click();
      await step.locator('.check-results').waitFor({ timeout: 120_000 });
      const classes = (await step.locator('.check-results').getAttribute('class')) ?? '';
      expect(classes, `step ${i + 1}: ${(await step.locator('.check-results').textContent()) ?? ''}`).toMatch(
        /check-ok/,
      );
    }
    await expect(page.locator('li.step.step-done').count()).resolves.toBe(count);
    await e2e.shot('03-all-steps-passed');
  });

  it('the live panel alternates strictly between server2 and server3, without errors, 50/50', async () => {
    await page.getByRole('tab', { name: 'Live round robin' }).click();
    // Slow enough that no two requests are in flight together: the order the client sends in is
    // the order IPVS schedules in.
    await page.getByLabel('Requests per second', { exact: true }).fill('4');
    await page.getByLabel('Duration in seconds').fill('6');
    await page.getByRole('button', { name: 'Start', exact: true }).last().click();
    // While it runs, the topology draws the path from the counters: requests into the director,
    // the tunnel to each real server, and their replies straight to the client.
    for (const flow of ['request', 'tunnel-server2', 'tunnel-server3', 'reply-server2', 'reply-server3']) {
      await page.locator(`.topology [data-flow="${flow}"]`).first().waitFor({ timeout: 15_000 });
    }
    await page.locator('.topology').scrollIntoViewIfNeeded();
    await e2e.shot('04-live-path');
    await page.getByText(/Probe ended: duration/).waitFor({ timeout: 60_000 });
    const servers = await stripServers();
    expect(servers.length).toBeGreaterThanOrEqual(20);
    expect(new Set(servers)).toEqual(new Set(['server2', 'server3']));
    for (let i = 1; i < servers.length; i++) expect(servers[i], `answer ${i + 1}`).not.toBe(servers[i - 1]);
    const count = (node: string) => servers.filter((s) => s === node).length;
    expect(Math.abs(count('server2') - count('server3'))).toBeLessThanOrEqual(1);
    const stat = (label: string) =>
      page
        .locator('.probe-summary .stat', { has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) })
        .locator('dd');
    await expect(stat('Errors').textContent()).resolves.toBe('0');
    await expect(stat('Timeouts').textContent()).resolves.toBe('0');
    await e2e.shot('05-round-robin-panel');
  });

  it('the IPVS table shows InPkts growing and OutPkts at 0', async () => {
    await page.getByRole('tab', { name: 'IPVS table' }).click();
    await page.locator('.ipvs-table tr.ipvs-service').first().waitFor({ timeout: 30_000 });
    const before = await serviceCounter('inPkts');
    // More requests through the VIP, from the client's own shell.
    await e2e.service.exec(
      'client',
      'for i in 1 2 3 4 5 6; do curl -s -m 2 http://172.25.88.100/ >/dev/null; done',
      LAB,
    );
    // IPVS folds its counters in every 2 s, and the panel reads the table every 2 s.
    let after = before;
    for (let attempt = 0; attempt < 15 && after <= before; attempt++) {
      await page.waitForTimeout(1000);
      after = await serviceCounter('inPkts');
    }
    expect(after).toBeGreaterThan(before);
    expect(await serviceCounter('outPkts')).toBe(0);
    await e2e.shot('06-ipvs-table');
  });

  it("a curl loop typed in the client's terminal shows the pages alternating", async () => {
    await page.getByRole('tab', { name: 'Terminals' }).click();
    await page
      .getByRole('tablist', { name: 'Terminals' })
      .getByRole('tab', { name: /client/ })
      .click();
    const pane = page.locator('.terminal-pane[data-node="client"]');
    await pane.waitFor();
    await pane.click();
    await page.keyboard.type(
      'for i in 1 2 3 4 5 6; do curl -s -m 2 http://172.25.88.100/; echo; done; echo loop-$((40+2))',
    );
    await page.keyboard.press('Enter');
    const text = await e2e.terminalShows('client', /loop-42/, 30_000);
    const pages = [...text.matchAll(/<h1>(server\d)<\/h1>/g)].map((m) => m[1]);
    expect(pages).toHaveLength(6);
    for (let i = 1; i < pages.length; i++) expect(pages[i]).not.toBe(pages[i - 1]);
    await e2e.shot('07-terminal-curl-loop');
  });

  it('stops the lab, leaving nothing behind', async () => {
    await e2e.stopLabFromUi(120_000);
    expect((await e2e.service.status()).find((s) => s.labId === LAB)).toBeUndefined();
  });
});
