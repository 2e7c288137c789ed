import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { adminQuery, createTestDatabase, testEnv, type TestDatabase } from '@cetate/platform-testing';
import {
  DatabaseClusterError,
  DatabaseClusters,
  databaseUrl,
  provisionTenantDatabase,
  TenantDataSourcePool,
  TenantMoveError,
  TenantRegistry,
  type TenantRecord,
} from './index.js';
import { secondPostgresUnavailable, startSecondPostgres, type SecondPostgres } from './second-postgres.testing.js';

class Notes1700000000200 implements MigrationInterface {
  name = 'Notes1700000000200';
  async up(q: QueryRunner) {
    await q.query(`CREATE SCHEMA notes`);
    await q.query(`CREATE TABLE notes.note (id serial PRIMARY KEY, body text NOT NULL)`);
  }
  async down(q: QueryRunner) {
    await q.query(`DROP SCHEMA notes CASCADE`);
  }
}
const MODULES = [{ name: 'notes', migrations: [Notes1700000000200] }];

/** Host and port of a connection the DataSource really uses (a pg client checked out of its pool). */
async function endpointOf(ds: DataSource): Promise<{ host: string; port: number }> {
  const qr = ds.createQueryRunner();
  try {
    const client = (await qr.connect()) as { host: string; port: number };
    return { host: client.host, port: client.port };
  } finally {
    await qr.release();
  }
}

async function count(url: string, sql: string, params: unknown[] = []): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<{ n: number }>(sql, params)).rows[0]!.n;
  } finally {
    await c.end();
  }
}

const run = randomBytes(3).toString('hex');
const local = new URL(testEnv.databaseUrl);
const byName = new URL(testEnv.databaseUrl);
byName.hostname = local.hostname === '127.0.0.1' ? 'localhost' : '127.0.0.1';

describe('two cluster entries on the local server (127.0.0.1 and localhost)', () => {
  const clusters = new DatabaseClusters({ default: local.toString(), b: byName.toString() });
  let platformDb: TestDatabase;
  let registry: TenantRegistry;
  const tenants: TenantRecord[] = [];

  beforeAll(async () => {
    platformDb = await createTestDatabase('cetate_test_platform');
    registry = new TenantRegistry({ url: platformDb.url, clusters });
    for (const [i, cluster] of ['default', 'b', 'default', 'b'].entries()) {
      const rec = await registry.upsert({ slug: `k${run}-${i}`, displayName: `K ${i}`, cif: '14399840', dbCluster: cluster, status: 'active' });
      await provisionTenantDatabase(clusters, rec, MODULES);
      tenants.push(rec);
    }
  });
  afterAll(async () => {
    for (const t of tenants) await adminQuery(`DROP DATABASE IF EXISTS "${t.dbName}" WITH (FORCE)`);
    await registry?.close();
    await platformDb?.drop();
  });

  it('spreads tenants over both entries and opens each through its own cluster URL', async () => {
    expect(tenants.map((t) => t.dbCluster)).toEqual(['default', 'b', 'default', 'b']);
    expect(await clusters.sameServer('default', 'b')).toBe(true);
    const pool = new TenantDataSourcePool({ clusters, entities: [], requiredMigrations: [Notes1700000000200] });
    try {
      for (const t of tenants) {
        const seen = await pool.withDataSource(t, async (ds) => {
          await ds.query(`INSERT INTO notes.note (body) VALUES ($1)`, [`from ${t.slug}`]);
          return { host: (await endpointOf(ds)).host, url: String((ds.options as { url: string }).url), db: ((await ds.query('SELECT current_database() AS d')) as { d: string }[])[0]!.d };
        });
        const expectedHost = t.dbCluster === 'b' ? byName.hostname : local.hostname;
        expect(seen).toEqual({ host: expectedHost, url: databaseUrl(clusters.urlFor(t.dbCluster), t.dbName), db: t.dbName });
      }
    } finally {
      await pool.destroy();
    }
    await expect(registry.upsert({ slug: `k${run}-x`, displayName: 'X', cif: '14399840', dbCluster: 'nowhere' })).rejects.toMatchObject({ status: 400 });
  });

  it('moves a suspended tenant between entries of one server by flipping the record only', async () => {
    const t = tenants[1]!;
    await expect(registry.moveTenant(t.slug, 'default')).rejects.toBeInstanceOf(TenantMoveError); // still active
    await expect(registry.moveTenant(t.slug, 'default')).rejects.toMatchObject({ code: 'TENANT_MOVE_REFUSED', status: 409 });
    await expect(registry.moveTenant(t.slug, 'mars')).rejects.toBeInstanceOf(DatabaseClusterError);
    await registry.setStatus(t.slug, 'suspended');
    const pool = new TenantDataSourcePool({ clusters, entities: [], requiredMigrations: [Notes1700000000200] });
    try {
      expect((await pool.withDataSource(t, endpointOf)).host).toBe(byName.hostname);
      expect(await registry.moveTenant(t.slug, 'default')).toEqual({ slug: t.slug, from: 'b', to: 'default', action: 'record-only' });
      const moved = await registry.get(t.slug);
      expect(moved).toMatchObject({ dbCluster: 'default', status: 'suspended' });
      // the same database, data untouched, now reached through the other entry; the old DataSource is replaced
      const after = await pool.withDataSource(moved, async (ds) => ({ host: (await endpointOf(ds)).host, n: ((await ds.query('SELECT count(*)::int AS n FROM notes.note')) as { n: number }[])[0]!.n }));
      expect(after).toEqual({ host: local.hostname, n: 1 });
      expect(pool.stats().cached).toBe(1);
      expect(await registry.moveTenant(t.slug, 'default')).toMatchObject({ action: 'none' });
      expect((await registry.provisioningLog(t.slug)).filter((e) => e.step === 'move').map((e) => e.outcome)).toEqual(['started', 'succeeded']);
    } finally {
      await pool.destroy();
    }
  });
});

