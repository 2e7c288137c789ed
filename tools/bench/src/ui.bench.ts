/**
 * `npm run bench -- ui` (issue 6): what the web UI costs a user.
 *
 * 1. **Gzipped JavaScript on first load, from the build** (`apps/<app>/dist`, gzip level 6 with `node:zlib`, what
 *    a gateway with compression sends): shell = the scripts of `index.html` plus every chunk of `dist/static/js`
 *    (the host's bootstrap and its shared singletons load at start: an upper bound); remote = `remoteEntry.js` and
 *    the `sync` JS of its `./App` expose in `mf-manifest.json` (the shared singletons come from the shell).
 *    Targets: shell <= 250 KB, each remote <= 120 KB.
 * 2. **Gzipped JavaScript observed in Chromium**: every script response of a real first load (new browser context,
 *    logged in as the demo tenant admin, invoice list then administration), attributed by path: `/remotes/<name>/`
 *    to that remote, the rest to the shell.
 * 3. **Navigation to an interactive list of `invoices` invoices** (default 1,000, created through the API first):
 *    wall time from `page.goto(<shell>/facturi)` in a new tab of the demo accountant (already logged in: the identity server's session answers the
 *    keycloak-js redirect at once) until the invoice table shows rows, the `Factură nouă` button is enabled and
 *    the page's main thread answers an animation frame. Median and max of `runs` runs after one warm-up.
 *    Target <= 1.5 s.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEMO_INVOICE_DOCUMENT } from '@cetate/invoicing-domain';
import { launchChromium, newUserContext, submitLoginForm } from '@cetate/dev-stack/ui-browser';
import { distDir, ensureUiBuilt, type UiApp } from '@cetate/dev-stack/ui-build';
import { DEMO_ACCOUNTANT, DEMO_ADMIN, startUiPlatform } from '@cetate/dev-stack/ui-platform';
import { median, type BenchRow } from './stats.js';

/** Options of {@link benchUi}. */
export interface UiBenchOptions {
  /** Invoices in the tenant before the list is timed (default 1000). */
  invoices: number;
  /** Timed navigations after the warm-up (default 5). */
  runs: number;
  log: (line: string) => void;
}

/** Targets of issue 6, KB (1 KB = 1024 bytes) gzipped, and ms. */
export const UI_TARGETS = { shellKb: 250, remoteKb: 120, listMs: 1500 } as const;

const gz = (b: Buffer) => gzipSync(b).length;
const kb = (bytes: number) => bytes / 1024;

async function jsFilesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await jsFilesUnder(p)));
    else if (e.name.endsWith('.js')) out.push(p);
  }
  return out;
}

/** Gzipped bytes of the first-load JavaScript of one app, read from its build (see the module doc). */
export async function firstLoadGzipFromDist(app: UiApp): Promise<{ bytes: number; files: number }> {
  const dir = distDir(app);
  const files = new Set<string>();
  if (app === 'shell') {
    const html = await readFile(join(dir, 'index.html'), 'utf8');
    for (const m of html.matchAll(/<script[^>]+src="([^"]+)"/g)) files.add(join(dir, m[1]!.replace(/^\//, '')));
    for (const f of await jsFilesUnder(join(dir, 'static', 'js'))) files.add(f);
  } else {
    const manifest = JSON.parse(await readFile(join(dir, 'mf-manifest.json'), 'utf8')) as {
      metaData: { remoteEntry: { name: string; path: string } };
      exposes: Array<{ path: string; assets: { js: { sync: string[] } } }>;
    };
    const entry = manifest.metaData.remoteEntry;
    files.add(join(dir, entry.path, entry.name));
    const expose = manifest.exposes.find((e) => e.path === './App');
    if (!expose) throw new Error(`apps/${app}/dist/mf-manifest.json exposes no ./App`);
    for (const f of expose.assets.js.sync) files.add(join(dir, f));
  }
  let bytes = 0;
  for (const f of files) bytes += gz(await readFile(f));
  return { bytes, files: files.size };
}

async function pool<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    for (let i = next++; i < items.length; i = next++) await fn(items[i]!);
  }));
}

