import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import amqp from 'amqplib';
import {
  AmqpConnection,
  declareTopology,
  defineCommand,
  MessagingOutboxInbox1732200000000,
  Outbox,
  OutboxRelay,
  Publisher,
} from '@cetate/platform-messaging';
import { adminQuery, createTestVhost, testEnv, type TestVhost } from '@cetate/platform-testing';
import { activeTenantOutboxes, provisionTenantDatabase, TenantDataSourcePool, tenantRefFromSlug, type TenantRecord } from './index.js';

const Ping = defineCommand({ tag: 'tenancy.relay-probe', version: 1, schema: z.object({ n: z.number().int() }) });
const run = randomBytes(3).toString('hex');
const tenants = ['a', 'b', 'c', 'd', 'e'].map((x) => tenantRefFromSlug(`r${run}-${x}`) as TenantRecord);
let vhost: TestVhost;

beforeAll(async () => {
  vhost = await createTestVhost();
  for (const t of tenants) await provisionTenantDatabase(testEnv.databaseUrl, t, [MessagingOutboxInbox1732200000000]);
});
afterAll(async () => {
  for (const t of tenants) await adminQuery(`DROP DATABASE IF EXISTS "${t.dbName}" WITH (FORCE)`);
  await vhost?.drop();
});

describe('outbox relay over more tenants than the DataSource pool holds', () => {
  it('drains every tenant, lending each DataSource only while it is drained', async () => {
    const pool = new TenantDataSourcePool({ baseUrl: testEnv.databaseUrl, entities: [], requiredMigrations: [MessagingOutboxInbox1732200000000], maxDataSources: 2, poolSizePerDataSource: 1, drainTimeoutMs: 2000 });
    for (const [i, t] of tenants.entries()) {
      await pool.withDataSource(t, (ds) => ds.transaction((m) => Outbox.enqueue(m, Ping, { n: i }, { tenantId: t.slug, correlationId: 'c', idempotencyKey: `k${i}` })));
    }
    const connection = new AmqpConnection({ url: vhost.url, name: 'relay-probe', topology: declareTopology({ commands: [Ping], events: [], retry: { delaysMs: [100], maxAttempts: 2 } }) });
    await connection.connect();
    const errors: string[] = [];
    const relay = new OutboxRelay({
      publisher: new Publisher(connection),
      dataSources: activeTenantOutboxes({ active: async () => tenants }, pool, { sweepEveryMs: 0 }), // every pass visits every tenant
      onError: (err, tenantId) => errors.push(`${tenantId}: ${(err as Error).message}`),
    });
    try {
      expect(await relay.relayOnce()).toBe(tenants.length);
      expect(errors).toEqual([]);
      expect(pool.stats().alive).toBeLessThanOrEqual(2);
      const probe = await amqp.connect(vhost.url);
      const q = await (await probe.createChannel()).checkQueue(Ping.queue);
      expect(q.messageCount).toBe(tenants.length);
      await probe.close();
    } finally {
      await connection.close();
      await pool.destroy();
    }
  });

  it('a pass drains the tenants open in this process and opens no other until the rotating sweep owes it a visit', async () => {
    const pool = new TenantDataSourcePool({ baseUrl: testEnv.databaseUrl, entities: [], requiredMigrations: [MessagingOutboxInbox1732200000000], maxDataSources: 2, poolSizePerDataSource: 1, drainTimeoutMs: 2000 });
    const connection = new AmqpConnection({ url: vhost.url, name: 'relay-probe-2', topology: declareTopology({ commands: [Ping], events: [], retry: { delaysMs: [100], maxAttempts: 2 } }) });
    await connection.connect();
    let clock = 0;
    const sources = activeTenantOutboxes({ active: async () => tenants }, pool, { sweepEveryMs: 60_000, now: () => clock });
    const relay = new OutboxRelay({ publisher: new Publisher(connection), dataSources: sources });
    try {
      expect(await relay.relayOnce()).toBe(0); // nothing pending after the test above
      const [open, closed, other] = [tenants[0]!, tenants[4]!, tenants[1]!];
      for (const t of [closed, open]) {
        await pool.withDataSource(t, (ds) => ds.transaction((m) => Outbox.enqueue(m, Ping, { n: 99 }, { tenantId: t.slug, correlationId: 'c', idempotencyKey: `late-${t.slug}` })));
      }
      // A pool of 2: using `other` then `open` evicts `closed` (least recently used).
      await pool.withDataSource(other, async () => undefined);
      await pool.withDataSource(open, async () => undefined);
      expect(pool.all().map((x) => x.tenant.slug).sort()).toEqual([open.slug, other.slug].sort());
      const createdBefore = pool.stats().created;
      expect(await relay.relayOnce()).toBe(1); // only `open`'s row
      expect(pool.stats().created).toBe(createdBefore); // no tenant database was opened for the pass
      clock = 60_000; // a whole sweep period later, the rotating sweep owes every tenant a visit
      expect(await relay.relayOnce()).toBe(1); // `closed`'s row
    } finally {
      await connection.close();
      await pool.destroy();
    }
  });
});
