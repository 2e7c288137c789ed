/**
 * `v1/users` in a minimal Nest app: real HTTP, real tokens from the dev identity server (PostgreSQL
 * persistence), the real KeycloakIdentityAdmin behind IDENTITY_ADMIN, the global RealmAuthGuard and
 * the problem+json filter.
 */
import type { INestApplication } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Test-only dependency on a tool: the real dev identity server runs in-process as the IdP under test.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startDevIdentity, type DevIdentityServer } from '@cetate/dev-identity';
import { ProblemDetailsFilter } from '@cetate/platform-observability';
import { createTestDatabase, type TestDatabase } from '@cetate/platform-testing';
import { ClientCredentialsTokenSource } from './client-credentials-token-source.js';
import { API_CLIENT_ID, type IdentityUser } from './identity-admin.js';
import { loginWithPassword, suiteSpec } from './identity-admin.contract-suite.js';
import { identityAdminFromEnv, type KeycloakIdentityAdmin } from './keycloak-identity-admin.js';
import { RealmAuthModule } from './realm-auth.nest.js';
import type { RealmTenantResolver } from './realm-authorization.js';
import { tenantUsersModule } from './tenant-users.controller.js';

let db: TestDatabase;
let idp: DevIdentityServer;
let admin: KeycloakIdentityAdmin;
let app: INestApplication;
let base: string;

/** Tenant A: its cetate-api service account is a tenant admin. Tenant B: accountant only. */
const specA = suiteSpec({ apiServiceAccountRoles: ['accountant', 'tenant-admin'] });
const specB = suiteSpec({ apiServiceAccountRoles: ['accountant'] });
const tenants = new Set([specA.realm, specB.realm]);
const resolver: RealmTenantResolver = {
  async tenantForRealm(realm) {
    return tenants.has(realm) ? { slug: realm } : null;
  },
};

const serviceToken = (spec: typeof specA) =>
  new ClientCredentialsTokenSource({
    tokenUrl: `${idp.url}/realms/${spec.realm}/protocol/openid-connect/token`,
    clientId: API_CLIENT_ID,
    clientSecret: spec.apiClientSecret!,
  }).getToken();

async function call(method: string, path: string, token: string | undefined, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as Record<string, unknown> & unknown[]) : undefined };
}

let tokenA: string;
let tokenB: string;
let firstAdminA: IdentityUser;

