/**
 * The contract between the shell (Module Federation host) and every module remote (issue 6).
 *
 * A remote exposes `./App`, whose default export is a React component taking {@link RemoteAppProps}. The shell
 * mounts it under `basePath` (react-router, shared singleton: the remote renders relative `<Routes>`), gives it
 * an API base on the same origin (the gateway routes `/api/<module>/...` to the module API) and a token getter
 * (keycloak-js, refreshed by the shell).
 */
export interface RemoteAppProps {
  /** Where the shell mounted the remote, e.g. `/facturi`. */
  basePath: string;
  /** Base URL of the module's API on the shell's origin, e.g. `/api/invoicing` (then `/v1/invoices`). */
  apiBase: string;
  /** A fresh access token of the logged-in user (Bearer), refreshed by the shell when near expiry. */
  getToken(): Promise<string>;
  /** The user's Keycloak realm roles. */
  roles: string[];
  /** UI language; Romanian by default. */
  locale: 'ro' | 'en';
  tenant: { slug: string; displayName: string };
}

/** One module of a tenant's shell manifest (`GET /api/platform/v1/shell/manifest?tenant=<slug>`). */
export interface ShellModule {
  /** Module name, e.g. `invoicing`. */
  name: string;
  /** Module Federation remote name, e.g. `invoicing`. */
  remote: string;
  /** URL of the remote's `mf-manifest.json`, e.g. `/remotes/invoicing/mf-manifest.json`. */
  entry: string;
  /** Exposed module with the remote's `App`, `./App`. */
  expose: string;
  /** Route the shell mounts the remote at, e.g. `/facturi`. */
  path: string;
  /** API base on the shell's origin, e.g. `/api/invoicing`. */
  apiBase: string;
  /** Realm roles of which the user needs one to see the module in the navigation. */
  roles: string[];
  /** Navigation label per language. */
  title: { ro: string; en: string };
}

/** The shell manifest of a tenant: which modules it has, and how its users log in. */
export interface ShellManifest {
  tenant: { slug: string; displayName: string };
  /** keycloak-js configuration: server URL (Keycloak layout), realm, public client. */
  identity: { url: string; realm: string; clientId: string };
  modules: ShellModule[];
}
