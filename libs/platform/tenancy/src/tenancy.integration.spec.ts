import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Column, Entity, PrimaryGeneratedColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { adminQuery, createTestDatabase, testEnv, type TestDatabase } from '@cetate/platform-testing';
import {
  InvalidTenantError,
  TenantDataSourcePool,
  TenantNotFoundError,
  TenantRegistry,
  provisionTenantDatabase,
  runInTenant,
  tenantRefFromSlug,
} from './index.js';

@Entity({ schema: 'probe', name: 'note' })
class NoteEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;
  @Column({ type: 'text' })
  body!: string;
}

class ProbeSchema1700000000001 implements MigrationInterface {
  name = 'ProbeSchema1700000000001';
  async up(q: QueryRunner) {
    await q.query(`CREATE SCHEMA IF NOT EXISTS probe`);
    await q.query(`CREATE TABLE probe.note (id serial PRIMARY KEY, body text NOT NULL)`);
  }
  async down(q: QueryRunner) {
    await q.query(`DROP TABLE probe.note`);
  }
}

const run = randomBytes(3).toString('hex');
const slugs = ['a', 'b', 'c', 'd'].map((x) => `t${run}-${x}`);
const dbNames = slugs.map((s) => tenantRefFromSlug(s).dbName);

async function connectionsTo(names: string[]): Promise<number> {
  const c = new pg.Client({ connectionString: testEnv.databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = ANY($1)', [names]);
    return rows[0].n as number;
  } finally {
    await c.end();
  }
}

describe('TenantRegistry', () => {
  let db: TestDatabase;
  let registry: TenantRegistry;
  beforeAll(async () => {
    db = await createTestDatabase();
    registry = new TenantRegistry({ url: db.url });
    await Promise.all([registry.ensureSchema(), registry.ensureSchema()]);
  });
  afterAll(async () => {
    await registry?.close();
    await db?.drop();
  });

  it('creates, reads, lists, finds by realm, updates status and logs provisioning', async () => {
    const t = await registry.upsert({ slug: 'acme-srl', displayName: 'Acme SRL', cif: 'RO14399840' });
    expect(t).toMatchObject({ slug: 'acme-srl', cif: '14399840', realm: 'acme-srl', dbName: 'tenant_acme_srl', bucket: 'cetate-acme-srl', dbCluster: 'default', status: 'provisioning' });
    await registry.upsert({ slug: 'beta', displayName: 'Beta', cif: '14399840', realm: 'beta-realm', status: 'active' });
    const again = await registry.upsert({ slug: 'acme-srl', displayName: 'Acme Renamed SRL', cif: '14399840' });
    expect(again.displayName).toBe('Acme Renamed SRL');
    expect(again.status).toBe('provisioning');
    expect(again.createdAt.getTime()).toBe(t.createdAt.getTime());
    expect((await registry.list()).map((x) => x.slug)).toEqual(['acme-srl', 'beta']);
    expect((await registry.list({ status: 'active' })).map((x) => x.slug)).toEqual(['beta']);
    expect((await registry.findByRealm('beta-realm')).slug).toBe('beta');
    expect((await registry.setStatus('acme-srl', 'active')).status).toBe('active');
    await registry.logProvisioning('acme-srl', 'database', 'succeeded', { created: true });
    expect(await registry.provisioningLog('acme-srl')).toMatchObject([{ step: 'database', outcome: 'succeeded', detail: { created: true } }]);
  });

  it('answers typed errors', async () => {
    await expect(registry.get('nobody')).rejects.toBeInstanceOf(TenantNotFoundError);
    await expect(registry.findByRealm('nobody')).rejects.toMatchObject({ status: 404, code: 'TENANT_NOT_FOUND' });
    await expect(registry.setStatus('nobody', 'active')).rejects.toBeInstanceOf(TenantNotFoundError);
    await expect(registry.upsert({ slug: 'Bad Slug', displayName: 'x', cif: '14399840' })).rejects.toBeInstanceOf(InvalidTenantError);
    await expect(registry.upsert({ slug: 'okay', displayName: 'x', cif: '14399841' })).rejects.toMatchObject({ status: 400 });
  });
});

describe('tenant databases and TenantDataSourcePool', () => {
  const adminUrl = testEnv.databaseUrl;
  beforeAll(async () => {
    // concurrent provisioning of the same tenant is safe
    const results = await Promise.all([
      ...slugs.map((s) => provisionTenantDatabase(adminUrl, s, [ProbeSchema1700000000001])),
      provisionTenantDatabase(adminUrl, slugs[0]!, [ProbeSchema1700000000001]),
    ]);
    expect(results.filter((r) => r.dbName === dbNames[0] && r.created)).toHaveLength(1);
    expect(results.filter((r) => r.dbName === dbNames[0] && r.migrationsRun.length)).toHaveLength(1);
  });
  afterAll(async () => {
    for (const n of dbNames) await adminQuery(`DROP DATABASE IF EXISTS "${n}" WITH (FORCE)`);
  });

  it('provisioning is idempotent', async () => {
    expect(await provisionTenantDatabase(adminUrl, slugs[0]!, [ProbeSchema1700000000001])).toEqual({ dbName: dbNames[0], created: false, migrationsRun: [] });
  });

  it('two tenants hit two databases: a write in A is not visible in B', async () => {
    const pool = new TenantDataSourcePool({ baseUrl: adminUrl, entities: [NoteEntity], requiredMigrations: [ProbeSchema1700000000001] });
    try {
      const [a, b] = [tenantRefFromSlug(slugs[0]!), tenantRefFromSlug(slugs[1]!)];
      await runInTenant(a, async () => {
        const ds = await pool.current();
        await ds.getRepository(NoteEntity).save({ body: `only in ${a.slug}` });
        expect((await ds.query('select current_database() as d'))[0].d).toBe(a.dbName);
      });
      await runInTenant(b, async () => {
        const ds = await pool.current();
        expect((await ds.query('select current_database() as d'))[0].d).toBe(b.dbName);
        expect(await ds.getRepository(NoteEntity).count()).toBe(0);
      });
      expect(await (await pool.forTenant(a)).getRepository(NoteEntity).findOneByOrFail({ body: `only in ${a.slug}` })).toBeTruthy();
      expect(pool.all().map((x) => x.tenant.slug).sort()).toEqual([a.slug, b.slug].sort());
    } finally {
      await pool.destroy();
    }
  });

  it('concurrent forTenant() calls share one DataSource', async () => {
    const pool = new TenantDataSourcePool({ baseUrl: adminUrl, entities: [NoteEntity], requiredMigrations: [ProbeSchema1700000000001] });
    try {
      const all = await Promise.all(Array.from({ length: 25 }, () => pool.forTenant(slugs[2]!)));
      expect(new Set(all).size).toBe(1);
      expect(pool.stats().created).toBe(1);
      expect(all[0]!.isInitialized).toBe(true);
    } finally {
      await pool.destroy();
    }
    expect(pool.stats()).toMatchObject({ alive: 0, destroyed: 1 });
  });

  it('keeps connections under the hard cap with LRU eviction (maxDataSources=2, 3 tenants)', async () => {
    const pool = new TenantDataSourcePool({
      baseUrl: adminUrl,
      entities: [NoteEntity],
      requiredMigrations: [ProbeSchema1700000000001],
      maxDataSources: 2,
      poolSizePerDataSource: 2,
    });
    const three = slugs.slice(0, 3);
    const threeDbs = dbNames.slice(0, 3);
    expect(pool.maxConnections).toBe(4);
    let maxSeen = 0;
    let maxAlive = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        maxSeen = Math.max(maxSeen, await connectionsTo(threeDbs));
        maxAlive = Math.max(maxAlive, pool.stats().alive);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    try {
      const work = [];
      for (let round = 0; round < 4; round++) {
        for (const s of three) {
          for (let k = 0; k < 3; k++) {
            work.push(pool.withDataSource(s, (ds) => ds.query('select pg_sleep(0.03), current_database() as d')));
          }
        }
      }
      const rows = (await Promise.all(work)) as { d: string }[][];
      expect(new Set(rows.map((r) => r[0]!.d))).toEqual(new Set(threeDbs));
      expect(pool.stats().destroyed).toBeGreaterThan(0);
      expect(pool.stats().cached).toBeLessThanOrEqual(2);
    } finally {
      sampling = false;
      await sampler;
      await pool.destroy();
    }
    expect(maxSeen).toBeGreaterThan(0);
    expect(maxSeen).toBeLessThanOrEqual(4);
    expect(maxAlive).toBeLessThanOrEqual(2);
    expect(await connectionsTo(threeDbs)).toBe(0);
  });

  it('does not cache a failed creation', async () => {
    const pool = new TenantDataSourcePool({ baseUrl: adminUrl, entities: [NoteEntity], maxDataSources: 1 });
    try {
      await expect(pool.forTenant(`t${run}-missing`)).rejects.toThrow(/does not exist/);
      expect(pool.stats()).toMatchObject({ cached: 0, alive: 0 });
      expect((await (await pool.forTenant(slugs[3]!)).query('select 1 as x'))[0].x).toBe(1);
    } finally {
      await pool.destroy();
    }
  });
});
