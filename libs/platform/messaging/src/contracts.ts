import { z } from 'zod';
import { MessageValidationError, type ValidationIssue } from './errors.js';

/** Topic exchange of work requests (ARCHITECTURE §3). Routing key `worker.request.<tag>`. */
export const COMMANDS_EXCHANGE = 'cetate.commands';
/** Topic exchange of facts (ARCHITECTURE §3). Routing key `<module>.<aggregate>.<past-tense-event>`. */
export const EVENTS_EXCHANGE = 'cetate.events';
/** Direct exchange of dead letters; each DLQ `<queue>.dlq` is bound with routing key `<queue>`. */
export const DLX_EXCHANGE = 'cetate.dlx';
/** Direct exchange that routes a message back to a work queue BY QUEUE NAME (routing key = queue name). */
export const RETRY_EXCHANGE = 'cetate.retry';
/** Headers exchange that routes a message into the delay queue matching its `retry-delay-ms` header. */
export const DELAY_EXCHANGE = 'cetate.delay';

/** Version of the header set below; bump when a header changes meaning. Sent as `x-headers-version`. */
export const HEADERS_VERSION = 1;

/**
 * Names of the headers every Cetate message carries (ARCHITECTURE §3).
 * `traceparent`/`tracestate` follow W3C Trace Context; the rest are Cetate's own.
 */
export const Header = {
  tenantId: 'x-tenant-id',
  correlationId: 'x-correlation-id',
  idempotencyKey: 'x-idempotency-key',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
  messageType: 'x-message-type',
  schemaVersion: 'x-schema-version',
  headersVersion: 'x-headers-version',
  /** 1-based delivery attempt of the retry policy (not the broker's redelivery count). */
  attempt: 'x-attempt',
  /** set on DLQ copies: stable error code (`MESSAGE_VALIDATION_FAILED`, `NON_RETRYABLE`, `MAX_ATTEMPTS_EXCEEDED`...). */
  errorCode: 'x-error-code',
  /** set on DLQ copies: human-readable error message (truncated to 1000 chars). */
  errorMessage: 'x-error-message',
  /** set on DLQ copies: ISO timestamp when it was dead-lettered. */
  deadLetteredAt: 'x-dead-lettered-at',
  /** set on DLQ copies: the queue the message was consumed from. */
  originalQueue: 'x-original-queue',
  /** routing header of the delay exchange (no `x-` prefix: headers exchanges ignore `x-` keys). */
  retryDelayMs: 'retry-delay-ms',
} as const;

/** W3C traceparent: `version-traceid-parentid-flags`, lower-case hex (W3C Trace Context §3.2). */
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * Versioned (v1) zod schema of the headers of every message, checked on consume (and built on publish).
 * Numbers may arrive as AMQP numbers or strings, hence `coerce`.
 */
export const messageHeadersSchemaV1 = z.object({
  'x-tenant-id': z.string().min(1),
  'x-correlation-id': z.string().min(1),
  'x-idempotency-key': z.string().min(1),
  traceparent: z.string().regex(TRACEPARENT).optional(),
  tracestate: z.string().optional(),
  'x-message-type': z.string().min(1),
  'x-schema-version': z.coerce.number().int().positive(),
  'x-headers-version': z.coerce.number().int().pipe(z.literal(HEADERS_VERSION)),
  'x-attempt': z.coerce.number().int().positive().optional(),
});
/** Parsed v1 headers. */
export type MessageHeaders = z.infer<typeof messageHeadersSchemaV1>;

/** What every contract has in common. */
interface ContractBase<S extends z.ZodType> {
  /** message type sent as `x-message-type`: command tag or event routing key. */
  readonly type: string;
  /** schema version, sent as `x-schema-version`; a breaking change gets a new version (ARCHITECTURE §3). */
  readonly version: number;
  /** zod v4 schema of the JSON payload. */
  readonly schema: S;
  /** exchange the message is published to. */
  readonly exchange: string;
  /** routing key the message is published with. */
  readonly routingKey: string;
  /** optional human description (goes into the AsyncAPI document). */
  readonly description?: string;
}

/** A command: a work request executed by exactly one worker family (queue `worker.<tag>`). */
export interface CommandContract<S extends z.ZodType = z.ZodType> extends ContractBase<S> {
  readonly kind: 'command';
  /** worker tag, e.g. `anaf.efactura.submit`. */
  readonly tag: string;
  /** work queue name `worker.<tag>`. */
  readonly queue: string;
}

/** An event: a fact published by a module or worker, consumed by any number of module API queues. */
export interface EventContract<S extends z.ZodType = z.ZodType> extends ContractBase<S> {
  readonly kind: 'event';
}

