/**
 * Builds the UI apps of issue 6 (`apps/shell`, `apps/invoicing-ui`, `apps/admin-ui`) for the browser tests and the
 * `ui` bench, only when their `dist` is missing or older than their sources.
 *
 * "Older" compares the newest modification time under the app's `src/`, its `rsbuild.config.ts` and `index.html`,
 * and `libs/shared/ui/src` (imported by every app) with the mtime of `dist/index.html`. Concurrent test files
 * (Vitest runs two integration files at once) serialise on a lock directory per app in the OS temp dir, so two
 * processes never write the same `dist` at once.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rmdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (absolute, with a trailing slash). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The UI apps, as directory names under `apps/`. */
export const UI_APPS = ['shell', 'invoicing-ui', 'admin-ui'] as const;
/** One of {@link UI_APPS}. */
export type UiApp = (typeof UI_APPS)[number];

/** Absolute path of an app's build output (`apps/<app>/dist`). */
export function distDir(app: UiApp): string {
  return join(REPO_ROOT, 'apps', app, 'dist');
}

async function newestMtime(path: string): Promise<number> {
  const st = await stat(path).catch(() => undefined);
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of await readdir(path)) {
    if (e === 'node_modules' || e === 'dist') continue;
    newest = Math.max(newest, await newestMtime(join(path, e)));
  }
  return newest;
}

/**
 * Whether `apps/<app>/dist` is missing or older than what its build reads: its own sources, config and
 * `index.html`, AND every other UI app's sources (the shared `@mantine/core` is tree-shaken to the exports all UI
 * apps import, ADR 0022), `libs/shared/ui` and the root `package.json` (shared versions).
 */
export async function needsBuild(app: UiApp): Promise<boolean> {
  const appDir = join(REPO_ROOT, 'apps', app);
  const built = await stat(join(appDir, 'dist', 'index.html')).catch(() => undefined);
  if (!built) return true;
  const inputs = [
    join(appDir, 'index.html'),
    ...UI_APPS.flatMap((a) => [join(REPO_ROOT, 'apps', a, 'src'), join(REPO_ROOT, 'apps', a, 'rsbuild.config.ts')]),
    join(REPO_ROOT, 'libs', 'shared', 'ui'),
    join(REPO_ROOT, 'package.json'),
  ];
  const sources = Math.max(...(await Promise.all(inputs.map(newestMtime))));
  return sources > built.mtimeMs;
}

async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const dir = join(tmpdir(), `cetate-ui-build-${name}.lock`);
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      await mkdir(dir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A lock older than 3 minutes belongs to a build that died: take it over.
      const st = await stat(dir).catch(() => undefined);
      if (st && Date.now() - st.mtimeMs > 180_000) await rmdir(dir).catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`timed out waiting for the build lock ${dir}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    await rmdir(dir).catch(() => undefined);
  }
}

/** Runs `rsbuild build` in `apps/<app>`; rejects with the build's output when it exits non-zero. */
export function buildApp(app: UiApp): Promise<void> {
  const bin = join(REPO_ROOT, 'node_modules', '.bin', 'rsbuild');
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['build'], { cwd: join(REPO_ROOT, 'apps', app), env: { ...process.env, NODE_ENV: 'production' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`rsbuild build of apps/${app} exited ${code}:\n${out.slice(-4000)}`))));
  });
}

/**
 * Builds each of `apps` whose dist is missing or stale (one at a time: the machine has 2 cores).
 * @returns the apps that were built. @throws when an app has no `rsbuild.config.ts` or its build fails.
 */
export async function ensureUiBuilt(apps: readonly UiApp[] = UI_APPS): Promise<UiApp[]> {
  const built: UiApp[] = [];
  for (const app of apps) {
    if (!existsSync(join(REPO_ROOT, 'apps', app, 'rsbuild.config.ts'))) throw new Error(`apps/${app}/rsbuild.config.ts does not exist yet`);
    await withLock(app, async () => {
      if (await needsBuild(app)) {
        await buildApp(app);
        built.push(app);
      }
    });
  }
  return built;
}
