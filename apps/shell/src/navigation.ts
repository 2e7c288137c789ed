import type { ShellManifest, ShellModule } from '@cetate/shared-ui';

/**
 * The navigation of the shell: the manifest's modules the user may see (issue 6, "builds the navigation from the
 * manifest and the user's roles"). Pure.
 */

/**
 * Modules whose `roles` share at least one role with the user's Keycloak realm roles
 * (`realm_access.roles` of the access token), in manifest order. A module with an empty `roles` list is seen by
 * nobody (the manifest always names the roles; an empty list is a catalogue mistake, not "everyone").
 */
export function visibleModules(manifest: Pick<ShellManifest, 'modules'>, realmRoles: readonly string[]): ShellModule[] {
  const roles = new Set(realmRoles);
  return manifest.modules.filter((m) => m.roles.some((r) => roles.has(r)));
}

/**
 * Where `/` leads: the `path` of the first visible module, or `null` when the user may see no module (the shell
 * then says so instead of redirecting).
 */
export function landingPath(modules: readonly ShellModule[]): string | null {
  return modules[0]?.path ?? null;
}

/**
 * The react-router path pattern the shell mounts a module at: its `path` without a trailing slash plus `/*`, so
 * the remote's relative `<Routes>` get the rest (`/facturi` → `/facturi/*`).
 */
export function routePattern(module: Pick<ShellModule, 'path'>): string {
  const base = module.path.replace(/\/+$/, '');
  return `${base}/*`;
}

/** The navigation label of a module in the UI language; Romanian when the language has no title. */
export function moduleTitle(module: Pick<ShellModule, 'title'>, locale: string): string {
  return locale === 'en' ? module.title.en : module.title.ro;
}