/** Any contract. */
export type MessageContract<S extends z.ZodType = z.ZodType> = CommandContract<S> | EventContract<S>;

/** Payload type of a contract, inferred from its zod schema (input side: what a publisher passes). */
export type PayloadInput<C extends MessageContract> = z.input<C['schema']>;
/** Payload type a handler receives (output side of the schema, after defaults/transforms). */
export type Payload<C extends MessageContract> = z.output<C['schema']>;

const TAG = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;

/**
 * Declares a command. Routing key `worker.request.<tag>` on `cetate.commands`, work queue `worker.<tag>`
 * (ARCHITECTURE §3).
 * @param def.tag lower-case dotted tag, e.g. `anaf.efactura.submit`.
 * @param def.version positive integer schema version.
 * @param def.schema zod v4 schema of the payload.
 * @throws Error when the tag or version is malformed.
 */
export function defineCommand<S extends z.ZodType>(def: {
  tag: string;
  version: number;
  schema: S;
  description?: string;
}): CommandContract<S> {
  if (!TAG.test(def.tag)) throw new Error(`command tag "${def.tag}" must be lower-case words joined by . or -`);
  assertVersion(def.version, def.tag);
  return Object.freeze({
    kind: 'command' as const,
    tag: def.tag,
    type: def.tag,
    version: def.version,
    schema: def.schema,
    exchange: COMMANDS_EXCHANGE,
    routingKey: `worker.request.${def.tag}`,
    queue: workQueueName(def.tag),
    ...(def.description ? { description: def.description } : {}),
  });
}

/**
 * Declares an event published on `cetate.events` with routing key `<module>.<aggregate>.<past-tense-event>`
 * (ARCHITECTURE §3), e.g. `invoicing.invoice.efactura-accepted`.
 * @throws Error when the routing key does not have at least three dot-separated words, or the version is bad.
 */
export function defineEvent<S extends z.ZodType>(def: {
  routingKey: string;
  version: number;
  schema: S;
  description?: string;
}): EventContract<S> {
  if (!TAG.test(def.routingKey) || def.routingKey.split('.').length < 3) {
    throw new Error(`event routing key "${def.routingKey}" must look like <module>.<aggregate>.<past-tense-event>`);
  }
  assertVersion(def.version, def.routingKey);
  return Object.freeze({
    kind: 'event' as const,
    type: def.routingKey,
    version: def.version,
    schema: def.schema,
    exchange: EVENTS_EXCHANGE,
    routingKey: def.routingKey,
    ...(def.description ? { description: def.description } : {}),
  });
}

function assertVersion(v: number, type: string): void {
  if (!Number.isInteger(v) || v < 1) throw new Error(`version of ${type} must be a positive integer, got ${v}`);
}

/** Work queue name of a worker tag: `worker.<tag>`. */
export function workQueueName(tag: string): string {
  return `worker.${tag}`;
}
/** Dead-letter queue name of a queue: `<queue>.dlq`. */
export function dlqName(queue: string): string {
  return `${queue}.dlq`;
}
/** Delay queue name of a backoff step: `cetate.retry.<delayMs>`. */
export function delayQueueName(delayMs: number): string {
  return `cetate.retry.${delayMs}`;
}

/** Key identifying a contract version in registries: `<type>@v<version>`. */
export function contractKey(c: { type: string; version: number }): string {
  return `${c.type}@v${c.version}`;
}

/** Converts zod issues to {@link ValidationIssue}s. */
export function toIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/**
 * Validates a payload against its contract.
 * @returns the parsed payload (schema output).
 * @throws MessageValidationError with the zod issues.
 */
export function validatePayload<C extends MessageContract>(contract: C, payload: unknown): Payload<C> {
  const r = contract.schema.safeParse(payload);
  if (!r.success) throw new MessageValidationError(contract.type, toIssues(r.error), 'payload');
  return r.data as Payload<C>;
}

/** AMQP topic pattern match (`*` = exactly one word, `#` = zero or more words). */
export function topicMatches(pattern: string, key: string): boolean {
  const p = pattern.split('.');
  const k = key.split('.');
  const go = (i: number, j: number): boolean => {
    if (i === p.length) return j === k.length;
    if (p[i] === '#') return go(i + 1, j) || (j < k.length && go(i, j + 1));
    if (j === k.length) return false;
    return (p[i] === '*' || p[i] === k[j]) && go(i + 1, j + 1);
  };
  return go(0, 0);
}

/** Headers the broker adds when dead-lettering (`x-death` and friends): removed from every re-published copy. */
export const BROKER_DEATH_HEADERS = ['x-death', 'x-first-death-exchange', 'x-first-death-queue', 'x-first-death-reason', 'x-delivery-count'] as const;
