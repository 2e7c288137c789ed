/**
 * Rsbuild config of the shell, the Module Federation host (issue 6).
 *
 * - No static remotes: the tenant's manifest (`GET /api/platform/v1/shell/manifest?tenant=`) names them and
 *   `src/federation.ts` registers them at runtime (`registerRemotes`).
 * - Shared singletons: the list of ui-contract.md, `requiredVersion` from the root package.json, `eager: false`
 *   (the async boundary `src/index.tsx` → `import('./bootstrap')` lets the runtime negotiate them first).
 * - `dts: false`: no type generation (it multiplies the build time; the contract is `@cetate/shared-ui`).
 * - `source.tsconfigPath`: the root UI program (ADR 0019); it also makes Rsbuild map `./x.js` imports to
 *   `./x.ts(x)` (our ESM convention), which it does only when it has a tsconfig.
 * - `rsbuild dev`: port `SHELL_DEV_PORT` (default 3300); `/api` and `/remotes` proxied to the gateway at
 *   `CETATE_GATEWAY_URL` (default `http://127.0.0.1:8080`), so the dev shell talks to a running `npm start`.
 */
import { defineConfig } from '@rsbuild/core';
import { pluginReact } from '@rsbuild/plugin-react';
import { pluginModuleFederation } from '@module-federation/rsbuild-plugin';
import { federationShared } from '@cetate/shared-ui/federation';


const gateway = process.env.CETATE_GATEWAY_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [
    pluginReact(),
    pluginModuleFederation({
      name: 'shell',
      remotes: {},
      shared: federationShared(),
      dts: false,
    }),
  ],
  source: { entry: { index: './src/index.tsx' }, tsconfigPath: '../../tsconfig.ui.json' },
  html: { template: './index.html' },
  output: { distPath: { root: 'dist' }, assetPrefix: '/' },
  server: {
    port: Number(process.env.SHELL_DEV_PORT ?? 3300),
    historyApiFallback: true,
    proxy: { '/api': { target: gateway, changeOrigin: false }, '/remotes': { target: gateway, changeOrigin: false } },
  },
});