const unavailable = secondPostgresUnavailable();
describe.skipIf(unavailable !== undefined)(`a move to another PostgreSQL server (pg_dump | pg_restore)${unavailable ? `: skipped, ${unavailable}` : ''}`, () => {
  let far: SecondPostgres;
  let clusters: DatabaseClusters;
  let platformDb: TestDatabase;
  let registry: TenantRegistry;
  const slugs = ['a', 'b'].map((x) => `f${run}-${x}`);

  beforeAll(async () => {
    far = await startSecondPostgres();
    clusters = new DatabaseClusters({ default: local.toString(), far: far.url });
    platformDb = await createTestDatabase('cetate_test_platform');
    registry = new TenantRegistry({ url: platformDb.url, clusters });
  }, 60_000);
  afterAll(async () => {
    for (const s of slugs) await adminQuery(`DROP DATABASE IF EXISTS "tenant_${s.replace(/-/g, '_')}" WITH (FORCE)`);
    await registry?.close();
    await platformDb?.drop();
    await far?.stop();
  });

  it('copies, verifies, flips db_cluster and drops the source', async () => {
    expect(await clusters.sameServer('default', 'far')).toBe(false);
    const t = await registry.upsert({ slug: slugs[0]!, displayName: 'Far A', cif: '14399840', status: 'active' });
    await provisionTenantDatabase(clusters, t, MODULES);
    const src = databaseUrl(clusters.urlFor('default'), t.dbName);
    const c = new pg.Client({ connectionString: src });
    await c.connect();
    await c.query(`INSERT INTO notes.note (body) SELECT 'n' || g FROM generate_series(1, 250) g`);
    await c.end();
    await registry.setStatus(t.slug, 'suspended');

    const res = await registry.moveTenant(t.slug, 'far');
    expect(res).toMatchObject({ slug: t.slug, from: 'default', to: 'far', action: 'copied' });
    expect(res.tables).toEqual({ 'notes.note': 250, 'public.migrations': 1 });
    expect(await registry.get(t.slug)).toMatchObject({ dbCluster: 'far', status: 'suspended' });
    expect(await count(testEnv.databaseUrl, 'SELECT count(*)::int AS n FROM pg_database WHERE datname = $1', [t.dbName])).toBe(0);
    expect(await count(databaseUrl(far.url, t.dbName), 'SELECT count(*)::int AS n FROM notes.note')).toBe(250);

    const pool = new TenantDataSourcePool({ clusters, entities: [], requiredMigrations: [Notes1700000000200] });
    try {
      const seen = await pool.withDataSource(await registry.get(t.slug), async (ds) => ({
        port: (await endpointOf(ds)).port,
        serverPort: ((await ds.query('SELECT inet_server_port() AS p')) as { p: number }[])[0]!.p,
        n: ((await ds.query('SELECT count(*)::int AS n FROM notes.note')) as { n: number }[])[0]!.n,
      }));
      expect(seen).toEqual({ port: Number(new URL(far.url).port), serverPort: Number(new URL(far.url).port), n: 250 });
    } finally {
      await pool.destroy();
    }
  });

  it('refuses when the target server already has the database, leaving the tenant where it was', async () => {
    const t = await registry.upsert({ slug: slugs[1]!, displayName: 'Far B', cif: '14399840', status: 'suspended' });
    await provisionTenantDatabase(clusters, t, MODULES);
    const c = new pg.Client({ connectionString: far.url });
    await c.connect();
    await c.query(`CREATE DATABASE "${t.dbName}"`);
    await c.end();
    await expect(registry.moveTenant(t.slug, 'far')).rejects.toThrow(/already exists on cluster "far"/);
    expect(await registry.get(t.slug)).toMatchObject({ dbCluster: 'default' });
    expect(await count(databaseUrl(testEnv.databaseUrl, t.dbName), 'SELECT count(*)::int AS n FROM notes.note')).toBe(0);
    expect((await registry.provisioningLog(t.slug)).filter((e) => e.step === 'move').map((e) => e.outcome)).toEqual(['started', 'failed']);
  });
});
