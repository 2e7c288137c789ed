/**
 * Issue 7 follow-up in Chromium, the invoicing remote inside the shell (real platform: PostgreSQL, RabbitMQ, S3
 * server, identity server, ANAF simulator, worker): an imported UBL that our validator finds invalid (CIUS-RO
 * BR-RO-010 mutant of the conformance set) is sent and ends `invalidă`; a malformed upload shows its problem
 * (`UBL_MALFORMED`); the corrected UBL (`ro-phive/ubl_b2g_example1.xml`) uploaded with "Încarcă versiunea corectată"
 * becomes version 2 in `ciornă`, is sent and accepted, and both versions are listed with their states. Then a full
 * credit note of an accepted invoice: "Emite notă de credit (integral)" opens the new credit note, which is sent and
 * accepted, and the original lists it with the amount still due at 0. Screenshots: `test-artifacts/ui/corrections/`.
 */
import { randomBytes } from 'node:crypto';
import { DEMO_INVOICE_DOCUMENT } from '@cetate/invoicing-domain';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newUserContext, screenshots, seriousA11yViolations, submitLoginForm } from './ui-browser.js';
import { DEMO_ACCOUNTANT, startUiPlatform, type UiPlatform } from './ui-platform.js';

const CONFORMANCE = '/work/shared/conformance/invoices';
/** Fails CIUS-RO BR-RO-010 in our own validator: the invoice ends `invalid` without reaching ANAF. */
const INVALID_XML = `${CONFORMANCE}/ro-mut/mut_BR-RO-010.xml`;
/** A valid CIUS-RO B2G invoice (BT-1 `12115118`): the correction ANAF accepts. */
const CORRECTED_XML = `${CONFORMANCE}/ro-phive/ubl_b2g_example1.xml`;

let ui: UiPlatform;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
const shot = screenshots('corrections');

beforeAll(async () => {
  ui = await startUiPlatform();
  browser = await launchChromium();
  ctx = await newUserContext(browser);
  page = await ctx.newPage();
  await page.goto(ui.shellUrl);
  await submitLoginForm(page, DEMO_ACCOUNTANT.username, DEMO_ACCOUNTANT.password);
  await page.getByRole('heading', { level: 1, name: 'Facturi' }).waitFor({ timeout: 30_000 });
}, 300_000);
afterAll(async () => {
  await ctx?.close();
  await browser?.close();
  await ui?.close();
});

/** `data-state` of each row of the versions table, by version number, e.g. `{ 1: 'invalid', 2: 'accepted' }`. */
async function versionStates(): Promise<Record<string, string>> {
  const rows = page.locator('tr[data-version]');
  const pairs = await rows.evaluateAll((els) => els.map((e) => [e.getAttribute('data-version') ?? '', e.getAttribute('data-state') ?? '']));
  return Object.fromEntries(pairs);
}

const fileInput = () => page.locator('main input[type="file"]');

