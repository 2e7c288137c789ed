/**
 * Wire shapes of the platform-api answers the admin UI reads (JSON: dates are ISO strings). Sources:
 * `apps/platform-api/src/tenants.controller.ts` (`TenantProvisioningView`, `CreateTenantResult` of
 * `@cetate/platform-provisioning`) and `libs/platform/identity/src/tenant-users.controller.ts` (`IdentityUser`,
 * `InvitedUser`). Restated, not imported: those packages load NestJS/TypeORM and do not bundle for the browser.
 */

/** A user of the caller's realm (`GET /v1/users`). */
export interface IdentityUser {
  /** Keycloak user id (UUID), the token's `sub`. */
  id: string;
  username: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  enabled: boolean;
  /** Realm roles mapped directly to the user. */
  roles: string[];
  /** Pending Keycloak required actions, e.g. `UPDATE_PASSWORD`, `VERIFY_EMAIL`. */
  requiredActions: string[];
  /** Epoch ms. */
  createdTimestamp?: number;
}

/** Answer of `POST /v1/users`: the user and, this once, the temporary password. */
export interface InvitedUser extends IdentityUser {
  temporaryPassword: string;
}

/** Status of one saga step (`platform.provisioning_step.status`). */
export type StepStatus = 'running' | 'succeeded' | 'failed' | 'skipped';

/** One saga step of a tenant. */
export interface StepState {
  /** `realm`, `database`, `bucket`, `secrets`, `event`; deletion steps are `delete:<step>`. */
  step: string;
  status: StepStatus;
  attempts: number;
  lastError: string | null;
  detail: Record<string, unknown>;
  startedAt: string | null;
  finishedAt: string | null;
}

/** Lifecycle status of a tenant in the registry. */
export type TenantStatus = 'provisioning' | 'active' | 'suspended';

/** A tenant with its step states (`GET /v1/tenants`, `GET /v1/tenants/:slug`). */
export interface TenantView {
  slug: string;
  displayName: string;
  /** Romanian CUI, digits only. */
  cif: string;
  realm: string;
  dbName: string;
  bucket: string;
  dbCluster: string;
  status: TenantStatus;
  createdAt: string;
  updatedAt: string;
  steps: StepState[];
}

/** Answer of `POST /v1/tenants`. `firstAdmin` only when this call created the admin (shown once). */
export interface CreateTenantResult {
  tenant: TenantView;
  firstAdmin?: { username: string; temporaryPassword: string };
}