beforeAll(async () => {
  db = await createTestDatabase('cetate_tenant_users');
  idp = await startDevIdentity({ port: 0, realms: [], databaseUrl: db.url });
  admin = identityAdminFromEnv({ KEYCLOAK_URL: idp.url });
  await admin.ensureTenantRealm(specA);
  await admin.ensureTenantRealm(specB);
  firstAdminA = (await admin.listUsers(specA.realm))[0]!;

  @Module({
    imports: [
      RealmAuthModule.forRoot({ verifier: { issuerBaseUrl: idp.url, audience: API_CLIENT_ID }, tenantResolver: { useValue: resolver } }),
      tenantUsersModule(admin),
    ],
    providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
  })
  class TestAppModule {}
  app = await NestFactory.create(TestAppModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  tokenA = await serviceToken(specA);
  tokenB = await serviceToken(specB);
});

afterAll(async () => {
  await app?.close();
  await admin?.deleteRealm(specA.realm).catch(() => undefined);
  await admin?.deleteRealm(specB.realm).catch(() => undefined);
  await idp?.close();
  await db?.drop();
});

describe('TenantUsersController v1/users', () => {
  it('401 without a token, 403 without role tenant-admin (problem+json)', async () => {
    const anon = await call('GET', '/v1/users', undefined);
    expect(anon.status).toBe(401);
    expect(anon.headers.get('content-type')).toContain('application/problem+json');
    expect(anon.json).toMatchObject({ code: 'AUTH_INVALID_TOKEN' });
    for (const [method, path, body] of [
      ['GET', '/v1/users', undefined],
      ['POST', '/v1/users', { username: 'x-user', email: 'x@y.ro', roles: ['user'] }],
      ['PATCH', `/v1/users/${firstAdminA.id}`, { enabled: false }],
    ] as const) {
      const r = await call(method, path, tokenB, body);
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.json).toMatchObject({ code: 'AUTH_FORBIDDEN' });
    }
    expect((await admin.getUser(specA.realm, firstAdminA.id)).enabled).toBe(true);
  });

  it('GET lists the users of the token realm only, service accounts excluded, paged', async () => {
    await admin.inviteUser(specB.realm, { username: 'only.in.b', email: `b@${specB.realm}.example`, roles: ['user'], temporaryPassword: 'B-temp-pass-1' });
    const r = await call('GET', '/v1/users', tokenA);
    expect(r.status).toBe(200);
    expect(r.json).toEqual([firstAdminA]);
    expect((r.json as unknown as IdentityUser[])[0]).toMatchObject({ username: 'first.admin', roles: ['tenant-admin'], requiredActions: ['UPDATE_PASSWORD'] });

    const bad = await call('GET', '/v1/users?max=0&first=-1', tokenA);
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((bad.json!['errors'] as { path: string }[]).map((e) => e.path).sort()).toEqual(['first', 'max']);
    expect((await call('GET', '/v1/users?realm=' + specB.realm, tokenA)).status).toBe(400); // no realm parameter exists
  });

  let invited: IdentityUser & { temporaryPassword: string };

  it('POST invites a user: 201 with a one-time temporary password that logs in', async () => {
    const r = await call('POST', '/v1/users', tokenA, { username: 'Elena.Contabil', email: `elena@${specA.realm}.example`, firstName: 'Elena', lastName: 'Dinu', roles: ['accountant', 'user', 'user'] });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(r.headers.get('cache-control')).toBe('no-store');
    invited = r.json as unknown as typeof invited;
    expect(invited).toMatchObject({ username: 'elena.contabil', enabled: true, roles: ['accountant', 'user'], requiredActions: ['UPDATE_PASSWORD'] });
    expect(invited.temporaryPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);

    const listed = (await call('GET', '/v1/users', tokenA)).json as unknown as IdentityUser[];
    expect(listed.map((u) => u.username)).toEqual(['elena.contabil', 'first.admin']);
    expect(listed[0]).not.toHaveProperty('temporaryPassword');
    expect((await call('GET', '/v1/users?first=1&max=1', tokenA)).json).toEqual([listed[1]]);
    // invited in realm A only
    expect((await admin.listUsers(specB.realm)).map((u) => u.username)).toEqual(['first.admin', 'only.in.b']);

    const login = await loginWithPassword(idp.url, specA.realm, 'elena.contabil', invited.temporaryPassword, 'Elena-new-pass-1');
    expect(login, JSON.stringify(login).slice(0, 300)).toHaveProperty('accessToken');
  });

  it('POST: 400 VALIDATION_FAILED with errors for bad input, 409 USER_EXISTS for a taken username or email', async () => {
    const bad = await call('POST', '/v1/users', tokenA, { username: 'ab', email: 'not-an-email', roles: ['superuser'], realm: specB.realm });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.json).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    const paths = (bad.json!['errors'] as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['username', 'email', 'roles.0', '']));
    expect((await call('POST', '/v1/users', tokenA, { username: 'service-account-cetate-api', email: 's@x.ro', roles: ['user'] })).status).toBe(400);
    expect((await call('POST', '/v1/users', tokenA, { username: 'nobody', email: 'n@x.ro', roles: [] })).status).toBe(400);
    expect((await call('POST', '/v1/users', tokenA, '{not json')).json).toMatchObject({ code: 'MALFORMED_BODY' });

    for (const body of [
      { username: 'ELENA.contabil', email: `other@${specA.realm}.example`, roles: ['user'] },
      { username: 'elena2', email: `elena@${specA.realm}.example`, roles: ['user'] },
    ]) {
      const dup = await call('POST', '/v1/users', tokenA, body);
      expect(dup.status).toBe(409);
      expect(dup.json).toMatchObject({ code: 'USER_EXISTS' });
    }
  });

  it('PATCH sets roles and enabled; 404 for an unknown id or a user of another realm; 400 for an empty patch', async () => {
    const roles = await call('PATCH', `/v1/users/${invited.id}`, tokenA, { roles: ['privacy-officer', 'user'] });
    expect(roles.status).toBe(200);
    expect(roles.json).toMatchObject({ id: invited.id, roles: ['privacy-officer', 'user'], enabled: true });
    const off = await call('PATCH', `/v1/users/${invited.id}`, tokenA, { enabled: false });
    expect(off.status).toBe(200);
    expect(off.json).toMatchObject({ enabled: false, roles: ['privacy-officer', 'user'] });
    expect((await admin.getUser(specA.realm, invited.id)).enabled).toBe(false);
    expect(await loginWithPassword(idp.url, specA.realm, 'elena.contabil', 'Elena-new-pass-1', 'x')).toHaveProperty('refusedPage');
    const both = await call('PATCH', `/v1/users/${invited.id}`, tokenA, { enabled: true, roles: ['accountant'] });
    expect(both.json).toMatchObject({ enabled: true, roles: ['accountant'] });

    expect((await call('PATCH', `/v1/users/${invited.id}`, tokenA, {})).json).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await call('PATCH', `/v1/users/${invited.id}`, tokenA, { roles: ['root'] })).status).toBe(400);
    const unknown = await call('PATCH', '/v1/users/00000000-0000-4000-8000-000000000000', tokenA, { enabled: false });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ code: 'USER_NOT_FOUND' });
    expect((await call('PATCH', '/v1/users/..%2F..%2Fx', tokenA, { enabled: false })).json).toMatchObject({ code: 'USER_NOT_FOUND' });

    const [userOfB] = await admin.listUsers(specB.realm);
    const cross = await call('PATCH', `/v1/users/${userOfB!.id}`, tokenA, { enabled: false });
    expect(cross.status).toBe(404);
    expect((await admin.getUser(specB.realm, userOfB!.id)).enabled).toBe(true);
  });

  it('a tenant admin cannot disable himself nor drop his own tenant-admin role (409 USER_SELF_LOCKOUT)', async () => {
    const login = await loginWithPassword(idp.url, specA.realm, 'first.admin', specA.firstAdmin.temporaryPassword, 'First-admin-new-1');
    expect(login, JSON.stringify(login).slice(0, 300)).toHaveProperty('accessToken');
    const own = (login as { accessToken: string }).accessToken;
    const self = `/v1/users/${firstAdminA.id}`;
    for (const body of [{ enabled: false }, { roles: ['accountant'] }, { enabled: true, roles: [] }]) {
      const r = await call('PATCH', self, own, body);
      expect(r.status, JSON.stringify(body)).toBe(409);
      expect(r.json).toMatchObject({ code: 'USER_SELF_LOCKOUT' });
    }
    expect(await admin.getUser(specA.realm, firstAdminA.id)).toMatchObject({ enabled: true, roles: ['tenant-admin'] });
    // keeping tenant-admin while adding a role is allowed; so is disabling another user
    const ok = await call('PATCH', self, own, { roles: ['tenant-admin', 'accountant'] });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ roles: ['accountant', 'tenant-admin'] });
    expect((await call('PATCH', `/v1/users/${invited.id}`, own, { enabled: false })).status).toBe(200);
  });
});
