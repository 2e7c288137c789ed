/**
 * Rsbuild config of the invoicing-ui Module Federation remote (issue 6): remote name `invoicing`, exposes
 * `./App` (default export `(props: RemoteAppProps) => JSX`), writes `dist/mf-manifest.json`.
 *
 * - `output.assetPrefix: 'auto'`: chunks load relative to where `remoteEntry`/`mf-manifest.json` was fetched
 *   (the gateway serves the remote under `/remotes/invoicing/`).
 * - `dts: false`: no type generation (it multiplies build time; the contract is `@cetate/shared-ui`).
 * - shared singletons: `federationShared()` of `@cetate/shared-ui/federation` (one list for every UI app; Mantine
 *   tree-shaken to the exports the UI apps use).
 * - standalone development (`npx nx run @cetate/invoicing-ui:dev`): `src/bootstrap.tsx` mounts `App` with dev props;
 *   `/api/invoicing/*` is proxied to `INVOICING_API_URL` (default `http://127.0.0.1:3100`) without the prefix, as
 *   the gateway does. Port `INVOICING_UI_PORT` (default 3301).
 * - aliases: `@cetate/invoicing-contracts` and `@cetate/invoicing-domain` export server code too (messaging,
 *   XML parsing); the browser needs only the zod schema and the totals, so their exact package names resolve to
 *   those two files here (ADR 0018). TypeScript still checks the imports against the whole package.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@rsbuild/core';
import { pluginReact } from '@rsbuild/plugin-react';
import { pluginModuleFederation } from '@module-federation/rsbuild-plugin';
import { federationShared } from '@cetate/shared-ui/federation';

const root = fileURLToPath(new URL('../../', import.meta.url));

export default defineConfig({
  plugins: [
    pluginReact(),
    pluginModuleFederation({
      name: 'invoicing',
      exposes: { './App': './src/App.tsx' },
      shared: federationShared(),
      dts: false,
    }),
  ],
  source: { entry: { index: './src/index.tsx' } },
  resolve: {
    alias: {
      '@cetate/invoicing-contracts$': `${root}libs/invoicing/contracts/src/invoice-document.schema.ts`,
      '@cetate/invoicing-domain$': `${root}libs/invoicing/domain/src/document/totals.ts`,
    },
  },
  html: { template: './index.html', title: 'Facturi (invoicing-ui)' },
  server: {
    port: Number(process.env.INVOICING_UI_PORT ?? 3301),
    proxy: {
      '/api/invoicing': { target: process.env.INVOICING_API_URL ?? 'http://127.0.0.1:3100', pathRewrite: { '^/api/invoicing': '' }, changeOrigin: true },
    },
  },
  output: { assetPrefix: 'auto', distPath: { root: 'dist' } },
  // relative imports end in `.js` (docs/CONVENTIONS.md) and name `.ts`/`.tsx` sources
  tools: { rspack: { resolve: { extensionAlias: { '.js': ['.ts', '.tsx', '.js'] } } } },
});
