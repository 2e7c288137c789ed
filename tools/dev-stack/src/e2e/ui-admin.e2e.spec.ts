/**
 * Issue 6 point 3 in Chromium, through the shell and the gateway: the admin remote (`apps/admin-ui`).
 *
 * - tenant admin (`admin`): "Administrare", the "Utilizatori" table, "Invită utilizator" (client-side validation,
 *   then the temporary password once), 409 `USER_EXISTS` shown, disabling oneself refused (409
 *   `USER_SELF_LOCKOUT` shown), disabling and enabling another user, changing roles;
 * - platform operator (`operator`, realm `platform`): the "Companii" table, "Companie nouă" refusing a wrong CIF
 *   control digit before sending, creating a tenant with the saga's steps shown and the first admin's temporary
 *   password, suspend and resume.
 *
 * axe: no serious or critical violation in the remote's area (`<main>`) of each page. Screenshots: `test-artifacts/ui/admin/`.
 */
import { randomBytes } from 'node:crypto';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newUserContext, screenshots, submitLoginForm } from './ui-browser.js';
import { DEMO_ADMIN, DEMO_OPERATOR, startUiPlatform, type UiPlatform } from './ui-platform.js';

let ui: UiPlatform;
let browser: Browser;
const shot = screenshots('admin');
const createdSlug = `ui-adm-${randomBytes(3).toString('hex')}`;

/**
 * Serious or critical axe violations (WCAG 2.1 A/AA + best practice) inside the shell's `<main>`, where the admin
 * remote renders: the shell's own header and navigation are checked by the shell's tests.
 */
async function remoteA11yViolations(page: Page): Promise<Array<{ id: string; targets: string[] }>> {
  const result = await new AxeBuilder({ page }).include('main').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

/** Runs `fn`; on failure saves a screenshot `<name>-failed` and adds the page's URL and text to the error. */
async function withPage(page: Page, name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    await shot(page, `${name}-failed`).catch(() => undefined);
    const text = await page.locator('body').innerText().catch(() => '');
    throw new Error(`${err instanceof Error ? err.message : String(err)}\nat ${page.url()}\npage text: ${text.slice(0, 1500)}`, { cause: err });
  }
}

beforeAll(async () => {
  ui = await startUiPlatform();
  browser = await launchChromium();
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await ui?.platformApi.saga.delete(createdSlug).catch(() => undefined);
  await ui?.close();
});

