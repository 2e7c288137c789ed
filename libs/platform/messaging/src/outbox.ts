import { trace } from '@opentelemetry/api';
import type { DataSource, EntityManager } from 'typeorm';
import { Header } from './contracts.js';
import { SpanKind, extractTraceContext, inSpan, injectTraceHeaders, messagingAttributes, tracer } from './tracing.js';
import type { MessageContract, PayloadInput } from './contracts.js';
import { buildMessage, type PublishMeta } from './message.js';
import type { Publisher } from './publisher.js';

/**
 * Transactional outbox (ARCHITECTURE §3: "State change + command are written in one transaction"). Needs table
 * `messaging.outbox` (see `MessagingOutboxInbox1732200000000`).
 */
export const Outbox = {
  /**
   * Validates the payload and inserts the message into `messaging.outbox` through `manager`, i.e. inside the
   * caller's transaction: it is published by the {@link OutboxRelay} only if that transaction commits.
   * The active trace context is stored in the headers, so the trace continues in the worker.
   * A repeated `meta.messageId` is ignored (`ON CONFLICT DO NOTHING`): deterministic ids make enqueueing idempotent.
   * @returns the message id and whether a row was inserted.
   * @throws MessageValidationError before writing anything.
   */
  async enqueue<C extends MessageContract>(
    manager: EntityManager,
    contract: C,
    payload: PayloadInput<C>,
    meta: PublishMeta,
  ): Promise<{ messageId: string; inserted: boolean }> {
    const msg = buildMessage(contract, payload, meta);
    const rows: unknown[] = await manager.query(
      `INSERT INTO messaging.outbox (message_id, exchange, routing_key, headers, payload)
       VALUES ($1, $2, $3, $4::jsonb, $5::jsonb)
       ON CONFLICT (message_id) DO NOTHING RETURNING id`,
      [msg.messageId, msg.exchange, msg.routingKey, JSON.stringify(msg.headers), JSON.stringify(msg.payload)],
    );
    return { messageId: msg.messageId, inserted: rows.length === 1 };
  },
};

/**
 * A tenant database the relay drains: either an open `dataSource`, or `use`, which lends one for the
 * duration of `fn` (e.g. `TenantDataSourcePool.withDataSource`, so a bounded pool can open and evict
 * tenant databases one at a time while the relay walks through them).
 */
export type OutboxSource =
  | { tenantId: string; dataSource: DataSource }
  | { tenantId: string; use<T>(fn: (dataSource: DataSource) => Promise<T>): Promise<T> };

/** Options of {@link OutboxRelay}. */
export interface OutboxRelayOptions {
  publisher: Publisher;
  /** tenant DataSources to drain, asked again at every pass (tenants come and go). */
  dataSources: () => Iterable<OutboxSource> | Promise<Iterable<OutboxSource>>;
  /** pause between passes when idle (ms). Default 1000. */
  pollIntervalMs?: number;
  /** rows per transaction. Default 100. */
  batchSize?: number;
  /** called with errors of a pass (publish failures are also written to `last_error`). */
  onError?: (err: unknown, tenantId: string) => void;
}

interface OutboxRow {
  id: string;
  message_id: string;
  exchange: string;
  routing_key: string;
  headers: Record<string, string | number>;
  payload: unknown;
}

/**
 * Publishes pending outbox rows of every tenant database.
 *
 * Per tenant and batch, in one transaction: `SELECT ... WHERE published_at IS NULL ORDER BY created_at
 * FOR UPDATE SKIP LOCKED LIMIT batchSize`, publish each row in order and wait for the broker's confirm, then
 * `published_at = now()`. Rows stay locked until commit, so a second relay (another pod) skips them: no row is
 * published twice by two relays. If the process dies after the confirm but before the commit, the row is
 * published again later (at-least-once, same `message_id`: the consumer's inbox absorbs it). A failed publish
 * increments `attempts`, stores `last_error` and stops the batch (order kept); the row is retried next pass.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;

  constructor(private readonly options: OutboxRelayOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.batchSize = options.batchSize ?? 100;
  }

  /** Starts polling (first pass immediately). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.kick();
  }

  /** Stops polling and waits for the pass in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /**
   * Runs a pass now (call it after committing a transaction that enqueued messages). Coalesces: during a pass,
   * one more pass is scheduled right after it. Returns when that pass is done.
   */
  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    this.running = (async () => {
      do {
        this.again = false;
        await this.relayOnce();
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = undefined;
      if (!this.stopped) this.timer = setTimeout(() => void this.kick(), this.pollIntervalMs);
    });
    return this.running;
  }

  /**
   * One pass over every tenant: drains batches until a tenant has no pending (unlocked) rows.
   * @returns number of rows published in this pass.
   */
  async relayOnce(): Promise<number> {
    let total = 0;
    let sources: Iterable<OutboxSource>;
    try {
      sources = await this.options.dataSources();
    } catch (err) {
      this.options.onError?.(err, '*');
      return 0;
    }
    for (const source of sources) {
      const drain = async (dataSource: DataSource) => {
        for (;;) {
          const { published, full } = await this.relayBatch(dataSource, source.tenantId);
          total += published;
          if (!full) break;
        }
      };
      try {
        if ('use' in source) await source.use(drain);
        else await drain(source.dataSource);
      } catch (err) {
        this.options.onError?.(err, source.tenantId);
      }
    }
    return total;
  }

  /**
   * Publishes one row inside a PRODUCER span `<routing key> publish` that continues the trace stored in the
   * row's `traceparent` (the request that enqueued it); the span's own context replaces it in the headers,
   * so the consumer's span is a child of this publish (HTTP → outbox → AMQP → worker in one trace).
   */
  private publishTraced(row: OutboxRow): Promise<void> {
    const parent = extractTraceContext(row.headers);
    const span = tracer.startSpan(
      `${row.routing_key} publish`,
      {
        kind: SpanKind.PRODUCER,
        attributes: messagingAttributes({
          exchange: row.exchange,
          routingKey: row.routing_key,
          messageId: row.message_id,
          operation: 'send',
          tenantId: typeof row.headers[Header.tenantId] === 'string' ? (row.headers[Header.tenantId] as string) : undefined,
        }),
      },
      parent,
    );
    return inSpan(span, parent, async () => {
      const headers: Record<string, string | number> = { ...row.headers };
      injectTraceHeaders(headers, trace.setSpan(parent, span));
      await this.options.publisher.publishMessage({
        messageId: row.message_id,
        exchange: row.exchange,
        routingKey: row.routing_key,
        headers,
        payload: row.payload,
      });
    });
  }

  private relayBatch(dataSource: DataSource, tenantId: string): Promise<{ published: number; full: boolean }> {
    return dataSource.transaction(async (m) => {
      const rows: OutboxRow[] = await m.query(
        `SELECT id, message_id, exchange, routing_key, headers, payload FROM messaging.outbox
         WHERE published_at IS NULL ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.batchSize],
      );
      const done: string[] = [];
      let failed = false;
      for (const row of rows) {
        try {
          await this.publishTraced(row);
          done.push(row.id);
        } catch (err) {
          failed = true;
          await m.query(`UPDATE messaging.outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, [
            row.id,
            String((err as Error).message ?? err).slice(0, 2000),
          ]);
          this.options.onError?.(err, tenantId);
          break;
        }
      }
      if (done.length > 0) {
        await m.query(`UPDATE messaging.outbox SET published_at = now(), attempts = attempts + 1 WHERE id = ANY($1::uuid[])`, [done]);
      }
      return { published: done.length, full: !failed && rows.length === this.batchSize };
    });
  }
}
