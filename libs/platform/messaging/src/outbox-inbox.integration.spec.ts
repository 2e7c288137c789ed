import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource, type EntityManager } from 'typeorm';
import { createTestDatabase, createTestVhost, type TestDatabase, type TestVhost } from '@cetate/platform-testing';
import {
  AmqpConnection,
  Consumer,
  Inbox,
  MessageValidationError,
  MessagingOutboxInbox1732200000000,
  Outbox,
  OutboxRelay,
  Publisher,
} from './index.js';
import { submitV1, testTopology, uuid, waitFor } from './messaging-test.helpers.js';

const meta = (messageId?: string) => ({
  tenantId: 'acme',
  correlationId: 'corr-' + uuid(),
  idempotencyKey: 'idem-' + uuid(),
  ...(messageId ? { messageId } : {}),
});

async function dataSource(url: string): Promise<DataSource> {
  const ds = new DataSource({ type: 'postgres', url, migrations: [MessagingOutboxInbox1732200000000], entities: [], poolSize: 4 });
  await ds.initialize();
  return ds;
}

/**
 * A barrier for `n` parties: each `arrive()` resolves once all `n` have arrived (or rejects after `timeoutMs`,
 * so a broken race fails the test instead of hanging it).
 */
function barrier(n: number, timeoutMs = 10_000): () => Promise<void> {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve, reject) => {
    release = resolve;
    setTimeout(() => reject(new Error(`barrier: ${arrived}/${n} arrived within ${timeoutMs} ms`)), timeoutMs).unref();
  });
  all.catch(() => undefined);
  return () => {
    if (++arrived === n) release();
    return all;
  };
}

/**
 * `ds` as the relay sees it, except that the first batch it locks (`FOR UPDATE SKIP LOCKED`) waits at `arrive`
 * while holding its row locks: with two relays behind one barrier both hold a batch at the same time.
 */
function lockThenWait(ds: DataSource, arrive: () => Promise<void>): DataSource {
  let first = true;
  return {
    transaction: <T>(fn: (m: EntityManager) => Promise<T>) =>
      ds.transaction((m) =>
        fn(
          new Proxy(m, {
            get(target, prop) {
              if (prop === 'query') {
                return async (sql: string, params?: unknown[]) => {
                  const rows: unknown = await target.query(sql, params);
                  if (first && sql.includes('FOR UPDATE SKIP LOCKED')) {
                    first = false;
                    await arrive();
                  }
                  return rows;
                };
              }
              const v: unknown = Reflect.get(target, prop, target);
              return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
            },
          }),
        ),
      ),
  } as unknown as DataSource;
}