describe('admin remote (screenshots in test-artifacts/ui/admin)', () => {
  it('tenant admin: users table, invite with a one-time password, USER_EXISTS, self-lockout refused, disable/enable, roles', async () => {
    const ctx = await newUserContext(browser);
    const page = await ctx.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await withPage(page, 'tenant-admin', async () => {
    await page.goto(`${ui.shellUrl}/administrare`);
    await submitLoginForm(page, DEMO_ADMIN.username, DEMO_ADMIN.password);
    await page.getByRole('heading', { level: 1, name: 'Administrare' }).waitFor({ timeout: 30_000 });
    const users = page.getByRole('table', { name: 'Utilizatori' });
    await users.getByRole('rowheader', { name: /ana\.contabil/ }).waitFor({ timeout: 30_000 });
    expect(await users.getByRole('rowheader', { name: /^admin/ }).textContent()).toContain('(dumneavoastră)');
    for (const h of ['Utilizator', 'E-mail', 'Roluri', 'Stare', 'Acțiuni în așteptare']) expect(await users.getByRole('columnheader', { name: h, exact: true }).count()).toBe(1);
    await shot(page, 'users');
    expect(await remoteA11yViolations(page)).toEqual([]);

    // Client-side validation: nothing is sent with a bad e-mail and no role.
    const form = page.getByRole('form', { name: 'Invită utilizator' });
    await form.getByLabel('Nume de utilizator').fill('Maria.Pop');
    await form.getByLabel('E-mail').fill('maria-at-example.ro');
    await form.getByRole('checkbox', { name: 'utilizator', exact: true }).uncheck();
    await form.getByRole('button', { name: 'Invită' }).click();
    await form.getByText('Adresă de e-mail invalidă.').waitFor();
    await form.getByText('Alegeți cel puțin un rol.').waitFor();
    await shot(page, 'invite-validation');

    await form.getByLabel('E-mail').fill('maria.pop@example.ro');
    await form.getByRole('checkbox', { name: 'contabil', exact: true }).check();
    await form.getByRole('button', { name: 'Invită' }).click();
    const password = page.getByRole('textbox', { name: 'Parola temporară a utilizatorului maria.pop' });
    await password.waitFor({ timeout: 30_000 });
    expect(await password.inputValue()).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const maria = users.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'maria.pop' }) });
    await maria.waitFor({ timeout: 30_000 });
    expect(await maria.textContent()).toContain('contabil');
    expect(await maria.textContent()).toContain('schimbare parolă');
    await shot(page, 'invited-password-once');
    expect(await remoteA11yViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Închide' }).click();
    expect(await password.count()).toBe(0);

    // The same username again: 409 USER_EXISTS, shown.
    await form.getByLabel('Nume de utilizator').fill('maria.pop');
    await form.getByLabel('E-mail').fill('maria.pop@example.ro');
    await form.getByRole('button', { name: 'Invită' }).click();
    await page.getByRole('alert').filter({ hasText: 'Există deja un utilizator' }).waitFor({ timeout: 30_000 });
    await shot(page, 'user-exists');

    // Keyboard only: focus the first field, type, Tab through, Space on a role, Enter to send.
    await form.getByLabel('Nume de utilizator').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('ion.tastatura');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('ion@example.ro');
    await page.keyboard.press('Tab'); // administrator
    await page.keyboard.press('Tab'); // contabil
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
    await page.getByRole('textbox', { name: 'Parola temporară a utilizatorului ion.tastatura' }).waitFor({ timeout: 30_000 });
    const ion = users.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'ion.tastatura' }) });
    await ion.waitFor({ timeout: 30_000 });
    expect(await ion.textContent()).toContain('contabil');
    await shot(page, 'invited-with-keyboard');

    // Disabling oneself: 409 USER_SELF_LOCKOUT, shown; the account stays enabled.
    await users.getByRole('button', { name: 'Dezactivează utilizatorul admin' }).click();
    await page.getByRole('alert').filter({ hasText: 'Nu vă puteți dezactiva propriul cont' }).waitFor({ timeout: 30_000 });
    await shot(page, 'self-lockout');

    // Disable and enable another user, with the keyboard.
    await users.getByRole('button', { name: 'Dezactivează utilizatorul maria.pop' }).focus();
    await page.keyboard.press('Enter');
    await maria.getByText('dezactivat', { exact: true }).waitFor({ timeout: 30_000 });
    await users.getByRole('button', { name: 'Activează utilizatorul maria.pop' }).click();
    await maria.getByText('activ', { exact: true }).waitFor({ timeout: 30_000 });

    // Change roles: accountant -> user.
    await users.getByRole('button', { name: 'Schimbă rolurile utilizatorului maria.pop' }).click();
    const editor = page.getByRole('group', { name: 'Rolurile utilizatorului maria.pop' });
    await editor.getByRole('checkbox', { name: 'contabil', exact: true }).uncheck();
    await editor.getByRole('checkbox', { name: 'utilizator', exact: true }).check();
    await maria.getByRole('button', { name: 'Salvează rolurile' }).click();
    await maria.getByRole('button', { name: 'Schimbă rolurile utilizatorului maria.pop' }).waitFor({ timeout: 30_000 });
    expect(await maria.textContent()).not.toContain('contabil');
    expect(await maria.textContent()).toContain('utilizator');
    await shot(page, 'roles-changed');

    // The shell's language switch reaches the remote (locale prop): English texts, same data.
    await page.locator('header select').selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor({ timeout: 10_000 });
    await page.getByRole('table', { name: 'Users' }).getByRole('button', { name: 'Enable user maria.pop' }).or(page.getByRole('button', { name: 'Disable user maria.pop' })).waitFor();
    await page.getByRole('form', { name: 'Invite user' }).waitFor();
    await shot(page, 'english');
    expect(await remoteA11yViolations(page)).toEqual([]);
    });
    expect(pageErrors).toEqual([]);
    await ctx.close();
  });

  it('platform operator: tenants table, CIF refused before sending, a new tenant with its steps and password, suspend/resume', async () => {
    const ctx = await newUserContext(browser);
    const page = await ctx.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await withPage(page, 'operator', async () => {
    await page.goto(`${ui.operatorShellUrl}/administrare`);
    await submitLoginForm(page, DEMO_OPERATOR.username, DEMO_OPERATOR.password);
    await page.getByRole('heading', { level: 1, name: 'Administrare' }).waitFor({ timeout: 30_000 });
    const tenants = page.getByRole('table', { name: 'Companii' });
    await tenants.getByRole('rowheader', { name: ui.platform.tenant.slug }).waitFor({ timeout: 30_000 });
    await shot(page, 'tenants');
    expect(await remoteA11yViolations(page)).toEqual([]);

    const requests: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && requests.push(r.url()));
    const form = page.getByRole('form', { name: 'Companie nouă' });
    await form.getByLabel('Identificator (slug)').fill(createdSlug);
    await form.getByLabel('Denumire').fill('Firma de test UI SRL');
    await form.getByLabel('CIF').fill('RO14399841');
    await form.getByLabel('E-mail administrator').fill(`admin@${createdSlug}.ro`);
    await form.getByRole('button', { name: 'Creează compania' }).click();
    await form.getByText('CIF invalid').waitFor();
    expect(requests).toEqual([]); // refused before sending
    await shot(page, 'create-cif-refused');

    await form.getByLabel('CIF').fill('RO14399840');
    await form.getByRole('button', { name: 'Creează compania' }).click();
    await page.getByText(`Compania ${createdSlug} a fost creată.`).waitFor({ timeout: 120_000 });
    const steps = page.getByRole('list', { name: `Progresul creării companiei ${createdSlug}` }).getByRole('listitem');
    expect(await steps.allTextContents()).toEqual(['realm: reușit', 'bază de date: reușit', 'bucket: reușit', 'secrete: reușit', 'eveniment: reușit']);
    const password = page.getByRole('textbox', { name: /^Parola temporară a administratorului / });
    expect(await password.inputValue()).toMatch(/\S{12,}/);
    await shot(page, 'created-with-steps-and-password');
    expect(await remoteA11yViolations(page)).toEqual([]);

    // The same slug with another CIF: 409 TENANT_STATE_CONFLICT, shown.
    await form.getByLabel('CIF').fill('41832096');
    await form.getByRole('button', { name: 'Creează compania' }).click();
    await page.getByRole('alert').filter({ hasText: 'Operația nu este permisă în starea actuală a companiei.' }).waitFor({ timeout: 30_000 });
    await shot(page, 'create-conflict');

    const row = tenants.getByRole('row').filter({ has: page.getByRole('rowheader', { name: createdSlug }) });
    await row.getByText('activă', { exact: true }).waitFor({ timeout: 30_000 });
    await row.getByRole('button', { name: `Suspendă compania ${createdSlug}` }).click();
    await row.getByText('suspendată', { exact: true }).waitFor({ timeout: 30_000 });
    await shot(page, 'suspended');
    await row.getByRole('button', { name: `Reactivează compania ${createdSlug}` }).click();
    await row.getByText('activă', { exact: true }).waitFor({ timeout: 30_000 });
    });
    expect(pageErrors).toEqual([]);
    await ctx.close();
  });
});
