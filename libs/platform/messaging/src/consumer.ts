import type { ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import {
  BROKER_DEATH_HEADERS,
  DELAY_EXCHANGE,
  DLX_EXCHANGE,
  Header,
  contractKey,
  messageHeadersSchemaV1,
  toIssues,
  topicMatches,
  type MessageContract,
  type MessageHeaders,
  type Payload,
} from './contracts.js';
import type { AmqpConnection } from './connection.js';
import { copyProperties } from './message.js';
import { HandlerRegistrationError, MessageValidationError, MessagingError, NonRetryableError, PublishFailedError } from './errors.js';
import { retryDelayFor, type Topology } from './topology.js';
import { SpanKind, extractTraceContext, inSpan, messagingAttributes, tracer } from './tracing.js';

/** What a handler learns about the message besides its payload. */
export interface ConsumeContext {
  /** parsed v1 headers. */
  headers: MessageHeaders;
  /** AMQP `message_id` (stable across retries and redeliveries: use it for the inbox). */
  messageId: string;
  tenantId: string;
  correlationId: string;
  idempotencyKey: string;
  /** 1-based attempt of the retry policy (1 = first delivery, 2 = first retry ...). */
  attempt: number;
  /** AMQP delivery tag on the consumer's channel. */
  deliveryTag: number;
  /** true when the broker redelivers (previous consumer died before ack). */
  redelivered: boolean;
  /** queue the message was consumed from. */
  queue: string;
}

/** A message handler: resolve = ack; throw `NonRetryableError` = DLQ; throw anything else = retry with backoff. */
export type MessageHandler<C extends MessageContract> = (payload: Payload<C>, ctx: ConsumeContext) => Promise<void>;

/** Options of one `consume` registration. */
export interface ConsumeOptions {
  /** AMQP prefetch of the queue's channel (max over the registrations of the same queue). Default 10. */
  prefetch?: number;
  /** queue for an event contract when several consumer queues of the topology bind its routing key. */
  queue?: string;
}

/** Options of {@link Consumer}. */
export interface ConsumerOptions {
  /** contracts this process must handle; `start()` fails when one of them has no handler. */
  expect?: MessageContract[];
}

interface Registration {
  contract: MessageContract;
  handler: MessageHandler<MessageContract>;
  queue: string;
  prefetch: number;
}

type ConnectedHookFn = (model: ChannelModel) => Promise<void>;

const startedKeys = new WeakMap<AmqpConnection, Set<string>>();
const STRIP_HEADERS = [...BROKER_DEATH_HEADERS, Header.retryDelayMs];

/**
 * Consumes commands and events with manual acks and Cetate's retry policy (ARCHITECTURE §3; amqp-contract and
 * immich habits):
 * - success → ack;
 * - malformed headers, invalid JSON, zod-invalid payload, no handler for the type/version, or `NonRetryableError`
 *   → copied to the queue's DLQ with `x-error-code`/`x-error-message`, then acked;
 * - `RetryableError` or any other error → copied to delay queue `cetate.retry.<ms>` for attempt n+1, then acked;
 *   when attempt = `maxAttempts`, to the DLQ with `x-error-code: MAX_ATTEMPTS_EXCEEDED` instead. Never requeued.
 * The copy is confirmed by the broker before the original is acked (at-least-once; use the inbox).
 *
 * Register with `consume()`, then `start()`; channels and consumers are re-created after every reconnect.
 */
export class Consumer {
  private readonly registrations: Registration[] = [];
  private readonly inflight = new Set<Promise<void>>();
  private channels: { ch: ConfirmChannel; tag: string }[] = [];
  private hook: ConnectedHookFn | undefined;
  private started = false;

  constructor(
    private readonly connection: AmqpConnection,
    private readonly options: ConsumerOptions = {},
  ) {}

  /**
   * Registers `handler` for `contract`. The payload type is inferred from the contract's zod schema.
   * Commands are consumed from `worker.<tag>`; events from the consumer queue binding their routing key.
   * @throws Error when no queue of the topology carries the contract.
   */
  consume<C extends MessageContract>(contract: C, handler: MessageHandler<C>, options: ConsumeOptions = {}): this {
    if (this.started) throw new Error('consume() must be called before start()');
    const topology = this.requireTopology();
    const queue = contract.kind === 'command' ? contract.queue : (options.queue ?? eventQueueFor(topology, contract.routingKey));
    if (!topology.consumableQueues.includes(queue)) {
      throw new Error(`queue ${queue} for ${contract.type} is not declared in the topology`);
    }
    this.registrations.push({
      contract,
      handler: handler as MessageHandler<MessageContract>,
      queue,
      prefetch: options.prefetch ?? 10,
    });
    return this;
  }

  /**
   * Validates the registrations and starts consuming (now and after every reconnect).
   * @throws HandlerRegistrationError when a contract has two handlers (in this Consumer or another started on
   * the same connection), when a version of a consumed command tag declared in the topology has no handler,
   * or when an `expect`ed contract has none.
   */
  async start(): Promise<void> {
    const topology = this.requireTopology();
    const problems: string[] = [];
    const keys = new Map<string, number>();
    for (const r of this.registrations) {
      const k = `${r.queue}|${contractKey(r.contract)}`;
      keys.set(k, (keys.get(k) ?? 0) + 1);
    }
    for (const [k, n] of keys) if (n > 1) problems.push(`${k.split('|')[1]} has ${n} handlers`);
    const started = startedKeys.get(this.connection) ?? new Set<string>();
    for (const k of keys.keys()) if (started.has(k)) problems.push(`${k.split('|')[1]} already has a handler in this process`);
    const consumedTags = new Set(this.registrations.filter((r) => r.contract.kind === 'command').map((r) => r.contract.type));
    for (const tag of consumedTags) {
      for (const c of topology.commandsByTag.get(tag) ?? []) {
        if (!keys.has(`${c.queue}|${contractKey(c)}`)) problems.push(`${contractKey(c)} has no handler (its queue ${c.queue} is consumed here)`);
      }
    }
    for (const c of this.options.expect ?? []) {
      if (!this.registrations.some((r) => contractKey(r.contract) === contractKey(c))) problems.push(`${contractKey(c)} has no handler`);
    }
    if (this.registrations.length === 0) problems.push('no handler registered');
    if (problems.length > 0) throw new HandlerRegistrationError(problems);
    for (const k of keys.keys()) started.add(k);
    startedKeys.set(this.connection, started);
    this.started = true;
    const hook = (model: ChannelModel): Promise<void> => this.attach(model, topology, hook);
    this.hook = hook;
    try {
      await this.connection.onConnected(hook);
    } catch (err) {
      // Undo everything so that start() can be retried: hook, channels already opened, handler keys.
      this.connection.offConnected(hook);
      if (this.hook === hook) this.hook = undefined;
      this.started = false;
      await this.closeChannels();
      for (const k of keys.keys()) started.delete(k);
      throw err;
    }
  }

  /** Stops consuming: cancels the consumers, waits for in-flight handlers, closes the channels. */
  async stop(): Promise<void> {
    if (this.hook) this.connection.offConnected(this.hook);
    this.hook = undefined;
    this.started = false; // an attach still running stops adding channels (see attach)
    await this.closeChannels();
    const started = startedKeys.get(this.connection);
    for (const r of this.registrations) started?.delete(`${r.queue}|${contractKey(r.contract)}`);
  }

  /** Cancels the consumers, waits for in-flight handlers, closes the channels. */
  private async closeChannels(): Promise<void> {
    const channels = this.channels;
    this.channels = [];
    for (const { ch, tag } of channels) await ch.cancel(tag).catch(() => undefined);
    await Promise.allSettled([...this.inflight]);
    for (const { ch } of channels) await ch.close().catch(() => undefined);
  }

  private requireTopology(): Topology {
    const t = this.connection.topology;
    if (!t) throw new Error(`AmqpConnection ${this.connection.name} has no topology; pass declareTopology(...) to it`);
    return t;
  }

  /**
   * Opens one channel and consumer per queue on `model` (run at start and after every reconnect). Does
   * nothing once the consumer is stopped (or restarted: `hook` is no longer current), and a channel opened
   * while `stop()` ran is closed instead of kept.
   * On failure the channel being set up is closed; those already attached stay in `channels` (start()
   * closes them; after a reconnect they die with the failed connection).
   */
  private async attach(model: ChannelModel, topology: Topology, hook: ConnectedHookFn): Promise<void> {
    const live = () => this.started && this.hook === hook;
    if (!live()) return;
    this.channels = [];
    const byQueue = new Map<string, Registration[]>();
    for (const r of this.registrations) byQueue.set(r.queue, [...(byQueue.get(r.queue) ?? []), r]);
    for (const [queue, regs] of byQueue) {
      const ch = await model.createConfirmChannel();
      ch.on('error', () => undefined);
      try {
        const returned = new Set<string>();
        ch.on('return', (m: ConsumeMessage) => {
          if (typeof m.properties.messageId === 'string') returned.add(m.properties.messageId);
        });
        await ch.prefetch(Math.max(...regs.map((r) => r.prefetch)));
        const handlers = new Map(regs.map((r) => [contractKey(r.contract), r]));
        if (!live()) throw new ConsumerStoppedDuringAttach();
        const { consumerTag } = await ch.consume(
          queue,
          (msg) => {
            if (!msg) return; // consumer cancelled by the broker (queue deleted); the reconnect cycle re-attaches
            const p = this.handle(ch, returned, queue, handlers, topology, msg).finally(() => this.inflight.delete(p));
            this.inflight.add(p);
          },
          { noAck: false },
        );
        if (!live()) throw new ConsumerStoppedDuringAttach();
        this.channels.push({ ch, tag: consumerTag });
      } catch (err) {
        await ch.close().catch(() => undefined);
        if (err instanceof ConsumerStoppedDuringAttach) return;
        throw err;
      }
    }
  }

  private async handle(
    ch: ConfirmChannel,
    returned: Set<string>,
    queue: string,
    handlers: Map<string, Registration>,
    topology: Topology,
    msg: ConsumeMessage,
  ): Promise<void> {
    const raw = (msg.properties.headers ?? {}) as Record<string, unknown>;
    const attempt = Number(raw[Header.attempt] ?? 1) || 1;
    const messageId = String(msg.properties.messageId ?? '');
    const dead = (code: string, message: string) => this.forward(ch, returned, msg, DLX_EXCHANGE, queue, {
      [Header.errorCode]: code,
      [Header.errorMessage]: message.slice(0, 1000),
      [Header.deadLetteredAt]: new Date().toISOString(),
      [Header.originalQueue]: queue,
      [Header.attempt]: attempt,
    });
    const parsed = messageHeadersSchemaV1.safeParse(raw);
    if (!parsed.success || !messageId) {
      const err = new MessageValidationError(String(raw[Header.messageType] ?? '?'), parsed.success ? [{ path: 'message_id', message: 'missing' }] : toIssues(parsed.error), 'headers');
      return dead(err.code, err.message);
    }
    const headers = parsed.data;
    const reg = handlers.get(contractKey({ type: headers['x-message-type'], version: headers['x-schema-version'] }));
    if (!reg) return dead('NO_HANDLER', `no handler for ${headers['x-message-type']} v${headers['x-schema-version']} on queue ${queue}`);
    let body: unknown;
    try {
      body = JSON.parse(msg.content.toString('utf8'));
    } catch (err) {
      return dead('INVALID_JSON', `payload is not JSON: ${(err as Error).message}`);
    }
    const result = reg.contract.schema.safeParse(body);
    if (!result.success) {
      const err = new MessageValidationError(reg.contract.type, toIssues(result.error), 'payload');
      return dead(err.code, err.message);
    }
    const parent = extractTraceContext(raw);
    const span = tracer.startSpan(
      `${reg.contract.type} process`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          ...messagingAttributes({ exchange: msg.fields.exchange, routingKey: msg.fields.routingKey, messageId, operation: 'process', tenantId: headers['x-tenant-id'] }),
          'cetate.attempt': attempt,
        },
      },
      parent,
    );
    const ctx: ConsumeContext = {
      headers,
      messageId,
      tenantId: headers['x-tenant-id'],
      correlationId: headers['x-correlation-id'],
      idempotencyKey: headers['x-idempotency-key'],
      attempt,
      deliveryTag: msg.fields.deliveryTag,
      redelivered: msg.fields.redelivered,
      queue,
    };
    try {
      await inSpan(span, parent, () => reg.handler(result.data, ctx));
    } catch (err) {
      const e = err as Error & { code?: string };
      if (err instanceof NonRetryableError) return dead(err.code, err.message);
      const code = typeof e?.code === 'string' ? e.code : 'UNKNOWN_ERROR';
      const text = String(e?.message ?? err);
      if (attempt >= topology.retry.maxAttempts) {
        return dead('MAX_ATTEMPTS_EXCEEDED', `failed ${attempt} attempt(s); last error ${code}: ${text}`);
      }
      const delay = retryDelayFor(topology.retry, attempt + 1);
      return this.forward(ch, returned, msg, DELAY_EXCHANGE, queue, {
        [Header.attempt]: attempt + 1,
        [Header.retryDelayMs]: String(delay),
        'x-last-error-code': code,
        'x-last-error-message': text.slice(0, 1000),
      });
    }
    safeAck(ch, msg);
  }

  /**
   * Publishes a copy of `msg` (same body and properties, merged headers) and acks the original once confirmed.
   * If the copy cannot be confirmed the original is left unacked (the broker redelivers it after a reconnect)
   * or, when unroutable, rejected without requeue (broker-side dead-lettering to the DLQ).
   */
  private async forward(ch: ConfirmChannel, returned: Set<string>, msg: ConsumeMessage, exchange: string, routingKey: string, extra: Record<string, unknown>): Promise<void> {
    const headers: Record<string, unknown> = { ...(msg.properties.headers ?? {}) };
    for (const h of STRIP_HEADERS) delete headers[h];
    Object.assign(headers, extra);
    const id = String(msg.properties.messageId ?? `no-id-${msg.fields.deliveryTag}`);
    const props = copyProperties(msg.properties, headers, id);
    try {
      await new Promise<void>((resolve, reject) => {
        returned.delete(id);
        try {
          ch.publish(exchange, routingKey, msg.content, props, (err: unknown) => {
            if (returned.delete(id)) reject(new PublishFailedError('UNROUTABLE', `${exchange}/${routingKey} has no queue`));
            else if (err) reject(new PublishFailedError('CLOSED', String((err as Error)?.message ?? err)));
            else resolve();
          });
        } catch (err) {
          reject(new PublishFailedError('CLOSED', String((err as Error).message)));
        }
      });
    } catch (err) {
      const unroutable = err instanceof PublishFailedError && err.reason === 'UNROUTABLE';
      try {
        // Unroutable: broker-side dead-lettering. Otherwise (broker nack on an open channel) hand the
        // original back now instead of holding a prefetch slot until the channel dies.
        ch.nack(msg, false, !unroutable);
      } catch {
        /* channel gone: the original is redelivered after reconnect */
      }
      return;
    }
    safeAck(ch, msg);
  }
}

/** Internal signal: `stop()` ran while `attach` was opening channels (code `CONSUMER_STOPPED_DURING_ATTACH`). */
class ConsumerStoppedDuringAttach extends MessagingError {
  constructor() {
    super('CONSUMER_STOPPED_DURING_ATTACH', 'the consumer was stopped while attaching to its queues');
  }
}

function safeAck(ch: ConfirmChannel, msg: ConsumeMessage): void {
  try {
    ch.ack(msg);
  } catch {
    /* channel closed: the broker redelivers; the inbox makes that harmless */
  }
}

/** The single consumer queue whose bindings match `routingKey` (AMQP topic matching: `*` one word, `#` zero or more). */
function eventQueueFor(topology: Topology, routingKey: string): string {
  const matches = (topology.declaration.consumers ?? []).filter((c) => c.bindings.some((b) => topicMatches(b, routingKey)));
  if (matches.length !== 1) {
    throw new Error(
      `event ${routingKey} is bound to ${matches.length} consumer queues (${matches.map((m) => m.queueName).join(', ') || 'none'}); pass { queue }`,
    );
  }
  return matches[0]!.queueName;
}

