import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createTestVhost, type TestVhost } from '@cetate/platform-testing';
import {
  AmqpConnection,
  Consumer,
  MessageValidationError,
  NonRetryableError,
  PublishFailedError,
  Publisher,
  RetryableError,
  listDlq,
  replayDlq,
  runDlqCli,
  type ConsumeContext,
} from './index.js';
import { acceptedV1, submitV1, testTopology, uuid, waitFor } from './messaging-test.helpers.js';

const exporter = new InMemorySpanExporter();
beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
});
afterAll(() => {
  trace.disable();
  propagation.disable();
  context.disable();
});

const meta = (over: Partial<{ messageId: string }> = {}) => ({
  tenantId: 'acme',
  correlationId: 'corr-' + uuid(),
  idempotencyKey: 'idem-' + uuid(),
  ...over,
});

describe('publish and consume', () => {
  let vh: TestVhost;
  let conn: AmqpConnection;
  let publisher: Publisher;
  let consumer: Consumer | undefined;

  beforeEach(async () => {
    vh = await createTestVhost();
    conn = new AmqpConnection({ url: vh.url, name: 'pubsub-test', topology: testTopology(3) });
    await conn.connect();
    publisher = new Publisher(conn, { reconnectWaitMs: 3000 });
    exporter.reset();
  });
  afterEach(async () => {
    await consumer?.stop();
    consumer = undefined;
    await publisher.close();
    await conn.close();
    await vh.drop();
  });

  async function queueDepth(queue: string): Promise<number> {
    const { model } = await conn.waitForConnection(1000);
    const ch = await model.createChannel();
    const { messageCount } = await ch.checkQueue(queue);
    await ch.close();
    return messageCount;
  }

  it('delivers a typed payload with the Cetate headers, and one trace spans publisher and consumer', async () => {
    const got: { payload: { invoiceId: string; version: number }; ctx: ConsumeContext; traceId?: string }[] = [];
    consumer = new Consumer(conn).consume(submitV1, async (payload, ctx) => {
      got.push({ payload, ctx, traceId: trace.getActiveSpan()?.spanContext().traceId });
    });
    await consumer.start();
    const invoiceId = uuid();
    const m = meta({ messageId: 'msg-' + uuid() });
    const { messageId } = await publisher.publish(submitV1, { invoiceId, version: 2 }, m);
    expect(messageId).toBe(m.messageId);
    await waitFor(() => got.length === 1, 5000, 'delivery');
    const { payload, ctx } = got[0]!;
    expect(payload).toEqual({ invoiceId, version: 2 });
    expect(ctx.messageId).toBe(m.messageId);
    expect(ctx.tenantId).toBe('acme');
    expect(ctx.correlationId).toBe(m.correlationId);
    expect(ctx.idempotencyKey).toBe(m.idempotencyKey);
    expect(ctx.attempt).toBe(1);
    expect(ctx.headers['x-message-type']).toBe('anaf.efactura.submit');
    expect(ctx.headers['x-schema-version']).toBe(1);
    expect(ctx.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    await waitFor(() => exporter.getFinishedSpans().length >= 2, 2000, 'spans');
    const spans = exporter.getFinishedSpans();
    const producer = spans.find((s) => s.name === 'worker.request.anaf.efactura.submit publish')!;
    const consumerSpan = spans.find((s) => s.name === 'anaf.efactura.submit process')!;
    expect(producer).toBeDefined();
    expect(consumerSpan).toBeDefined();
    expect(consumerSpan.spanContext().traceId).toBe(producer.spanContext().traceId);
    expect(consumerSpan.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
    expect(got[0]!.traceId).toBe(producer.spanContext().traceId);
  });

  it('consumes events from the module API consumer queue', async () => {
    const got: string[] = [];
    consumer = new Consumer(conn).consume(acceptedV1, async (p) => {
      got.push(p.indexIncarcare);
    });
    await consumer.start();
    await publisher.publish(acceptedV1, { invoiceId: uuid(), indexIncarcare: '5001234' }, meta());
    await waitFor(() => got.length === 1, 5000, 'event');
    expect(got).toEqual(['5001234']);
  });

  it('rejects an invalid payload before sending, and dead-letters an invalid one sent raw', async () => {
    const err = await publisher.publish(submitV1, { invoiceId: 'not-a-uuid', version: 0 } as never, meta()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MessageValidationError);
    expect((err as MessageValidationError).issues.map((i) => i.path).sort()).toEqual(['invoiceId', 'version']);
    expect(await queueDepth('worker.anaf.efactura.submit')).toBe(0);

    const calls: unknown[] = [];
    consumer = new Consumer(conn).consume(submitV1, async (p) => {
      calls.push(p);
    });
    await consumer.start();
    await publisher.publishMessage({
      messageId: 'raw-bad',
      exchange: 'cetate.commands',
      routingKey: 'worker.request.anaf.efactura.submit',
      headers: { 'x-tenant-id': 'acme', 'x-correlation-id': 'c', 'x-idempotency-key': 'i', 'x-message-type': 'anaf.efactura.submit', 'x-schema-version': 1, 'x-headers-version': 1 },
      payload: { invoiceId: 42 },
    });
    await waitFor(async () => (await queueDepth('worker.anaf.efactura.submit.dlq')) === 1, 5000, 'DLQ');
    expect(calls).toEqual([]);
    const [dead] = await listDlq(conn, 'anaf.efactura.submit');
    expect(dead!.messageId).toBe('raw-bad');
    expect(dead!.errorCode).toBe('MESSAGE_VALIDATION_FAILED');
    expect(dead!.errorMessage).toMatch(/invoiceId/);
  });

  it('throws PublishFailedError for an unroutable message instead of dropping it', async () => {
    const err = await publisher
      .publishMessage({ messageId: 'lost', exchange: 'cetate.commands', routingKey: 'worker.request.nobody', headers: {}, payload: {} })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PublishFailedError);
    expect((err as PublishFailedError).reason).toBe('UNROUTABLE');
  });

  it('retries a retryable failure with exponential backoff, then succeeds', async () => {
    const seen: { attempt: number; at: number }[] = [];
    consumer = new Consumer(conn).consume(submitV1, async (_p, ctx) => {
      seen.push({ attempt: ctx.attempt, at: Date.now() });
      if (ctx.attempt < 3) throw new RetryableError('ANAF answered 503');
    });
    await consumer.start();
    await publisher.publish(submitV1, { invoiceId: uuid(), version: 1 }, meta());
    await waitFor(() => seen.length === 3, 8000, '3 attempts');
    expect(seen.map((s) => s.attempt)).toEqual([1, 2, 3]);
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(140);
    expect(seen[2]!.at - seen[1]!.at).toBeGreaterThanOrEqual(290);
    await new Promise((r) => setTimeout(r, 800));
    expect(seen).toHaveLength(3);
    expect(await queueDepth('worker.anaf.efactura.submit.dlq')).toBe(0);
  });

  it('sends a message to the DLQ after maxAttempts (unknown errors count as retryable)', async () => {
    let calls = 0;
    consumer = new Consumer(conn).consume(submitV1, async () => {
      calls++;
      throw new Error('boom');
    });
    await consumer.start();
    const { messageId } = await publisher.publish(submitV1, { invoiceId: uuid(), version: 1 }, meta());
    await waitFor(async () => (await queueDepth('worker.anaf.efactura.submit.dlq')) === 1, 8000, 'DLQ');
    expect(calls).toBe(3);
    const [dead] = await listDlq(conn, 'anaf.efactura.submit');
    expect(dead).toMatchObject({ messageId, errorCode: 'MAX_ATTEMPTS_EXCEEDED', attempt: 3, tenantId: 'acme' });
    expect(dead!.errorMessage).toContain('boom');
  });

  it('sends a non-retryable failure straight to the DLQ, and list + replay bring it back', async () => {
    const attempts: number[] = [];
    let fail = true;
    consumer = new Consumer(conn).consume(submitV1, async (_p, ctx) => {
      attempts.push(ctx.attempt);
      if (fail) throw new NonRetryableError('invoice 7 is not in state queued', { code: 'INVOICE_STATE' });
    });
    await consumer.start();
    const a = await publisher.publish(submitV1, { invoiceId: uuid(), version: 1 }, meta());
    const b = await publisher.publish(submitV1, { invoiceId: uuid(), version: 1 }, meta());
    await waitFor(async () => (await queueDepth('worker.anaf.efactura.submit.dlq')) === 2, 5000, 'DLQ');
    expect(attempts).toEqual([1, 1]);

    // listing twice loses nothing and keeps the order
    const first = await listDlq(conn, 'anaf.efactura.submit');
    const second = await listDlq(conn, 'anaf.efactura.submit');
    expect(first.map((m) => m.messageId)).toEqual([a.messageId, b.messageId]);
    expect(second.map((m) => m.messageId)).toEqual([a.messageId, b.messageId]);
    expect(first[0]).toMatchObject({ errorCode: 'INVOICE_STATE', errorMessage: 'invoice 7 is not in state queued', attempt: 1 });
    // a limit below the depth returns the head and does not rotate the DLQ
    const head = await listDlq(conn, 'anaf.efactura.submit', { limit: 1 });
    expect(head.map((m) => m.messageId)).toEqual([a.messageId]);
    expect((await listDlq(conn, 'anaf.efactura.submit')).map((m) => m.messageId)).toEqual([a.messageId, b.messageId]);
    expect(await queueDepth('worker.anaf.efactura.submit.dlq')).toBe(2);

    // CLI list prints both
    const lines: string[] = [];
    const code = await runDlqCli(['dlq', 'list', 'anaf.efactura.submit'], { url: vh.url, io: { out: (l) => lines.push(l), err: (l) => lines.push(l) } });
    expect(code).toBe(0);
    expect(lines[0]).toBe('2 message(s) in the DLQ of anaf.efactura.submit:');
    expect(lines.join('\n')).toContain(`${a.messageId}  anaf.efactura.submit v1  tenant=acme  attempt=1  INVOICE_STATE`);

    fail = false;
    const r = await replayDlq(conn, 'anaf.efactura.submit', { messageIds: [b.messageId] });
    expect(r).toEqual({ replayed: [b.messageId], remaining: 1, notFound: [] });
    await waitFor(() => attempts.length === 3, 5000, 'replayed delivery');
    expect(attempts[2]).toBe(1); // attempt counter reset

    const out: string[] = [];
    expect(await runDlqCli(['replay', 'anaf.efactura.submit', '--all'], { url: vh.url, io: { out: (l) => out.push(l), err: (l) => out.push(l) } })).toBe(0);
    expect(out[0]).toBe('replayed 1 message(s) to anaf.efactura.submit; 0 left in the DLQ');
    await waitFor(() => attempts.length === 4, 5000, 'second replay');
    expect(await queueDepth('worker.anaf.efactura.submit.dlq')).toBe(0);
    expect(await runDlqCli(['replay', 'anaf.efactura.submit'], { url: vh.url, io: { out: () => {}, err: () => {} } })).toBe(2);
  });
});
