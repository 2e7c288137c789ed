/**
 * Keycloak's model rules applied to the store: realm import (RealmRepresentation with roles, clients
 * and users), client and user creation and update, password reset. Shared by the admin REST API and
 * the seed loader so both create exactly the same rows.
 */
import { randomBytes } from 'node:crypto';
import { hashPassword } from './crypto.js';
import { DEFAULT_ACCESS_TOKEN_TTL_SEC, DEFAULT_AUDIENCE, generateRealmKeys, stableUuid } from './realm.js';
import type { RealmSeed } from './realm-seed.js';
import {
  KeycloakAdminError,
  type ClientRepresentation,
  type CredentialRepresentation,
  type RealmRepresentation,
  type UserRepresentation,
} from './representations.js';
import type { ClientRow, IdentityStore, RealmRow, UserRow } from './store.js';

/** Keycloak required action that forces a new password at next login. */
export const UPDATE_PASSWORD = 'UPDATE_PASSWORD';

/** Keycloak's prefix of service account usernames (`ServiceAccountConstants.SERVICE_ACCOUNT_USER_PREFIX`). */
export const SERVICE_ACCOUNT_PREFIX = 'service-account-';

/** A client secret like Keycloak generates (32 random alphanumerics). */
export function generateClientSecret(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(32);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/**
 * Creates a client from a ClientRepresentation with Keycloak's defaults (enabled, standard flow on,
 * confidential, no service account); a confidential client without `secret` gets a generated one.
 * With `serviceAccountsEnabled` its service account user `service-account-<clientId>` is created.
 * @throws IdentityConflictError `Client X already exists`.
 */
export async function createClient(store: IdentityStore, realm: string, rep: ClientRepresentation): Promise<ClientRow> {
  const publicClient = rep.publicClient ?? false;
  const client = await store.insertClient({
    realm,
    clientId: rep.clientId,
    name: rep.name ?? null,
    enabled: rep.enabled ?? true,
    publicClient,
    secret: publicClient ? undefined : (rep.secret ?? generateClientSecret()),
    standardFlowEnabled: rep.standardFlowEnabled ?? true,
    serviceAccountsEnabled: !publicClient && (rep.serviceAccountsEnabled ?? false),
    directAccessGrantsEnabled: rep.directAccessGrantsEnabled ?? false,
    redirectUris: rep.redirectUris ?? [],
    webOrigins: rep.webOrigins ?? [],
    attributes: rep.attributes ?? {},
  });
  await ensureServiceAccount(store, client);
  return client;
}

async function ensureServiceAccount(store: IdentityStore, client: ClientRow): Promise<void> {
  if (!client.serviceAccountsEnabled || (await store.getServiceAccountUser(client.realm, client.id))) return;
  await store.insertUser({
    realm: client.realm,
    username: `${SERVICE_ACCOUNT_PREFIX}${client.clientId}`,
    email: null,
    firstName: null,
    lastName: null,
    enabled: true,
    emailVerified: false,
    requiredActions: [],
    passwordHash: null,
    serviceAccountClientId: client.id,
  });
}

/**
 * `PUT /clients/{id}`: fields present in `rep` replace the stored ones (Keycloak's update merges the
 * given representation); turning `serviceAccountsEnabled` on creates the service account user.
 */
export async function updateClient(store: IdentityStore, cur: ClientRow, rep: Partial<ClientRepresentation>): Promise<ClientRow> {
  const publicClient = rep.publicClient ?? cur.publicClient;
  const next = await store.updateClient({
    ...cur,
    clientId: rep.clientId ?? cur.clientId,
    name: rep.name === undefined ? cur.name : rep.name,
    enabled: rep.enabled ?? cur.enabled,
    publicClient,
    secret: publicClient ? undefined : (rep.secret ?? cur.secret ?? generateClientSecret()),
    standardFlowEnabled: rep.standardFlowEnabled ?? cur.standardFlowEnabled,
    serviceAccountsEnabled: !publicClient && (rep.serviceAccountsEnabled ?? cur.serviceAccountsEnabled),
    directAccessGrantsEnabled: rep.directAccessGrantsEnabled ?? cur.directAccessGrantsEnabled,
    redirectUris: rep.redirectUris ?? cur.redirectUris,
    webOrigins: rep.webOrigins ?? cur.webOrigins,
    attributes: rep.attributes ? { ...cur.attributes, ...rep.attributes } : cur.attributes,
  });
  await ensureServiceAccount(store, next);
  return next;
}

/**
 * Stores a password credential (`PUT /users/{id}/reset-password`): scrypt hash; `temporary: true` adds
 * required action UPDATE_PASSWORD, otherwise it is removed (Keycloak `UserResource.resetPassword`).
 * @throws KeycloakAdminError 400 for another credential type or an empty value.
 */
export async function resetPassword(store: IdentityStore, user: UserRow, cred: CredentialRepresentation): Promise<UserRow> {
  if (cred.type !== 'password') throw new KeycloakAdminError(400, `Unsupported credential type ${cred.type}`);
  if (!cred.value) throw new KeycloakAdminError(400, 'Empty password');
  const actions = user.requiredActions.filter((a) => a !== UPDATE_PASSWORD);
  if (cred.temporary) actions.push(UPDATE_PASSWORD);
  return (await store.updateUser(user.realm, user.id, { passwordHash: await hashPassword(cred.value), requiredActions: actions }))!;
}

/**
 * `POST /users`: creates a user (username lower-cased; `enabled` false unless given, as Keycloak),
 * with the representation's password `credentials` (first one) and `realmRoles` (import only).
 * @throws KeycloakAdminError 400 `User name is missing`; IdentityConflictError 409 same username/email.
 */
export async function createUser(store: IdentityStore, realm: string, rep: UserRepresentation, id?: string): Promise<UserRow> {
  if (!rep.username?.trim()) throw new KeycloakAdminError(400, 'User name is missing');
  let user = await store.insertUser({
    ...(id ? { id } : {}),
    realm,
    username: rep.username.trim(),
    email: rep.email ?? null,
    firstName: rep.firstName ?? null,
    lastName: rep.lastName ?? null,
    enabled: rep.enabled ?? false,
    emailVerified: rep.emailVerified ?? false,
    requiredActions: rep.requiredActions ?? [],
    passwordHash: null,
    serviceAccountClientId: null,
  });
  const cred = rep.credentials?.find((c) => c.type === 'password');
  if (cred) user = await resetPassword(store, user, cred);
  if (rep.realmRoles?.length) await mapRealmRoles(store, realm, user.id, rep.realmRoles);
  return user;
}

async function mapRealmRoles(store: IdentityStore, realm: string, userId: string, names: string[]): Promise<void> {
  const roles = [];
  for (const name of names) {
    const role = await store.getRole(realm, name);
    if (!role) throw new KeycloakAdminError(404, 'Could not find role');
    roles.push(role.id);
  }
  await store.addUserRoles(userId, roles);
}

/** Extensions of a realm import the representation has no field for (seed files only). */
export interface ImportExtras {
  /** `aud` of the realm's access tokens; default {@link DEFAULT_AUDIENCE}. */
  audience?: string;
  /** Derive user ids from realm + username ({@link stableUuid}) instead of random UUIDs. */
  stableUserIds?: boolean;
}

/**
 * `POST /admin/realms`: creates a realm (new RS256 key; `enabled` false unless given, like Keycloak)
 * with its `roles.realm`, `clients` (and their service accounts) and `users` (with `credentials`,
 * `realmRoles`; an entry with `serviceAccountClientId` maps `realmRoles` to that client's service
 * account, as in Keycloak's realm export). A failure after the realm row was written removes it again.
 * @throws IdentityConflictError 409 when the realm exists; KeycloakAdminError 400/404 on bad content.
 */
export async function importRealm(store: IdentityStore, rep: RealmRepresentation, extras: ImportExtras = {}): Promise<RealmRow> {
  const row = await store.insertRealm(
    {
      name: rep.realm,
      displayName: rep.displayName ?? null,
      enabled: rep.enabled ?? false,
      accessTokenLifespan: rep.accessTokenLifespan ?? DEFAULT_ACCESS_TOKEN_TTL_SEC,
      audience: extras.audience ?? DEFAULT_AUDIENCE,
    },
    await generateRealmKeys(),
  );
  try {
    for (const role of rep.roles?.realm ?? []) await store.insertRole(row.name, role.name, role.description ?? null);
    const clients = new Map<string, ClientRow>();
    for (const c of rep.clients ?? []) clients.set(c.clientId, await createClient(store, row.name, c));
    for (const u of rep.users ?? []) {
      if (u.serviceAccountClientId) {
        const client = clients.get(u.serviceAccountClientId);
        const sa = client && (await store.getServiceAccountUser(row.name, client.id));
        if (!sa) throw new KeycloakAdminError(400, `No service account for client ${u.serviceAccountClientId}`);
        await mapRealmRoles(store, row.name, sa.id, u.realmRoles ?? []);
      } else {
        await createUser(store, row.name, u, extras.stableUserIds && u.username ? stableUuid(`${row.name}:${u.username}`) : undefined);
      }
    }
    return row;
  } catch (err) {
    await store.deleteRealm(row.name);
    throw err;
  }
}

/**
 * The RealmRepresentation of a seed (`src/seed/*.json` shape): enabled realm, roles = declared ones
 * plus every role a user or service account uses, clients by grant (`authorization_code` → standard
 * flow, `client_credentials` → service account), users enabled with a non-temporary password.
 */
export function seedToRepresentation(seed: RealmSeed): RealmRepresentation {
  const roles = new Set([...(seed.roles ?? []), ...seed.users.flatMap((u) => u.roles), ...seed.clients.flatMap((c) => c.serviceAccountRoles ?? [])]);
  return {
    realm: seed.realm,
    enabled: true,
    accessTokenLifespan: seed.accessTokenTtlSec ?? DEFAULT_ACCESS_TOKEN_TTL_SEC,
    roles: { realm: [...roles].map((name) => ({ name })) },
    clients: seed.clients.map((c) => ({
      clientId: c.clientId,
      publicClient: c.public ?? false,
      ...(c.clientSecret ? { secret: c.clientSecret } : {}),
      standardFlowEnabled: c.grants.includes('authorization_code'),
      serviceAccountsEnabled: c.grants.includes('client_credentials'),
      redirectUris: c.redirectUris ?? [],
      webOrigins: c.webOrigins ?? [],
      attributes: (c.public ? { 'pkce.code.challenge.method': 'S256' } : {}) as Record<string, string>,
    })),
    users: [
      ...seed.users.map((u) => ({
        username: u.username,
        ...(u.email ? { email: u.email } : {}),
        enabled: true,
        emailVerified: u.email !== undefined,
        credentials: [{ type: 'password', value: u.password, temporary: false }],
        realmRoles: u.roles,
      })),
      ...seed.clients
        .filter((c) => c.grants.includes('client_credentials') && c.serviceAccountRoles?.length)
        .map((c) => ({ username: `${SERVICE_ACCOUNT_PREFIX}${c.clientId}`, serviceAccountClientId: c.clientId, realmRoles: c.serviceAccountRoles ?? [] })),
    ],
  };
}
