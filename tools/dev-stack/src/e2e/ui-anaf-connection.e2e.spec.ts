/**
 * Issue 10 points 1 and 3 in Chromium, the invoicing remote inside the shell: the tenant admin opens "Conexiune ANAF",
 * sees the tenant's own company authorised (365 days left), connects it again through ANAF's OAuth flow in a new tab,
 * adds a second company (the CUI check digit is checked in the browser first) and connects it, synchronises the SPV
 * inbox of a company and sees the run end with its counts, sees the second company `refused` with ANAF's reason after a
 * sync met ANAF's 403 on it (the simulator's `forbidCif`), and sees the 30-day warning of an expiring authorisation.
 * The accountant sees the screen without the admin's buttons, and fills a buyer in the invoice editor from its CUI
 * (GET /v1/taxpayers/:cui against the simulator's fixture `tools/anaf-sim/fixtures/taxpayers.json`). axe-core finds no
 * serious or critical violation on the screen and on the editor with the lookup shown. Screenshots:
 * `test-artifacts/ui/anaf-connection/`.
 *
 * Two things are arranged rather than lived through:
 * - the OAuth redirect: the test platform registers `http://127.0.0.1/anaf/callback` as the ANAF redirect URI (a host
 *   nothing listens on; in production it is invoicing-api's public callback behind the gateway). The browser's request
 *   to the simulator's authorize endpoint is passed to the simulator unchanged and its 302 is pointed at the same path
 *   and query on the gateway (`/api/invoicing/v1/anaf/oauth/callback?code&state`); the code exchange, the state check
 *   and the callback page are the real ones.
 * - the expiring authorisation: the own company's `refresh_expires_at` is moved to now + 12 days in the tenant
 *   database (`tenantQuery`), as 353 days would have done; `GET /v1/anaf/companies` then runs the real 30-day check.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newUserContext, screenshots, seriousA11yViolations, submitLoginForm } from './ui-browser.js';
import { DEMO_ACCOUNTANT, DEMO_ADMIN, startUiPlatform, type UiPlatform } from './ui-platform.js';

/** A second company of the tenant (valid CUI check digit; not in the simulator's taxpayer fixture). */
const SECOND_CIF = '14399840';
/** Taxpayers of the simulator's fixture: a VAT-registered company in Cluj, and an inactive one no longer VAT registered. */
const TRANSILVANIA = '35246718';
const MOLDOVA_INACTIVE = '34567892';

let ui: UiPlatform;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
let ownCif: string;
const shot = screenshots('anaf-connection');

/**
 * Passes the browser's authorize request to the simulator and sends its redirect to the API's real callback through
 * the gateway (see the file comment).
 */
async function routeOAuthThroughGateway(context: BrowserContext): Promise<void> {
  await context.route(`${ui.platform.sim.url}/anaf-oauth2/v1/authorize**`, async (route) => {
    const answer = await route.fetch({ maxRedirects: 0 });
    const location = answer.headers()['location'];
    if (answer.status() !== 302 || !location) return route.fulfill({ response: answer });
    const back = new URL(location);
    await route.fulfill({ status: 302, headers: { location: `${ui.shellUrl}/api/invoicing/v1/anaf/oauth/callback${back.search}` } });
  });
}

const row = (cif: string) => page.locator(`tr[data-cif="${cif}"]`);
/** The status badge's text of a company (its DOM text: the badge upper-cases it with CSS only). */
const badge = async (cif: string) => (await row(cif).locator('[data-status]').textContent())?.trim();
const warning = (cif: string) => page.locator(`[data-testid="anaf-warning"][data-cif="${cif}"]`);

/** Clicks "Conectează la ANAF" of a company and waits for the callback page in the new tab; returns its text. */
async function connect(cif: string): Promise<string> {
  const tab = ctx.waitForEvent('page');
  await row(cif).getByRole('button', { name: 'Conectează la ANAF' }).click();
  const popup = await tab;
  try {
    await popup.waitForURL(/\/v1\/anaf\/oauth\/callback\?/, { timeout: 30_000 });
    await popup.getByRole('heading', { name: 'ANAF e-Factura connected' }).waitFor({ timeout: 30_000 });
    return await popup.locator('body').innerText();
  } finally {
    await popup.close();
  }
}

