import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EfacturaSubmitCommand, type EfacturaSubmitPayload } from '@cetate/invoicing-contracts';
import { efacturaTopology } from '@cetate/invoicing-data-access';
import { AmqpConnection, MessagingOutboxInbox1732200000000, Outbox, OutboxRelay, Publisher } from '@cetate/platform-messaging';
import { createTestDatabase, createTestVhost, type TestDatabase, type TestVhost } from '@cetate/platform-testing';
import { perSecond, type BenchRow } from './stats.js';

const payload = (i: number): EfacturaSubmitPayload => ({
  invoiceId: randomUUID(),
  invoiceVersion: 1,
  tenant: 'bench',
  number: `BENCH-${i}`,
  documentType: 'Invoice',
  standard: 'UBL',
  cif: '41832096',
  xmlObjectKey: `bench/${i}.xml`,
  xmlSha256: 'a'.repeat(64),
  extern: false,
  autofactura: false,
  b2c: false,
});
const meta = (i: number) => ({ tenantId: 'bench', correlationId: `bench-${i}`, idempotencyKey: `bench:${i}` });

/**
 * (c) Messaging against the real RabbitMQ and PostgreSQL, in a throwaway vhost and database (both
 * dropped at the end, also on failure):
 * - publish-with-confirm of `count` `anaf.efactura.submit` commands to the quorum work queue, one at a
 *   time (await each confirm) and with `window` publishes in flight on the same confirm channel;
 * - outbox: `count` rows enqueued with `Outbox.enqueue` (transactions of `batch` rows), then drained
 *   by `OutboxRelay.relayOnce()` (batches of `batch`, one confirm per row).
 */
export async function benchMessaging({ count = 2000, window = 64, batch = 100 } = {}): Promise<BenchRow[]> {
  const S = 'messaging';
  const rows: BenchRow[] = [];
  let vh: TestVhost | undefined;
  let db: TestDatabase | undefined;
  let conn: AmqpConnection | undefined;
  let ds: DataSource | undefined;
  try {
    [vh, db] = await Promise.all([createTestVhost('cetate_bench'), createTestDatabase('cetate_bench')]);
    conn = new AmqpConnection({ url: vh.url, name: 'cetate-bench', topology: efacturaTopology() });
    await conn.connect(10_000);
    const pub = new Publisher(conn);
    for (let i = 0; i < 50; i++) await pub.publish(EfacturaSubmitCommand, payload(-i), meta(-i)); // channel + JIT warm-up

    let t = performance.now();
    for (let i = 0; i < count; i++) await pub.publish(EfacturaSubmitCommand, payload(i), meta(i));
    const seqMs = performance.now() - t;
    rows.push({ section: S, metric: 'publish+confirm, sequential', value: perSecond(count, seqMs), unit: 'msg/s', note: `${count} msgs, ${((seqMs / count) * 1000).toFixed(0)} µs/msg` });

    t = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: window }, async () => {
        for (let i = next++; i < count; i = next++) await pub.publish(EfacturaSubmitCommand, payload(i), meta(i));
      }),
    );
    const winMs = performance.now() - t;
    rows.push({ section: S, metric: `publish+confirm, ${window} in flight`, value: perSecond(count, winMs), unit: 'msg/s', note: `${count} msgs` });

    ds = new DataSource({ type: 'postgres', url: db.url, migrations: [MessagingOutboxInbox1732200000000], entities: [], poolSize: 4 });
    await ds.initialize();
    await ds.runMigrations();
    t = performance.now();
    for (let start = 0; start < count; start += batch) {
      await ds.transaction(async (m) => {
        for (let i = start; i < Math.min(count, start + batch); i++) await Outbox.enqueue(m, EfacturaSubmitCommand, payload(i), meta(i));
      });
    }
    const enqMs = performance.now() - t;
    rows.push({ section: S, metric: 'outbox enqueue', value: perSecond(count, enqMs), unit: 'rows/s', note: `${count} rows, ${batch} per transaction` });

    const source = ds;
    const relay = new OutboxRelay({ publisher: pub, dataSources: () => [{ tenantId: 'bench', dataSource: source }], batchSize: batch });
    t = performance.now();
    const relayed = await relay.relayOnce();
    const relayMs = performance.now() - t;
    const [{ pending }] = (await ds.query(`SELECT count(*)::int AS pending FROM messaging.outbox WHERE published_at IS NULL`)) as [{ pending: number }];
    if (relayed !== count || pending !== 0) throw new Error(`outbox relay published ${relayed} of ${count} rows, ${pending} still pending`);
    rows.push({ section: S, metric: 'outbox relay', value: perSecond(relayed, relayMs), unit: 'msg/s', note: `${relayed} rows, batches of ${batch}` });

    const { model } = await conn.waitForConnection(1000);
    const ch = await model.createChannel();
    const depth = (await ch.checkQueue(EfacturaSubmitCommand.queue)).messageCount;
    await ch.close();
    rows.push({ section: S, metric: 'work queue depth (check)', value: depth, unit: 'msgs', note: `expected ${3 * count + 50}` });
    await pub.close();
    return rows;
  } finally {
    await ds?.destroy().catch(() => undefined);
    await conn?.close().catch(() => undefined);
    await Promise.all([db?.drop().catch(() => undefined), vh?.drop().catch(() => undefined)]);
  }
}
