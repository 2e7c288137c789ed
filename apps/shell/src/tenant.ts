/**
 * Which tenant the shell is for (issue 6, "tenant from the host name, e.g. `demo.localhost`, or a tenant picker").
 * Pure: no `window`; the caller passes `location.hostname` and `location.search`.
 */

/**
 * The tenant slug rule, the same as `TENANT_SLUG_PATTERN` of `@cetate/platform-tenancy` (not imported: that
 * package is server code). Lower-case letter, then 1 to 30 of `a-z`, `0-9`, `-`. `platform` (the operators'
 * realm) matches too.
 */
export const TENANT_SLUG_PATTERN = /^[a-z][a-z0-9-]{1,30}$/;

/** Where the slug came from: the first label of a `*.localhost` host, the `?tenant=` query, or nowhere. */
export type TenantChoice = { slug: string; source: 'host' | 'query' } | { slug: null; source: 'none' };

/**
 * The tenant of this page.
 *
 * 1. Host ending in `.localhost` (RFC 6761 §6.3: every `*.localhost` name resolves to loopback, so
 *    `demo.localhost:8080` needs no DNS or hosts file): the first label, lower-cased, e.g.
 *    `demo.localhost` → `demo`, `platform.localhost` → `platform`.
 * 2. Otherwise the `tenant` query parameter (`?tenant=demo`).
 * 3. Otherwise none: the shell shows the tenant picker.
 *
 * A candidate that does not follow {@link TENANT_SLUG_PATTERN} counts as absent (falls through to the next rule).
 *
 * @param hostname `location.hostname`, e.g. `demo.localhost` (no port)
 * @param search `location.search`, e.g. `?tenant=demo` (with or without the leading `?`)
 */
export function tenantFromLocation(hostname: string, search: string): TenantChoice {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host.endsWith('.localhost')) {
    const label = host.slice(0, -'.localhost'.length).split('.')[0] ?? '';
    if (TENANT_SLUG_PATTERN.test(label)) return { slug: label, source: 'host' };
  }
  const fromQuery = new URLSearchParams(search).get('tenant')?.trim().toLowerCase() ?? '';
  if (TENANT_SLUG_PATTERN.test(fromQuery)) return { slug: fromQuery, source: 'query' };
  return { slug: null, source: 'none' };
}

/**
 * The URL of the tenant's shell picked in the tenant picker: on a `localhost`/`*.localhost` host the tenant's
 * own host name `<slug>.localhost` (keeps the Keycloak redirect URIs per tenant host), elsewhere the same page
 * with `?tenant=<slug>`.
 *
 * @param current the page's URL (`location.href`)
 * @throws RangeError when `slug` does not follow {@link TENANT_SLUG_PATTERN}
 */
export function tenantShellUrl(current: string, slug: string): string {
  if (!TENANT_SLUG_PATTERN.test(slug)) throw new RangeError(`not a tenant slug: ${JSON.stringify(slug)}`);
  const url = new URL(current);
  const host = url.hostname.toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) {
    url.hostname = `${slug}.localhost`;
    url.searchParams.delete('tenant');
  } else {
    url.searchParams.set('tenant', slug);
  }
  url.pathname = '/';
  url.hash = '';
  return url.toString();
}

/**
 * The URL of the tenant picker from a tenant's page: on `<slug>.localhost` the bare `localhost` host (same port),
 * elsewhere the same origin without `?tenant=`.
 */
export function tenantPickerUrl(current: string): string {
  const url = new URL(current);
  if (url.hostname.toLowerCase().endsWith('.localhost')) url.hostname = 'localhost';
  url.pathname = '/';
  url.search = '';
  url.hash = '';
  return url.toString();
}
