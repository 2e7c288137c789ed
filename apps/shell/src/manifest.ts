// zod/mini: the same validation with a fraction of the bytes on the shell's first load (issue 6 target).
import * as z from 'zod/mini';
import type { ShellManifest } from '@cetate/shared-ui';

/**
 * The tenant's shell manifest (`GET /api/platform/v1/shell/manifest?tenant=<slug>`, public, served by
 * platform-api; shape `ShellManifest` of `@cetate/shared-ui`), checked with zod before the shell trusts it.
 */

const localized = z.object({ ro: z.string().check(z.minLength(1)), en: z.string().check(z.minLength(1)) });

/** zod schema of `ShellModule`: `entry` and `apiBase` are same-origin paths or absolute http(s) URLs. */
export const shellModuleSchema = z.object({
  name: z.string().check(z.minLength(1)),
  remote: z.string().check(z.regex(/^[A-Za-z_$][\w$]*$/, 'a Module Federation remote name is a JS identifier')),
  entry: z.string().check(z.regex(/^(\/|https?:\/\/)/)),
  expose: z.string().check(z.startsWith('./')),
  path: z.string().check(z.regex(/^\/[^?#]*$/)),
  apiBase: z.string().check(z.regex(/^(\/|https?:\/\/)/)),
  roles: z.array(z.string()),
  title: localized,
});

/** zod schema of `ShellManifest`. */
export const shellManifestSchema = z.object({
  tenant: z.object({ slug: z.string().check(z.minLength(1)), displayName: z.string() }),
  identity: z.object({ url: z.url(), realm: z.string().check(z.minLength(1)), clientId: z.string().check(z.minLength(1)) }),
  modules: z.array(shellModuleSchema),
});

/** Why the manifest could not be had; `code` is stable, `status` the HTTP status (0: no answer). */
export class ManifestError extends Error {
  override name = 'ManifestError';
  constructor(
    /** `TENANT_NOT_FOUND` (404 from the platform: unknown or not active), `MANIFEST_UNAVAILABLE`
     * (network error, 5xx, other status), `MANIFEST_INVALID` (not the contract's shape). */
    readonly code: 'TENANT_NOT_FOUND' | 'MANIFEST_UNAVAILABLE' | 'MANIFEST_INVALID',
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Path of the manifest endpoint on the shell's origin (gateway: `/api/platform/*` → platform-api). */
export function manifestUrl(slug: string, apiBase = '/api/platform'): string {
  return `${apiBase}/v1/shell/manifest?tenant=${encodeURIComponent(slug)}`;
}

/**
 * Parses a manifest body; duplicated remote names or paths are refused (two modules cannot share one
 * federation remote registration or one route).
 *
 * @throws ManifestError `MANIFEST_INVALID`
 */
export function parseManifest(body: unknown): ShellManifest {
  const result = shellManifestSchema.safeParse(body);
  if (!result.success) {
    const first = result.error.issues[0];
    throw new ManifestError('MANIFEST_INVALID', 200, `invalid shell manifest at ${first?.path.join('.') || '(root)'}: ${first?.message ?? ''}`);
  }
  const manifest = result.data;
  for (const key of ['remote', 'path'] as const) {
    const seen = new Set<string>();
    for (const m of manifest.modules) {
      if (seen.has(m[key])) throw new ManifestError('MANIFEST_INVALID', 200, `invalid shell manifest: two modules with ${key} ${m[key]}`);
      seen.add(m[key]);
    }
  }
  return manifest;
}

/**
 * Fetches and checks the manifest of `slug`.
 *
 * @throws ManifestError `TENANT_NOT_FOUND` on 404, `MANIFEST_UNAVAILABLE` on a network error or another non-2xx
 *   status, `MANIFEST_INVALID` when the body is not a `ShellManifest`
 */
export async function fetchManifest(slug: string, fetchImpl: typeof fetch = fetch): Promise<ShellManifest> {
  let response: Response;
  try {
    response = await fetchImpl(manifestUrl(slug), { headers: { accept: 'application/json' } });
  } catch (error) {
    throw new ManifestError('MANIFEST_UNAVAILABLE', 0, `platform not reachable: ${(error as Error).message}`);
  }
  if (response.status === 404) throw new ManifestError('TENANT_NOT_FOUND', 404, `no active tenant "${slug}"`);
  if (!response.ok) throw new ManifestError('MANIFEST_UNAVAILABLE', response.status, `platform answered ${response.status}`);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ManifestError('MANIFEST_INVALID', response.status, 'shell manifest is not JSON');
  }
  return parseManifest(body);
}
