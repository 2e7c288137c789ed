import { Controller, Get, Header, Inject, Query } from '@nestjs/common';
import type { ShellManifest } from '@cetate/shared-ui';
import { PLATFORM_REALM, Public } from '@cetate/platform-identity';
import { DomainError } from '@cetate/platform-observability';
import { TENANT_SLUG_PATTERN, TenantNotFoundError, type TenantRecord } from '@cetate/platform-tenancy';
import { PLATFORM_SHELL_DISPLAY_NAME, shellManifest } from './shell-modules.js';

/** What {@link ShellController} reads: the identity URL browsers use, and tenants by slug (cached registry). */
export interface ShellManifestSource {
  /** Keycloak server URL as the BROWSER reaches it (`PUBLIC_KEYCLOAK_URL`, else `KEYCLOAK_URL`). */
  identityUrl: string;
  /** `TenantLookup.bySlug`: rejects with `TenantNotFoundError` for an unknown slug. */
  bySlug(slug: string): Promise<TenantRecord>;
}

/** Nest injection token of the {@link ShellManifestSource}. */
export const SHELL_MANIFEST_SOURCE = Symbol('SHELL_MANIFEST_SOURCE');

/**
 * The web shell's boot manifest (issue 6): public, because the shell needs it BEFORE login (it names the realm
 * to log in to). It discloses only what the login page shows anyway: the tenant's display name, realm and the
 * module catalogue (`shell-modules.ts`).
 */
@Controller('v1/shell')
export class ShellController {
  constructor(@Inject(SHELL_MANIFEST_SOURCE) private readonly source: ShellManifestSource) {}

  /**
   * `GET /v1/shell/manifest?tenant=<slug>` → 200 `ShellManifest` (`@cetate/shared-ui`): `{ tenant: { slug,
   * displayName }, identity: { url, realm, clientId: 'cetate-shell' }, modules: ShellModule[] }`.
   * `tenant=platform`: the operators' manifest (realm `platform`, module `admin` for `platform-operator`).
   * 400 `VALIDATION_FAILED` without `tenant`; 404 `TENANT_NOT_FOUND` for a slug that is malformed, unknown, or
   * not `active` (provisioning, suspended: the same answer, so the endpoint tells nobody which tenants exist
   * but are off). `Cache-Control: no-cache` (a suspended tenant disappears within the lookup's 5 s cache).
   */
  @Get('manifest')
  @Public()
  @Header('cache-control', 'no-cache')
  async manifest(@Query('tenant') tenant: unknown): Promise<ShellManifest> {
    if (typeof tenant !== 'string' || tenant === '') {
      throw new DomainError('VALIDATION_FAILED', 'Query parameter tenant (the tenant slug) is required.', {
        status: 400,
        errors: [{ path: 'tenant', message: 'required' }],
      });
    }
    if (tenant === PLATFORM_REALM) {
      return shellManifest({ slug: PLATFORM_REALM, displayName: PLATFORM_SHELL_DISPLAY_NAME, realm: PLATFORM_REALM }, this.source.identityUrl);
    }
    if (!TENANT_SLUG_PATTERN.test(tenant)) throw new TenantNotFoundError(tenant);
    const t = await this.source.bySlug(tenant);
    if (t.status !== 'active') throw new TenantNotFoundError(tenant);
    return shellManifest(t, this.source.identityUrl);
  }
}
