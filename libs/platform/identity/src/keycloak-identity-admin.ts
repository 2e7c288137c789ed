/**
 * `KeycloakIdentityAdmin`: the {@link IdentityAdmin} port over `@keycloak/keycloak-admin-client`
 * (Keycloak Admin REST API, https://www.keycloak.org/docs-api/latest/rest-api/). The same code drives
 * a real Keycloak and the dev identity server (`tools/dev-identity`), which serves the subset of the
 * admin API used here.
 */
import { randomBytes } from 'node:crypto';
import KcAdminClient, { NetworkError } from '@keycloak/keycloak-admin-client';
import { decodeJwt } from 'jose';
import {
  API_CLIENT_ID,
  IdentityAdminError,
  SHELL_CLIENT_ID,
  TENANT_REALM_ROLES,
  type EnsureRealmResult,
  type IdentityAdmin,
  type IdentityUser,
  type InviteUserInput,
  type TenantRealmRole,
  type TenantRealmSpec,
} from './identity-admin.js';

/** Where the admin client connects and in which realm it authenticates. */
export interface KeycloakConnectionOptions {
  /** Keycloak server URL without `/admin` (`KEYCLOAK_URL`), e.g. `http://127.0.0.1:8090`. */
  baseUrl: string;
  /** Realm the admin credentials live in; default `master`. */
  realm?: string;
  /** Timeout of one admin or token request, in milliseconds; default 10 000. */
  timeoutMs?: number;
  /**
   * Re-authenticate this many seconds before the admin access token expires; default 15, capped at
   * half the token lifetime. Keycloak's master realm issues 60 s admin tokens by default.
   */
  refreshSkewSec?: number;
  /** Injected clock (ms since epoch), for tests; default `Date.now`. */
  now?: () => number;
}

/**
 * Service account of a confidential client in the admin realm (OAuth 2.0 client credentials, RFC 6749
 * §4.4), Keycloak's recommended identity for automation ("Authenticating with a service account",
 * Keycloak Server Developer Guide, Admin REST API). Its service account needs realm role `admin` of
 * `master` (or `realm-admin` of each managed realm).
 */
export interface KeycloakClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** A user of the admin realm, resource owner password grant through the public `admin-cli` client. */
export interface KeycloakPasswordCredentials {
  username: string;
  password: string;
  /** Default `admin-cli`. */
  clientId?: string;
}

/** Options of {@link KeycloakIdentityAdmin}: a connection plus one kind of credentials. */
export type KeycloakIdentityAdminOptions = KeycloakConnectionOptions & (KeycloakClientCredentials | KeycloakPasswordCredentials);

/** Default of `KEYCLOAK_URL` (the dev identity server of `npm start`). */
export const DEFAULT_KEYCLOAK_URL = 'http://127.0.0.1:8090';
/** Default of `KEYCLOAK_ADMIN_CLIENT_ID`: the provisioner's service client in realm `master`. */
export const DEFAULT_KEYCLOAK_ADMIN_CLIENT_ID = 'cetate-provisioner';
/** Default of `KEYCLOAK_ADMIN_CLIENT_SECRET` (development value of the dev identity server). */
export const DEFAULT_KEYCLOAK_ADMIN_CLIENT_SECRET = 'cetate-provisioner-secret';

/** Username prefix of Keycloak service account users (`service-account-<clientId>`). */
const SERVICE_ACCOUNT_PREFIX = 'service-account-';
/** Parallel role-mapping reads of {@link KeycloakIdentityAdmin.listUsers}. */
const ROLE_READ_CONCURRENCY = 8;

type KcUser = Awaited<ReturnType<KcAdminClient['users']['findOne']>> & object;
type KcRole = Awaited<ReturnType<KcAdminClient['roles']['find']>>[number];

/**
 * Builds a {@link KeycloakIdentityAdmin} from the environment (empty values count as unset):
 * - `KEYCLOAK_URL`, default `http://127.0.0.1:8090`;
 * - `KEYCLOAK_ADMIN_CLIENT_ID`, default `cetate-provisioner` (confidential client of realm `master`);
 * - `KEYCLOAK_ADMIN_CLIENT_SECRET`, default `cetate-provisioner-secret`.
 */
