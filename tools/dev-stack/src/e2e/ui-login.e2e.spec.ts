/**
 * Issue 6 acceptance in Chromium: the demo accountant logs in through the identity server's form and gets the
 * Romanian invoice list ("Facturi"); the same with the keyboard alone (Tab/Enter), on to the invoice editor; the
 * language switch and the user menu's logout. Accessibility (axe) is checked by `ui-a11y.e2e.spec.ts`. Screenshots of each step:
 * `test-artifacts/ui/login/`.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newUserContext, screenshots, submitLoginForm } from './ui-browser.js';
import { DEMO_ACCOUNTANT, startUiPlatform, type UiPlatform } from './ui-platform.js';

let ui: UiPlatform;
let browser: Browser;
const shot = screenshots('login');

beforeAll(async () => {
  ui = await startUiPlatform();
  browser = await launchChromium();
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await ui?.close();
});

/** Presses Tab until `target` has the focus (at most `max` times); fails listing what got the focus instead. */
async function tabTo(page: Page, target: Locator, max = 40): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await target.first().evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement).catch(() => false)) return;
    // (a string: this program's TypeScript has no DOM types; it runs in the page)
    seen.push(await page.evaluate<string>(`(() => { const a = document.activeElement; return (a ? a.tagName.toLowerCase() + '#' + a.id + ':' + (a.getAttribute('aria-label') || a.textContent || '').trim().slice(0, 30) : '-'); })()`));
  }
  throw new Error(`Tab never reached the element; the focus went through: ${seen.join(' | ')}`);
}

describe('log in to the shell in Chromium (screenshots in test-artifacts/ui/login)', () => {
  it('the demo accountant logs in through #username/#password/#kc-login and sees the Romanian invoice list; switches to English and back; logs out', async () => {
    const ctx = await newUserContext(browser);
    const page = await ctx.newPage();
    await page.goto(ui.shellUrl);
    await page.locator('#kc-login').waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).origin).toBe(new URL(ui.platform.identity.url).origin);
    await shot(page, 'login-form');

    await submitLoginForm(page, DEMO_ACCOUNTANT.username, DEMO_ACCOUNTANT.password);
    await page.getByRole('heading', { level: 1, name: 'Facturi' }).waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).host).toBe(`${ui.platform.tenant.slug}.localhost:${ui.gatewayPort}`);
    const nav = page.getByRole('navigation');
    await expect(nav.getByRole('link', { name: 'Facturi' }).count()).resolves.toBe(1);
    // The accountant is not a tenant admin: no "Administrare" in the navigation.
    await expect(nav.getByRole('link', { name: 'Administrare' }).count()).resolves.toBe(0);
    for (const header of ['Număr', 'Cumpărător', 'Data', 'Total', 'Stare']) {
      await expect(page.getByRole('columnheader', { name: header, exact: true }).count()).resolves.toBe(1);
    }
    await expect(page.getByRole('button', { name: DEMO_ACCOUNTANT.username }).count()).resolves.toBe(1);
    await shot(page, 'invoice-list');

    // Language switch: English, then back to Romanian.
    await page.getByRole('combobox', { name: /limb|language/i }).selectOption({ label: 'English' });
    await page.getByRole('heading', { level: 1, name: 'Invoices' }).waitFor({ timeout: 10_000 });
    await expect(nav.getByRole('link', { name: 'Invoices' }).count()).resolves.toBe(1);
    await shot(page, 'invoice-list-english');
    await page.getByRole('combobox', { name: /limb|language/i }).selectOption({ label: 'Română' });
    await page.getByRole('heading', { level: 1, name: 'Facturi' }).waitFor({ timeout: 10_000 });

    // User menu → Deconectare ends the session: the next visit asks for the password again.
    await page.getByRole('button', { name: DEMO_ACCOUNTANT.username }).click();
    await page.getByRole('menuitem', { name: 'Deconectare' }).click();
    // The identity server's end-session endpoint (OIDC RP-Initiated Logout 1.0) may ask to confirm, as Keycloak does.
    await page.waitForURL((u) => u.pathname.endsWith('/protocol/openid-connect/logout'), { timeout: 15_000 });
    const confirm = page.getByRole('button', { name: /sign out|log out|logout|yes/i });
    if (await confirm.count()) await confirm.first().click();
    // Back at the shell without a session: keycloak-js (login-required) sends the browser to the login form.
    await page.locator('#kc-login').waitFor({ timeout: 30_000 });
    await page.goto(ui.shellUrl);
    await page.locator('#kc-login').waitFor({ timeout: 30_000 });
    await shot(page, 'after-logout-login-form');
    await ctx.close();
  });

  it('keyboard only: Tab/Enter log in, reach the invoice list, open the editor and type in it', async () => {
    const ctx = await newUserContext(browser);
    const page = await ctx.newPage();
    await page.goto(ui.shellUrl);
    await page.locator('#kc-login').waitFor({ timeout: 30_000 });
    await tabTo(page, page.locator('#username'));
    await page.keyboard.type(DEMO_ACCOUNTANT.username);
    await tabTo(page, page.locator('#password'));
    await page.keyboard.type(DEMO_ACCOUNTANT.password);
    await shot(page, 'keyboard-login-form');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Facturi' }).waitFor({ timeout: 30_000 });
    await shot(page, 'keyboard-invoice-list');

    await tabTo(page, page.getByRole('button', { name: 'Factură nouă' }).or(page.getByRole('link', { name: 'Factură nouă' })));
    await page.keyboard.press('Enter');
    const number = page.getByLabel('Număr factură');
    await number.waitFor({ timeout: 15_000 });
    // Tab reaches the editor's first field, and typing there fills it.
    await tabTo(page, number, 60);
    await page.keyboard.type('KBD-1');
    expect(await number.inputValue()).toBe('KBD-1');
    await shot(page, 'keyboard-editor');
    await ctx.close();
  });
});
