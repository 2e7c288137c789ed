/**
 * Issue 5 acceptance, security, through the real HTTP APIs (`invoicing-api`, `platform-api`) with tenants made by
 * the provisioning saga: a token of tenant A never reaches tenant B's data; forged tokens (another key, `alg: none`,
 * roles added to a real token) get 401; a tenant's token on operator endpoints gets 403; a suspended tenant's
 * tokens get 403; no secret readable in clear in any PostgreSQL database of the platform.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { generateKeyPair, SignJWT, decodeProtectedHeader } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningInvoicingApi } from '@cetate/invoicing-api';
import type { RunningPlatformApi } from '@cetate/platform-api';
import { identityAdminFromEnv } from '@cetate/platform-identity';
import { databaseUrl } from '@cetate/platform-tenancy';
import { conformanceDir, testEnv } from '@cetate/platform-testing';
import { SecretStoreAnafTokenStore } from '@cetate/invoicing-efactura';
import { startTenantPlatform, type TenantPlatform } from '../tenant-platform.js';

let p: TenantPlatform;
let api: RunningInvoicingApi;
let platformApi: RunningPlatformApi;
const A = `sa-${randomUUID().slice(0, 6)}`;
const B = `sb-${randomUUID().slice(0, 6)}`;
let adminPasswordA = '';
let invoiceOfA = '';

beforeAll(async () => {
  p = await startTenantPlatform();
  const a = await p.services.saga.create({ slug: A, displayName: 'Firma A SRL', cif: '41832096', admin: { email: 'admin@a.example' } });
  adminPasswordA = a.firstAdmin!.temporaryPassword;
  await p.services.saga.create({ slug: B, displayName: 'Firma B SRL', cif: '35246718', admin: { email: 'admin@b.example' } });
  api = await p.startInvoicingApi({ tenantCacheTtlMs: 200 });
  platformApi = await p.startPlatformApi();
  const xml = await readFile(`${conformanceDir()}/invoices/ro-anaf/eInvoice_ex.xml`);
  const res = await fetch(`${api.url}/v1/invoices/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await p.apiToken(A)}`, 'content-type': 'application/xml' },
    body: xml,
  });
  expect(res.status).toBe(201);
  invoiceOfA = ((await res.json()) as { id: string }).id;
});

afterAll(async () => {
  await platformApi?.close();
  await api?.close();
  for (const s of [A, B]) await p?.services.saga.delete(s).catch(() => undefined);
  await p?.close();
});

const get = (url: string, token: string) => fetch(url, { headers: { authorization: `Bearer ${token}` } });

describe('tenant isolation and token checks over HTTP', () => {
  it("a token of tenant B never sees tenant A's invoices", async () => {
    const tokenB = await p.apiToken(B);
    expect((await get(`${api.url}/v1/invoices/${invoiceOfA}`, await p.apiToken(A))).status).toBe(200);
    const one = await get(`${api.url}/v1/invoices/${invoiceOfA}`, tokenB);
    expect(one.status).toBe(404); // the id does not exist in B's database; existence is not revealed
    expect(((await one.json()) as { code: string }).code).toBe('INVOICE_NOT_FOUND');
    const list = (await (await get(`${api.url}/v1/invoices`, tokenB)).json()) as { total: number };
    expect(list.total).toBe(0);
    const send = await fetch(`${api.url}/v1/invoices/${invoiceOfA}/send`, { method: 'POST', headers: { authorization: `Bearer ${tokenB}` } });
    expect(send.status).toBe(404);
  });

  it('a tenant token on operator endpoints gets 403, also for a role named like the operator role', async () => {
    const res = await get(`${platformApi.url}/v1/tenants`, await p.apiToken(B));
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('AUTH_FORBIDDEN');

    // A tenant realm may define a role called `platform-operator` (its admin controls the realm in Keycloak):
    // the token carries it, and the operator endpoints still refuse it (they require realm `platform`).
    const kc = identityAdminFromEnv(p.env).kc;
    await kc.roles.create({ realm: B, name: 'platform-operator' });
    const role = (await kc.roles.findOneByName({ realm: B, name: 'platform-operator' }))!;
    const client = (await kc.clients.find({ realm: B, clientId: 'cetate-api' }))[0]!;
    const sa = await kc.clients.getServiceAccountUser({ realm: B, id: client.id! });
    await kc.users.addRealmRoleMappings({ realm: B, id: sa.id!, roles: [{ id: role.id!, name: role.name! }] });
    const secret = (await p.secrets.get(B, 'identity/cetate-api'))!.clientSecret!;
    const tokenRes = await fetch(p.identity.tokenUrl(B), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'cetate-api', client_secret: secret }),
    });
    const token = ((await tokenRes.json()) as { access_token: string }).access_token;
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { realm_access: { roles: string[] } };
    expect(claims.realm_access.roles).toContain('platform-operator');
    const forged = await get(`${platformApi.url}/v1/tenants`, token);
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { code: string }).code).toBe('AUTH_FORBIDDEN');
  });

  it('a token signed by another key gets 401, with the same kid and claims', async () => {
    const real = await p.apiToken(A);
    const claims = JSON.parse(Buffer.from(real.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: decodeProtectedHeader(real).kid!, typ: 'at+jwt' }).sign(privateKey);
    const res = await get(`${api.url}/v1/invoices`, forged);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('alg none gets 401', async () => {
    const real = await p.apiToken(A);
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const res = await get(`${api.url}/v1/invoices`, `${header}.${real.split('.')[1]}.`);
    expect(res.status).toBe(401);
  });

  it('a real token with roles added to it gets 401 (the signature no longer matches)', async () => {
    const real = await p.apiToken(A);
    const [h, payload, sig] = real.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as { realm_access: { roles: string[] } };
    claims.realm_access.roles.push('tenant-admin');
    const tampered = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}`;
    expect((await get(`${platformApi.url}/v1/users`, tampered)).status).toBe(401);
    // and the untampered token, which lacks tenant-admin, gets 403 there
    expect((await get(`${platformApi.url}/v1/users`, real)).status).toBe(403);
  });

  it('an expired token gets 401 (realm access token lifespan set to 1 s through the admin API)', async () => {
    const admin = identityAdminFromEnv(p.env);
    await admin.kc.realms.update({ realm: A }, { accessTokenLifespan: 1 });
    try {
      const secret = (await p.secrets.get(A, 'identity/cetate-api'))!.clientSecret!;
      const res = await fetch(p.identity.tokenUrl(A), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'cetate-api', client_secret: secret }),
      });
      const { access_token: token, expires_in: ttl } = (await res.json()) as { access_token: string; expires_in: number };
      expect(ttl).toBe(1);
      expect((await get(`${api.url}/v1/invoices`, token)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 2100));
      const late = await get(`${api.url}/v1/invoices`, token);
      expect(late.status).toBe(401);
      expect(((await late.json()) as { detail: string }).detail).toMatch(/expired/);
    } finally {
      await admin.kc.realms.update({ realm: A }, { accessTokenLifespan: 300 });
    }
  });

  it("a suspended tenant's tokens get 403, and work again after resume", async () => {
    const token = await p.apiToken(B);
    expect((await get(`${api.url}/v1/invoices`, token)).status).toBe(200);
    await p.services.saga.suspend(B);
    await new Promise((r) => setTimeout(r, 400)); // the API reuses registry answers for 200 ms in this test
    const res = await get(`${api.url}/v1/invoices`, token);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('AUTH_FORBIDDEN');
    await p.services.saga.resume(B);
    await new Promise((r) => setTimeout(r, 400));
    expect((await get(`${api.url}/v1/invoices`, token)).status).toBe(200);
  });
});

describe('no secret readable in clear in PostgreSQL', () => {
  it('finds neither the API client secret, the first admin password nor ANAF tokens in any column of any platform database', async () => {
    // An ANAF authorisation for tenant A, stored the way worker-anaf stores it.
    const anaf = { accessToken: `anaf-access-${randomUUID()}`, refreshToken: `anaf-refresh-${randomUUID()}`, expiresAt: new Date(Date.now() + 3600_000), tokenType: 'Bearer' as const };
    await new SecretStoreAnafTokenStore(p.secrets, A).saveAuthorization(anaf);
    expect((await new SecretStoreAnafTokenStore(p.secrets, A).load())?.refreshToken).toBe(anaf.refreshToken);

    const apiSecret = (await p.secrets.get(A, 'identity/cetate-api'))!.clientSecret!;
    expect(apiSecret.length).toBeGreaterThanOrEqual(16);
    const needles = [apiSecret, adminPasswordA, anaf.accessToken, anaf.refreshToken];
    const a = await p.services.registry.get(A);
    const dbs = [p.platformDb.url, p.identityDb.url, databaseUrl(testEnv.databaseUrl, a.dbName)];
    let columnsScanned = 0;
    // Positive control: a value that IS stored in clear (the admin's e-mail) is found, so the scan can fail.
    let controlHits = 0;
    for (const url of dbs) {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        const cols = (
          await c.query<{ s: string; t: string; c: string; d: string }>(
            `SELECT table_schema s, table_name t, column_name c, data_type d FROM information_schema.columns
              WHERE table_schema NOT IN ('pg_catalog','information_schema') AND data_type IN ('text','character varying','jsonb','json','bytea')`,
          )
        ).rows;
        for (const col of cols) {
          const expr = col.d === 'bytea' ? `encode("${col.c}", 'escape')` : `"${col.c}"::text`;
          for (const n of needles) {
            const { rows } = await c.query<{ n: number }>(`SELECT count(*)::int n FROM "${col.s}"."${col.t}" WHERE strpos(${expr}, $1) > 0`, [n]);
            expect(rows[0]!.n, `${n.slice(0, 6)}… in ${new URL(url).pathname}.${col.s}.${col.t}.${col.c}`).toBe(0);
          }
          const ctl = await c.query<{ n: number }>(`SELECT count(*)::int n FROM "${col.s}"."${col.t}" WHERE strpos(${expr}, $1) > 0`, ['admin@a.example']);
          controlHits += ctl.rows[0]!.n;
          columnsScanned++;
        }
      } finally {
        await c.end();
      }
    }
    expect(columnsScanned).toBeGreaterThan(20);
    expect(controlHits).toBeGreaterThan(0);
  });
});
