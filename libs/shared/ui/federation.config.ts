/**
 * Build-time helper of every UI app's `rsbuild.config.ts` (Node, never bundled): the Module Federation `shared`
 * map of the shell and all remotes, in ONE place (issue 6: `react`, `react-dom`, the router, the component library,
 * server state and i18n as singletons, `requiredVersion` from the root package.json).
 *
 * The shared ES-module packages are tree-shaken (`treeShaking.usedExports`, Module Federation 2.9, ADR 0022): the
 * host would otherwise send each whole library (Mantine alone: 190 KB gzipped) on first load, since a shared module
 * cannot know what remotes use. The used exports are read from the sources of every UI app (`apps/shell`, `apps/*-ui`), so a remote that
 * starts using another component is covered by the next build of every app; a build of one app alone uses the
 * same union. Measured with `npm run bench -- ui`: shell first load 449 KB → 248 KB gzipped.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Singletons of the shell and every remote. */
export const SHARED_SINGLETONS = [
  'react',
  'react-dom',
  'react-router',
  '@mantine/core',
  '@mantine/hooks',
  '@tanstack/react-query',
  'i18next',
  'react-i18next',
] as const;

/** Shared ES-module packages tree-shaken to what the UI apps import (react/react-dom are CommonJS: whole). */
const TREE_SHAKEN = new Set<string>(['@mantine/core', '@mantine/hooks', 'react-router', '@tanstack/react-query', 'react-i18next']);

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.tsx?$/.test(name) && !/\.spec\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

/** Every UI app's `src` directory: `apps/shell` and `apps/<name>-ui`. */
function uiSourceDirs(): string[] {
  return readdirSync(join(ROOT, 'apps'))
    .filter((a) => a === 'shell' || a.endsWith('-ui'))
    .map((a) => join(ROOT, 'apps', a, 'src'));
}

/**
 * Names imported from `pkg` by any UI app (`import { A, type B, C as D } from 'pkg'`; type-only names too: they
 * are harmless in the list). Sorted. @throws Error when a source does `import * as` or a default import of `pkg`
 * (the used names could not be known).
 */
export function usedExportsOf(pkg: string, dirs: string[] = uiSourceDirs()): string[] {
  const names = new Set<string>();
  const esc = pkg.replace(/[/\\^$*+?.()|[\]{}-]/g, '\\$&');
  const named = new RegExp(`import\\s+(?:type\\s+)?\\{([^}]*)\\}\\s+from\\s+['"]${esc}['"]`, 'g');
  const whole = new RegExp(`import\\s+(?:\\*\\s+as\\s+\\w+|\\w+)\\s*(?:,|from)[^;]*['"]${esc}['"]`);
  for (const dir of dirs) {
    for (const file of sources(dir)) {
      const text = readFileSync(file, 'utf8');
      if (whole.test(text)) throw new Error(`${file}: import named exports of ${pkg} only (tree-shaken shared module)`);
      for (const m of text.matchAll(named)) {
        for (const part of m[1]!.split(',')) {
          const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]!.trim();
          if (name) names.add(name);
        }
      }
    }
  }
  return [...names].sort();
}

/** The `shared` option of `pluginModuleFederation` for every UI app. */
export function federationShared(): Record<string, { singleton: true; requiredVersion: string; treeShaking?: { mode: 'runtime-infer'; usedExports: string[] } }> {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  return Object.fromEntries(
    SHARED_SINGLETONS.map((p) => {
      const requiredVersion = pkg.dependencies[p];
      if (!requiredVersion) throw new Error(`${p} is not a dependency of the root package.json`);
      return [
        p,
        TREE_SHAKEN.has(p)
          ? { singleton: true as const, requiredVersion, treeShaking: { mode: 'runtime-infer' as const, usedExports: usedExportsOf(p) } }
          : { singleton: true as const, requiredVersion },
      ];
    }),
  );
}