export function identityAdminFromEnv(env: NodeJS.ProcessEnv = process.env): KeycloakIdentityAdmin {
  return new KeycloakIdentityAdmin({
    baseUrl: env['KEYCLOAK_URL'] || DEFAULT_KEYCLOAK_URL,
    clientId: env['KEYCLOAK_ADMIN_CLIENT_ID'] || DEFAULT_KEYCLOAK_ADMIN_CLIENT_ID,
    clientSecret: env['KEYCLOAK_ADMIN_CLIENT_SECRET'] || DEFAULT_KEYCLOAK_ADMIN_CLIENT_SECRET,
  });
}

/**
 * {@link IdentityAdmin} on Keycloak's Admin REST API through the official `@keycloak/keycloak-admin-client`.
 *
 * Authentication: client credentials (`{ clientId, clientSecret }`) or password (`{ username, password }`,
 * client `admin-cli`) against `<baseUrl>/realms/<realm>/protocol/openid-connect/token`. The library keeps
 * the token but does not renew a client-credentials token (no refresh token), so this class gives it a
 * token provider that re-authenticates `refreshSkewSec` before `exp`; concurrent callers share one
 * token request. An admin call answered 401 drops the cached token, so the next call authenticates anew.
 *
 * Errors: every method throws {@link IdentityAdminError}: the admin API's 400, 404 and 409 keep their
 * status (message = Keycloak's `errorMessage`); 401/403 (credentials refused, missing admin role), any
 * other status, 5xx, timeouts and an unreachable server become 502.
 *
 * Users: usernames are lower-cased (Keycloak stores them so). Service accounts (`service-account-*`) are
 * not users of this port: `listUsers` leaves them out and `getUser`/`setUserEnabled`/`setUserRoles`
 * answer 404 for them. Roles are the user's direct realm role mappings without Keycloak's composite
 * `default-roles-<realm>`, sorted.
 */
export class KeycloakIdentityAdmin implements IdentityAdmin {
  /** The underlying library client (for tests and one-off calls; prefer the port's methods). */
  readonly kc: KcAdminClient;
  private readonly opts: KeycloakIdentityAdminOptions;
  private readonly now: () => number;
  private token: { value: string; renewAt: number } | undefined;
  private inflight: Promise<string> | undefined;

  constructor(opts: KeycloakIdentityAdminOptions) {
    const base = new URL(opts.baseUrl);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new TypeError('baseUrl must be http(s)');
    this.opts = opts;
    this.now = opts.now ?? Date.now;
    this.kc = new KcAdminClient({
      baseUrl: opts.baseUrl.replace(/\/+$/, ''),
      realmName: opts.realm ?? 'master',
      timeout: opts.timeoutMs ?? 10_000,
    });
    this.kc.registerTokenProvider({ getAccessToken: () => this.accessToken() });
  }

  /** Number of token requests made so far (for tests and the ADR measurement). */
  authCount = 0;