/** Runs the three measurements (see the module doc); everything it starts is stopped, its databases dropped. */
export async function benchUi(o: UiBenchOptions): Promise<BenchRow[]> {
  const S = 'ui';
  const rows: BenchRow[] = [];
  const built = await ensureUiBuilt();
  if (built.length) o.log(`built ${built.join(', ')}`);
  for (const app of ['shell', 'invoicing-ui', 'admin-ui'] as const) {
    const { bytes, files } = await firstLoadGzipFromDist(app);
    const target = UI_TARGETS.remoteKb;
    const note =
      app === 'shell'
        ? `${files} files: index.html scripts + every chunk (upper bound; the target applies to the Chromium row)`
        : `${files} files: remoteEntry + ./App sync chunks; target <= ${target} KB${kb(bytes) > target ? ' MISSED' : ''}`;
    rows.push({ section: S, metric: `${app} first-load JS gzip (dist)`, value: kb(bytes), unit: 'KB', note });
  }

  const ui = await startUiPlatform({ build: false });
  const browser = await launchChromium();
  try {
    // ---- observed first load -------------------------------------------------------------------------------
    const ctx = await newUserContext(browser);
    const page = await ctx.newPage();
    // One entry per URL: the shell loads twice (before the login redirect and after it), its scripts count once.
    const scripts = new Map<string, { owner: string; bytes: number }>();
    const pending: Promise<void>[] = [];
    page.on('response', (res) => {
      if (res.request().resourceType() !== 'script') return;
      const url = new URL(res.url());
      if (url.port !== String(ui.gatewayPort)) return; // the identity server's pages have no scripts; be sure
      const owner = /^\/remotes\/([^/]+)\//.exec(url.pathname)?.[1] ?? 'shell';
      pending.push(res.body().then((b) => void scripts.set(url.href, { owner, bytes: gz(b) }), () => undefined));
    });
    await page.goto(`${ui.shellUrl}/facturi`);
    await submitLoginForm(page, DEMO_ADMIN.username, DEMO_ADMIN.password);
    await page.getByRole('heading', { level: 1, name: 'Facturi' }).waitFor({ timeout: 60_000 });
    await page.getByRole('navigation').getByRole('link', { name: 'Administrare' }).click();
    await page.getByRole('heading', { level: 1, name: 'Administrare' }).waitFor({ timeout: 60_000 });
    await Promise.all(pending);
    const observed = new Map<string, number>([['shell', 0], ['invoicing', 0], ['admin', 0]]);
    for (const { owner, bytes } of scripts.values()) observed.set(owner, (observed.get(owner) ?? 0) + bytes);
    for (const [owner, bytes] of observed) {
      const target = owner === 'shell' ? UI_TARGETS.shellKb : UI_TARGETS.remoteKb;
      rows.push({ section: S, metric: `${owner} first-load JS gzip (Chromium)`, value: kb(bytes), unit: 'KB', note: `target <= ${target} KB${kb(bytes) > target ? ' MISSED' : ''}` });
    }

    // ---- 1,000 invoices, then the list ---------------------------------------------------------------------
    const t0 = performance.now();
    let made = 0;
    await pool(Array.from({ length: o.invoices }, (_, i) => i), 8, async (i) => {
      await ui.platform.client.create({ ...DEMO_INVOICE_DOCUMENT, number: `BENCH-${String(i + 1).padStart(5, '0')}` });
      if (++made % 250 === 0) o.log(`created ${made}/${o.invoices} invoices`);
    });
    rows.push({ section: S, metric: 'seed invoices through the API', value: (performance.now() - t0) / 1000, unit: 's', note: `${o.invoices} POST /v1/invoices, 8 in flight` });

    await ctx.close();
    // The accountant (who may create invoices) logs in once; each timed run opens a new tab of that session.
    const user = await newUserContext(browser);
    const login = await user.newPage();
    await login.goto(`${ui.shellUrl}/facturi`);
    await submitLoginForm(login, DEMO_ACCOUNTANT.username, DEMO_ACCOUNTANT.password);
    await login.getByRole('heading', { level: 1, name: 'Facturi' }).waitFor({ timeout: 60_000 });
    await login.close();
    const samples: number[] = [];
    let shownRows = 0;
    for (let run = 0; run <= o.runs; run++) {
      const p = await user.newPage();
      const start = performance.now();
      await p.goto(`${ui.shellUrl}/facturi`);
      await p.getByRole('heading', { level: 1, name: 'Facturi' }).waitFor({ timeout: 60_000 });
      await p.getByRole('row').filter({ hasText: 'BENCH-' }).first().waitFor({ timeout: 60_000 });
      const button = p.getByRole('button', { name: 'Factură nouă' }).or(p.getByRole('link', { name: 'Factură nouă' })).first();
      await button.waitFor({ state: 'visible' });
      if (await button.isDisabled()) throw new Error('the "Factură nouă" button is disabled');
      await p.evaluate('new Promise((r) => requestAnimationFrame(() => r(null)))');
      const ms = performance.now() - start;
      shownRows = await p.getByRole('row').filter({ hasText: 'BENCH-' }).count();
      if (run > 0) samples.push(ms); // run 0 warms the caches and the API's tenant connection
      await p.close();
    }
    const med = median(samples);
    rows.push({
      section: S,
      metric: `navigation → interactive list (${o.invoices} invoices), median`,
      value: med,
      unit: 'ms',
      note: `${samples.length} runs, max ${Math.round(Math.max(...samples))} ms, ${shownRows} rows on the first page; target <= ${UI_TARGETS.listMs} ms${med > UI_TARGETS.listMs ? ' MISSED' : ''}`,
    });
    await user.close();
  } finally {
    await browser.close();
    await ui.close();
  }
  return rows;
}
