/**
 * Rsbuild config of the admin-ui Module Federation remote (issue 6 point 3): remote name `admin`, exposes
 * `./App` (default export `(props: RemoteAppProps) => JSX`), writes `dist/mf-manifest.json`.
 *
 * - `output.assetPrefix: 'auto'`: chunks load relative to where `mf-manifest.json` was fetched (the gateway
 *   serves the remote under `/remotes/admin/`).
 * - `dts: false`: no type generation (it multiplies build time; the contract is `@cetate/shared-ui`).
 * - shared singletons: `federationShared()` of `@cetate/shared-ui/federation` (one list for every UI app), `requiredVersion` from the root
 *   package.json.
 * - Standalone development (`npx nx run @cetate/admin-ui:dev`): `src/bootstrap.tsx` mounts `App` with dev props;
 *   `/api/platform/*` is proxied to `PLATFORM_API_URL` (default `http://127.0.0.1:3200`) without the prefix, as
 *   the gateway does. Port `ADMIN_UI_PORT` (default 3302).
 */
import { defineConfig } from '@rsbuild/core';
import { pluginReact } from '@rsbuild/plugin-react';
import { pluginModuleFederation } from '@module-federation/rsbuild-plugin';
import { federationShared } from '@cetate/shared-ui/federation';


export default defineConfig({
  plugins: [
    pluginReact(),
    pluginModuleFederation({
      name: 'admin',
      exposes: { './App': './src/App.tsx' },
      shared: federationShared(),
      dts: false,
    }),
  ],
  source: { entry: { index: './src/index.tsx' } },
  html: { template: './index.html', title: 'Administrare (admin-ui)' },
  server: {
    port: Number(process.env.ADMIN_UI_PORT ?? 3302),
    // a shell in development loads this remote from another origin: allow the local ones only
    cors: { origin: [/^http:\/\/([a-z0-9-]+\.)*localhost(:\d+)?$/, /^http:\/\/127\.0\.0\.1(:\d+)?$/] },
    proxy: {
      '/api/platform': {
        target: process.env.PLATFORM_API_URL ?? 'http://127.0.0.1:3200',
        pathRewrite: { '^/api/platform': '' },
        changeOrigin: true,
      },
    },
  },
  output: { assetPrefix: 'auto', distPath: { root: 'dist' } },
  // sources import `./x.js` for `./x.ts(x)` (ESM convention of the repo, CONVENTIONS.md)
  tools: { rspack: { resolve: { extensionAlias: { '.js': ['.ts', '.tsx', '.js'] } } } },
});
