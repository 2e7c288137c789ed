/**
 * The subset of Keycloak's admin REST API (`/admin/realms/...`, Keycloak Admin REST API reference,
 * https://www.keycloak.org/docs-api/latest/rest-api/) that the platform's `KeycloakIdentityAdmin`
 * adapter uses, with Keycloak's paths, status codes, JSON shapes and `Location` headers, so the same
 * `@keycloak/keycloak-admin-client` code drives a real Keycloak and this server.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { jwtVerify } from 'jose';
import { createClient, createUser, generateClientSecret, importRealm, resetPassword, updateClient } from './realm-model.js';
import type { Realm } from './realm.js';
import {
  clientRepSchema,
  credentialRepSchema,
  KeycloakAdminError,
  parseRep,
  realmRepSchema,
  roleRepSchema,
  toClientRep,
  toRealmRep,
  toRoleRep,
  toUserRep,
  userRepSchema,
} from './representations.js';
import { IdentityConflictError, type ClientRow, type IdentityStore, type RealmRow, type UserRow } from './store.js';
import { z } from 'zod';

/** Name of Keycloak's administration realm. */
export const MASTER_REALM = 'master';
/** Realm role of the master realm that grants the whole admin API (Keycloak's `admin` role). */
export const ADMIN_ROLE = 'admin';

/** What the admin API needs from the server. */
export interface AdminApiContext {
  store: IdentityStore;
  /** Base URL (`http://host:port`), for `Location` headers. */
  baseUrl: string;
  /** The running master realm (its key and issuer verify admin tokens). */
  masterRealm(): Promise<Realm>;
  /** Called after a realm was created, updated or deleted, so its runtime follows at once. */
  realmChanged(name: string, row: RealmRow | undefined): void;
}

const MAX_JSON_BYTES = 1024 * 1024;

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON_BYTES) throw new KeycloakAdminError(400, 'Request body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) throw new KeycloakAdminError(400, 'Request body is missing');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new KeycloakAdminError(400, 'Request body is not valid JSON');
  }
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-cache', ...headers });
  res.end(JSON.stringify(body));
}

function noContent(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}

function created(res: ServerResponse, location: string): void {
  res.writeHead(201, { location });
  res.end();
}

const notFound = (what: 'Realm not found.' | 'User not found' | 'Could not find client' | 'Could not find role' | 'Role not found') =>
  new KeycloakAdminError(404, what);

/**
 * Checks `Authorization: Bearer <token>`: an RS256 JWT of realm master (signature with the master
 * realm key, `iss`, `exp`) whose `realm_access.roles` has `admin`.
 * @returns 0 when allowed, 401 without or with an invalid token, 403 without the role (Keycloak).
 */
async function authorize(ctx: AdminApiContext, req: IncomingMessage): Promise<0 | 401 | 403> {
  const m = /^Bearer\s+([A-Za-z0-9._~+/-]+=*)$/i.exec(req.headers.authorization ?? '');
  if (!m) return 401;
  const master = await ctx.masterRealm();
  try {
    const { payload } = await jwtVerify(m[1]!, master.verifyKey, { issuer: master.issuer, algorithms: ['RS256'] });
    const roles = (payload['realm_access'] as { roles?: unknown } | undefined)?.roles;
    return Array.isArray(roles) && roles.includes(ADMIN_ROLE) ? 0 : 403;
  } catch {
    return 401;
  }
}

const bool = (v: string | null) => (v === null ? undefined : v === 'true');
const int = (v: string | null) => (v === null || !/^-?\d+$/.test(v) ? undefined : Number(v));

