import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeedFile, startDevIdentity, type DevIdentityServer } from './index.js';

let idp: DevIdentityServer;

beforeAll(async () => {
  idp = await startDevIdentity({ port: 0, realms: await loadSeedFile() });
});
afterAll(async () => {
  await idp?.close();
});

const discovery = async (realm: string) =>
  (await (await fetch(`${idp.issuer(realm)}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;

const ccToken = async (realm: string, id: string, secret: string) =>
  fetch(idp.tokenUrl(realm), {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });

describe('dev identity server (Keycloak URL layout)', () => {
  it('serves discovery with Keycloak endpoint paths per realm', async () => {
    for (const realm of ['demo', 'platform']) {
      const iss = `${idp.url}/realms/${realm}`;
      const d = await discovery(realm);
      expect(d).toMatchObject({
        issuer: iss,
        authorization_endpoint: `${iss}/protocol/openid-connect/auth`,
        token_endpoint: `${iss}/protocol/openid-connect/token`,
        jwks_uri: `${iss}/protocol/openid-connect/certs`,
        userinfo_endpoint: `${iss}/protocol/openid-connect/userinfo`,
        end_session_endpoint: `${iss}/protocol/openid-connect/logout`,
        introspection_endpoint: `${iss}/protocol/openid-connect/token/introspect`,
        code_challenge_methods_supported: ['S256'],
      });
    }
  });

  it('gives each realm its own RS256 key', async () => {
    const kids = await Promise.all(
      ['demo', 'platform'].map(async (r) => {
        const { keys } = (await (await fetch(`${idp.issuer(r)}/protocol/openid-connect/certs`)).json()) as { keys: { kid: string; alg: string; kty: string }[] };
        expect(keys).toHaveLength(1);
        expect(keys[0]).toMatchObject({ alg: 'RS256', kty: 'RSA' });
        return keys[0]!.kid;
      }),
    );
    expect(kids[0]).not.toBe(kids[1]);
  });

  it('answers Keycloak realm info and 404 for unknown realms', async () => {
    const info = (await (await fetch(idp.issuer('demo'))).json()) as Record<string, unknown>;
    expect(info).toMatchObject({ realm: 'demo', 'token-service': `${idp.issuer('demo')}/protocol/openid-connect` });
    expect(typeof info['public_key']).toBe('string');
    const res = await fetch(`${idp.url}/realms/nope/.well-known/openid-configuration`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'Realm does not exist' });
  });

  it('issues RS256 at+jwt client_credentials tokens with Keycloak claims; rejects a wrong secret', async () => {
    const res = await ccToken('demo', 'cetate-api', 'cetate-api-secret');
    const body = (await res.json()) as { access_token: string; expires_in: number };
    expect(res.status).toBe(200);
    expect(body.expires_in).toBe(300);
    const [h, p] = body.access_token.split('.').slice(0, 2).map((s) => JSON.parse(Buffer.from(s, 'base64url').toString()));
    expect(h).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    expect(p).toMatchObject({
      iss: idp.issuer('demo'),
      azp: 'cetate-api',
      typ: 'Bearer',
      preferred_username: 'service-account-cetate-api',
      realm_access: { roles: ['accountant'] },
      aud: 'cetate-api',
    });
    expect((await ccToken('demo', 'cetate-api', 'wrong')).status).toBe(401);
    // A realm's clients do not exist in another realm.
    expect((await ccToken('platform', 'cetate-api', 'cetate-api-secret')).status).toBe(401);
  });

  it('refuses an authorization request whose redirect_uri does not match the wildcard', async () => {
    const challenge = createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url');
    const u = new URL(`${idp.issuer('demo')}/protocol/openid-connect/auth`);
    u.search = new URLSearchParams({
      client_id: 'cetate-shell',
      response_type: 'code',
      scope: 'openid',
      redirect_uri: 'http://127.0.0.1:4300/cb',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    const res = await fetch(u, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('redirect_uri');
    u.searchParams.set('redirect_uri', 'http://127.0.0.1:4200/anything/cb');
    const ok = await fetch(u, { redirect: 'manual' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toMatch(/^\/realms\/demo\/login-actions\/[\w-]+$/);
  });

  it('userinfo answers 401 with WWW-Authenticate without a valid token', async () => {
    const res = await fetch(`${idp.issuer('demo')}/protocol/openid-connect/userinfo`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('invalid_token');
    const other = (await (await ccToken('demo', 'cetate-api', 'cetate-api-secret')).json()) as { access_token: string };
    const cross = await fetch(`${idp.issuer('platform')}/protocol/openid-connect/userinfo`, { headers: { authorization: `Bearer ${other.access_token}` } });
    expect(cross.status).toBe(401);
  });

  it('adds realms at runtime and refuses duplicates', async () => {
    await idp.addRealm({ realm: 'acme', clients: [{ clientId: 'svc', clientSecret: 's', grants: ['client_credentials'], serviceAccountRoles: ['user'] }], users: [] });
    expect(await idp.realmNames()).toContain('acme');
    expect((await discovery('acme'))['issuer']).toBe(`${idp.url}/realms/acme`);
    expect((await ccToken('acme', 'svc', 's')).status).toBe(200);
    await expect(idp.addRealm({ realm: 'acme', clients: [], users: [] })).rejects.toThrow(/already exists/);
  });
});
