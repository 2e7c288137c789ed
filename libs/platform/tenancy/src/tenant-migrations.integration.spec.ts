import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { adminQuery, testEnv } from '@cetate/platform-testing';
import {
  collectMigrations,
  databaseUrl,
  ensureDatabase,
  migrateTenantDatabase,
  pendingTenantMigrations,
  provisionTenantDatabase,
  TenantDataSourcePool,
  TenantDatabaseMissingError,
  TenantSchemaBehindError,
  tenantRefFromSlug,
  type TenantModule,
  type TenantRef,
} from './index.js';

// Module "ledger" declares 1700000000010 and 1700000000030; module "audit" declares 1700000000020, which
// needs ledger's table, and 1700000000030's view needs audit's table: only timestamp order works.
class LedgerSchema1700000000010 implements MigrationInterface {
  name = 'LedgerSchema1700000000010';
  async up(q: QueryRunner) {
    await q.query(`CREATE SCHEMA ledger`);
    await q.query(`CREATE TABLE ledger.entry (id serial PRIMARY KEY, amount numeric NOT NULL)`);
  }
  async down(q: QueryRunner) {
    await q.query(`DROP SCHEMA ledger CASCADE`);
  }
}
class AuditSchema1700000000020 implements MigrationInterface {
  name = 'AuditSchema1700000000020';
  async up(q: QueryRunner) {
    await q.query(`CREATE SCHEMA audit`);
    await q.query(`CREATE TABLE audit.log (id serial PRIMARY KEY, entry_id int REFERENCES ledger.entry (id), note text)`);
  }
  async down(q: QueryRunner) {
    await q.query(`DROP SCHEMA audit CASCADE`);
  }
}
class LedgerAuditView1700000000030 implements MigrationInterface {
  name = 'LedgerAuditView1700000000030';
  async up(q: QueryRunner) {
    await q.query(`CREATE VIEW ledger.audited AS SELECT e.id, count(l.id) AS notes FROM ledger.entry e LEFT JOIN audit.log l ON l.entry_id = e.id GROUP BY e.id`);
  }
  async down(q: QueryRunner) {
    await q.query(`DROP VIEW ledger.audited`);
  }
}
/** Declared by both modules (like the messaging outbox): must run once. */
class SharedOutbox1700000000005 implements MigrationInterface {
  name = 'SharedOutbox1700000000005';
  async up(q: QueryRunner) {
    await q.query(`CREATE TABLE public.shared_outbox (id serial PRIMARY KEY)`);
  }
  async down(q: QueryRunner) {
    await q.query(`DROP TABLE public.shared_outbox`);
  }
}

const hookCalls: string[] = [];
const modules: TenantModule[] = [
  {
    name: 'ledger',
    migrations: [LedgerSchema1700000000010, LedgerAuditView1700000000030, SharedOutbox1700000000005],
    afterMigrate: async ({ dataSource, tenant }) => {
      hookCalls.push(`ledger:${tenant.slug}`);
      // idempotent seed: one opening entry
      await dataSource.query(`INSERT INTO ledger.entry (id, amount) VALUES (1, 0) ON CONFLICT (id) DO NOTHING`);
    },
  },
  {
    name: 'audit',
    migrations: [AuditSchema1700000000020, SharedOutbox1700000000005],
    afterMigrate: async ({ dataSource, tenant }) => {
      hookCalls.push(`audit:${tenant.slug}`);
      expect((await dataSource.query(`SELECT count(*)::int AS n FROM ledger.entry`))[0].n).toBe(1); // runs after ledger's hook
    },
  },
];
const ALL_NAMES = ['SharedOutbox1700000000005', 'LedgerSchema1700000000010', 'AuditSchema1700000000020', 'LedgerAuditView1700000000030'];

const run = randomBytes(3).toString('hex');
const made: TenantRef[] = [];
function tenant(x: string): TenantRef {
  const t = tenantRefFromSlug(`m${run}-${x}`);
  made.push(t);
  return t;
}
async function withDs<T>(t: TenantRef, fn: (ds: DataSource) => Promise<T>): Promise<T> {
  const ds = new DataSource({ type: 'postgres', url: databaseUrl(testEnv.databaseUrl, t.dbName), poolSize: 1 });
  await ds.initialize();
  try {
    return await fn(ds);
  } finally {
    await ds.destroy();
  }
}
async function databaseExists(name: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: testEnv.databaseUrl });
  await c.connect();
  try {
    return (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  } finally {
    await c.end();
  }
}

afterAll(async () => {
  for (const t of made) await adminQuery(`DROP DATABASE IF EXISTS "${t.dbName}" WITH (FORCE)`);
});

describe('collectMigrations', () => {
  it('orders every module migration by TypeORM timestamp, each class once', () => {
    expect(collectMigrations(modules).map((m) => m.name)).toEqual(ALL_NAMES);
  });
  it('refuses two different classes with one name', () => {
    const Clash = class SharedOutbox1700000000005 implements MigrationInterface {
      async up() {}
      async down() {}
    };
    expect(() => collectMigrations([...modules, { name: 'rogue', migrations: [Clash] }])).toThrow(/SharedOutbox1700000000005 is declared by two different classes/);
  });
});

