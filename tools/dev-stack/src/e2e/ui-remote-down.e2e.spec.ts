/**
 * Issue 6 acceptance in Chromium: the invoicing remote's own server is stopped; the shell shows its fallback
 * (`role="alert"` with "Modulul nu este disponibil" and a "Reîncearcă" button) while the admin remote still works;
 * the server is started again and "Reîncearcă" brings the invoice list back without reloading the page. Logged in
 * as the demo tenant admin (sees both modules). Accessibility (axe) is checked by `ui-a11y.e2e.spec.ts`.
 * Screenshots of each step: `test-artifacts/ui/remote-down/`.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newUserContext, screenshots, submitLoginForm } from './ui-browser.js';
import { DEMO_ADMIN, startUiPlatform, type UiPlatform } from './ui-platform.js';

let ui: UiPlatform;
let browser: Browser;
const shot = screenshots('remote-down');

beforeAll(async () => {
  ui = await startUiPlatform();
  browser = await launchChromium();
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await ui?.close();
});

describe('a remote is down (screenshots in test-artifacts/ui/remote-down)', () => {
  it('shows the fallback for invoicing while admin works, and Reîncearcă loads it once its server is back', async () => {
    await ui.remotes.invoicing.stop();
    const down = await fetch(`http://127.0.0.1:${ui.gatewayPort}/remotes/invoicing/mf-manifest.json`);
    expect(down.status).toBe(502);

    const ctx = await newUserContext(browser);
    const page = await ctx.newPage();
    // A page load must not be stopped by the missing remote: the shell reports the load error in place.
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${ui.shellUrl}/facturi`);
    await submitLoginForm(page, DEMO_ADMIN.username, DEMO_ADMIN.password);
    const alert = page.getByRole('alert').filter({ hasText: 'Modulul nu este disponibil' });
    await alert.waitFor({ timeout: 30_000 });
    const retry = alert.getByRole('button', { name: 'Reîncearcă' });
    expect(await retry.count()).toBe(1);
    await shot(page, 'invoicing-fallback');

    // The rest of the shell works: the admin remote loads from its own server.
    await page.getByRole('navigation').getByRole('link', { name: 'Administrare' }).click();
    await page.getByRole('heading', { level: 1, name: 'Administrare' }).waitFor({ timeout: 30_000 });
    await page.getByText('Utilizatori').first().waitFor({ timeout: 30_000 });
    await shot(page, 'admin-works-while-invoicing-down');

    // Still down: back to Facturi, the fallback again.
    await page.getByRole('navigation').getByRole('link', { name: 'Facturi' }).click();
    await alert.waitFor({ timeout: 30_000 });

    await ui.remotes.invoicing.start();
    expect((await fetch(`http://127.0.0.1:${ui.gatewayPort}/remotes/invoicing/mf-manifest.json`)).status).toBe(200);
    const navigations: string[] = [];
    page.on('framenavigated', (f) => f === page.mainFrame() && navigations.push(f.url()));
    await alert.getByRole('button', { name: 'Reîncearcă' }).click();
    await page.getByRole('heading', { level: 1, name: 'Facturi' }).waitFor({ timeout: 30_000 });
    expect(await alert.count()).toBe(0);
    expect(navigations).toEqual([]); // retried in place, not a page reload
    await shot(page, 'invoicing-back-after-retry');
    expect(pageErrors).toEqual([]);
    await ctx.close();
  });
});
