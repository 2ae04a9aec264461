// A trainer's lab from the UI alone, in Debian's Chromium against browser mode on a real Docker
// Engine: import a bundle through the picker's file input, see it among "Your labs", start it and
// see its steps; a hostile bundle refused with its reason; "Make my own copy" of a shipped lab.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserLabActions } from '../../main/core/library/user-lab-actions.js';
import { repoRoot, startE2E, type E2E } from './harness.js';

const LAB = 'my-first-tun';
const scratch = mkdtempSync(path.join(os.tmpdir(), 'lvslab-e2e-trainer-'));

let e2e: E2E;
let page: Page;

beforeAll(async () => {
  e2e = await startE2E({ screenshots: 'screenshots-trainer' });
  page = e2e.page;
  await e2e.service.runtime.down(LAB);
  page.on('dialog', (dialog) => void dialog.accept());
  // The bundle a trainer would hand over: the guide's worked example, packed.
  const packer = new UserLabActions(e2e.service.library, path.join(scratch, 'unused'), '0.1.0');
  const { bytes } = await packer.pack(path.join(repoRoot, 'test/fixtures/trainer/first-lab'), 'A Trainer');
  writeFileSync(path.join(scratch, `${LAB}.lvslab`), bytes);
  // A bundle whose manifest was not updated after its lab was edited.
  const tampered = Buffer.from(bytes);
  writeFileSync(path.join(scratch, 'tampered.lvslab'), tamperedGzip(tampered));
});

afterAll(async () => {
  await e2e.close();
  await e2e.service.runtime.down(LAB);
});

describe("a trainer's bundle from the UI alone", () => {
  it('imports a bundle through the picker, and lists it among your labs', async () => {
    await page.goto(`${e2e.url}&e2e=1`);
    await page.getByTestId('import-file-input').setInputFiles(path.join(scratch, `${LAB}.lvslab`));
    const card = page.getByTestId('user-labs').getByTestId(`lab-card-${LAB}`);
    await card.waitFor({ timeout: 30_000 });
    await expect(card.textContent()).resolves.toContain('My first LVS-TUN lab');
    await card.scrollIntoViewIfNeeded();
    await e2e.shot('01-imported');
  });

  it('refuses a changed bundle, saying why, and lists nothing new', async () => {
    await page.getByTestId('import-file-input').setInputFiles(path.join(scratch, 'tampered.lvslab'));
    const error = page.getByTestId('import-error');
    await error.waitFor({ timeout: 30_000 });
    await expect(error.textContent()).resolves.toMatch(/damaged|does not match|not an LVS Lab bundle/);
    expect(await page.getByTestId('user-labs').locator('[data-testid^="lab-card-"]').count()).toBe(1);
    await e2e.shot('02-refused');
  });

  it('starts the imported lab and shows its steps', async () => {
    await page.getByTestId(`lab-start-${LAB}`).click();
    await page.getByText('Give the director the VIP').first().waitFor({ timeout: 120_000 });
    await page
      .getByText('Real servers - the VIP on tunl0, hidden from ARP, rp_filter relaxed')
      .first()
      .waitFor();
    const status = await e2e.service.status();
    expect(status.find((s) => s.labId === LAB)?.health).toBe('running');
    await e2e.shot('03-started');
    await e2e.stopLabFromUi(60_000);
  });

  it('makes my own copy of a shipped lab', async () => {
    await page.getByRole('button', { name: '← All labs' }).or(page.getByText('← All labs')).first().click();
    await page.getByTestId('lab-copy-tun-arptables').click();
    await page
      .getByTestId('user-labs')
      .getByTestId('lab-card-tun-arptables-copy')
      .waitFor({ timeout: 30_000 });
    await e2e.shot('04-copied');
  });
});

/** The bundle with one byte of its compressed data changed: gzip's own check then fails. */
function tamperedGzip(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  const middle = Math.floor(copy.length / 2);
  copy[middle] = (copy[middle] ?? 0) ^ 0xff;
  return copy;
}
