/**
 * Browser side of the UI tests (issue 6): Debian's Chromium driven by `playwright-core` (never a downloaded
 * browser), a screenshot per step under `test-artifacts/ui/`, an axe-core check per page, and the login through
 * the identity server's form (Keycloak's ids `username`, `password`, `kc-login`).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { REPO_ROOT } from '../ui-build.js';

/** Chromium of the Debian package `chromium` (`tools/scripts/setup.sh` installs it); `CHROMIUM_PATH` overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags of every launch: no sandbox (containers run as root), no GPU, no QUIC, and none of Chromium's own
 * background traffic (component updates, sync, first-run pages) so the only requests are the app's.
 */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Starts Chromium headless; `playwright-core`'s `launch` gives it a fresh temporary user-data-dir. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** A fresh context (own cookies and storage: a new user), Romanian locale, 1280×900. */
export function newUserContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ locale: 'ro-RO', viewport: { width: 1280, height: 900 } });
}

/** Root of the screenshots of the UI tests: `<repo>/test-artifacts/ui` (gitignored). */
export const UI_ARTIFACTS_DIR = join(REPO_ROOT, 'test-artifacts', 'ui');

/**
 * Screenshots of one test file: `shot(page, 'login-form')` writes `test-artifacts/ui/<suite>/NN-login-form.png`
 * (NN counts up per suite) and returns the path.
 */
export function screenshots(suite: string): (page: Page, step: string) => Promise<string> {
  let n = 0;
  const dir = join(UI_ARTIFACTS_DIR, suite);
  return async (page, step) => {
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${String(++n).padStart(2, '0')}-${step.replace(/[^a-z0-9-]+/gi, '-')}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  };
}

/** One axe violation of impact `serious` or `critical`, reduced to what a report needs. */
export interface SeriousViolation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules plus best practices) on the page as it is now and returns the
 * violations of impact `serious` or `critical` (an empty array is the pass condition of issue 6).
 */
export async function seriousA11yViolations(page: Page): Promise<SeriousViolation[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact ?? '', help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

/** Fills the identity server's login form (`#username`, `#password`) and presses `#kc-login`. */
export async function submitLoginForm(page: Page, username: string, password: string): Promise<void> {
  await page.locator('#username').waitFor({ timeout: 30_000 });
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('#kc-login');
}