describe('correct and re-send, credit note (screenshots in test-artifacts/ui/corrections)', () => {
  it('imports an invalid UBL, sends it (invalidă), uploads the corrected version, sends it (acceptată), lists both versions', async () => {
    await page.getByRole('link', { name: 'Importă UBL' }).click();
    await page.getByRole('heading', { level: 1, name: 'Import UBL' }).waitFor({ timeout: 15_000 });
    await fileInput().setInputFiles(INVALID_XML);
    const sendButton = page.getByRole('button', { name: 'Trimite la ANAF' });
    await sendButton.waitFor({ timeout: 30_000 });
    const id = /\/facturi\/([0-9a-f-]{36})$/.exec(new URL(page.url()).pathname)?.[1];
    expect(id).toBeDefined();
    await sendButton.click();
    await expect.poll(versionStates, { timeout: 60_000 }).toEqual({ 1: 'invalid' });
    expect(await page.locator('main').innerText()).toContain('BR-RO-010');
    await page.getByRole('heading', { level: 2, name: 'Corectare' }).waitFor();
    await shot(page, 'invalid-with-correction');
    expect(await seriousA11yViolations(page)).toEqual([]);

    // a malformed file: the problem (code and trace id) is shown, nothing is stored
    await fileInput().setInputFiles({ name: 'stricat.xml', mimeType: 'application/xml', buffer: Buffer.from('<Invoice><cbc:ID>') });
    const problem = page.getByRole('alert').filter({ hasText: 'UBL_MALFORMED' });
    await problem.waitFor({ timeout: 15_000 });
    expect(await problem.innerText()).toContain('Cod de urmărire');
    await shot(page, 'malformed-correction-problem');
    expect((await ui.platform.client.get(id!)).versions).toHaveLength(1);

    await fileInput().setInputFiles(CORRECTED_XML);
    await page.getByRole('status').filter({ hasText: 'Versiunea 2 a fost creată (ciornă)' }).waitFor({ timeout: 30_000 });
    expect(await versionStates()).toEqual({ 1: 'invalid', 2: 'draft' });
    expect(await page.getByRole('heading', { level: 2, name: 'Corectare' }).count()).toBe(0);
    await shot(page, 'version-2-draft');
    await sendButton.click();
    await expect.poll(versionStates, { timeout: 60_000 }).toEqual({ 1: 'invalid', 2: 'accepted' });
    await page.getByRole('button', { name: 'ZIP ANAF, versiunea 2' }).waitFor();
    expect(await page.locator('h1').innerText()).toBe('12115118');
    // imported as UBL: the API cannot credit it (CREDIT_NOTE_NEEDS_JSON_SOURCE), so the action is not offered
    expect(await page.getByRole('button', { name: 'Emite notă de credit (integral)' }).count()).toBe(0);
    await shot(page, 'version-2-accepted');

    const detail = await ui.platform.client.get(id!);
    expect(detail.versions.map((v) => [v.version, v.source, v.efactura.state])).toEqual([
      [1, 'xml', 'invalid'],
      [2, 'xml', 'accepted'],
    ]);
  });

  it('issues a full credit note of an accepted invoice, sends it, and the original shows it with nothing left due', async () => {
    const number = `UI-CN-${randomBytes(3).toString('hex').toUpperCase()}`;
    const inv = await ui.platform.client.create({ ...DEMO_INVOICE_DOCUMENT, number });
    await ui.platform.client.send(inv.id);
    expect((await ui.platform.client.waitForFinal(inv.id, { timeoutMs: 60_000 })).efactura.state).toBe('accepted');

    await page.goto(`${ui.shellUrl}/facturi/${inv.id}`);
    await page.getByRole('heading', { level: 1, name: number }).waitFor({ timeout: 30_000 });
    expect(await page.getByText('Nicio notă de credit.').count()).toBe(1);
    await page.getByRole('button', { name: 'Emite notă de credit (integral)' }).click();
    await page.getByRole('heading', { level: 1, name: `${number}-NC1` }).waitFor({ timeout: 30_000 });
    await shot(page, 'credit-note-draft');
    await page.getByRole('button', { name: 'Trimite la ANAF' }).click();
    await expect.poll(versionStates, { timeout: 60_000 }).toEqual({ 1: 'accepted' });

    await page.getByRole('link', { name: 'Factura creditată de această notă' }).click();
    await page.getByRole('heading', { level: 1, name: number }).waitFor({ timeout: 30_000 });
    const row = page.locator('tr[data-credit-note-id]');
    await expect.poll(() => row.locator('[data-state]').getAttribute('data-state'), { timeout: 30_000 }).toBe('accepted');
    expect(await row.getByRole('link').innerText()).toBe(`${number}-NC1`);
    const due = page.locator('dt', { hasText: 'Rest de plată' }).locator('xpath=following-sibling::dd[1]');
    expect((await due.innerText()).replace(/\s+/g, ' ')).toBe('0,00 lei');
    await shot(page, 'original-with-credit-note');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });
});