describe('migrateTenantDatabase', () => {
  it('runs all modules in timestamp order once under the lock, then every hook in module order, each run', async () => {
    const t = tenant('a');
    await ensureDatabase(testEnv.databaseUrl, t.dbName);
    expect(await withDs(t, (ds) => pendingTenantMigrations(ds, collectMigrations(modules)))).toEqual(ALL_NAMES);
    hookCalls.length = 0;
    const runs = await Promise.all([1, 2, 3].map(() => migrateTenantDatabase(testEnv.databaseUrl, t, modules)));
    expect(runs.filter((r) => r.length)).toEqual([ALL_NAMES]); // one runner applied them, the others saw them done
    expect(hookCalls).toEqual(Array.from({ length: 3 }, () => [`ledger:${t.slug}`, `audit:${t.slug}`]).flat());
    expect(await withDs(t, (ds) => pendingTenantMigrations(ds, collectMigrations(modules)))).toEqual([]);
    expect(await withDs(t, (ds) => ds.query(`SELECT id, notes::int FROM ledger.audited`))).toEqual([{ id: 1, notes: 0 }]);
    expect(await migrateTenantDatabase(testEnv.databaseUrl, t, modules)).toEqual([]);
  });

  it('names only what is pending after a partial upgrade', async () => {
    const t = tenant('b');
    const first = await provisionTenantDatabase(testEnv.databaseUrl, t, [{ name: 'ledger', migrations: [LedgerSchema1700000000010] }]);
    expect(first).toEqual({ dbName: t.dbName, created: true, migrationsRun: ['LedgerSchema1700000000010'] });
    expect(await withDs(t, (ds) => pendingTenantMigrations(ds, collectMigrations(modules)))).toEqual([
      'SharedOutbox1700000000005',
      'AuditSchema1700000000020',
      'LedgerAuditView1700000000030',
    ]);
    // a plain migration list still works (one module)
    const second = await provisionTenantDatabase(testEnv.databaseUrl, t, collectMigrations(modules));
    expect(second).toEqual({ dbName: t.dbName, created: false, migrationsRun: ['SharedOutbox1700000000005', 'AuditSchema1700000000020', 'LedgerAuditView1700000000030'] });
  });

  it('creates nothing: a missing database is a typed error', async () => {
    const t = tenant('missing');
    const err = await migrateTenantDatabase(testEnv.databaseUrl, t, modules).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TenantDatabaseMissingError);
    expect(err).toMatchObject({ code: 'TENANT_DATABASE_MISSING', status: 404 });
    expect(await databaseExists(t.dbName)).toBe(false);
  });

  it('a failing migration leaves nothing of the run (one transaction)', async () => {
    const t = tenant('fail');
    await ensureDatabase(testEnv.databaseUrl, t.dbName);
    class Broken1700000000040 implements MigrationInterface {
      name = 'Broken1700000000040';
      async up(q: QueryRunner) {
        await q.query(`SELECT * FROM no_such_table`);
      }
      async down() {}
    }
    await expect(migrateTenantDatabase(testEnv.databaseUrl, t, [...modules, { name: 'broken', migrations: [Broken1700000000040] }])).rejects.toThrow(/no_such_table/);
    expect(await withDs(t, (ds) => pendingTenantMigrations(ds, collectMigrations(modules)))).toEqual(ALL_NAMES);
  });
});

describe('TenantDataSourcePool does not migrate: it refuses a tenant whose schema is behind', () => {
  it('503 TENANT_SCHEMA_BEHIND naming the pending migrations and the fix, then serves once migrated', async () => {
    const t = tenant('behind');
    await provisionTenantDatabase(testEnv.databaseUrl, t, [{ name: 'ledger', migrations: [LedgerSchema1700000000010] }]);
    const pool = new TenantDataSourcePool({ baseUrl: testEnv.databaseUrl, entities: [], requiredMigrations: collectMigrations(modules), maxDataSources: 1 });
    try {
      const err = (await pool.withDataSource(t, async () => 'served').catch((e: unknown) => e)) as TenantSchemaBehindError;
      expect(err).toBeInstanceOf(TenantSchemaBehindError);
      expect(err).toMatchObject({ code: 'TENANT_SCHEMA_BEHIND', status: 503, pending: ['SharedOutbox1700000000005', 'AuditSchema1700000000020', 'LedgerAuditView1700000000030'] });
      expect(err.message).toContain('AuditSchema1700000000020');
      expect(err.message).toContain(`npm run cetate -- tenant migrate ${t.slug}`);
      // the pool ran nothing, holds nothing, and asks again next time
      expect(await withDs(t, (ds) => pendingTenantMigrations(ds, collectMigrations(modules)))).toHaveLength(3);
      expect(pool.stats()).toMatchObject({ cached: 0, alive: 0 });
      await expect(pool.forTenant(t)).rejects.toBeInstanceOf(TenantSchemaBehindError);

      expect(await migrateTenantDatabase(testEnv.databaseUrl, t, modules)).toHaveLength(3);
      expect(await pool.withDataSource(t, async (ds) => (await ds.query('SELECT count(*)::int AS n FROM audit.log'))[0].n)).toBe(0);
    } finally {
      await pool.destroy();
    }
  });
});
