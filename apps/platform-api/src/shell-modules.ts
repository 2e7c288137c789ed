import type { ShellManifest, ShellModule } from '@cetate/shared-ui';
import { PLATFORM_OPERATOR_ROLE, PLATFORM_REALM, SHELL_CLIENT_ID } from '@cetate/platform-identity';

/** The admin remote: tenant admins' users, or operators' tenants, depending on who logs in. */
const ADMIN_MODULE: Omit<ShellModule, 'roles'> = {
  name: 'admin',
  remote: 'admin',
  entry: '/remotes/admin/mf-manifest.json',
  expose: './App',
  path: '/administrare',
  apiBase: '/api/platform',
  title: { ro: 'Administrare', en: 'Administration' },
};

/**
 * The module catalogue of the web shell (issue 6, "UI contract"): every module remote a tenant's shell loads,
 * where the gateway serves its `mf-manifest.json` (`/remotes/<remote>/...`), where the shell mounts it, its API
 * base on the same origin (`/api/<module>/...`, prefix stripped by the gateway) and which realm roles see it.
 * The one place to add a module's UI.
 */
export const TENANT_SHELL_MODULES: readonly ShellModule[] = [
  {
    name: 'invoicing',
    remote: 'invoicing',
    entry: '/remotes/invoicing/mf-manifest.json',
    expose: './App',
    path: '/facturi',
    apiBase: '/api/invoicing',
    roles: ['accountant', 'user', 'tenant-admin'],
    title: { ro: 'Facturi', en: 'Invoices' },
  },
  { ...ADMIN_MODULE, roles: ['tenant-admin'] },
];

/** The operators' shell (realm `platform`): the admin remote only, for role `platform-operator`. */
export const PLATFORM_SHELL_MODULES: readonly ShellModule[] = [{ ...ADMIN_MODULE, roles: [PLATFORM_OPERATOR_ROLE] }];

/** Display name of the operators' pseudo-tenant in the shell. */
export const PLATFORM_SHELL_DISPLAY_NAME = 'Cetate — operare platformă';

/**
 * The {@link ShellManifest} of a tenant (or of the operators when `tenant.slug` is `platform`): keycloak-js
 * configuration `{ url: identityUrl, realm, clientId: 'cetate-shell' }` (Keycloak's server URL layout: realms at
 * `<url>/realms/<realm>`) and the modules of {@link TENANT_SHELL_MODULES} / {@link PLATFORM_SHELL_MODULES}
 * (copies: callers may not change the catalogue). Pure: the caller checks that the tenant exists and is active.
 */
export function shellManifest(tenant: { slug: string; displayName: string; realm: string }, identityUrl: string): ShellManifest {
  const modules = tenant.slug === PLATFORM_REALM ? PLATFORM_SHELL_MODULES : TENANT_SHELL_MODULES;
  return {
    tenant: { slug: tenant.slug, displayName: tenant.displayName },
    identity: { url: identityUrl.replace(/\/+$/, ''), realm: tenant.realm, clientId: SHELL_CLIENT_ID },
    modules: modules.map((m) => ({ ...m, roles: [...m.roles], title: { ...m.title } })),
  };
}
