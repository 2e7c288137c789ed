import type { MessageProperties, Options } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { DELAY_EXCHANGE, HEADERS_VERSION, Header, validatePayload, type MessageContract, type PayloadInput } from './contracts.js';
import { injectTraceHeaders } from './tracing.js';

/** Metadata every publish/enqueue carries (ARCHITECTURE §3 headers). */
export interface PublishMeta {
  /** tenant slug or id, sent as `x-tenant-id`. */
  tenantId: string;
  /** id tying together everything caused by one user action, sent as `x-correlation-id`. */
  correlationId: string;
  /** key the handler uses to make its side effect idempotent (e.g. `invoice:<id>:v<n>`), `x-idempotency-key`. */
  idempotencyKey: string;
  /** AMQP `message_id`; default a random UUID. Pass a deterministic id to make enqueueing idempotent. */
  messageId?: string;
  /**
   * Commands only: deliver to the work queue after this many ms instead of now. The message goes through the delay
   * queue `cetate.retry.<delayMs>` (TTL, then dead-lettered to the work queue), so the topology must declare the
   * delay (`TopologyDeclaration.scheduleDelaysMs`); an undeclared delay is unroutable and the publish fails.
   * Nothing waits in a process meanwhile (scheduled work such as the e-Factura status sync).
   */
  delayMs?: number;
}

/** A fully built message, as stored in the outbox and sent by the publisher. */
export interface OutgoingMessage {
  messageId: string;
  exchange: string;
  routingKey: string;
  /** AMQP headers (string/number values only). */
  headers: Record<string, string | number>;
  /** JSON payload (already validated). */
  payload: unknown;
}

/**
 * Validates `payload` and builds the message with Cetate's v1 headers, injecting the active trace context.
 * @throws MessageValidationError before anything is sent or stored.
 */
export function buildMessage<C extends MessageContract>(contract: C, payload: PayloadInput<C>, meta: PublishMeta): OutgoingMessage {
  validatePayload(contract, payload);
  for (const k of ['tenantId', 'correlationId', 'idempotencyKey'] as const) {
    if (typeof meta[k] !== 'string' || meta[k].length === 0) {
      throw new TypeError(`publish meta.${k} must be a non-empty string`);
    }
  }
  const headers: Record<string, string | number> = {
    [Header.tenantId]: meta.tenantId,
    [Header.correlationId]: meta.correlationId,
    [Header.idempotencyKey]: meta.idempotencyKey,
    [Header.messageType]: contract.type,
    [Header.schemaVersion]: contract.version,
    [Header.headersVersion]: HEADERS_VERSION,
  };
  injectTraceHeaders(headers);
  if (meta.delayMs !== undefined) {
    if (contract.kind !== 'command') throw new TypeError(`publish meta.delayMs applies to commands only, not to event ${contract.type}`);
    if (!Number.isInteger(meta.delayMs) || meta.delayMs <= 0) throw new TypeError(`publish meta.delayMs must be a positive integer (ms), got ${meta.delayMs}`);
    headers[Header.retryDelayMs] = String(meta.delayMs);
    // the delay queue dead-letters with the message's routing key to `cetate.retry`, where the work queue is bound by its name
    return { messageId: meta.messageId ?? randomUUID(), exchange: DELAY_EXCHANGE, routingKey: contract.queue, headers, payload };
  }
  return {
    messageId: meta.messageId ?? randomUUID(),
    exchange: contract.exchange,
    routingKey: contract.routingKey,
    headers,
    payload,
  };
}

/**
 * AMQP properties for re-publishing a copy of a received message (retry, dead-lettering, DLQ replay):
 * persistent and mandatory, with `headers`, and the original's message id, content type/encoding, type,
 * timestamp, app id and correlation id carried over when present.
 */
export function copyProperties(original: MessageProperties, headers: Record<string, unknown>, messageId?: string): Options.Publish {
  const p = original;
  const id = messageId ?? (p.messageId ? String(p.messageId) : undefined);
  return {
    headers,
    persistent: true,
    mandatory: true,
    ...(id ? { messageId: id } : {}),
    ...(p.contentType ? { contentType: p.contentType } : {}),
    ...(p.contentEncoding ? { contentEncoding: p.contentEncoding } : {}),
    ...(p.type ? { type: p.type } : {}),
    ...(p.timestamp ? { timestamp: p.timestamp } : {}),
    ...(p.appId ? { appId: p.appId } : {}),
    ...(p.correlationId ? { correlationId: p.correlationId } : {}),
  };
}

