import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestVhost, type TestVhost } from '@cetate/platform-testing';
import {
  AmqpConnection,
  Consumer,
  HandlerRegistrationError,
  Publisher,
  TopologyError,
  asyncApiDocument,
  assertTopology,
  declareTopology,
  defineCommand,
  retryDelayFor,
} from './index.js';
import { acceptedV1, inboxSyncV1, submitV1, testTopology, uuid, waitFor } from './messaging-test.helpers.js';

const run = promisify(execFile);

describe('topology', () => {
  let vh: TestVhost;
  beforeAll(async () => {
    vh = await createTestVhost();
  });
  afterAll(async () => {
    await vh.drop();
  });

  it('asserts the topology twice (idempotent) and every queue is a quorum queue', async () => {
    const topology = testTopology();
    const conn = new AmqpConnection({ url: vh.url, name: 'topology-test', topology });
    await conn.connect();
    const { model } = await conn.waitForConnection(1000);
    const ch = await model.createChannel();
    await assertTopology(ch, topology); // second time, same channel: no PRECONDITION_FAILED
    await ch.close();
    await conn.close();
    const conn2 = new AmqpConnection({ url: vh.url, name: 'topology-test-2', topology });
    await conn2.connect(); // third time, at start-up
    await conn2.close();

    const { stdout } = await run('rabbitmqctl', ['list_queues', '-p', vh.name, '--quiet', '--no-table-headers', 'name', 'type', 'arguments']);
    const rows = stdout.trim().split('\n').map((l) => l.split('\t'));
    const types = Object.fromEntries(rows.map((r) => [r[0], r[1]]));
    expect(Object.keys(types).sort()).toEqual(
      [
        'cetate.retry.150',
        'cetate.retry.300',
        'cetate.retry.600',
        'invoicing-api.events',
        'invoicing-api.events.dlq',
        'worker.anaf.efactura.inbox-sync',
        'worker.anaf.efactura.inbox-sync.dlq',
        'worker.anaf.efactura.submit',
        'worker.anaf.efactura.submit.dlq',
      ].sort(),
    );
    for (const [name, type] of Object.entries(types)) expect(type, name).toBe('quorum');
    const delayArgs = rows.find((r) => r[0] === 'cetate.retry.300')![2]!;
    expect(delayArgs).toContain('x-message-ttl');
    expect(delayArgs).toContain('cetate.retry');

    const { stdout: ex } = await run('rabbitmqctl', ['list_exchanges', '-p', vh.name, '--quiet', '--no-table-headers', 'name', 'type']);
    const exchanges = Object.fromEntries(ex.trim().split('\n').map((l) => l.split('\t')));
    expect(exchanges['cetate.commands']).toBe('topic');
    expect(exchanges['cetate.events']).toBe('topic');
    expect(exchanges['cetate.dlx']).toBe('direct');
    expect(exchanges['cetate.retry']).toBe('direct');
    expect(exchanges['cetate.delay']).toBe('headers');

    const { stdout: b } = await run('rabbitmqctl', ['list_bindings', '-p', vh.name, '--quiet', '--no-table-headers', 'source_name', 'destination_name', 'routing_key']);
    expect(b).toContain('cetate.commands\tworker.anaf.efactura.submit\tworker.request.anaf.efactura.submit');
    expect(b).toContain('cetate.events\tinvoicing-api.events\tinvoicing.invoice.*');
    expect(b).toContain('cetate.dlx\tworker.anaf.efactura.submit.dlq\tworker.anaf.efactura.submit');
    expect(b).toContain('cetate.retry\tworker.anaf.efactura.submit\tworker.anaf.efactura.submit');
  });

  it('maps attempts to exponential delays and validates the declaration', () => {
    const t = testTopology();
    expect([2, 3, 4, 5].map((n) => retryDelayFor(t.retry, n))).toEqual([150, 300, 600, 600]);
    expect(() => declareTopology({ commands: [], events: [], retry: { delaysMs: [], maxAttempts: 3 } })).toThrow(TopologyError);
    expect(() => declareTopology({ commands: [submitV1, submitV1], events: [], retry: { delaysMs: [1], maxAttempts: 2 } })).toThrow(/declared twice/);
  });

  it('generates an AsyncAPI 3 document with JSON Schemas from zod', () => {
    const doc = asyncApiDocument(testTopology());
    expect(doc.asyncapi).toBe('3.0.0');
    expect(Object.keys(doc.components.messages).sort()).toEqual(
      ['anaf.efactura.inbox-sync_v1', 'anaf.efactura.submit_v1', 'invoicing.invoice.efactura-accepted_v1'],
    );
    const m = doc.components.messages['anaf.efactura.submit_v1'] as { payload: { type: string; properties: Record<string, { type?: string; format?: string }>; required: string[] } };
    expect(m.payload.type).toBe('object');
    expect(m.payload.properties.invoiceId!.format).toBe('uuid');
    expect(m.payload.required).toEqual(['invoiceId', 'version']);
    expect(Object.keys(doc.channels)).toContain('worker.request.anaf.efactura.submit');
    expect(Object.keys(doc.channels)).toContain('invoicing.invoice.efactura-accepted');
    expect((doc.components.schemas.MessageHeadersV1 as { required: string[] }).required).toContain('x-tenant-id');
    const recv = doc.operations['receive.invoicing-api.events'] as { messages: unknown[] };
    expect(recv.messages).toHaveLength(1);
  });

  it('start-up fails when a command has two handlers or a declared version has none', async () => {
    const submitV2 = defineCommand({ tag: 'anaf.efactura.submit', version: 2, schema: z.object({ x: z.string() }) });
    const topology = declareTopology({ commands: [submitV1, submitV2, inboxSyncV1], events: [acceptedV1], retry: { delaysMs: [100], maxAttempts: 2 } });
    const conn = new AmqpConnection({ url: vh.url, name: 'registration-test', topology });
    await conn.connect();
    try {
      const twice = new Consumer(conn).consume(submitV1, async () => {}).consume(submitV1, async () => {}).consume(submitV2, async () => {});
      await expect(twice.start()).rejects.toThrow(/anaf\.efactura\.submit@v1 has 2 handlers/);

      const missingV2 = new Consumer(conn).consume(submitV1, async () => {});
      await expect(missingV2.start()).rejects.toThrow(/anaf\.efactura\.submit@v2 has no handler/);

      const expected = new Consumer(conn, { expect: [inboxSyncV1] }).consume(submitV1, async () => {}).consume(submitV2, async () => {});
      const err = await expected.start().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HandlerRegistrationError);
      expect((err as HandlerRegistrationError).code).toBe('HANDLER_REGISTRATION_INVALID');

      const ok = new Consumer(conn).consume(submitV1, async () => {}).consume(submitV2, async () => {});
      await ok.start();
      const second = new Consumer(conn).consume(submitV1, async () => {}).consume(submitV2, async () => {});
      await expect(second.start()).rejects.toThrow(/already has a handler in this process/);
      await ok.stop();
    } finally {
      await conn.close();
    }
  });

  it('a start() that fails while attaching undoes itself (no handler keys, hook or open channels left), and a retry works', async () => {
    const topology = testTopology();
    const conn = new AmqpConnection({ url: vh.url, name: 'failed-start-test', topology });
    await conn.connect();
    const publisher = new Publisher(conn, { reconnectWaitMs: 3000 });
    const { model } = await conn.waitForConnection(1000);
    const admin = await model.createChannel();
    const consumers = async (queue: string) => (await admin.checkQueue(queue)).consumerCount;
    const got: string[] = [];
    // events queue first: its channel and consumer are open when the command queue fails
    const consumer = new Consumer(conn)
      .consume(acceptedV1, async (p) => {
        got.push(`event:${p.indexIncarcare}`);
      })
      .consume(submitV1, async (p) => {
        got.push(`command:${p.version}`);
      });
    try {
      await admin.deleteQueue('worker.anaf.efactura.submit');
      await expect(consumer.start()).rejects.toThrow(/NOT.FOUND|404/);
      expect(await consumers('invoicing-api.events')).toBe(0); // the channel opened before the failure is closed

      await assertTopology(admin, topology); // the queue exists again
      await consumer.start(); // no "already has a handler", and the hook of the failed start is gone
      expect(await consumers('invoicing-api.events')).toBe(1);
      expect(await consumers('worker.anaf.efactura.submit')).toBe(1);
      const meta = { tenantId: 'acme', correlationId: 'c-' + uuid(), idempotencyKey: 'i-' + uuid() };
      await publisher.publish(acceptedV1, { invoiceId: uuid(), indexIncarcare: '42' }, meta);
      await publisher.publish(submitV1, { invoiceId: uuid(), version: 7 }, { ...meta, idempotencyKey: 'i-' + uuid() });
      await waitFor(() => got.length === 2, 5000, 'both deliveries');
      expect(got.sort()).toEqual(['command:7', 'event:42']);
      await consumer.stop();
      expect(await consumers('invoicing-api.events')).toBe(0);
      expect(await consumers('worker.anaf.efactura.submit')).toBe(0);
    } finally {
      await consumer.stop();
      await publisher.close();
      await admin.close().catch(() => undefined);
      await conn.close();
    }
  });
});