describe('outbox and inbox', () => {
  let vh: TestVhost;
  let db: TestDatabase;
  let ds: DataSource;
  let ds2: DataSource;
  let conn: AmqpConnection;
  let conn2: AmqpConnection;

  beforeAll(async () => {
    [vh, db] = await Promise.all([createTestVhost(), createTestDatabase()]);
    ds = await dataSource(db.url);
    await ds.runMigrations();
    await ds.query(`CREATE TABLE invoice (id uuid PRIMARY KEY, state text NOT NULL)`);
    await ds.query(`CREATE TABLE effect (message_id text NOT NULL, invoice_id uuid NOT NULL)`);
    ds2 = await dataSource(db.url);
    conn = new AmqpConnection({ url: vh.url, name: 'outbox-test-1', topology: testTopology() });
    conn2 = new AmqpConnection({ url: vh.url, name: 'outbox-test-2', topology: testTopology() });
    await conn.connect();
    await conn2.connect();
  });
  afterAll(async () => {
    await conn?.close();
    await conn2?.close();
    await ds?.destroy();
    await ds2?.destroy();
    await db?.drop();
    await vh?.drop();
  });

  async function depth(queue: string): Promise<number> {
    const { model } = await conn.waitForConnection(1000);
    const ch = await model.createChannel();
    const r = await ch.checkQueue(queue);
    await ch.close();
    return r.messageCount;
  }

  it('the migration runs and is reversible', async () => {
    const tables = await ds.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'messaging' ORDER BY 1`);
    expect(tables.map((t: { table_name: string }) => t.table_name)).toEqual(['inbox', 'outbox']);
    await ds.undoLastMigration();
    expect(await ds.query(`SELECT 1 FROM information_schema.schemata WHERE schema_name = 'messaging'`)).toHaveLength(0);
    await ds.runMigrations();
  });

  it('a rolled-back transaction publishes nothing; an invalid payload writes nothing', async () => {
    const publisher = new Publisher(conn);
    const relay = new OutboxRelay({ publisher, dataSources: () => [{ tenantId: 'acme', dataSource: ds }] });
    await expect(
      ds.transaction(async (m) => {
        const id = uuid();
        await m.query(`INSERT INTO invoice (id, state) VALUES ($1, 'queued')`, [id]);
        await Outbox.enqueue(m, submitV1, { invoiceId: id, version: 1 }, meta());
        throw new Error('validation of the invoice failed after enqueue');
      }),
    ).rejects.toThrow(/after enqueue/);
    await expect(ds.transaction((m) => Outbox.enqueue(m, submitV1, { invoiceId: 'x' } as never, meta()))).rejects.toBeInstanceOf(MessageValidationError);
    expect(await relay.relayOnce()).toBe(0);
    expect(await ds.query(`SELECT count(*)::int AS n FROM messaging.outbox`)).toEqual([{ n: 0 }]);
    expect(await ds.query(`SELECT count(*)::int AS n FROM invoice`)).toEqual([{ n: 0 }]);
    expect(await depth('worker.anaf.efactura.submit')).toBe(0);
    await publisher.close();
  });

  it('committed messages are published exactly once even with two relays racing', async () => {
    const N = 60;
    const ids: string[] = [];
    for (let t = 0; t < N / 10; t++) {
      await ds.transaction(async (m) => {
        for (let i = 0; i < 10; i++) {
          const id = uuid();
          await m.query(`INSERT INTO invoice (id, state) VALUES ($1, 'queued')`, [id]);
          const r = await Outbox.enqueue(m, submitV1, { invoiceId: id, version: 1 }, meta(`submit:${id}:v1`));
          expect(r.inserted).toBe(true);
          ids.push(r.messageId);
        }
      });
    }
    // re-enqueueing a deterministic id is a no-op
    const again = await ds.transaction((m) => Outbox.enqueue(m, submitV1, { invoiceId: ids[0]!.split(':')[1]!, version: 1 }, meta(ids[0])));
    expect(again.inserted).toBe(false);

    const seen = new Map<string, number>();
    const consumer = new Consumer(conn).consume(submitV1, async (_p, ctx) => {
      seen.set(ctx.messageId, (seen.get(ctx.messageId) ?? 0) + 1);
    }, { prefetch: 50 });
    await consumer.start();

    const p1 = new Publisher(conn);
    const p2 = new Publisher(conn2);
    const published: number[] = [0, 0];
    // both relays lock their first batch before either publishes: they really race over the same rows
    const arrive = barrier(2);
    const gated1 = lockThenWait(ds, arrive);
    const gated2 = lockThenWait(ds2, arrive);
    const r1 = new OutboxRelay({ publisher: p1, dataSources: () => [{ tenantId: 'acme', dataSource: gated1 }], batchSize: 5, pollIntervalMs: 20 });
    const r2 = new OutboxRelay({ publisher: p2, dataSources: () => [{ tenantId: 'acme', dataSource: gated2 }], batchSize: 5, pollIntervalMs: 20 });
    const counts = await Promise.all([r1.relayOnce(), r2.relayOnce(), r1.relayOnce(), r2.relayOnce()]);
    published[0] = counts[0]! + counts[2]!;
    published[1] = counts[1]! + counts[3]!;
    r1.start();
    r2.start();
    await waitFor(() => seen.size === N, 15_000, `${N} distinct messages`);
    await new Promise((r) => setTimeout(r, 500));
    await r1.stop();
    await r2.stop();
    expect(published[0]! + published[1]!).toBe(N); // the racing passes drained everything, no row twice
    expect(published[0]).toBeGreaterThanOrEqual(5); // each relay published at least the batch it held at the barrier
    expect(published[1]).toBeGreaterThanOrEqual(5);
    expect([...seen.keys()].sort()).toEqual([...ids].sort());
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    const rows = await ds.query(`SELECT count(*)::int AS pending, max(attempts) AS max_attempts FROM messaging.outbox WHERE published_at IS NULL OR attempts <> 1`);
    expect(rows).toEqual([{ pending: 0, max_attempts: null }]);
    await consumer.stop();
    await p1.close();
    await p2.close();
  });

  it('kick() relays right after commit', async () => {
    const publisher = new Publisher(conn);
    const relay = new OutboxRelay({ publisher, dataSources: () => [{ tenantId: 'acme', dataSource: ds }], pollIntervalMs: 60_000 });
    relay.start();
    await new Promise((r) => setTimeout(r, 100));
    const got: string[] = [];
    const consumer = new Consumer(conn).consume(submitV1, async (p) => {
      got.push(p.invoiceId);
    });
    await consumer.start();
    const id = uuid();
    await ds.transaction((m) => Outbox.enqueue(m, submitV1, { invoiceId: id, version: 1 }, meta()));
    await relay.kick();
    await waitFor(() => got.length === 1, 3000, 'kicked message');
    expect(got).toEqual([id]);
    await relay.stop();
    await consumer.stop();
    await publisher.close();
  });

  it('a redelivered message (same message id) has no second effect', async () => {
    const publisher = new Publisher(conn);
    const results: boolean[] = [];
    const consumer = new Consumer(conn).consume(submitV1, async (p, ctx) => {
      const r = await Inbox.once(ds.manager, 'worker-anaf.submit', ctx.messageId, async (m) => {
        await m.query(`INSERT INTO effect (message_id, invoice_id) VALUES ($1, $2)`, [ctx.messageId, p.invoiceId]);
        return 'uploaded';
      });
      results.push(r.duplicate);
    });
    await consumer.start();
    const invoiceId = uuid();
    const messageId = `submit:${invoiceId}:v1`;
    await publisher.publish(submitV1, { invoiceId, version: 1 }, meta(messageId));
    await publisher.publish(submitV1, { invoiceId, version: 1 }, meta(messageId));
    await waitFor(() => results.length === 2, 5000, 'two deliveries');
    expect(results).toEqual([false, true]);
    expect(await ds.query(`SELECT count(*)::int AS n FROM effect WHERE message_id = $1`, [messageId])).toEqual([{ n: 1 }]);
    await consumer.stop();
    await publisher.close();
  });

  it('Inbox.once does not record the id when fn fails, and joins the caller transaction', async () => {
    const id = 'inbox-' + uuid();
    await expect(Inbox.once(ds.manager, 'c', id, async () => { throw new Error('ANAF down'); })).rejects.toThrow('ANAF down');
    const r = await Inbox.once(ds.manager, 'c', id, async () => 42);
    expect(r).toEqual({ duplicate: false, result: 42 });
    expect(await Inbox.once(ds.manager, 'c', id, async () => 43)).toEqual({ duplicate: true });
    expect(await Inbox.once(ds.manager, 'other-consumer', id, async () => 44)).toEqual({ duplicate: false, result: 44 });
    // inside a caller transaction that rolls back, nothing is recorded
    const id2 = 'inbox-' + uuid();
    await expect(
      ds.transaction(async (m) => {
        await Inbox.once(m, 'c', id2, async () => 1);
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await Inbox.once(ds.manager, 'c', id2, async () => 2)).toEqual({ duplicate: false, result: 2 });
  });
});
