import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestVhost, type TestVhost } from '@cetate/platform-testing';
import { AmqpConnection, Consumer, PublishFailedError, Publisher } from './index.js';
import { submitV1, testTopology, uuid, waitFor } from './messaging-test.helpers.js';

const run = promisify(execFile);

/**
 * The shared broker is not restarted (other test files use it): the broker closes this vhost's connections
 * instead (`rabbitmqctl close_all_connections -p <vhost>`), which drives the same code path as a restart
 * (socket closed by the server → 'close' → reconnect → topology → consumers).
 */
describe('recovery after the broker closes the connections', () => {
  let vh: TestVhost;
  beforeAll(async () => {
    vh = await createTestVhost();
  });
  afterAll(async () => {
    await vh.drop();
  });

  it('consumer and publisher recover and no confirmed message is lost', async () => {
    const topology = testTopology();
    const pubConn = new AmqpConnection({ url: vh.url, name: 'reconnect-publisher', topology, reconnect: { initialDelayMs: 100, maxDelayMs: 1000 } });
    const subConn = new AmqpConnection({ url: vh.url, name: 'reconnect-consumer', topology, reconnect: { initialDelayMs: 100, maxDelayMs: 1000 } });
    const events: string[] = [];
    for (const c of [pubConn, subConn]) {
      c.on('connected', (g: number) => events.push(`${c.name}:connected:${g}`));
      c.on('disconnected', () => events.push(`${c.name}:disconnected`));
    }
    await pubConn.connect();
    await subConn.connect();
    const counts = new Map<string, number>();
    const consumer = new Consumer(subConn).consume(
      submitV1,
      async (_p, ctx) => {
        await new Promise((r) => setTimeout(r, 2));
        counts.set(ctx.messageId, (counts.get(ctx.messageId) ?? 0) + 1);
      },
      { prefetch: 20 },
    );
    await consumer.start();
    const publisher = new Publisher(pubConn, { reconnectWaitMs: 20_000 });

    // publish continuously from 8 concurrent loops; after 100 messages the broker closes every connection of the
    // vhost; keep publishing until both connections are back (and at least 300 messages were sent)
    const confirmed: string[] = [];
    const failures: unknown[] = [];
    let closing: Promise<unknown> | undefined;
    let closed = false;
    let next = 0;
    const done = () => next >= 300 && closed && pubConn.connectionGeneration >= 2 && subConn.connectionGeneration >= 2;
    const worker = async () => {
      while (!done() && next < 20_000) {
        const i = next++;
        if (i === 100) {
          closing = run('rabbitmqctl', ['close_all_connections', '-p', vh.name, 'test: simulated broker restart']).then(() => {
            closed = true;
          });
        }
        try {
          const { messageId } = await publisher.publish(submitV1, { invoiceId: uuid(), version: 1 }, {
            tenantId: 'acme',
            correlationId: 'c',
            idempotencyKey: `k${i}`,
            messageId: `m-${i}`,
          });
          confirmed.push(messageId);
        } catch (err) {
          failures.push(err);
        }
        await new Promise((r) => setTimeout(r, 2));
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    await closing;
    const N = next;
    expect(failures).toEqual([]);
    expect(confirmed).toHaveLength(N);
    await waitFor(() => counts.size === N, 30_000, `${N} distinct consumed ids (got ${counts.size})`);
    expect(new Set(counts.keys())).toEqual(new Set(confirmed));
    // both connections were really dropped and re-established
    expect(events).toContain('reconnect-publisher:disconnected');
    expect(events).toContain('reconnect-consumer:disconnected');
    expect(pubConn.connectionGeneration).toBeGreaterThanOrEqual(2);
    expect(subConn.connectionGeneration).toBeGreaterThanOrEqual(2);
    // and keep working afterwards
    await publisher.publish(submitV1, { invoiceId: uuid(), version: 1 }, { tenantId: 'acme', correlationId: 'c', idempotencyKey: 'after', messageId: 'after' });
    await waitFor(() => counts.has('after'), 5000, 'message after recovery');
    await consumer.stop();
    await publisher.close();
    await pubConn.close();
    await subConn.close();
  });

  it('publish without a broker fails with PublishFailedError after the bounded wait (never silently dropped)', async () => {
    const conn = new AmqpConnection({ url: 'amqp://guest:guest@127.0.0.1:1/', name: 'nowhere' });
    await expect(conn.connect(300)).rejects.toMatchObject({ code: 'AMQP_CONNECTION_UNAVAILABLE' });
    const publisher = new Publisher(conn, { reconnectWaitMs: 300 });
    const started = Date.now();
    const err = await publisher.publish(submitV1, { invoiceId: uuid(), version: 1 }, { tenantId: 'a', correlationId: 'c', idempotencyKey: 'i' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PublishFailedError);
    expect((err as PublishFailedError).reason).toBe('NOT_CONNECTED');
    expect(Date.now() - started).toBeLessThan(3000);
    await conn.close();
  });
});