/**
 * Serves `/admin/realms...` (path and query in `url`). Endpoints, all JSON, all behind
 * {@link authorize}:
 *
 * | method + path under `/admin/realms` | answer |
 * |---|---|
 * | `GET /` | RealmRepresentation[] |
 * | `POST /` | 201 + Location; 409 `{"errorMessage":"Conflict detected. See logs for details"}` |
 * | `GET/PUT/DELETE /{realm}` | 200 / 204 / 204; 404 `{"error":"Realm not found."}` |
 * | `GET/POST /{realm}/roles`, `GET /{realm}/roles/{name}` | RoleRepresentation(s); 201 + Location; 409 |
 * | `GET /{realm}/clients?clientId=`, `POST /{realm}/clients` | ClientRepresentation[]; 201 + Location; 409 |
 * | `GET/PUT/DELETE /{realm}/clients/{id}` | 200 / 204 / 204; 404 `{"error":"Could not find client"}` |
 * | `GET/POST /{realm}/clients/{id}/client-secret` | `{type:"secret", value}` (POST regenerates) |
 * | `GET /{realm}/clients/{id}/service-account-user` | UserRepresentation |
 * | `GET /{realm}/users?username=&email=&exact=&first=&max=&briefRepresentation=` | UserRepresentation[] |
 * | `GET /{realm}/users/count` | number |
 * | `POST /{realm}/users` | 201 + Location; 409 `User exists with same username` / `... same email` |
 * | `GET/PUT/DELETE /{realm}/users/{id}` | 200 / 204 / 204; 404 `{"error":"User not found"}` |
 * | `PUT /{realm}/users/{id}/reset-password` | 204 |
 * | `GET /{realm}/users/{id}/role-mappings` | `{realmMappings}` |
 * | `GET/POST/DELETE /{realm}/users/{id}/role-mappings/realm` | RoleRepresentation[] / 204 / 204 |
 * | `GET /{realm}/users/{id}/role-mappings/realm/composite` | RoleRepresentation[] |
 *
 * Anything else under `/admin` answers 404 `{"error":"HTTP 404 Not Found"}` (405 for a known path with
 * another method).
 */
export async function handleAdmin(ctx: AdminApiContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const denied = await authorize(ctx, req);
  if (denied === 401) return json(res, 401, { error: 'HTTP 401 Unauthorized' }, { 'www-authenticate': 'Bearer realm="master"' });
  if (denied === 403) return json(res, 403, { error: 'HTTP 403 Forbidden' });
  try {
    await route(ctx, req, res, url);
  } catch (err) {
    if (err instanceof KeycloakAdminError) return json(res, err.status, err.body);
    if (err instanceof IdentityConflictError) return json(res, 409, { errorMessage: err.message });
    throw err;
  }
}