/** Clicks "Sincronizează acum" of a company and waits until its run panel shows an ended run; returns the status. */
async function syncNow(cif: string): Promise<string> {
  await row(cif).getByRole('button', { name: 'Sincronizează acum' }).click();
  const panel = page.locator(`[data-testid="sync-run"][data-cif="${cif}"]`);
  await expect.poll(() => panel.getAttribute('data-status'), { timeout: 60_000 }).toMatch(/^(done|failed|skipped)$/);
  return (await panel.getAttribute('data-status'))!;
}

beforeAll(async () => {
  ui = await startUiPlatform();
  ownCif = ui.platform.tenant.cif;
  browser = await launchChromium();
  ctx = await newUserContext(browser);
  await routeOAuthThroughGateway(ctx);
  page = await ctx.newPage();
  await page.goto(ui.shellUrl);
  await submitLoginForm(page, DEMO_ADMIN.username, DEMO_ADMIN.password);
  await page.getByRole('heading', { level: 1, name: 'Facturi' }).waitFor({ timeout: 30_000 });
}, 300_000);
afterAll(async () => {
  await ctx?.close();
  await browser?.close();
  await ui?.close();
});

describe('ANAF connection screen (screenshots in test-artifacts/ui/anaf-connection)', () => {
  it('the tenant admin sees the own company authorised for 365 days and connects it again through ANAF in a new tab', async () => {
    await page.getByRole('link', { name: 'Conexiune ANAF' }).click();
    await page.getByRole('heading', { level: 1, name: 'Conexiune ANAF' }).waitFor({ timeout: 30_000 });
    await expect.poll(() => row(ownCif).getAttribute('data-status'), { timeout: 30_000 }).toBe('authorized');
    expect(await badge(ownCif)).toBe('autorizată');
    expect(await row(ownCif).getByTestId('days-left').innerText()).toBe('365 de zile');
    expect(await page.getByTestId('anaf-warning').count()).toBe(0);
    await shot(page, 'own-company-authorised');
    expect(await seriousA11yViolations(page)).toEqual([]);

    const [before] = await ui.platform.tenantQuery<{ at: Date }>(`SELECT authorized_at AS at FROM efactura.anaf_company WHERE cif = $1`, [ownCif]);
    const callbackPage = await connect(ownCif);
    expect(callbackPage).toContain(`CIF ${ownCif}`);
    // the screen polls while the connection is under way, until the authorisation changed
    await page.getByText('Autentifică-te la ANAF în fila deschisă', { exact: false }).waitFor({ state: 'detached', timeout: 30_000 });
    const [after] = await ui.platform.tenantQuery<{ at: Date }>(`SELECT authorized_at AS at FROM efactura.anaf_company WHERE cif = $1`, [ownCif]);
    expect(after!.at.getTime()).toBeGreaterThan(before!.at.getTime());
    expect(await row(ownCif).getAttribute('data-status')).toBe('authorized');
  });

  it('synchronises the own company inbox now and shows the run until it ends, with its counts', async () => {
    expect(await syncNow(ownCif)).toBe('done');
    const panel = page.locator(`[data-testid="sync-run"][data-cif="${ownCif}"]`);
    expect(await panel.innerText()).toContain(`Sincronizare SPV, CIF ${ownCif}: terminată`);
    for (const k of ['listed', 'newMessages', 'archived', 'receivedInvoices', 'failed', 'pending']) {
      expect(await panel.locator(`dd[data-count="${k}"]`).innerText(), k).toMatch(/^\d+$/);
    }
    expect(await panel.locator('dd[data-count="failed"]').innerText()).toBe('0');
    await shot(page, 'own-company-synced');
  });

  it('adds a second company (a wrong check digit is refused in the browser) and connects it', async () => {
    const cui = page.getByRole('textbox', { name: 'CUI', exact: true });
    await cui.fill('14399841');
    await page.getByRole('textbox', { name: 'Denumire', exact: true }).fill('Filiala Test SRL');
    await page.getByRole('button', { name: 'Adaugă compania' }).click();
    await page.getByText('CUI invalid: cifra de control nu se potrivește.').waitFor({ timeout: 10_000 });
    expect(await row('14399841').count()).toBe(0);
    await shot(page, 'add-company-invalid-cui');

    await cui.fill(`RO${SECOND_CIF}`);
    await page.getByRole('button', { name: 'Adaugă compania' }).click();
    await expect.poll(() => row(SECOND_CIF).getAttribute('data-status'), { timeout: 30_000 }).toBe('not_authorized');
    expect(await row(SECOND_CIF).innerText()).toContain('Filiala Test SRL');
    expect(await badge(SECOND_CIF)).toBe('neconectată');
    // not authorised: no inbox sync offered
    expect(await row(SECOND_CIF).getByRole('button', { name: 'Sincronizează acum' }).count()).toBe(0);
    await shot(page, 'second-company-added');

    expect(await connect(SECOND_CIF)).toContain(`CIF ${SECOND_CIF} (Filiala Test SRL)`);
    await expect.poll(() => row(SECOND_CIF).getAttribute('data-status'), { timeout: 30_000 }).toBe('authorized');
    expect(await row(SECOND_CIF).getByTestId('days-left').innerText()).toBe('365 de zile');
  });

  it('shows the second company refused, with ANAF reason, after a sync met ANAF 403 on its CIF', async () => {
    ui.platform.sim.forbidCif(SECOND_CIF);
    try {
      expect(await syncNow(SECOND_CIF)).toBe('skipped');
    } finally {
      ui.platform.sim.allowCif(SECOND_CIF);
    }
    await expect.poll(() => row(SECOND_CIF).getAttribute('data-status'), { timeout: 30_000 }).toBe('refused');
    expect(await badge(SECOND_CIF)).toBe('refuzată de ANAF');
    const alert = warning(SECOND_CIF);
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.getAttribute('role')).toBe('alert');
    expect(await alert.innerText()).toContain(`ANAF a refuzat accesul la CIF ${SECOND_CIF}`);
    expect(await alert.getByTestId('refused-reason').innerText()).toContain('HTTP 403');
    // the own company is not touched
    expect(await row(ownCif).getAttribute('data-status')).toBe('authorized');
    await shot(page, 'second-company-refused');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('warns 30 days before the authorisation ends: the own company 12 days before', async () => {
    await ui.platform.tenantQuery(`UPDATE efactura.anaf_company SET refresh_expires_at = now() + interval '12 days' WHERE cif = $1`, [ownCif]);
    await page.goto(`${ui.shellUrl}/facturi/anaf`);
    await page.getByRole('heading', { level: 1, name: 'Conexiune ANAF' }).waitFor({ timeout: 30_000 });
    await expect.poll(() => row(ownCif).getAttribute('data-status'), { timeout: 30_000 }).toBe('expiring');
    expect(await badge(ownCif)).toBe('expiră curând');
    expect(await row(ownCif).getByTestId('days-left').innerText()).toBe('12 zile');
    const alert = warning(ownCif);
    expect(await alert.getAttribute('data-status')).toBe('expiring');
    expect(await alert.innerText()).toContain(`Autorizarea ANAF a CIF ${ownCif} expiră în 12 zile`);
    // both alerts at once: the refused company keeps its own
    expect(await warning(SECOND_CIF).getAttribute('data-status')).toBe('refused');
    // the API's 30-day check ran: the company row is marked warned (one event per authorisation)
    const [r] = await ui.platform.tenantQuery<{ status: string; warned: boolean }>(`SELECT status, warned_at IS NOT NULL AS warned FROM efactura.anaf_company WHERE cif = $1`, [ownCif]);
    expect(r).toEqual({ status: 'expiring', warned: true });
    await shot(page, 'own-company-expiring');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('the accountant sees the statuses without the admin buttons, and fills a buyer from its CUI in the editor', async () => {
    const accCtx = await newUserContext(browser);
    try {
      const acc = await accCtx.newPage();
      await acc.goto(`${ui.shellUrl}/facturi/anaf`);
      await submitLoginForm(acc, DEMO_ACCOUNTANT.username, DEMO_ACCOUNTANT.password);
      await acc.getByRole('heading', { level: 1, name: 'Conexiune ANAF' }).waitFor({ timeout: 30_000 });
      await acc.locator(`tr[data-cif="${ownCif}"]`).waitFor({ timeout: 30_000 });
      expect(await acc.getByRole('button', { name: 'Conectează la ANAF' }).count()).toBe(0);
      expect(await acc.getByRole('button', { name: 'Adaugă compania' }).count()).toBe(0);
      expect(await acc.locator(`tr[data-cif="${ownCif}"]`).getByRole('button', { name: 'Sincronizează acum' }).count()).toBe(1);
      await acc.getByText('Doar un administrator al companiei').waitFor();
      await shot(acc, 'accountant-read-only');

      // the inactive, no longer VAT-registered taxpayer: its name filled on leaving the field, warnings shown
      await acc.goto(`${ui.shellUrl}/facturi/noua`);
      const field = (name: string) => acc.getByRole('textbox', { name, exact: true });
      await field('CIF cumpărător').fill(MOLDOVA_INACTIVE);
      await field('CIF cumpărător').press('Tab');
      await expect.poll(() => acc.getByTestId('buyer-lookup').innerText(), { timeout: 30_000 }).not.toBe('');
      expect(await acc.getByTestId('buyer-lookup').innerText()).toContain('Registrul ANAF: MOLDOVA PAPETARIE SRL');
      expect(await field('Cumpărător').inputValue()).toBe('MOLDOVA PAPETARIE SRL');
      expect(await field('CIF cumpărător').inputValue()).toBe(MOLDOVA_INACTIVE); // not VAT registered: stays BT-47
      const warn = await acc.getByTestId('buyer-warning').innerText();
      expect(warn).toContain('Contribuabil INACTIV la ANAF');
      expect(warn).toContain('Nu este înregistrat în scopuri de TVA');
      await shot(acc, 'editor-buyer-inactive');
      expect(await seriousA11yViolations(acc)).toEqual([]);

      // a VAT-registered taxpayer through the button: typed name kept, the rest filled as the API answers
      await acc.goto(`${ui.shellUrl}/facturi/noua`);
      await field('Cumpărător').fill('Client tastat de mine SRL');
      await field('CIF cumpărător').fill(TRANSILVANIA);
      await acc.getByRole('button', { name: 'Caută la ANAF' }).click();
      await expect.poll(() => field('CIF cumpărător').inputValue(), { timeout: 30_000 }).toBe(`RO${TRANSILVANIA}`);
      const api = await ui.platform.apiCall('GET', `/v1/taxpayers/${TRANSILVANIA}`);
      expect(api.status).toBe(200);
      const view = api.json as { name: string; address: { street: string; city: string; county: string } };
      expect(view.address).toMatchObject({ city: 'Cluj-Napoca', county: 'RO-CJ' });
      expect(await field('Cumpărător').inputValue()).toBe('Client tastat de mine SRL');
      expect(await field('Stradă și număr (cumpărător)').inputValue()).toBe(view.address.street);
      expect(await field('Localitate (cumpărător)').inputValue()).toBe('Cluj-Napoca');
      expect(await acc.getByRole('combobox', { name: 'Județ (cumpărător)' }).inputValue()).toBe('RO-CJ');
      const shown = await acc.getByTestId('buyer-lookup').innerText();
      expect(shown).toContain(`Registrul ANAF: ${view.name}`);
      expect(shown).toContain('Nr. Reg. Com. J12/3456/2015');
      expect(await acc.getByTestId('buyer-warning').count()).toBe(0);
      // BR-RO-120 and the address rules are met by what was filled: no finding on the buyer's fields
      expect(await acc.getByTestId('findings').count()).toBe(0);
      await shot(acc, 'editor-buyer-filled');
      expect(await seriousA11yViolations(acc)).toEqual([]);
    } finally {
      await accCtx.close();
    }
  });
});
