import KcAdminClient from '@keycloak/keycloak-admin-client';
import { createTestDatabase, type TestDatabase } from '@cetate/platform-testing';
import { SignJWT, generateKeyPair, jwtVerify, createRemoteJWKSet, decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevIdentity, type DevIdentityServer } from './index.js';
import { browserLogin, refresh } from './test-login.js';

let db: TestDatabase;
let idp: DevIdentityServer;
let adminToken: string;

const SECRET = 'provisioner-test-secret';

async function ccToken(realm: string, clientId: string, secret: string): Promise<Response> {
  return fetch(idp.tokenUrl(realm), {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
}

async function admin(method: string, path: string, body?: unknown, token = adminToken): Promise<Response> {
  return fetch(`${idp.url}/admin/realms${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

beforeAll(async () => {
  db = await createTestDatabase('cetate_test_idp');
  idp = await startDevIdentity({ port: 0, realms: [], databaseUrl: db.url, adminClientSecret: SECRET, adminPassword: 'admin-test-pw' });
  const res = await ccToken('master', 'cetate-provisioner', SECRET);
  expect(res.status).toBe(200);
  adminToken = ((await res.json()) as { access_token: string }).access_token;
});
afterAll(async () => {
  await idp?.close();
  await db?.drop();
});

describe('admin REST API: authentication (Keycloak: master realm token with role admin)', () => {
  it('401 without a token, with a token of another key, or an expired one; 403 without role admin', async () => {
    const list = (token?: string) => fetch(`${idp.url}/admin/realms`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    expect((await list()).status).toBe(401);
    expect((await list('not-a-jwt')).status).toBe(401);
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ realm_access: { roles: ['admin'] } })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(idp.issuer('master'))
      .setExpirationTime('1m')
      .sign(privateKey);
    expect((await list(forged)).status).toBe(401);

    // A genuine token of a realm other than master, even with a role called admin, is refused (401: wrong issuer/key).
    const created = await admin('POST', '', {
      realm: 'other-admins',
      enabled: true,
      roles: { realm: [{ name: 'admin' }] },
      clients: [{ clientId: 'svc', secret: 'svc-secret', serviceAccountsEnabled: true, standardFlowEnabled: false }],
      users: [{ username: 'service-account-svc', serviceAccountClientId: 'svc', realmRoles: ['admin'] }],
    });
    expect(created.status).toBe(201);
    const foreign = ((await (await ccToken('other-admins', 'svc', 'svc-secret')).json()) as { access_token: string }).access_token;
    expect(decodeJwt(foreign)['realm_access']).toEqual({ roles: ['admin'] });
    expect((await list(foreign)).status).toBe(401);

    // admin-cli password grant of user admin works; a master user without role admin gets 403.
    const pw = async (username: string, password: string) =>
      fetch(idp.tokenUrl('master'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'password', client_id: 'admin-cli', username, password }).toString() });
    const bad = await pw('admin', 'wrong');
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ error: 'invalid_grant' });
    const good = (await (await pw('admin', 'admin-test-pw')).json()) as { access_token: string };
    expect((await list(good.access_token)).status).toBe(200);
    const users = (await (await admin('GET', '/master/users?username=admin&exact=true')).json()) as { id: string }[];
    expect(users).toHaveLength(1);
    expect((await admin('POST', '/master/users', { username: 'viewer', enabled: true, credentials: [{ type: 'password', value: 'viewer-pw', temporary: false }] })).status).toBe(201);
    const viewer = (await (await pw('viewer', 'viewer-pw')).json()) as { access_token: string };
    expect((await list(viewer.access_token)).status).toBe(403);

    // An expired master token: 401.
    const shortLived = await new SignJWT({ realm_access: { roles: ['admin'] } })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(idp.issuer('master'))
      .setExpirationTime(Math.floor(Date.now() / 1000) - 10)
      .sign(privateKey);
    expect((await list(shortLived)).status).toBe(401);
  });
});

describe('admin REST API through plain fetch (Keycloak paths, status codes, shapes)', () => {
  it('realms: create (201 + Location), 409 on a duplicate, get, 404, update, list, delete; master cannot be deleted', async () => {
    const res = await admin('POST', '', { realm: 'acme', enabled: true, displayName: 'Acme SRL' });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`${idp.url}/admin/realms/acme`);
    const dup = await admin('POST', '', { realm: 'acme', enabled: true });
    expect(dup.status).toBe(409);
    expect(await dup.json()).toEqual({ errorMessage: 'Conflict detected. See logs for details' });
    expect(await (await admin('GET', '/acme')).json()).toMatchObject({ realm: 'acme', enabled: true, displayName: 'Acme SRL' });
    const missing = await admin('GET', '/nope');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'Realm not found.' });
    expect((await admin('PUT', '/acme', { displayName: 'Acme' })).status).toBe(204);
    expect(await (await admin('GET', '/acme')).json()).toMatchObject({ displayName: 'Acme', enabled: true });
    const names = ((await (await admin('GET', '')).json()) as { realm: string }[]).map((r) => r.realm);
    expect(names).toEqual(expect.arrayContaining(['master', 'acme']));
    // Served at once.
    expect((await fetch(`${idp.issuer('acme')}/.well-known/openid-configuration`)).status).toBe(200);
    // Disabled: OIDC endpoints refuse; enabled again: served.
    expect((await admin('PUT', '/acme', { enabled: false })).status).toBe(204);
    expect((await fetch(`${idp.issuer('acme')}/.well-known/openid-configuration`)).status).toBe(403);
    expect((await admin('PUT', '/acme', { enabled: true })).status).toBe(204);
    expect((await admin('DELETE', '/acme')).status).toBe(204);
    expect((await admin('DELETE', '/acme')).status).toBe(404);
    expect((await fetch(`${idp.issuer('acme')}/.well-known/openid-configuration`)).status).toBe(404);
    expect((await admin('DELETE', '/master')).status).toBe(400);
    expect((await admin('POST', '', { realm: '../x' })).status).toBe(400);
  });

  it('roles, clients, users, passwords and role mappings', async () => {
    expect((await admin('POST', '', { realm: 'beta', enabled: true, roles: { realm: [{ name: 'accountant' }, { name: 'tenant-admin' }] } })).status).toBe(201);
    // roles
    const role = await admin('POST', '/beta/roles', { name: 'user', description: 'plain user' });
    expect(role.status).toBe(201);
    expect(role.headers.get('location')).toBe(`${idp.url}/admin/realms/beta/roles/user`);
    expect((await admin('POST', '/beta/roles', { name: 'user' })).status).toBe(409);
    const roles = (await (await admin('GET', '/beta/roles')).json()) as { id: string; name: string }[];
    expect(roles.map((r) => r.name)).toEqual(['accountant', 'tenant-admin', 'user']);
    expect(await (await admin('GET', '/beta/roles/user')).json()).toMatchObject({ name: 'user', description: 'plain user', composite: false, clientRole: false });
    expect((await admin('GET', '/beta/roles/ghost')).status).toBe(404);

    // clients
    const c = await admin('POST', '/beta/clients', { clientId: 'cetate-api', serviceAccountsEnabled: true, standardFlowEnabled: false });
    expect(c.status).toBe(201);
    const clientUuid = c.headers.get('location')!.split('/').pop()!;
    expect(c.headers.get('location')).toBe(`${idp.url}/admin/realms/beta/clients/${clientUuid}`);
    expect((await admin('POST', '/beta/clients', { clientId: 'cetate-api' })).status).toBe(409);
    const found = (await (await admin('GET', '/beta/clients?clientId=cetate-api')).json()) as { id: string; secret: string }[];
    expect(found).toHaveLength(1);
    expect(found[0]!.id).toBe(clientUuid);
    const secret = (await (await admin('GET', `/beta/clients/${clientUuid}/client-secret`)).json()) as { type: string; value: string };
    expect(secret).toEqual({ type: 'secret', value: found[0]!.secret });
    expect(secret.value).toMatch(/^[A-Za-z0-9]{32}$/);
    const sa = (await (await admin('GET', `/beta/clients/${clientUuid}/service-account-user`)).json()) as { id: string; username: string };
    expect(sa.username).toBe('service-account-cetate-api');
    const accountant = roles.find((r) => r.name === 'accountant')!;
    expect((await admin('POST', `/beta/users/${sa.id}/role-mappings/realm`, [{ id: accountant.id, name: 'accountant' }])).status).toBe(204);
    const cc = (await (await ccToken('beta', 'cetate-api', secret.value)).json()) as { access_token: string };
    const jwks = createRemoteJWKSet(new URL(`${idp.issuer('beta')}/protocol/openid-connect/certs`));
    const { payload } = await jwtVerify(cc.access_token, jwks, { issuer: idp.issuer('beta') });
    expect(payload).toMatchObject({ azp: 'cetate-api', preferred_username: 'service-account-cetate-api', realm_access: { roles: ['accountant'] } });
    expect((await admin('PUT', `/beta/clients/${clientUuid}`, { secret: 'rotated-secret' })).status).toBe(204);
    expect((await ccToken('beta', 'cetate-api', secret.value)).status).toBe(401);
    expect((await ccToken('beta', 'cetate-api', 'rotated-secret')).status).toBe(200);
    const shell = await admin('POST', '/beta/clients', {
      clientId: 'cetate-shell', publicClient: true, standardFlowEnabled: true, redirectUris: ['http://127.0.0.1:4200/*'], webOrigins: ['+'],
      attributes: { 'pkce.code.challenge.method': 'S256' },
    });
    expect(shell.status).toBe(201);
    const shellRep = (await (await admin('GET', `/beta/clients/${shell.headers.get('location')!.split('/').pop()}`)).json()) as Record<string, unknown>;
    expect(shellRep).toMatchObject({ clientId: 'cetate-shell', publicClient: true, redirectUris: ['http://127.0.0.1:4200/*'], attributes: { 'pkce.code.challenge.method': 'S256' } });
    expect(shellRep).not.toHaveProperty('secret');
    expect((await admin('GET', '/beta/clients/00000000-0000-4000-8000-000000000000')).status).toBe(404);

    // users
    const u = await admin('POST', '/beta/users', { username: 'Ana.Pop', email: 'ana@beta.example', firstName: 'Ana', enabled: true });
    expect(u.status).toBe(201);
    const userId = u.headers.get('location')!.split('/').pop()!;
    const dupName = await admin('POST', '/beta/users', { username: 'ana.pop', enabled: true });
    expect(dupName.status).toBe(409);
    expect(await dupName.json()).toEqual({ errorMessage: 'User exists with same username' });
    const dupMail = await admin('POST', '/beta/users', { username: 'other', email: 'ANA@beta.example', enabled: true });
    expect(await dupMail.json()).toEqual({ errorMessage: 'User exists with same email' });
    expect((await admin('POST', '/beta/users', { email: 'x@y.z' })).status).toBe(400);
    expect(await (await admin('GET', `/beta/users/${userId}`)).json()).toMatchObject({ id: userId, username: 'ana.pop', email: 'ana@beta.example', firstName: 'Ana', enabled: true, requiredActions: [] });
    // service accounts are not listed without a filter, and are counted out
    const all = (await (await admin('GET', '/beta/users')).json()) as { username: string }[];
    expect(all.map((x) => x.username)).toEqual(['ana.pop']);
    expect(await (await admin('GET', '/beta/users/count')).json()).toBe(1);
    expect(((await (await admin('GET', '/beta/users?username=ana&exact=false')).json()) as unknown[]).length).toBe(1);
    expect(((await (await admin('GET', '/beta/users?username=ana&exact=true')).json()) as unknown[]).length).toBe(0);
    const brief = (await (await admin('GET', '/beta/users?briefRepresentation=true&first=0&max=1')).json()) as Record<string, unknown>[];
    expect(brief[0]).not.toHaveProperty('requiredActions');
    expect((await admin('PUT', `/beta/users/${userId}`, { lastName: 'Pop', requiredActions: ['VERIFY_EMAIL'] })).status).toBe(204);
    expect(await (await admin('GET', `/beta/users/${userId}`)).json()).toMatchObject({ lastName: 'Pop', requiredActions: ['VERIFY_EMAIL'] });
    expect((await admin('PUT', `/beta/users/${userId}`, { requiredActions: [] })).status).toBe(204);
    expect((await admin('PUT', `/beta/users/${userId}/reset-password`, { type: 'password', value: 'Temp-pass-1', temporary: true })).status).toBe(204);
    expect(await (await admin('GET', `/beta/users/${userId}`)).json()).toMatchObject({ requiredActions: ['UPDATE_PASSWORD'] });

    // role mappings
    const userRole = roles.find((r) => r.name === 'user')!;
    expect((await admin('POST', `/beta/users/${userId}/role-mappings/realm`, [accountant, userRole])).status).toBe(204);
    const mapped = (await (await admin('GET', `/beta/users/${userId}/role-mappings/realm`)).json()) as { name: string }[];
    expect(mapped.map((r) => r.name)).toEqual(['accountant', 'user']);
    expect(((await (await admin('GET', `/beta/users/${userId}/role-mappings/realm/composite`)).json()) as unknown[]).length).toBe(2);
    expect((await admin('DELETE', `/beta/users/${userId}/role-mappings/realm`, [userRole])).status).toBe(204);
    expect(((await (await admin('GET', `/beta/users/${userId}/role-mappings/realm`)).json()) as { name: string }[]).map((r) => r.name)).toEqual(['accountant']);
    const wrong = await admin('POST', `/beta/users/${userId}/role-mappings/realm`, [{ id: userRole.id, name: 'accountant' }]);
    expect(wrong.status).toBe(404);
    expect((await admin('GET', '/beta/users/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect(await (await admin('GET', '/beta/users/not-a-uuid')).json()).toEqual({ error: 'User not found' });

    expect((await admin('DELETE', `/beta/users/${userId}`)).status).toBe(204);
    expect((await admin('GET', `/beta/users/${userId}`)).status).toBe(404);
    expect((await admin('DELETE', `/beta/clients/${clientUuid}`)).status).toBe(204);
    expect((await ccToken('beta', 'cetate-api', 'rotated-secret')).status).toBe(401);
  });
});

describe('admin REST API through @keycloak/keycloak-admin-client (what KeycloakIdentityAdmin uses)', () => {
  it('creates a tenant realm, clients, a user with roles, and the user logs in after changing the temporary password', async () => {
    const kc = new KcAdminClient({ baseUrl: idp.url, realmName: 'master' });
    await kc.auth({ grantType: 'client_credentials', clientId: 'cetate-provisioner', clientSecret: SECRET });
    const { realmName } = await kc.realms.create({ realm: 'gamma', enabled: true, displayName: 'Gamma SRL' });
    expect(realmName).toBe('gamma');
    expect(await kc.realms.findOne({ realm: 'missing' })).toBeNull();
    kc.setConfig({ realmName: 'gamma' });
    for (const name of ['tenant-admin', 'accountant', 'user', 'privacy-officer']) await kc.roles.create({ name });
    expect((await kc.roles.find()).map((r) => r.name).sort()).toEqual(['accountant', 'privacy-officer', 'tenant-admin', 'user']);
    const api = await kc.clients.create({ clientId: 'cetate-api', publicClient: false, serviceAccountsEnabled: true, standardFlowEnabled: false });
    const { value: apiSecret } = await kc.clients.getClientSecret({ id: api.id });
    const sa = await kc.clients.getServiceAccountUser({ id: api.id });
    const accountant = await kc.roles.findOneByName({ name: 'accountant' });
    await kc.users.addRealmRoleMappings({ id: sa.id!, roles: [{ id: accountant!.id!, name: 'accountant' }] });
    expect((await ccToken('gamma', 'cetate-api', apiSecret!)).status).toBe(200);
    await kc.clients.create({
      clientId: 'cetate-shell', publicClient: true, standardFlowEnabled: true, redirectUris: ['http://127.0.0.1:4200/*'],
      attributes: { 'pkce.code.challenge.method': 'S256' },
    });
    expect((await kc.clients.find({ clientId: 'cetate-shell' }))).toHaveLength(1);

    const { id } = await kc.users.create({ username: 'first.admin', email: 'admin@gamma.example', enabled: true, requiredActions: ['UPDATE_PASSWORD'] });
    await kc.users.resetPassword({ id, credential: { type: 'password', value: 'Temp-1', temporary: true } });
    const ta = await kc.roles.findOneByName({ name: 'tenant-admin' });
    await kc.users.addRealmRoleMappings({ id, roles: [{ id: ta!.id!, name: 'tenant-admin' }] });
    expect((await kc.users.listRealmRoleMappings({ id })).map((r) => r.name)).toEqual(['tenant-admin']);
    expect(await kc.users.count()).toBe(1);
    const listed = await kc.users.find({ username: 'first.admin', exact: true });
    expect(listed.map((u) => u.id)).toEqual([id]);
    await expect(kc.users.create({ username: 'first.admin', enabled: true })).rejects.toMatchObject({ response: { status: 409 } });

    // First login: the temporary password is accepted only together with a new password.
    const login = { baseUrl: idp.url, realm: 'gamma', clientId: 'cetate-shell', redirectUri: 'http://127.0.0.1:4200/cb', username: 'first.admin', password: 'Temp-1' };
    const stopped = await browserLogin(login);
    expect(stopped).toMatchObject({ ok: false });
    expect((stopped as { page: string }).page).toContain('kc-passwd-update-form');
    const first = await browserLogin({ ...login, newPassword: 'New-pass-1' });
    expect(first).toMatchObject({ ok: true, updatedPassword: true });
    expect(decodeJwt((first as { accessToken: string }).accessToken)).toMatchObject({ sub: id, preferred_username: 'first.admin', realm_access: { roles: ['tenant-admin'] } });
    expect((await kc.users.findOne({ id }))!.requiredActions).toEqual([]);
    expect(await browserLogin(login)).toMatchObject({ ok: false });
    expect(await browserLogin({ ...login, password: 'New-pass-1' })).toMatchObject({ ok: true, updatedPassword: false });

    // Disabled through the API: no login, and the refresh token stops working.
    const session = (await browserLogin({ ...login, password: 'New-pass-1' })) as { ok: true; refreshToken: string };
    expect(session.refreshToken).toBeTruthy();
    expect((await refresh(idp.tokenUrl('gamma'), 'cetate-shell', session.refreshToken)).status).toBe(200);
    await kc.users.update({ id }, { enabled: false });
    const refused = await browserLogin({ ...login, password: 'New-pass-1' });
    expect(refused).toMatchObject({ ok: false });
    expect((refused as { page: string }).page).toContain('Account is disabled');
    const r = await refresh(idp.tokenUrl('gamma'), 'cetate-shell', session.refreshToken);
    expect(r.status).toBe(400);
    expect(r.body['error']).toBe('invalid_grant');

    await kc.realms.del({ realm: 'gamma' });
    expect((await ccToken('gamma', 'cetate-api', apiSecret!)).status).toBe(404);
  });

  it('imports a realm with roles, clients and users in one POST (RealmRepresentation)', async () => {
    const kc = new KcAdminClient({ baseUrl: idp.url, realmName: 'master' });
    await kc.auth({ grantType: 'client_credentials', clientId: 'cetate-provisioner', clientSecret: SECRET });
    await kc.realms.create({
      realm: 'delta',
      enabled: true,
      roles: { realm: [{ name: 'accountant' }] },
      clients: [{ clientId: 'cetate-api', secret: 'delta-secret', serviceAccountsEnabled: true, standardFlowEnabled: false }],
      users: [{ username: 'ion', enabled: true, credentials: [{ type: 'password', value: 'ion-pw', temporary: false }], realmRoles: ['accountant'] }],
    });
    kc.setConfig({ realmName: 'delta' });
    const [ion] = await kc.users.find({ username: 'ion', exact: true });
    expect((await kc.users.listRealmRoleMappings({ id: ion!.id! })).map((x) => x.name)).toEqual(['accountant']);
    expect((await ccToken('delta', 'cetate-api', 'delta-secret')).status).toBe(200);
  });
});
