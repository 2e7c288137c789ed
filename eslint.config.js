// ESLint 9 flat config for the whole workspace: `npx eslint .` (also run by `npm test`).
//
// - JS + TypeScript recommended rules (typescript-eslint, syntax only: `tsc --noEmit` already checks
//   types, and type-aware linting of the whole workspace is too slow on 2 cores).
// - `@nx/enforce-module-boundaries` with the dependency rules of ARCHITECTURE §1. Tags come from each
//   package.json's `nx.tags` (`scope:<module>|platform|shared|tools`, `type:app|feature|ui|domain|
//   data-access|contracts|util`). Nx applies EVERY constraint whose source tag matches, so a project is
//   checked against its scope rule AND its type rule.
// - `domain` code does no I/O and imports no framework: banned packages (Nx) + banned node: modules.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';
import globals from 'globals';
import { createProjectGraphAsync } from '@nx/devkit';

// `@nx/enforce-module-boundaries` reads Nx's cached project graph (.nx/workspace-data) and silently skips
// itself when there is none; plain `eslint .` never creates it, so build it now (about a second).
await createProjectGraphAsync({ exitOnError: true });

const root = import.meta.dirname;

/** Project folders matched by the npm workspaces globs of package.json (`apps/*`, `libs/*\/*`, `tools/*`). */
function workspaceProjects() {
  const dirs = (path) =>
    existsSync(join(root, path))
      ? readdirSync(join(root, path), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(path, d.name))
      : [];
  return [...dirs('apps'), ...dirs('libs').flatMap(dirs), ...dirs('tools')].filter((d) =>
    existsSync(join(root, d, 'package.json')),
  );
}

/** Business module scopes (`scope:invoicing`, `scope:anaf`, ...): every scope tag that is not platform/shared/tools. */
const moduleScopes = [
  ...new Set(
    workspaceProjects()
      .flatMap((d) => JSON.parse(readFileSync(join(root, d, 'package.json'), 'utf8')).nx?.tags ?? [])
      .filter((t) => t.startsWith('scope:'))
      .map((t) => t.slice('scope:'.length))
      .filter((s) => !['platform', 'shared', 'tools', 'composition'].includes(s)),
  ),
].sort();

/** Packages `domain` code may not import: frameworks, drivers, network and storage clients. */
const frameworkPackages = [
  '@nestjs/*',
  'typeorm',
  'pg',
  'amqplib',
  'minio',
  'express',
  'node-vault',
  'oidc-provider',
  'opossum',
  '@opentelemetry/*',
  '@duckdb/*',
  'react',
  'react-dom',
  'pino',
  'rxjs',
  'reflect-metadata',
];

const depConstraints = [
  // ---- scopes: a module sees itself, platform, shared, and other modules' contracts only ----
  ...moduleScopes.flatMap((m) => [
    {
      sourceTag: `scope:${m}`,
      onlyDependOnLibsWithTags: [`scope:${m}`, 'scope:platform', 'scope:shared', 'type:contracts'],
    },
    // a module's domain: its own scope and shared only (no platform, no other module)
    { allSourceTags: [`scope:${m}`, 'type:domain'], onlyDependOnLibsWithTags: [`scope:${m}`, 'scope:shared'] },
  ]),
  { sourceTag: 'scope:platform', onlyDependOnLibsWithTags: ['scope:platform', 'scope:shared'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['*'] },
  // the composition root (platform-api): the one deployable that knows every module, for their tenant
  // migrations (ADR 0017); nothing but tools may import it
  { sourceTag: 'scope:composition', onlyDependOnLibsWithTags: ['*'] },

  // ---- types ----
  // apps: whatever their scope allows
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['*'] },
  {
    sourceTag: 'type:domain',
    onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:util'],
    bannedExternalImports: frameworkPackages,
  },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'] },
  {
    sourceTag: 'type:data-access',
    onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:contracts', 'type:util'],
  },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:contracts', 'type:data-access'] },
  {
    // a server feature library (a module's flows, e.g. the e-Factura submit and status sync) uses its data access
    sourceTag: 'type:feature',
    onlyDependOnLibsWithTags: ['type:feature', 'type:ui', 'type:domain', 'type:contracts', 'type:util', 'type:data-access'],
  },
  { sourceTag: 'type:ui', onlyDependOnLibsWithTags: ['type:ui', 'type:util', 'type:contracts'] },
];

/** node: built-ins that do I/O, banned in domain code (pure logic, ARCHITECTURE §1). */
const ioBuiltins = ['fs', 'fs/promises', 'net', 'http', 'https', 'http2', 'dgram', 'dns', 'child_process', 'tls', 'cluster', 'worker_threads'];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/coverage/**', '.nx/**', '.cetate/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false, // packages export ./src/index.ts, nothing is built (ADR 0001)
          allow: [],
          // Nx forbids static imports of a library that something imports dynamically (lazy routes in
          // front ends). Our apps import libraries dynamically on purpose (after OpenTelemetry is set up,
          // so instrumentation patches them), which is not lazy loading: exempt all workspace packages.
          checkDynamicDependenciesExceptions: ['@cetate/*'],
          depConstraints,
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // UI apps and the shared UI library run in the browser (issue 6): browser globals, not Node's
    files: ['apps/shell/src/**', 'apps/*-ui/src/**', 'libs/shared/ui/src/**'],
    ignores: ['**/*.spec.ts', '**/*.integration.spec.ts', '**/*.e2e.spec.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['libs/*/domain/src/**/*.ts'],
    ignores: ['**/*.spec.ts'], // tests may read fixtures from disk
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ioBuiltins.flatMap((m) => [
            { name: m, message: 'domain code does no I/O (ARCHITECTURE §1): move it to data-access or the app.' },
            { name: `node:${m}`, message: 'domain code does no I/O (ARCHITECTURE §1): move it to data-access or the app.' },
          ]),
        },
      ],
    },
  },
);