  /** A valid admin access token: cached until `refreshSkewSec` before its `exp`, else a new one. */
  async accessToken(): Promise<string> {
    if (this.token && this.now() < this.token.renewAt) return this.token.value;
    this.inflight ??= this.authenticate().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async authenticate(): Promise<string> {
    const started = this.now();
    const o = this.opts;
    try {
      if ('clientSecret' in o) {
        await this.kc.auth({ grantType: 'client_credentials', clientId: o.clientId, clientSecret: o.clientSecret });
      } else {
        await this.kc.auth({ grantType: 'password', clientId: o.clientId ?? 'admin-cli', username: o.username, password: o.password });
      }
    } catch (err) {
      throw toIdentityAdminError(err, `authenticate as ${'clientSecret' in o ? `client ${o.clientId}` : `user ${o.username}`} in realm ${this.kc.realmName}`);
    }
    this.authCount++;
    const value = this.kc.accessToken;
    if (!value) throw new IdentityAdminError('the token endpoint answered no access_token', 502);
    let lifetimeSec = 60;
    try {
      const { exp, iat } = decodeJwt(value);
      if (typeof exp === 'number') lifetimeSec = Math.max(1, exp - (typeof iat === 'number' ? iat : Math.floor(started / 1000)));
    } catch {
      // not a JWT: keep the conservative 60 s (Keycloak's default admin token lifespan)
    }
    const skew = Math.min(this.opts.refreshSkewSec ?? 15, lifetimeSec / 2);
    this.token = { value, renewAt: started + (lifetimeSec - skew) * 1000 };
    return value;
  }

  /** Runs one port operation, mapping every failure to {@link IdentityAdminError}. */
  private async op<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof NetworkError && err.response.status === 401) this.token = undefined;
      throw toIdentityAdminError(err, what);
    }
  }

  /** `GET /admin/realms/{realm}`: true when it answers 200, false on 404. */
  realmExists(realm: string): Promise<boolean> {
    return this.op(`read realm ${realm}`, async () => (await this.kc.realms.findOne({ realm })) != null);
  }

  /**
   * Creates what is missing of a tenant realm, in this order, each step reading before writing so that a
   * run interrupted between any two calls is finished by the next run:
   * 1. realm (`POST /admin/realms`, `enabled`, `displayName`); a 409 from a concurrent creator is accepted;
   * 2. realm roles {@link TENANT_REALM_ROLES} missing from `GET /roles`;
   * 3. client `cetate-shell`: public, standard flow (authorization code) only, PKCE required
   *    (attribute `pkce.code.challenge.method: S256`), `redirectUris`, `webOrigins`;
   *    client `cetate-api`: confidential (`client-secret`), service account only, the given secret or 32
   *    random bytes (base64url); both with an `oidc-audience-mapper` so access tokens carry `aud: cetate-api`
   *    (sent inside the client representation: created atomically with the client);
   * 4. realm roles `apiServiceAccountRoles` (default `accountant`) missing from the service account user
   *    of `cetate-api` (`GET /clients/{id}/service-account-user`);
   * 5. the first admin when no user has that username: `POST /users` with `enabled`, `requiredActions:
   *    [UPDATE_PASSWORD]` and a temporary password credential, then role `tenant-admin`. When the user
   *    exists but holds none of the tenant roles (a run stopped after creating it), the temporary password
   *    is set again (`PUT /users/{id}/reset-password`) and `tenant-admin` mapped; otherwise the user is
   *    left untouched.
   * Existing realms, roles, clients and users are never modified. @returns what was created; `repaired`
   * names steps 4-5 completions. @throws IdentityAdminError.
   */
  ensureTenantRealm(spec: TenantRealmSpec): Promise<EnsureRealmResult> {
    const { realm } = spec;
    return this.op(`ensure tenant realm ${realm}`, async () => {
      const result: EnsureRealmResult = { realmCreated: false, rolesCreated: [], clientsCreated: [], firstAdminCreated: false, repaired: [] };

      if ((await this.kc.realms.findOne({ realm })) == null) {
        result.realmCreated = await ignoreConflict(this.kc.realms.create({ realm, enabled: true, displayName: spec.displayName }));
      }

      let roles = await this.kc.roles.find({ realm });
      for (const name of TENANT_REALM_ROLES) {
        if (roles.some((r) => r.name === name)) continue;
        if (await ignoreConflict(this.kc.roles.create({ realm, name, description: `Cetate ${name}` }))) result.rolesCreated.push(name);
      }
      if (result.rolesCreated.length > 0) roles = await this.kc.roles.find({ realm });

      const audienceMapper = {
        name: `audience ${API_CLIENT_ID}`,
        protocol: 'openid-connect',
        protocolMapper: 'oidc-audience-mapper',
        consentRequired: false,
        config: {
          'included.client.audience': API_CLIENT_ID,
          'access.token.claim': 'true',
          'id.token.claim': 'false',
          'introspection.token.claim': 'true',
        },
      };
      if (!(await this.findClient(realm, SHELL_CLIENT_ID))) {
        const created = await ignoreConflict(
          this.kc.clients.create({
            realm,
            clientId: SHELL_CLIENT_ID,
            name: 'Cetate shell',
            protocol: 'openid-connect',
            enabled: true,
            publicClient: true,
            standardFlowEnabled: true,
            implicitFlowEnabled: false,
            directAccessGrantsEnabled: false,
            serviceAccountsEnabled: false,
            redirectUris: spec.shellRedirectUris,
            webOrigins: spec.shellWebOrigins ?? [],
            attributes: { 'pkce.code.challenge.method': 'S256' },
            protocolMappers: [audienceMapper],
          }),
        );
        if (created) result.clientsCreated.push(SHELL_CLIENT_ID);
      }
      let api = await this.findClient(realm, API_CLIENT_ID);
      if (!api) {
        const created = await ignoreConflict(
          this.kc.clients.create({
            realm,
            clientId: API_CLIENT_ID,
            name: 'Cetate API (machine access)',
            protocol: 'openid-connect',
            enabled: true,
            publicClient: false,
            clientAuthenticatorType: 'client-secret',
            secret: spec.apiClientSecret ?? randomBytes(32).toString('base64url'),
            standardFlowEnabled: false,
            implicitFlowEnabled: false,
            directAccessGrantsEnabled: false,
            serviceAccountsEnabled: true,
            protocolMappers: [audienceMapper],
          }),
        );
        if (created) result.clientsCreated.push(API_CLIENT_ID);
        api = await this.findClient(realm, API_CLIENT_ID);
        if (!api) throw new IdentityAdminError(`client ${API_CLIENT_ID} of realm ${realm} missing right after its creation`, 502);
      }

      const saUser = await this.kc.clients.getServiceAccountUser({ realm, id: api.id! });
      const wantedSa = spec.apiServiceAccountRoles ?? ['accountant'];
      const saAdded = await this.addMissingRoles(realm, saUser.id!, wantedSa, roles);
      if (saAdded.length > 0 && !result.clientsCreated.includes(API_CLIENT_ID)) result.repaired!.push(`${API_CLIENT_ID} service account roles ${saAdded.join(',')}`);

      const admin = spec.firstAdmin;
      const username = admin.username.toLowerCase();
      const existing = await this.findUserByUsername(realm, username);
      if (!existing) {
        const { id } = await this.kc.users.create({
          realm,
          username,
          email: admin.email,
          ...(admin.firstName !== undefined ? { firstName: admin.firstName } : {}),
          ...(admin.lastName !== undefined ? { lastName: admin.lastName } : {}),
          enabled: true,
          requiredActions: ['UPDATE_PASSWORD'],
          credentials: [{ type: 'password', value: admin.temporaryPassword, temporary: true }],
        });
        await this.addMissingRoles(realm, id, ['tenant-admin'], roles);
        result.firstAdminCreated = true;
      } else {
        const held = (await this.kc.users.listRealmRoleMappings({ realm, id: existing.id! })).map((r) => r.name);
        if (!held.some((r) => (TENANT_REALM_ROLES as readonly (string | undefined)[]).includes(r))) {
          await this.kc.users.resetPassword({ realm, id: existing.id!, credential: { type: 'password', value: admin.temporaryPassword, temporary: true } });
          await this.addMissingRoles(realm, existing.id!, ['tenant-admin'], roles);
          result.repaired!.push(`first admin ${username} password and role tenant-admin`);
        }
      }
      return result;
    });
  }

  /** `DELETE /admin/realms/{realm}` (with its users and clients). @returns false when it answered 404. */
  deleteRealm(realm: string): Promise<boolean> {
    return this.op(`delete realm ${realm}`, async () => {
      try {
        await this.kc.realms.del({ realm });
        return true;
      } catch (err) {
        if (err instanceof NetworkError && err.response.status === 404) return false;
        throw err;
      }
    });
  }

  /** `GET /clients?clientId=` then `GET /clients/{id}/client-secret`. @throws IdentityAdminError 404. */
  getClientSecret(realm: string, clientId: string): Promise<string> {
    return this.op(`read secret of client ${clientId} in realm ${realm}`, async () => {
      const client = await this.findClient(realm, clientId);
      if (!client) throw new IdentityAdminError(`realm ${realm} has no client ${clientId}`, 404);
      const cred = await this.kc.clients.getClientSecret({ realm, id: client.id! });
      if (typeof cred.value !== 'string' || cred.value === '') throw new IdentityAdminError(`client ${clientId} of realm ${realm} has no secret`, 404);
      return cred.value;
    });
  }

  /**
   * `GET /users?first=&max=` then each user's realm role mappings (8 in parallel). Service accounts are
   * dropped after paging, so a page may hold fewer than `max` users. Default page: first 0, max 100.
   */
  listUsers(realm: string, page: { first?: number; max?: number } = {}): Promise<IdentityUser[]> {
    return this.op(`list users of realm ${realm}`, async () => {
      const users = (await this.kc.users.find({ realm, first: page.first ?? 0, max: page.max ?? 100, briefRepresentation: false })).filter((u) => !isServiceAccount(u));
      const out = await mapLimit(users, ROLE_READ_CONCURRENCY, async (u) => this.toIdentityUser(realm, u));
      return out.sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
    });
  }

  /** `GET /users/{id}` and its realm role mappings. @throws IdentityAdminError 404 (also for a service account). */
  getUser(realm: string, userId: string): Promise<IdentityUser> {
    return this.op(`read user ${userId} of realm ${realm}`, async () => this.toIdentityUser(realm, await this.requireUser(realm, userId)));
  }

  /**
   * `POST /users` (enabled, required action `UPDATE_PASSWORD`, temporary password credential), then the
   * realm role mappings. When mapping the roles fails the new user is deleted again, so a retry does not
   * meet a 409. @throws IdentityAdminError 409 username or email taken, 400 unknown role.
   */
  inviteUser(realm: string, input: InviteUserInput): Promise<IdentityUser> {
    const username = input.username.toLowerCase();
    return this.op(`invite user ${username} to realm ${realm}`, async () => {
      const roleReps = await this.roleReps(realm, input.roles);
      const { id } = await this.kc.users.create({
        realm,
        username,
        email: input.email,
        ...(input.firstName !== undefined ? { firstName: input.firstName } : {}),
        ...(input.lastName !== undefined ? { lastName: input.lastName } : {}),
        enabled: true,
        requiredActions: ['UPDATE_PASSWORD'],
        credentials: [{ type: 'password', value: input.temporaryPassword, temporary: true }],
      });
      try {
        if (roleReps.length > 0) await this.kc.users.addRealmRoleMappings({ realm, id, roles: roleReps });
      } catch (err) {
        await this.kc.users.del({ realm, id }).catch(() => undefined);
        throw err;
      }
      return this.toIdentityUser(realm, await this.requireUser(realm, id));
    });
  }

  /**
   * `PUT /users/{id}` with the user's full representation and `enabled` changed (a partial representation
   * would let Keycloak's user profile drop the attributes left out). @throws IdentityAdminError 404.
   */
  setUserEnabled(realm: string, userId: string, enabled: boolean): Promise<IdentityUser> {
    return this.op(`${enabled ? 'enable' : 'disable'} user ${userId} of realm ${realm}`, async () => {
      const user = await this.requireUser(realm, userId);
      if (user.enabled !== enabled) {
        await this.kc.users.update({ realm, id: userId }, { ...stripReadOnly(user), enabled });
      }
      return this.toIdentityUser(realm, await this.requireUser(realm, userId));
    });
  }

  /**
   * Makes the user's direct realm role mappings exactly `roles`: `POST` the missing ones and `DELETE` the
   * others on `/users/{id}/role-mappings/realm`; `default-roles-<realm>` is kept.
   * @throws IdentityAdminError 404 user, 400 role unknown in the realm.
   */
  setUserRoles(realm: string, userId: string, roles: TenantRealmRole[]): Promise<IdentityUser> {
    return this.op(`set roles of user ${userId} of realm ${realm}`, async () => {
      const user = await this.requireUser(realm, userId);
      const wanted = await this.roleReps(realm, [...new Set(roles)]);
      const held = await this.kc.users.listRealmRoleMappings({ realm, id: userId });
      const add = wanted.filter((w) => !held.some((h) => h.name === w.name));
      const remove = held.filter((h) => h.name !== defaultRolesName(realm) && !wanted.some((w) => w.name === h.name));
      if (add.length > 0) await this.kc.users.addRealmRoleMappings({ realm, id: userId, roles: add });
      if (remove.length > 0) {
        await this.kc.users.delRealmRoleMappings({ realm, id: userId, roles: remove.map((r) => ({ id: r.id!, name: r.name! })) });
      }
      return this.toIdentityUser(realm, user);
    });
  }

  private async findClient(realm: string, clientId: string) {
    const found = await this.kc.clients.find({ realm, clientId });
    return found.find((c) => c.clientId === clientId);
  }

  private async findUserByUsername(realm: string, username: string): Promise<KcUser | undefined> {
    const found = await this.kc.users.find({ realm, username, exact: true });
    return found.find((u) => u.username?.toLowerCase() === username);
  }

  private async requireUser(realm: string, userId: string): Promise<KcUser> {
    const user = await this.kc.users.findOne({ realm, id: userId });
    if (!user || isServiceAccount(user)) throw new IdentityAdminError(`realm ${realm} has no user ${userId}`, 404);
    return user;
  }

  /** Role representations (id + name) of `names`. @throws IdentityAdminError 400 for a role the realm lacks. */
  private async roleReps(realm: string, names: readonly string[]): Promise<{ id: string; name: string }[]> {
    if (names.length === 0) return [];
    const all = await this.kc.roles.find({ realm });
    return names.map((name) => {
      const r = all.find((x) => x.name === name);
      if (!r?.id) throw new IdentityAdminError(`realm ${realm} has no realm role ${name}`, 400);
      return { id: r.id, name };
    });
  }

  /** Maps the roles of `names` the user lacks; returns their names. */
  private async addMissingRoles(realm: string, userId: string, names: readonly string[], roles: KcRole[]): Promise<string[]> {
    const held = await this.kc.users.listRealmRoleMappings({ realm, id: userId });
    const missing = names.filter((n) => !held.some((h) => h.name === n));
    if (missing.length === 0) return [];
    const reps = missing.map((name) => {
      const r = roles.find((x) => x.name === name);
      if (!r?.id) throw new IdentityAdminError(`realm ${realm} has no realm role ${name}`, 400);
      return { id: r.id, name };
    });
    await this.kc.users.addRealmRoleMappings({ realm, id: userId, roles: reps });
    return missing;
  }

  private async toIdentityUser(realm: string, u: KcUser): Promise<IdentityUser> {
    const mapped = await this.kc.users.listRealmRoleMappings({ realm, id: u.id! });
    const roles = mapped
      .map((r) => r.name)
      .filter((n): n is string => typeof n === 'string' && n !== defaultRolesName(realm))
      .sort();
    return {
      id: u.id!,
      username: u.username!,
      ...(u.email ? { email: u.email } : {}),
      ...(u.firstName ? { firstName: u.firstName } : {}),
      ...(u.lastName ? { lastName: u.lastName } : {}),
      enabled: u.enabled !== false,
      roles,
      requiredActions: [...(u.requiredActions ?? [])],
      ...(typeof u.createdTimestamp === 'number' ? { createdTimestamp: u.createdTimestamp } : {}),
    };
  }
}

