import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@cetate/platform-testing';
import { LocalKeyringSecretStore, MasterKeyring, SecretStoreError, type SecretStore } from '@cetate/platform-secrets';
import { INVOICING_MIGRATIONS } from '@cetate/invoicing-data-access';
import { moveAnafTokensToSecretStore, SecretStoreAnafTokenStore } from './index.js';

/** The legacy table exactly as migration AnafToken1732190200000 created it. */
const LEGACY_DDL = `CREATE SCHEMA IF NOT EXISTS efactura;
  CREATE TABLE efactura.anaf_token (
    id text PRIMARY KEY, access_token text NOT NULL, refresh_token text, expires_at timestamptz NOT NULL,
    authorized_at timestamptz NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`;

const run = randomBytes(3).toString('hex');
const tokens = (n: string) => ({ accessToken: `access-${n}`, refreshToken: `refresh-${n}`, expiresAt: new Date('2030-01-01T00:00:00Z'), tokenType: 'Bearer' });

describe('ANAF tokens in the secret store', () => {
  let platformDb: TestDatabase;
  let tenantDb: TestDatabase;
  let store: LocalKeyringSecretStore;
  let ds: DataSource;

  beforeAll(async () => {
    [platformDb, tenantDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    store = new LocalKeyringSecretStore({ url: platformDb.url, keyring: new MasterKeyring({ id: 'k1', key: randomBytes(32) }), poolSize: 2 });
    ds = await new DataSource({ type: 'postgres', url: tenantDb.url, poolSize: 2 }).initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await store?.close();
    await Promise.all([platformDb?.drop(), tenantDb?.drop()]);
  });

  it('SecretStoreAnafTokenStore: authorisation sets authorized_at, a refresh keeps it and stores the newest refresh token', async () => {
    const tenant = `w${run}-store`;
    await store.ensureTenant(tenant);
    let clock = new Date('2026-01-01T10:00:00Z');
    const s = new SecretStoreAnafTokenStore(store, tenant, 'default', () => clock);
    expect(await s.load()).toBeUndefined();
    await s.saveAuthorization(tokens('1'));
    expect(await s.load()).toEqual(tokens('1'));
    clock = new Date('2026-02-01T10:00:00Z');
    await s.save(tokens('2'));
    expect(await s.load()).toEqual(tokens('2'));
    expect(await store.get(tenant, 'anaf/oauth/default')).toMatchObject({
      refresh_token: 'refresh-2',
      authorized_at: '2026-01-01T10:00:00.000Z',
      updated_at: '2026-02-01T10:00:00.000Z',
    });
    clock = new Date('2026-03-01T10:00:00Z');
    await s.saveAuthorization(tokens('3'));
    expect(await store.get(tenant, 'anaf/oauth/default')).toMatchObject({ authorized_at: '2026-03-01T10:00:00.000Z' });
    // a tenant without a data key is told so (provisioning's secrets step missing)
    const err = await new SecretStoreAnafTokenStore(store, `w${run}-nokey`).save(tokens('x')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretStoreError);
    expect((err as SecretStoreError).status).toBe(404);
  });

  it('no tenant migration creates efactura.anaf_token any more', () => {
    expect(INVOICING_MIGRATIONS.map((m) => m.name)).not.toContain('AnafToken1732190200000');
  });

  it('moveAnafTokensToSecretStore copies every row, drops the table, survives a crash midway and is idempotent', async () => {
    const tenant = `w${run}-move`;
    await ds.query(LEGACY_DDL);
    await ds.query(
      `INSERT INTO efactura.anaf_token (id, access_token, refresh_token, expires_at, authorized_at, updated_at) VALUES
       ('default', 'legacy-access-1', 'legacy-refresh-1', '2030-01-01T00:00:00Z', '2025-12-01T00:00:00Z', '2026-01-05T00:00:00Z'),
       ('12345678', 'legacy-access-2', 'legacy-refresh-2', '2030-02-01T00:00:00Z', '2025-11-01T00:00:00Z', '2026-01-06T00:00:00Z'),
       ('nullrefresh', 'legacy-access-3', NULL, '2030-03-01T00:00:00Z', '2025-10-01T00:00:00Z', '2026-01-07T00:00:00Z')`,
    );

    // 1. the process dies on the second write: nothing is lost, the table is still there
    let writes = 0;
    const crashing: SecretStore = Object.assign(Object.create(store) as SecretStore, {
      put: async (t: string, p: string, v: Record<string, string>) => {
        if (++writes === 2) throw new Error('killed midway');
        return store.put(t, p, v);
      },
    });
    await expect(moveAnafTokensToSecretStore(ds, crashing, tenant)).rejects.toThrow('killed midway');
    const left = await ds.query(`SELECT count(*)::int AS n FROM efactura.anaf_token`);
    expect(left[0].n).toBe(3);
    expect(await store.list(tenant)).toEqual(['anaf/oauth/12345678']);

    // 2. meanwhile the new code refreshed one company's tokens: the older row must not overwrite them
    await new SecretStoreAnafTokenStore(store, tenant, '12345678', () => new Date('2026-02-01T00:00:00Z')).save(tokens('fresh'));

    // 3. re-run finishes the job
    const result = await moveAnafTokensToSecretStore(ds, store, tenant);
    expect(result).toEqual({ moved: 2, keptNewer: 1, dropped: true });
    const exists = await ds.query(`SELECT to_regclass('efactura.anaf_token') AS t`);
    expect(exists[0].t).toBeNull();
    expect(await store.list(tenant)).toEqual(['anaf/oauth/12345678', 'anaf/oauth/default', 'anaf/oauth/nullrefresh']);
    expect(await new SecretStoreAnafTokenStore(store, tenant).load()).toEqual({
      accessToken: 'legacy-access-1',
      refreshToken: 'legacy-refresh-1',
      expiresAt: new Date('2030-01-01T00:00:00Z'),
      tokenType: 'Bearer',
    });
    expect(await store.get(tenant, 'anaf/oauth/default')).toMatchObject({ authorized_at: '2025-12-01T00:00:00.000Z' });
    expect(await new SecretStoreAnafTokenStore(store, tenant, '12345678').load()).toMatchObject({ refreshToken: 'refresh-fresh' });
    // a row without refresh token is kept but, as before, does not count as an authorisation
    expect(await store.get(tenant, 'anaf/oauth/nullrefresh')).toMatchObject({ access_token: 'legacy-access-3' });
    expect(await new SecretStoreAnafTokenStore(store, tenant, 'nullrefresh').load()).toBeUndefined();

    // 4. idempotent: nothing left to do
    expect(await moveAnafTokensToSecretStore(ds, store, tenant)).toEqual({ moved: 0, keptNewer: 0, dropped: false });

    // 5. no token readable in clear in either database
    for (const [name, source] of [
      ['tenant', ds],
      ['platform', store.dataSource],
    ] as const) {
      const tables: Array<{ s: string; t: string }> = await source.query(
        `SELECT table_schema AS s, table_name AS t FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
      );
      for (const { s, t } of tables) {
        const rows: Array<{ r: string }> = await source.query(`SELECT x::text AS r FROM "${s}"."${t}" x`);
        for (const { r } of rows) expect(/legacy-|refresh-fresh|access-fresh/.test(r), `${name} ${s}.${t}`).toBe(false);
      }
    }
  });
});
