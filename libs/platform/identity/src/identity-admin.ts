/**
 * The `IdentityAdmin` port: what the platform asks of Keycloak (ARCHITECTURE.md §2 "identity").
 * Implemented by `KeycloakIdentityAdmin` over `@keycloak/keycloak-admin-client`, which drives a real
 * Keycloak and the dev identity server alike (the latter serves the subset of Keycloak's admin REST API
 * that the adapter uses).
 *
 * Terms are Keycloak's: realm, client (`clientId`), realm role, user, required action.
 */
import { DomainError } from '@cetate/platform-observability';

/** Realm roles of every tenant realm (ARCHITECTURE.md §2). */
export const TENANT_REALM_ROLES = ['tenant-admin', 'accountant', 'user', 'privacy-officer'] as const;
/** A realm role of a tenant realm. */
export type TenantRealmRole = (typeof TENANT_REALM_ROLES)[number];

/** Realm of the platform operators and its one role. */
export const PLATFORM_REALM = 'platform';
export const PLATFORM_OPERATOR_ROLE = 'platform-operator';

/** Public client (authorization code + PKCE S256) the web shell logs in with. */
export const SHELL_CLIENT_ID = 'cetate-shell';
/** Confidential client (client credentials) for machine access to the tenant's APIs. */
export const API_CLIENT_ID = 'cetate-api';

/** What a tenant realm must contain after {@link IdentityAdmin.ensureTenantRealm}. */
export interface TenantRealmSpec {
  /** Realm name (= tenant slug by default). */
  realm: string;
  /** Shown on the login page (Keycloak `displayName`). */
  displayName: string;
  /** Redirect URIs of `cetate-shell`, Keycloak wildcard syntax (`https://demo.cetate.ro/*`). */
  shellRedirectUris: string[];
  /** Web origins of `cetate-shell` (CORS of the token endpoint). */
  shellWebOrigins?: string[];
  /**
   * Secret of `cetate-api` to set; when omitted on creation Keycloak (or the dev server) generates one,
   * readable with {@link IdentityAdmin.getClientSecret}.
   */
  apiClientSecret?: string;
  /** Realm roles of the `cetate-api` service account. Default `['accountant']`. */
  apiServiceAccountRoles?: TenantRealmRole[];
  /** The first tenant admin: created with role `tenant-admin` and required action `UPDATE_PASSWORD`. */
  firstAdmin: { username: string; email: string; firstName?: string; lastName?: string; temporaryPassword: string };
}

/** What {@link IdentityAdmin.ensureTenantRealm} changed (all false on a second call). */
export interface EnsureRealmResult {
  realmCreated: boolean;
  rolesCreated: string[];
  clientsCreated: string[];
  firstAdminCreated: boolean;
  /**
   * Steps of an earlier, interrupted run that this call completed (e.g. the `cetate-api` service account
   * roles, the first admin's role); empty when nothing was left half-done. Optional for other adapters.
   */
  repaired?: string[];
}

/** A user as the platform shows it (subset of Keycloak's `UserRepresentation`). */
export interface IdentityUser {
  /** Keycloak user id (UUID), also the token's `sub`. */
  id: string;
  username: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  enabled: boolean;
  /** Realm roles mapped directly to the user. */
  roles: string[];
  /** Pending required actions, e.g. `UPDATE_PASSWORD`. */
  requiredActions: string[];
  /** Epoch ms. */
  createdTimestamp?: number;
}

/** Input of {@link IdentityAdmin.inviteUser}. */
export interface InviteUserInput {
  username: string;
  email: string;
  firstName?: string;
  lastName?: string;
  roles: TenantRealmRole[];
  /** Temporary password the user must change at first login (required action `UPDATE_PASSWORD`). */
  temporaryPassword: string;
}

/**
 * Realm administration as the platform needs it. Every method is idempotent where its name says
 * `ensure`/`delete`; errors are `IdentityAdminError` (see below).
 */
export interface IdentityAdmin {
  /** True when the realm exists. */
  realmExists(realm: string): Promise<boolean>;
  /**
   * Creates what is missing of a tenant realm: the realm (enabled), the realm roles
   * {@link TENANT_REALM_ROLES}, clients `cetate-shell` (public, PKCE S256, standard flow) and
   * `cetate-api` (confidential, service account with `apiServiceAccountRoles`), and the first tenant
   * admin (only when the realm has no user with that username). Never changes what exists.
   */
  ensureTenantRealm(spec: TenantRealmSpec): Promise<EnsureRealmResult>;
  /** Deletes the realm with its users and clients. @returns false when it did not exist. */
  deleteRealm(realm: string): Promise<boolean>;
  /** Secret of a confidential client. @throws IdentityAdminError 404 when realm or client is missing. */
  getClientSecret(realm: string, clientId: string): Promise<string>;
  /** Users of the realm (service accounts excluded), ordered by username; `first`/`max` page. */
  listUsers(realm: string, page?: { first?: number; max?: number }): Promise<IdentityUser[]>;
  /** One user. @throws IdentityAdminError 404. */
  getUser(realm: string, userId: string): Promise<IdentityUser>;
  /**
   * Creates an enabled user with a temporary password and required action `UPDATE_PASSWORD`, and maps
   * `roles`. @throws IdentityAdminError 409 when the username or email is taken.
   */
  inviteUser(realm: string, input: InviteUserInput): Promise<IdentityUser>;
  /** Enables or disables a user (a disabled user cannot log in or refresh tokens). @throws 404. */
  setUserEnabled(realm: string, userId: string, enabled: boolean): Promise<IdentityUser>;
  /** Makes the user's realm roles exactly `roles` (adds and removes mappings). @throws 404, 400 unknown role. */
  setUserRoles(realm: string, userId: string, roles: TenantRealmRole[]): Promise<IdentityUser>;
}

/**
 * An identity admin call failed. `status` follows the admin API's answer (400 bad input, 404 realm/user/
 * client missing, 409 username or email taken) or 502 when the identity server is unreachable or answers
 * 5xx. Code `IDENTITY_ADMIN_FAILED` (rendered as RFC 9457 problem+json).
 */
export class IdentityAdminError extends DomainError {
  constructor(message: string, status: number, cause?: unknown) {
    // 5xx: the message names internal URLs and upstream answers; the client sees a generic detail.
    super('IDENTITY_ADMIN_FAILED', message, {
      status,
      cause,
      ...(status >= 500 ? { detail: 'The identity server is unavailable or failed; try again later' } : {}),
    });
  }
}