async function route(ctx: AdminApiContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const { store } = ctx;
  const seg = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (seg[0] !== 'admin' || seg[1] !== 'realms') return json(res, 404, { error: 'HTTP 404 Not Found' });
  const p = seg.slice(2);
  const method = req.method ?? 'GET';
  const base = `${ctx.baseUrl}/admin/realms`;
  const methodNotAllowed = () => json(res, 405, { error: 'HTTP 405 Method Not Allowed' });

  if (p.length === 0) {
    if (method === 'GET') return json(res, 200, (await store.listRealms()).map(toRealmRep));
    if (method === 'POST') {
      const rep = parseRep(realmRepSchema, await readJson(req));
      const row = await importRealm(store, rep);
      ctx.realmChanged(row.name, row);
      return created(res, `${base}/${encodeURIComponent(row.name)}`);
    }
    return methodNotAllowed();
  }

  const realm = await store.getRealm(p[0]!);
  if (!realm) throw notFound('Realm not found.');
  const realmBase = `${base}/${encodeURIComponent(realm.name)}`;

  if (p.length === 1) {
    if (method === 'GET') return json(res, 200, toRealmRep(realm));
    if (method === 'PUT') {
      const rep = parseRep(
        z.looseObject({ enabled: z.boolean().nullish(), displayName: z.string().nullish(), accessTokenLifespan: z.number().int().positive().nullish(), realm: z.string().optional() }),
        await readJson(req),
      );
      if (rep.realm !== undefined && rep.realm !== realm.name) throw new KeycloakAdminError(400, 'Renaming a realm is not supported by the dev identity server');
      const row = await store.updateRealm(realm.name, {
        ...(rep.enabled != null ? { enabled: rep.enabled } : {}),
        ...(rep.displayName !== undefined ? { displayName: rep.displayName } : {}),
        ...(rep.accessTokenLifespan != null ? { accessTokenLifespan: rep.accessTokenLifespan } : {}),
      });
      ctx.realmChanged(realm.name, row);
      return noContent(res);
    }
    if (method === 'DELETE') {
      if (realm.name === MASTER_REALM) throw new KeycloakAdminError(400, 'Cannot delete the master realm');
      await store.deleteRealm(realm.name);
      ctx.realmChanged(realm.name, undefined);
      return noContent(res);
    }
    return methodNotAllowed();
  }

  const [, kind, id, sub, sub2, sub3] = p;
  if (kind === 'roles') {
    if (p.length === 2) {
      if (method === 'GET') return json(res, 200, (await store.listRoles(realm.name)).map((r) => toRoleRep(r, realm.id)));
      if (method === 'POST') {
        const rep = parseRep(roleRepSchema, await readJson(req));
        const role = await store.insertRole(realm.name, rep.name, rep.description ?? null);
        return created(res, `${realmBase}/roles/${encodeURIComponent(role.name)}`);
      }
      return methodNotAllowed();
    }
    if (p.length === 3) {
      if (method !== 'GET') return methodNotAllowed();
      const role = await store.getRole(realm.name, id!);
      if (!role) throw notFound('Could not find role');
      return json(res, 200, toRoleRep(role, realm.id));
    }
  }

  if (kind === 'clients') {
    if (p.length === 2) {
      if (method === 'GET') {
        const clientId = url.searchParams.get('clientId') ?? undefined;
        const first = Math.max(0, int(url.searchParams.get('first')) ?? 0);
        const max = int(url.searchParams.get('max'));
        const all = await store.listClients(realm.name, clientId);
        return json(res, 200, all.slice(first, max === undefined || max < 0 ? undefined : first + max).map(toClientRep));
      }
      if (method === 'POST') {
        const client = await createClient(store, realm.name, parseRep(clientRepSchema, await readJson(req)));
        return created(res, `${realmBase}/clients/${client.id}`);
      }
      return methodNotAllowed();
    }
    const client = await store.getClient(realm.name, id!);
    if (!client) throw notFound('Could not find client');
    if (p.length === 3) {
      if (method === 'GET') return json(res, 200, toClientRep(client));
      if (method === 'PUT') {
        await updateClient(store, client, parseRep(clientRepSchema.partial(), await readJson(req)));
        return noContent(res);
      }
      if (method === 'DELETE') {
        await store.deleteClient(realm.name, client.id);
        return noContent(res);
      }
      return methodNotAllowed();
    }
    if (p.length === 4 && sub === 'client-secret') return clientSecret(store, client, method, res);
    if (p.length === 4 && sub === 'service-account-user') {
      if (method !== 'GET') return methodNotAllowed();
      const sa = client.serviceAccountsEnabled ? await store.getServiceAccountUser(realm.name, client.id) : undefined;
      if (!sa) throw new KeycloakAdminError(400, 'Service account not enabled for the client');
      return json(res, 200, toUserRep(sa));
    }
  }

  if (kind === 'users') {
    if (p.length === 2) {
      if (method === 'GET') return listUsers(store, realm, url, res);
      if (method === 'POST') {
        const user = await createUser(store, realm.name, parseRep(userRepSchema, await readJson(req)));
        return created(res, `${realmBase}/users/${user.id}`);
      }
      return methodNotAllowed();
    }
    if (p.length === 3 && id === 'count') {
      if (method !== 'GET') return methodNotAllowed();
      return json(res, 200, await store.countUsers(realm.name, userFilter(url)));
    }
    const user = await store.getUser(realm.name, id!);
    if (!user) throw notFound('User not found');
    if (p.length === 3) {
      if (method === 'GET') return json(res, 200, toUserRep(user));
      if (method === 'PUT') {
        const rep = parseRep(userRepSchema, await readJson(req));
        await store.updateUser(realm.name, user.id, {
          ...(rep.enabled != null ? { enabled: rep.enabled } : {}),
          ...(rep.email !== undefined ? { email: rep.email || null } : {}),
          ...(rep.firstName !== undefined ? { firstName: rep.firstName } : {}),
          ...(rep.lastName !== undefined ? { lastName: rep.lastName } : {}),
          ...(rep.emailVerified != null ? { emailVerified: rep.emailVerified } : {}),
          ...(rep.requiredActions != null ? { requiredActions: rep.requiredActions } : {}),
        });
        return noContent(res);
      }
      if (method === 'DELETE') {
        await store.deleteUser(realm.name, user.id);
        return noContent(res);
      }
      return methodNotAllowed();
    }
    if (p.length === 4 && sub === 'reset-password') {
      if (method !== 'PUT') return methodNotAllowed();
      await resetPassword(store, user, parseRep(credentialRepSchema, await readJson(req)));
      return noContent(res);
    }
    if (sub === 'role-mappings') {
      if (p.length === 4 && method === 'GET') {
        const roles = await store.userRoles(user.id);
        return json(res, 200, roles.length ? { realmMappings: roles.map((r) => toRoleRep(r, realm.id)) } : {});
      }
      if (sub2 === 'realm' && p.length === 5) return realmRoleMappings(store, realm, user, method, req, res);
      if (sub2 === 'realm' && sub3 === 'composite' && p.length === 6) {
        if (method !== 'GET') return methodNotAllowed();
        // No composite roles in the dev server: the effective roles are the direct ones.
        return json(res, 200, (await store.userRoles(user.id)).map((r) => toRoleRep(r, realm.id)));
      }
    }
  }
  return json(res, 404, { error: 'HTTP 404 Not Found' });
}

