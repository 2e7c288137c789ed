/**
 * Keycloak admin REST representations (the subset the dev server serves), as zod schemas for input
 * and mappers for output. Field names and defaults follow Keycloak's `org.keycloak.representations.idm`
 * classes (RealmRepresentation, ClientRepresentation, UserRepresentation, RoleRepresentation,
 * CredentialRepresentation) and the TypeScript types of `@keycloak/keycloak-admin-client`
 * (`js/libs/keycloak-admin-client/src/defs/*.ts`). Unknown fields are accepted and ignored.
 */
import { z } from 'zod';
import { DomainError } from '@cetate/platform-observability';
import { REALM_NAME_PATTERN } from './realm-seed.js';
import type { ClientRow, RealmRow, RoleRow, UserRow } from './store.js';

/**
 * An admin REST call answered with a Keycloak error body: 400 `{"errorMessage": ...}` for bad input,
 * 404 `{"error": ...}` for missing resources (Keycloak's `ErrorResponse` / `NotFoundException`
 * shapes). Code `DEV_IDENTITY_ADMIN_<status>`.
 */
export class KeycloakAdminError extends DomainError {
  constructor(
    status: 400 | 404,
    message: string,
  ) {
    super(`DEV_IDENTITY_ADMIN_${status}`, message, { status });
  }

  /** The body Keycloak would send. */
  get body(): Record<string, string> {
    return this.status === 404 ? { error: this.message } : { errorMessage: this.message };
  }
}

/** RoleRepresentation (realm role). */
export const roleRepSchema = z.looseObject({
  id: z.string().optional(),
  name: z.string().min(1),
  description: z.string().nullish(),
});
export type RoleRepresentation = z.infer<typeof roleRepSchema>;

/** CredentialRepresentation of a password (`PUT /users/{id}/reset-password`, `users[].credentials`). */
export const credentialRepSchema = z.looseObject({
  type: z.string().default('password'),
  value: z.string(),
  temporary: z.boolean().nullish(),
});
export type CredentialRepresentation = z.infer<typeof credentialRepSchema>;

/** ClientRepresentation. */
export const clientRepSchema = z.looseObject({
  id: z.string().optional(),
  clientId: z.string().min(1),
  name: z.string().nullish(),
  enabled: z.boolean().nullish(),
  publicClient: z.boolean().nullish(),
  bearerOnly: z.boolean().nullish(),
  secret: z.string().min(1).nullish(),
  standardFlowEnabled: z.boolean().nullish(),
  serviceAccountsEnabled: z.boolean().nullish(),
  directAccessGrantsEnabled: z.boolean().nullish(),
  redirectUris: z.array(z.string().min(1)).nullish(),
  webOrigins: z.array(z.string().min(1)).nullish(),
  attributes: z.record(z.string(), z.string()).nullish(),
});
export type ClientRepresentation = z.infer<typeof clientRepSchema>;

/** UserRepresentation (`realmRoles` and `serviceAccountClientId` are used by realm import only, as in Keycloak). */
export const userRepSchema = z.looseObject({
  id: z.string().optional(),
  username: z.string().optional(),
  email: z.string().nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  enabled: z.boolean().nullish(),
  emailVerified: z.boolean().nullish(),
  requiredActions: z.array(z.string()).nullish(),
  credentials: z.array(credentialRepSchema).nullish(),
  realmRoles: z.array(z.string().min(1)).nullish(),
  serviceAccountClientId: z.string().nullish(),
});
export type UserRepresentation = z.infer<typeof userRepSchema>;

/** RealmRepresentation (with the nested `roles.realm`, `clients`, `users` of a realm import). */
export const realmRepSchema = z.looseObject({
  id: z.string().optional(),
  realm: z.string().regex(REALM_NAME_PATTERN, 'invalid realm name'),
  displayName: z.string().nullish(),
  enabled: z.boolean().nullish(),
  accessTokenLifespan: z.number().int().positive().nullish(),
  roles: z.looseObject({ realm: z.array(roleRepSchema).nullish() }).nullish(),
  clients: z.array(clientRepSchema).nullish(),
  users: z.array(userRepSchema).nullish(),
});
export type RealmRepresentation = z.infer<typeof realmRepSchema>;

/** Parses `body` with `schema`; a failure is Keycloak's 400 with the first problem. */
export function parseRep<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new KeycloakAdminError(400, `Invalid representation: ${issue?.path.join('.') || 'body'} ${issue?.message ?? ''}`.trim());
  }
  return r.data;
}

/** RealmRepresentation of a stored realm (the fields the dev server has). */
export function toRealmRep(r: RealmRow): Record<string, unknown> {
  return {
    id: r.id,
    realm: r.name,
    ...(r.displayName !== null ? { displayName: r.displayName } : {}),
    enabled: r.enabled,
    accessTokenLifespan: r.accessTokenLifespan,
    sslRequired: 'external',
    registrationAllowed: false,
    duplicateEmailsAllowed: false,
    loginWithEmailAllowed: true,
  };
}

/** RoleRepresentation of a realm role (`containerId` = realm id, as Keycloak). */
export function toRoleRep(r: RoleRow, realmId: string): Record<string, unknown> {
  return {
    id: r.id,
    name: r.name,
    ...(r.description !== null ? { description: r.description } : {}),
    composite: false,
    clientRole: false,
    containerId: realmId,
  };
}

/** ClientRepresentation of a stored client; confidential clients carry `secret` like Keycloak's GET. */
export function toClientRep(c: ClientRow): Record<string, unknown> {
  return {
    id: c.id,
    clientId: c.clientId,
    ...(c.name !== null ? { name: c.name } : {}),
    enabled: c.enabled,
    clientAuthenticatorType: 'client-secret',
    ...(c.publicClient ? {} : { secret: c.secret }),
    redirectUris: c.redirectUris,
    webOrigins: c.webOrigins,
    bearerOnly: false,
    consentRequired: false,
    standardFlowEnabled: c.standardFlowEnabled,
    implicitFlowEnabled: false,
    directAccessGrantsEnabled: c.directAccessGrantsEnabled,
    serviceAccountsEnabled: c.serviceAccountsEnabled,
    publicClient: c.publicClient,
    frontchannelLogout: false,
    protocol: 'openid-connect',
    attributes: c.attributes,
    fullScopeAllowed: true,
  };
}

/**
 * UserRepresentation. Brief (`briefRepresentation=true`) has the identity fields only; the full one
 * adds `requiredActions`, `totp`, `notBefore`, `access` (Keycloak's `ModelToRepresentation`).
 */
export function toUserRep(u: UserRow, brief = false): Record<string, unknown> {
  const base = {
    id: u.id,
    username: u.username,
    ...(u.firstName !== null ? { firstName: u.firstName } : {}),
    ...(u.lastName !== null ? { lastName: u.lastName } : {}),
    ...(u.email !== null ? { email: u.email } : {}),
    emailVerified: u.emailVerified,
    createdTimestamp: u.createdTimestamp,
    enabled: u.enabled,
  };
  if (brief) return base;
  return {
    ...base,
    totp: false,
    disableableCredentialTypes: [],
    requiredActions: u.requiredActions,
    notBefore: 0,
    access: { manageGroupMembership: true, view: true, mapRoles: true, impersonate: true, manage: true },
  };
}
