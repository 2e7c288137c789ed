import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { adminQuery, testEnv } from '@cetate/platform-testing';
import { EventEmitter } from 'node:events';
import { provisionTenantDatabase, TenantDataSourcePool, tenantRefFromSlug, unitOfWorkPerRequest, type TenantRef } from './index.js';

class Counter1700000000100 implements MigrationInterface {
  name = 'Counter1700000000100';
  async up(q: QueryRunner) {
    await q.query(`CREATE TABLE public.hits (id serial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())`);
  }
  async down(q: QueryRunner) {
    await q.query(`DROP TABLE public.hits`);
  }
}

const run = randomBytes(3).toString('hex');
/** Every connection of the pools of this file carries this application_name prefix. */
const APP = `cetate-scale-${run}`;
const tenants: TenantRef[] = Array.from({ length: 30 }, (_, i) => tenantRefFromSlug(`s${run}-${i}`));

/** Connections the server sees for this file's pools (pg_stat_activity, by application_name). */
async function serverConnections(c: pg.Client): Promise<number> {
  const { rows } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE $1`, [`${APP}:%`]);
  return rows[0]!.n;
}

/** Samples `serverConnections` every few ms until stopped; returns the highest value seen. */
function sampler(): { stop(): Promise<{ max: number; samples: number }> } {
  let on = true;
  let max = 0;
  let samples = 0;
  const done = (async () => {
    const c = new pg.Client({ connectionString: testEnv.databaseUrl, application_name: 'cetate-scale-sampler' });
    await c.connect();
    try {
      while (on) {
        max = Math.max(max, await serverConnections(c));
        samples++;
        await new Promise((r) => setTimeout(r, 2));
      }
    } finally {
      await c.end();
    }
  })();
  return {
    async stop() {
      on = false;
      await done;
      return { max, samples };
    },
  };
}

beforeAll(async () => {
  for (let i = 0; i < tenants.length; i += 6) {
    await Promise.all(tenants.slice(i, i + 6).map((t) => provisionTenantDatabase(testEnv.databaseUrl, t, [Counter1700000000100])));
  }
}, 120_000);
afterAll(async () => {
  for (const t of tenants) await adminQuery(`DROP DATABASE IF EXISTS "${t.dbName}" WITH (FORCE)`);
});

describe('connections at scale: 30 tenants, a cap of 6 connections', () => {
  it('never holds more than the cap, every request waits for a slot and succeeds, peak reported', async () => {
    const pool = new TenantDataSourcePool({
      baseUrl: testEnv.databaseUrl,
      entities: [],
      requiredMigrations: [Counter1700000000100],
      maxConnections: 6,
      poolSizePerDataSource: 2,
      applicationName: APP,
    });
    expect(pool.stats()).toMatchObject({ maxConnections: 6, maxDataSources: 3 });
    const s = sampler();
    let maxWaiting = 0;
    try {
      // 300 requests over random tenants, all at once: each inserts and reads back in its own database
      const requests = Array.from({ length: 300 }, (_, i) => {
        const t = tenants[(i * 7 + Math.floor(Math.random() * 30)) % 30]!;
        return pool.withDataSource(t, async (ds) => {
          maxWaiting = Math.max(maxWaiting, pool.stats().waiting);
          const [row] = (await ds.query(`INSERT INTO public.hits DEFAULT VALUES RETURNING current_database() AS db`)) as { db: string }[];
          await ds.query('SELECT pg_sleep(0.005)');
          return row!.db === t.dbName;
        });
      });
      const ok = await Promise.all(requests);
      expect(ok.every(Boolean)).toBe(true);
    } finally {
      const seen = await s.stop();
      const stats = pool.stats();
      await pool.destroy();
      expect(seen.samples).toBeGreaterThan(10);
      expect(seen.max).toBeGreaterThan(0);
      expect(seen.max).toBeLessThanOrEqual(6);
      expect(stats.peakConnections).toBeGreaterThan(0);
      expect(stats.peakConnections).toBeLessThanOrEqual(6);
      expect(stats.peakConnections).toBeGreaterThanOrEqual(seen.max); // the pool's own count sees at least what the server saw
      expect(stats.created).toBeGreaterThanOrEqual(30); // every tenant was opened, most more than once
      expect(maxWaiting).toBeGreaterThan(0); // requests did wait for a slot
    }
    expect(pool.stats()).toMatchObject({ alive: 0, connections: 0 });
    // every insert landed in its own tenant's database
    let total = 0;
    for (const t of tenants) {
      const c = new pg.Client({ connectionString: new URL(`/${t.dbName}`, testEnv.databaseUrl).toString() });
      await c.connect();
      total += (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM public.hits')).rows[0]!.n;
      await c.end();
    }
    expect(total).toBe(300);
    const c = new pg.Client({ connectionString: testEnv.databaseUrl });
    await c.connect();
    expect(await serverConnections(c)).toBe(0);
    await c.end();
  });

  it('a lease keeps its DataSource for the whole request: the next tenant waits, nothing fails', async () => {
    const pool = new TenantDataSourcePool({ baseUrl: testEnv.databaseUrl, entities: [], maxConnections: 1, poolSizePerDataSource: 1, drainTimeoutMs: 50, applicationName: APP });
    try {
      const order: string[] = [];
      const long = pool.withDataSource(tenants[0]!, async (ds) => {
        order.push('a:start');
        await new Promise((r) => setTimeout(r, 300)); // longer than drainTimeoutMs: a lease is waited for regardless
        const [r] = (await ds.query('SELECT current_database() AS db')) as { db: string }[];
        order.push('a:end');
        return r!.db;
      });
      await new Promise((r) => setTimeout(r, 20));
      const next = pool.withDataSource(tenants[1]!, async (ds) => {
        order.push('b:start');
        return ((await ds.query('SELECT current_database() AS db')) as { db: string }[])[0]!.db;
      });
      await new Promise((r) => setTimeout(r, 50));
      expect(pool.stats().waiting).toBe(1);
      expect(await long).toBe(tenants[0]!.dbName);
      expect(await next).toBe(tenants[1]!.dbName);
      expect(order).toEqual(['a:start', 'a:end', 'b:start']);
      expect(pool.stats().peakConnections).toBe(1);
    } finally {
      await pool.destroy();
    }
  });

  it('idle DataSources are evicted without pressure', async () => {
    const pool = new TenantDataSourcePool({ baseUrl: testEnv.databaseUrl, entities: [], maxConnections: 10, idleTimeoutMs: 150, forTenantGraceMs: 0, applicationName: APP });
    try {
      for (const t of tenants.slice(0, 3)) await pool.withDataSource(t, (ds) => ds.query('SELECT 1'));
      expect(pool.stats()).toMatchObject({ alive: 3, cached: 3 });
      const deadline = Date.now() + 3000;
      while (pool.stats().alive > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(pool.stats()).toMatchObject({ alive: 0, cached: 0, idleEvicted: 3, destroyed: 3, connections: 0 });
      // and a later request simply opens it again
      expect(await pool.withDataSource(tenants[0]!, async (ds) => ((await ds.query('SELECT 1 AS x')) as { x: number }[])[0]!.x)).toBe(1);
    } finally {
      await pool.destroy();
    }
  });
});

describe('forTenant() inside and outside a unit of work', () => {
  const slow = async (ds: import('typeorm').DataSource) => {
    await new Promise((r) => setTimeout(r, 250)); // between two queries of one request: nothing checked out
    return ((await ds.query('SELECT current_database() AS db')) as { db: string }[])[0]!.db;
  };

  it('inside unitOfWork the DataSource is leased until the unit settles; the next tenant waits', async () => {
    const pool = new TenantDataSourcePool({ baseUrl: testEnv.databaseUrl, entities: [], maxConnections: 1, poolSizePerDataSource: 1, forTenantGraceMs: 0, drainTimeoutMs: 50, applicationName: APP });
    try {
      const request = pool.unitOfWork(async () => slow(await pool.forTenant(tenants[2]!)));
      await new Promise((r) => setTimeout(r, 30));
      const other = pool.forTenant(tenants[3]!).then((ds) => ds.query('SELECT current_database() AS db'));
      await new Promise((r) => setTimeout(r, 50));
      expect(pool.stats().waiting).toBe(1);
      expect(await request).toBe(tenants[2]!.dbName);
      expect(((await other) as { db: string }[])[0]!.db).toBe(tenants[3]!.dbName);
    } finally {
      await pool.destroy();
    }
  });

  it('outside a unit and without grace, pressure destroys it between two queries (why requests use unitOfWork)', async () => {
    const pool = new TenantDataSourcePool({ baseUrl: testEnv.databaseUrl, entities: [], maxConnections: 1, poolSizePerDataSource: 1, forTenantGraceMs: 0, drainTimeoutMs: 50, applicationName: APP });
    try {
      // a request's first query is done and nothing is checked out; another tenant needs the only slot meanwhile
      // (ordered by awaiting, not by guessed sleeps: under load opening a DataSource takes longer than any guess)
      const first = await pool.forTenant(tenants[4]!);
      await first.query('SELECT 1');
      const other = await pool.forTenant(tenants[5]!).then((ds) => ds.query('SELECT 1 AS x'));
      expect((other as { x: number }[])[0]!.x).toBe(1);
      // the request's second query finds its DataSource destroyed
      await expect(first.query('SELECT current_database() AS db')).rejects.toThrow();
    } finally {
      await pool.destroy();
    }
  });

  it('outside a unit, forTenantGraceMs protects a short request', async () => {
    const pool = new TenantDataSourcePool({ baseUrl: testEnv.databaseUrl, entities: [], maxConnections: 1, poolSizePerDataSource: 1, forTenantGraceMs: 1000, drainTimeoutMs: 50, applicationName: APP });
    try {
      const request = pool.forTenant(tenants[6]!).then(slow);
      await new Promise((r) => setTimeout(r, 30));
      const other = pool.forTenant(tenants[7]!).then((ds) => ds.query('SELECT 1 AS x'));
      expect(await request).toBe(tenants[6]!.dbName);
      expect(((await other) as { x: number }[])[0]!.x).toBe(1);
    } finally {
      await pool.destroy();
    }
  });

  it('unitOfWorkPerRequest keeps the lease until the response closes', async () => {
    const pool = new TenantDataSourcePool({ baseUrl: testEnv.databaseUrl, entities: [], maxConnections: 1, poolSizePerDataSource: 1, forTenantGraceMs: 0, drainTimeoutMs: 50, applicationName: APP });
    try {
      const res = new EventEmitter();
      let handled!: Promise<string>;
      unitOfWorkPerRequest(pool)({}, res, () => {
        handled = pool.forTenant(tenants[8]!).then(slow);
      });
      expect(await handled).toBe(tenants[8]!.dbName);
      const other = pool.forTenant(tenants[9]!).then((ds) => ds.query('SELECT 1 AS x'));
      await new Promise((r) => setTimeout(r, 100));
      expect(pool.stats().waiting).toBe(1); // the response is not closed yet: its DataSource is still leased
      res.emit('close');
      expect(((await other) as { x: number }[])[0]!.x).toBe(1);
    } finally {
      await pool.destroy();
    }
  });
});