/** Keycloak's per-realm composite default role (`default-roles-<realm>`), mapped to every new user. */
function defaultRolesName(realm: string): string {
  return `default-roles-${realm.toLowerCase()}`;
}

function isServiceAccount(u: { username?: string; serviceAccountClientId?: string }): boolean {
  return u.serviceAccountClientId !== undefined || (u.username ?? '').startsWith(SERVICE_ACCOUNT_PREFIX);
}

/** The fields of a `UserRepresentation` a `PUT /users/{id}` must not send back (read-only or separate resources). */
function stripReadOnly(u: KcUser): KcUser {
  const copy: KcUser = { ...u };
  delete copy.access;
  delete copy.userProfileMetadata;
  delete copy.credentials;
  delete copy.realmRoles;
  delete copy.clientRoles;
  return copy;
}

/** Awaits a create call; a 409 (someone else created it meanwhile) counts as "not created by us". */
async function ignoreConflict(p: Promise<unknown>): Promise<boolean> {
  try {
    await p;
    return true;
  } catch (err) {
    if (err instanceof NetworkError && err.response.status === 409) return false;
    throw err;
  }
}

/** Maps items with at most `limit` promises in flight, keeping the order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Maps a failure of the admin client to {@link IdentityAdminError}: `NetworkError` (Keycloak answered
 * non-2xx; `response.status`) keeps 400, 404 and 409 with Keycloak's `errorMessage`; 401/403 (credentials
 * refused or missing admin role), other statuses and 5xx become 502; transport failures and timeouts
 * (`TypeError: fetch failed`, `TimeoutError`) become 502 "unreachable".
 */
export function toIdentityAdminError(err: unknown, what: string): IdentityAdminError {
  if (err instanceof IdentityAdminError) return err;
  if (err instanceof NetworkError) {
    const status = err.response.status;
    const kept = status === 400 || status === 404 || status === 409;
    const hint = status === 401 || status === 403 ? ' (are the admin credentials right, and does the account hold the admin role?)' : '';
    return new IdentityAdminError(`${what}: identity server answered HTTP ${status}: ${err.message}${hint}`, kept ? status : 502, err);
  }
  const name = (err as Error | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return new IdentityAdminError(`${what}: identity server timed out`, 502, err);
  return new IdentityAdminError(`${what}: identity server unreachable or answered unexpectedly: ${(err as Error | undefined)?.message ?? String(err)}`, 502, err);
}
