import { IDENTITY_ADMIN, TenantUsersController, type IdentityAdmin } from '@cetate/platform-identity';
import type { PlatformApiConfig } from './platform-api.js';

/**
 * The tenant admins' user management (`/v1/users`: list, invite, disable, assign roles; realm of the verified
 * token, role `tenant-admin`) as `extra` controllers of `platform-api`.
 */
export function tenantUsersExtra(identity: IdentityAdmin): NonNullable<PlatformApiConfig['extra']> {
  return { controllers: [TenantUsersController], providers: [{ provide: IDENTITY_ADMIN, useValue: identity }] };
}
