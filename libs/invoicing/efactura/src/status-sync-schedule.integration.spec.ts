import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@cetate/platform-testing';
import { INVOICING_ENTITIES, INVOICING_MIGRATIONS, StatusSyncRepository } from '@cetate/invoicing-data-access';
import { minuteKey } from '@cetate/anaf-client';
import { PostgresQuotaLedger } from './postgres-quota-ledger.js';
import { StatusSyncScheduler } from './status-sync.scheduler.js';
import type { EfacturaOutbox } from './ports.js';

/** An outbox that records what the flows would publish (written in the same transaction: rolled back with it). */
function recordingOutbox(): EfacturaOutbox & { syncs: Array<{ cif: string; generation: number; delayMs?: number }> } {
  const syncs: Array<{ cif: string; generation: number; delayMs?: number }> = [];
  return {
    syncs,
    async event() {},
    async submit() {},
    async statusSync(_m, payload, meta) {
      syncs.push({ cif: payload.cif, generation: payload.generation, delayMs: meta.delayMs });
    },
    kick() {},
  };
}

describe('status-sync schedule and ANAF quotas in a real tenant database', () => {
  let db: TestDatabase;
  let ds: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await new DataSource({ type: 'postgres', url: db.url, poolSize: 4, entities: INVOICING_ENTITIES, migrations: [...INVOICING_MIGRATIONS] }).initialize();
    await ds.runMigrations();
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('schedules one run per CIF however many callers ask; a stale generation is dropped; a live lease is busy', async () => {
    const outbox = recordingOutbox();
    const scheduler = new StatusSyncScheduler(outbox);
    const repo = new StatusSyncRepository();
    const results = await Promise.all(Array.from({ length: 20 }, () => scheduler.ensureScheduled(ds, 't1', '111', 'corr')));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(outbox.syncs).toEqual([{ cif: '111', generation: 1, delayMs: 2000 }]);

    expect(await repo.lease(ds, '111', 0, 'old', 5000)).toEqual({ kind: 'stale' });
    const first = await repo.lease(ds, '111', 1, 'w1', 5000);
    expect(first.kind).toBe('leased');
    expect((await repo.lease(ds, '111', 1, 'w2', 5000)).kind).toBe('busy'); // a redelivery while w1 runs
    // the run ends with uploads outstanding: next generation scheduled; the old message is now stale
    expect(await repo.reschedule(ds, '111', 'w1', new Date(Date.now() + 10_000), null)).toBe(2);
    expect((await repo.lease(ds, '111', 1, 'w2', 5000)).kind).toBe('stale');
    expect(await repo.reschedule(ds, '111', 'w1', new Date(), null)).toBeNull(); // w1 no longer holds it
    // a scheduled run blocks a new schedule, unless the sweeper finds it stale (its message lost)
    expect(await scheduler.ensureScheduled(ds, 't1', '111', 'corr')).toBe(false);
    expect(await scheduler.ensureScheduled(ds, 't1', '111', 'corr', new Date(Date.now() + 60_000))).toBe(true);
    const row = await repo.get(ds, '111');
    expect(row?.generation).toBe(3);
    // idle only by the lease holder; then anyone may schedule again
    expect((await repo.lease(ds, '111', 3, 'w3', 5000)).kind).toBe('leased');
    expect(await repo.idle(ds, '111', 'w4')).toBe(false);
    expect(await repo.idle(ds, '111', 'w3')).toBe(true);
    expect((await repo.get(ds, '111'))?.scheduledFor).toBeNull();
    expect(await scheduler.ensureScheduled(ds, 't1', '111', 'corr')).toBe(true);
  });

  it('an expired lease (a killed run) is taken over', async () => {
    const scheduler = new StatusSyncScheduler(recordingOutbox());
    const repo = new StatusSyncRepository();
    await scheduler.ensureScheduled(ds, 't1', '222', 'corr');
    expect((await repo.lease(ds, '222', 1, 'dead', 1)).kind).toBe('leased');
    await new Promise((r) => setTimeout(r, 20));
    expect((await repo.lease(ds, '222', 1, 'next', 5000)).kind).toBe('leased');
    expect(await repo.renew(ds, '222', 'dead', 5000)).toBe(false);
  });

  it('quotas are shared by every ledger on the tenant database and never exceeded under concurrency', async () => {
    const a = new PostgresQuotaLedger(async () => ds, { descarcare: 10 });
    const b = new PostgresQuotaLedger(async () => ds, { descarcare: 10 });
    const taken = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).take('descarcare', '999')));
    expect(taken.filter(Boolean)).toHaveLength(10);
    expect(await a.remaining('descarcare', '999')).toBe(0);
    expect(await b.usedToday('descarcare', '999')).toBe(10);
    await a.exhaust('stareMesaj', '42');
    expect(await b.take('stareMesaj', '42')).toBe(false);
    const minute = minuteKey(Date.now());
    const calls = new PostgresQuotaLedger(async () => ds, { apiCalls: 5 });
    const got = await Promise.all(Array.from({ length: 8 }, () => calls.take('apiCalls', minute)));
    expect(got.filter(Boolean)).toHaveLength(5);
  });
});
