/**
 * Issue 6 acceptance in Chromium, the invoicing remote inside the shell: the demo accountant creates an invoice
 * with two VAT rates (21 % and 11 %) and sees the totals computed as typed; a validation finding (with its rule id)
 * appears when a required field is emptied and disappears when it is filled again; the invoice is sent and reaches
 * `acceptată`; a rejected invoice shows ANAF's message. Accessibility is checked by
 * `ui-a11y.e2e.spec.ts`. Screenshots of each step: `test-artifacts/ui/invoice-flow/`.
 *
 * The ANAF simulator rejects invoices numbered `REJECT-*` (a rule our own validation does not know), as in
 * `anaf-rejects.e2e.spec.ts`.
 */
import { randomBytes } from 'node:crypto';
import { DEMO_INVOICE_DOCUMENT, validateUbl } from '@cetate/invoicing-domain';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newUserContext, screenshots, submitLoginForm } from './ui-browser.js';
import { DEMO_ACCOUNTANT, startUiPlatform, type UiPlatform } from './ui-platform.js';

const ANAF_MESSAGE = 'numarul facturii (BT-1) nu este acceptat';
let ui: UiPlatform;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
const shot = screenshots('invoice-flow');

beforeAll(async () => {
  ui = await startUiPlatform({
    simValidate: (xml) => {
      const own = validateUbl(xml);
      if (!xml.toString('utf8').includes('<cbc:ID>REJECT-')) return own;
      const message = `[BR-RO-999]-Regula noua a ANAF (simulata): ${ANAF_MESSAGE}`;
      return { valid: false, fatal: [message], messages: [{ ruleId: 'BR-RO-999', message, flag: 'fatal' }] };
    },
  });
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

/** The total the editor shows for `which` (`taxExclusive`, `tax`, `payable`), e.g. `297,50 lei`. */
async function totalShown(which: 'taxExclusive' | 'tax' | 'payable'): Promise<string> {
  return (await page.locator(`dd[data-total="${which}"]`).innerText()).replace(/\s+/g, ' ').trim();
}

/** Rule ids of the validation findings listed in the editor right now. */
async function findingsShown(): Promise<string[]> {
  const items = page.getByTestId('findings').locator('[data-rule-id]');
  return (await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-rule-id') ?? ''))).sort();
}

const field = (name: string) => page.getByRole('textbox', { name, exact: true });

describe('invoices in the shell (screenshots in test-artifacts/ui/invoice-flow)', () => {
  it('creates an invoice with 21 % and 11 % lines, totals live, a finding appears and disappears, sends it, sees acceptată', async () => {
    const doc = DEMO_INVOICE_DOCUMENT;
    const number = `UI-${randomBytes(3).toString('hex').toUpperCase()}`;
    await page.getByRole('button', { name: 'Factură nouă' }).click();
    await field('Număr factură').fill(number);
    await field('Denumire vânzător').fill(doc.seller.name);
    await field('CIF vânzător').fill(doc.seller.vatIdentifier!);
    await field('Stradă și număr (vânzător)').fill(doc.seller.address.street!);
    await field('Localitate (vânzător)').fill(doc.seller.address.city!);
    await page.getByRole('combobox', { name: 'Județ (vânzător)' }).selectOption(doc.seller.address.countrySubdivision!);
    await field('Cumpărător').fill(doc.buyer.name);
    await field('CIF cumpărător').fill(doc.buyer.vatIdentifier!);
    await field('Stradă și număr (cumpărător)').fill(doc.buyer.address.street!);
    await field('Localitate (cumpărător)').fill(doc.buyer.address.city!);
    await page.getByRole('combobox', { name: 'Județ (cumpărător)' }).selectOption(doc.buyer.address.countrySubdivision!);

    await field('Descriere').nth(0).fill('Servicii de consultanță');
    await field('Cantitate').nth(0).fill('2');
    await field('Preț unitar').nth(0).fill('100');
    await page.getByRole('combobox', { name: 'Cota TVA' }).nth(0).selectOption({ label: 'S 21 %' });
    await page.getByRole('button', { name: 'Adaugă linie' }).click();
    await field('Descriere').nth(1).fill('Carte tehnică');
    await field('Cantitate').nth(1).fill('1');
    await field('Preț unitar').nth(1).fill('50');
    await page.getByRole('combobox', { name: 'Cota TVA' }).nth(1).selectOption({ label: 'S 11 %' });
    // 2 × 100 at 21 % + 1 × 50 at 11 %: net 250,00, VAT 42,00 + 5,50 = 47,50, payable 297,50 (Romanian format).
    await expect.poll(() => totalShown('taxExclusive')).toBe('250,00 lei');
    expect(await totalShown('tax')).toBe('47,50 lei');
    expect(await totalShown('payable')).toBe('297,50 lei');
    expect(await findingsShown()).toEqual([]);
    await shot(page, 'editor-two-vat-rates');

    // The buyer's CIF emptied: CIUS-RO BR-RO-120 (buyer VAT id or legal registration id) shows; filled: gone.
    await field('CIF cumpărător').fill('');
    await expect.poll(findingsShown).toEqual(['BR-RO-120']);
    expect(await page.getByTestId('findings').innerText()).toContain('CIF cumpărător');
    await shot(page, 'editor-finding-BR-RO-120-shown');
    await field('CIF cumpărător').fill(doc.buyer.vatIdentifier!);
    await expect.poll(findingsShown).toEqual([]);
    await shot(page, 'editor-finding-gone');

    await page.getByRole('button', { name: 'Salvează' }).click();
    await page.getByRole('button', { name: 'Trimite la ANAF' }).waitFor({ timeout: 30_000 });
    await shot(page, 'invoice-saved');
    await page.getByRole('button', { name: 'Trimite la ANAF' }).click();
    await page.getByText('acceptată', { exact: true }).first().waitFor({ timeout: 60_000 });
    await shot(page, 'invoice-accepted');
  });

  it('opens a rejected invoice and shows ANAF message next to its rule id and the field it concerns', async () => {
    const inv = await ui.platform.client.create({ ...DEMO_INVOICE_DOCUMENT, number: `REJECT-${randomBytes(3).toString('hex')}` });
    await ui.platform.client.send(inv.id);
    expect((await ui.platform.client.waitForFinal(inv.id, { timeoutMs: 60_000 })).efactura.state).toBe('rejected');

    await page.goto(`${ui.shellUrl}/facturi`);
    await page.getByRole('heading', { level: 1, name: 'Facturi' }).waitFor({ timeout: 30_000 });
    const row = page.getByRole('row').filter({ hasText: inv.number });
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain('respinsă');
    await shot(page, 'list-with-rejected');
    await row.getByRole('link', { name: inv.number }).click();
    await page.getByText(ANAF_MESSAGE, { exact: false }).first().waitFor({ timeout: 30_000 });
    expect(await page.locator('main').innerText()).toContain('BR-RO-999');
    // the field the message concerns, named next to it (from the business term it cites)
    const anafRow = page.locator('tr[data-rule-id="BR-RO-999"]');
    expect(await anafRow.getByTestId('message-fields').innerText()).toBe('Număr factură (BT-1)');
    await shot(page, 'rejected-detail');
  });

  it('filters the list by buyer and issue date', async () => {
    const doc = DEMO_INVOICE_DOCUMENT;
    await ui.platform.client.create({ ...doc, number: 'FILTER-2025', issueDate: '2025-09-15', buyer: { ...doc.buyer, name: 'Maramures Lemn SRL' } });
    await ui.platform.client.create({ ...doc, number: 'FILTER-2026', issueDate: '2026-11-20', buyer: { ...doc.buyer, name: 'Maramures Lemn SRL' } });
    await page.goto(`${ui.shellUrl}/facturi`);
    await page.getByRole('heading', { level: 1, name: 'Facturi' }).waitFor({ timeout: 30_000 });
    const rowNumbers = async () => (await page.locator('tr[data-invoice-id] td:first-child').allInnerTexts()).map((x) => x.trim()).sort();
    await page.getByRole('textbox', { name: 'Caută după cumpărător' }).fill('maramures');
    await expect.poll(rowNumbers, { timeout: 15_000 }).toEqual(['FILTER-2025', 'FILTER-2026']);
    await page.getByLabel('Emise de la').fill('2026-01-01');
    await expect.poll(rowNumbers, { timeout: 15_000 }).toEqual(['FILTER-2026']);
    await shot(page, 'list-filtered');
    await page.getByLabel('Emise de la').fill('');
    await page.getByRole('textbox', { name: 'Caută după cumpărător' }).fill('');
    await expect.poll(async () => (await rowNumbers()).length, { timeout: 15_000 }).toBeGreaterThan(2);
  });
});
