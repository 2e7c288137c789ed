/**
 * Issue 6 acceptance, accessibility: axe-core (`@axe-core/playwright`, WCAG 2.0/2.1 A + AA and best practices) on
 * each page of the UI reports no `serious` or `critical` violation: the login form, the invoice list, the editor,
 * an invoice's detail with ANAF's messages, the administration page, and the shell's fallback of a remote that is
 * down. The invoicing pages as the demo accountant, the administration and the fallback as the demo tenant admin,
 * the companies page as the platform operator. Screenshots: `test-artifacts/ui/a11y/`.
 */
import { DEMO_INVOICE_DOCUMENT } from '@cetate/invoicing-domain';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newUserContext, screenshots, seriousA11yViolations, submitLoginForm } from './ui-browser.js';
import { DEMO_ACCOUNTANT, DEMO_ADMIN, DEMO_OPERATOR, startUiPlatform, type UiPlatform } from './ui-platform.js';

let ui: UiPlatform;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
let invoiceId: string;
const shot = screenshots('a11y');

beforeAll(async () => {
  ui = await startUiPlatform();
  invoiceId = (await ui.platform.client.create({ ...DEMO_INVOICE_DOCUMENT, number: 'A11Y-1' })).id;
  browser = await launchChromium();
  ctx = await newUserContext(browser);
  page = await ctx.newPage();
}, 300_000);
afterAll(async () => {
  await ctx?.close();
  await browser?.close();
  await ui?.close();
});

describe('axe: no serious or critical violation (screenshots in test-artifacts/ui/a11y)', () => {
  it('login form', async () => {
    await page.goto(`${ui.shellUrl}/facturi`);
    await page.locator('#kc-login').waitFor({ timeout: 30_000 });
    await shot(page, 'login-form');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await submitLoginForm(page, DEMO_ACCOUNTANT.username, DEMO_ACCOUNTANT.password);
    await page.getByRole('heading', { level: 1, name: 'Facturi' }).waitFor({ timeout: 30_000 });
  });

  it('invoice list', async () => {
    await page.getByRole('row').filter({ hasText: 'A11Y-1' }).waitFor({ timeout: 30_000 });
    await shot(page, 'invoice-list');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('invoice editor', async () => {
    await page.getByRole('button', { name: 'Factură nouă' }).click();
    await page.getByRole('textbox', { name: 'Număr factură', exact: true }).waitFor({ timeout: 15_000 });
    await shot(page, 'invoice-editor');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('invoice detail', async () => {
    await page.goto(`${ui.shellUrl}/facturi/${invoiceId}`);
    await page.getByRole('button', { name: 'Trimite la ANAF' }).waitFor({ timeout: 30_000 });
    await shot(page, 'invoice-detail');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('administration (tenant admin: users)', async () => {
    await ctx.close();
    ctx = await newUserContext(browser);
    page = await ctx.newPage();
    await page.goto(`${ui.shellUrl}/administrare`);
    await submitLoginForm(page, DEMO_ADMIN.username, DEMO_ADMIN.password);
    await page.getByRole('navigation').getByRole('link', { name: 'Administrare' }).click();
    await page.getByRole('heading', { level: 1, name: 'Administrare' }).waitFor({ timeout: 30_000 });
    await page.getByText('Utilizatori').first().waitFor({ timeout: 30_000 });
    await shot(page, 'administration');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('administration (platform operator: companies)', async () => {
    const opCtx = await newUserContext(browser);
    try {
      const op = await opCtx.newPage();
      await op.goto(`${ui.operatorShellUrl}/administrare`);
      await submitLoginForm(op, DEMO_OPERATOR.username, DEMO_OPERATOR.password);
      await op.getByRole('heading', { level: 1, name: 'Administrare' }).waitFor({ timeout: 30_000 });
      await op.getByText('Companii').first().waitFor({ timeout: 30_000 });
      await shot(op, 'administration-operator');
      expect(await seriousA11yViolations(op)).toEqual([]);
    } finally {
      await opCtx.close();
    }
  });

  it('fallback of a remote that is down', async () => {
    await ui.remotes.invoicing.stop();
    try {
      await page.goto(`${ui.shellUrl}/facturi`);
      await page.getByRole('alert').filter({ hasText: 'Modulul nu este disponibil' }).waitFor({ timeout: 30_000 });
      await shot(page, 'remote-fallback');
      expect(await seriousA11yViolations(page)).toEqual([]);
    } finally {
      await ui.remotes.invoicing.start();
    }
  });
});