async function clientSecret(store: IdentityStore, client: ClientRow, method: string, res: ServerResponse): Promise<void> {
  if (client.publicClient) throw new KeycloakAdminError(400, 'Client is public');
  if (method === 'GET') return json(res, 200, { type: 'secret', value: client.secret });
  if (method === 'POST') {
    const next = await store.updateClient({ ...client, secret: generateClientSecret() });
    return json(res, 200, { type: 'secret', value: next.secret });
  }
  return json(res, 405, { error: 'HTTP 405 Method Not Allowed' });
}

function userFilter(url: URL) {
  const username = url.searchParams.get('username') ?? undefined;
  const email = url.searchParams.get('email') ?? undefined;
  return {
    ...(username !== undefined ? { username } : {}),
    ...(email !== undefined ? { email } : {}),
    exact: bool(url.searchParams.get('exact')) ?? false,
    // Keycloak lists service accounts only when searching by attribute (UsersResource.searchForUser).
    includeServiceAccounts: username !== undefined || email !== undefined,
  };
}

async function listUsers(store: IdentityStore, realm: RealmRow, url: URL, res: ServerResponse): Promise<void> {
  const brief = bool(url.searchParams.get('briefRepresentation')) ?? false;
  const users = await store.findUsers(realm.name, {
    ...userFilter(url),
    first: int(url.searchParams.get('first')) ?? 0,
    // Keycloak's default page size (Constants.DEFAULT_MAX_RESULTS).
    max: int(url.searchParams.get('max')) ?? 100,
  });
  return json(res, 200, users.map((u) => toUserRep(u, brief)));
}

/**
 * `/users/{id}/role-mappings/realm`: GET lists the direct realm roles; POST adds and DELETE removes
 * the RoleRepresentation[] of the body. Each role is looked up by name and its `id`, when given, must
 * match (Keycloak `RoleMapperResource`), else 404 `{"error":"Role not found"}`.
 */
async function realmRoleMappings(store: IdentityStore, realm: RealmRow, user: UserRow, method: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (method === 'GET') return json(res, 200, (await store.userRoles(user.id)).map((r) => toRoleRep(r, realm.id)));
  if (method !== 'POST' && method !== 'DELETE') return json(res, 405, { error: 'HTTP 405 Method Not Allowed' });
  const reps = parseRep(z.array(z.looseObject({ id: z.string().optional(), name: z.string().optional() })), await readJson(req));
  const ids: string[] = [];
  for (const rep of reps) {
    const role = rep.name !== undefined ? await store.getRole(realm.name, rep.name) : rep.id !== undefined ? await store.getRoleById(realm.name, rep.id) : undefined;
    if (!role || (rep.id !== undefined && rep.id !== role.id)) throw notFound('Role not found');
    ids.push(role.id);
  }
  if (method === 'POST') await store.addUserRoles(user.id, ids);
  else await store.removeUserRoles(user.id, ids);
  return noContent(res);
}
