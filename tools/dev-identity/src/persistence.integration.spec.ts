import { createTestDatabase, type TestDatabase } from '@cetate/platform-testing';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeedFile, startDevIdentity, type DevIdentityServer } from './index.js';
import { browserLogin, refresh } from './test-login.js';

let db: TestDatabase;
const open: DevIdentityServer[] = [];

const start = async (port = 0, extra: { dbKey?: string } = {}) => {
  const s = await startDevIdentity({ port, realms: await loadSeedFile(), databaseUrl: db.url, ...extra });
  open.push(s);
  return s;
};
const stop = async (s: DevIdentityServer) => {
  await s.close();
  open.splice(open.indexOf(s), 1);
};

beforeAll(async () => {
  db = await createTestDatabase('cetate_test_idp');
});
afterAll(async () => {
  for (const s of open) await s.close();
  await db?.drop();
});

async function dump(sql: string): Promise<string> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return JSON.stringify((await client.query(sql)).rows);
  } finally {
    await client.end();
  }
}

describe('persistence in PostgreSQL: a restart logs nobody out', () => {
  it('old access tokens verify against the new JWKS and refresh tokens keep working after a restart', async () => {
    const first = await start();
    const port = Number(new URL(first.url).port);
    const login = await browserLogin({
      baseUrl: first.url, realm: 'demo', clientId: 'cetate-shell', redirectUri: 'http://127.0.0.1:4200/cb', username: 'ana.contabil', password: 'demo-accountant-1',
    });
    expect(login.ok).toBe(true);
    const { accessToken, refreshToken } = login as { accessToken: string; refreshToken: string };
    expect(refreshToken).toBeTruthy();
    const jwksBefore = await (await fetch(`${first.issuer('demo')}/protocol/openid-connect/certs`)).json();
    await stop(first);

    // Same port so the issuer (and thus `iss`) is the same, as it is for `npm start` on 8090.
    const second = await start(port);
    const jwks = (await (await fetch(`${second.issuer('demo')}/protocol/openid-connect/certs`)).json()) as JSONWebKeySet;
    expect(jwks).toEqual(jwksBefore);
    const { payload } = await jwtVerify(accessToken, createLocalJWKSet(jwks), { issuer: second.issuer('demo') });
    expect(payload).toMatchObject({ preferred_username: 'ana.contabil', realm_access: { roles: ['accountant', 'user'] } });
    const r = await refresh(second.tokenUrl('demo'), 'cetate-shell', refreshToken);
    expect(r.status).toBe(200);
    const renewed = await jwtVerify(r.body['access_token'] as string, createLocalJWKSet(jwks), { issuer: second.issuer('demo') });
    expect(renewed.payload.sub).toBe(payload.sub);
    // Seeding is idempotent: the seed realms exist once, master too.
    expect(await second.realmNames()).toEqual(['demo', 'master', 'platform']);
    await stop(second);
  });

  it('keeps nothing secret readable in clear: no password, client secret, private key or token', async () => {
    const s = await start();
    const login = (await browserLogin({
      baseUrl: s.url, realm: 'platform', clientId: 'cetate-shell', redirectUri: 'http://127.0.0.1:4200/cb', username: 'operator', password: 'platform-op-1',
    })) as { ok: true; refreshToken: string };
    expect(login.ok).toBe(true);
    const everything = (
      await Promise.all(['realms', 'clients', 'users', 'roles', 'oidc_payloads'].map((t) => dump(`SELECT * FROM ${t}`)))
    ).join('\n');
    expect(everything).toContain('ana.contabil'); // the dump really has the data
    expect(everything).toContain('scrypt$');
    for (const secret of ['platform-op-1', 'demo-accountant-1', 'demo-admin-1', 'cetate-api-secret', 'cetate-provisioner-secret', login.refreshToken]) {
      expect(everything).not.toContain(secret);
    }
    const realms = JSON.parse(await dump('SELECT signing_key_sealed, public_jwk FROM realms')) as { signing_key_sealed: string; public_jwk: Record<string, string> }[];
    for (const r of realms) {
      expect(r.signing_key_sealed).toMatch(/^v1\./);
      expect(r.public_jwk).not.toHaveProperty('d');
    }
    // Refresh tokens are stored (sealed, id as HMAC digest), not left out.
    const stored = JSON.parse(await dump("SELECT count(*)::int AS n FROM oidc_payloads WHERE model = 'RefreshToken'")) as { n: number }[];
    expect(stored[0]!.n).toBeGreaterThan(0);
    await stop(s);
  });

  it('refuses to start with another DEV_IDENTITY_DB_KEY than the one that sealed the keys', async () => {
    await expect(start(0, { dbKey: Buffer.alloc(32, 7).toString('base64') })).rejects.toThrow();
    await expect(start(0, { dbKey: 'c2hvcnQ=' })).rejects.toThrow(/32 bytes/);
  });
});
