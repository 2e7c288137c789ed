import type { ConfirmChannel, GetMessage } from 'amqplib';
import { BROKER_DEATH_HEADERS, Header, RETRY_EXCHANGE, dlqName } from './contracts.js';
import type { AmqpConnection } from './connection.js';
import { copyProperties } from './message.js';
import { PublishFailedError } from './errors.js';
import { resolveQueue } from './topology.js';

/** A dead-lettered message as shown by the DLQ tools. */
export interface DlqMessage {
  /** AMQP `message_id`. */
  messageId: string;
  messageType?: string;
  schemaVersion?: number;
  tenantId?: string;
  correlationId?: string;
  /** attempt during which it was dead-lettered. */
  attempt?: number;
  /** `x-error-code`, e.g. `MESSAGE_VALIDATION_FAILED`, `NON_RETRYABLE`, `MAX_ATTEMPTS_EXCEEDED`. */
  errorCode?: string;
  errorMessage?: string;
  /** ISO time of dead-lettering (`x-dead-lettered-at`). */
  deadLetteredAt?: string;
  /** queue it came from. */
  queue: string;
  /** parsed JSON payload, or the raw text when it is not JSON. */
  payload: unknown;
  /** all AMQP headers. */
  headers: Record<string, unknown>;
}

/** Result of {@link replayDlq}. */
export interface ReplayResult {
  /** message ids moved back to the work queue, in DLQ order. */
  replayed: string[];
  /** messages left in the DLQ. */
  remaining: number;
  /** requested ids not found in the DLQ. */
  notFound: string[];
}

const WAIT_MS = 15_000;

/**
 * Lists the DLQ of a worker tag (`anaf.efactura.submit` → `worker.anaf.efactura.submit.dlq`) or of a queue name,
 * without losing or reordering anything: takes EVERY message (unacked), re-publishes copies to the DLQ in the
 * same order with confirms, then acks the originals (a nack/requeue would bump quorum delivery counts). The
 * whole DLQ is always cycled, whatever `limit`: taking only its head and re-publishing it behind the rest would
 * rotate the queue. (Messages dead-lettered while the listing runs may end up ahead of the copies.)
 * @param options.limit how many messages to return, from the head (default 10 000); the DLQ is read whole.
 * @throws ConnectionUnavailableError without connection; PublishFailedError if a copy is not confirmed (then the
 * originals are released unacked, so nothing is lost).
 */
export async function listDlq(conn: AmqpConnection, queueTag: string, options: { limit?: number } = {}): Promise<DlqMessage[]> {
  const queue = resolveQueue(queueTag, conn.topology);
  const result = await drainDlq(conn, queue, () => false);
  return result.kept.slice(0, Math.max(0, options.limit ?? 10_000)).map((m) => toDlqMessage(m, queue));
}

/**
 * Moves DLQ messages back to their work queue (through `cetate.retry` by queue name), resetting `x-attempt` to 1
 * and removing the error headers (`x-replayed-at` is added). Others stay in the DLQ in order.
 * @param options.messageIds replay only these; `options.all` replays everything. One of them is required.
 * @throws Error when neither is given; ConnectionUnavailableError / PublishFailedError as {@link listDlq}.
 */
export async function replayDlq(
  conn: AmqpConnection,
  queueTag: string,
  options: { messageIds?: string[]; all?: boolean },
): Promise<ReplayResult> {
  if (!options.all && !(options.messageIds && options.messageIds.length > 0)) {
    throw new Error('replayDlq needs { all: true } or a non-empty messageIds list');
  }
  const queue = resolveQueue(queueTag, conn.topology);
  const wanted = new Set(options.messageIds ?? []);
  const result = await drainDlq(conn, queue, (m) => options.all === true || wanted.has(String(m.properties.messageId)));
  const replayedIds = result.moved.map((m) => String(m.properties.messageId));
  return {
    replayed: replayedIds,
    remaining: result.kept.length,
    notFound: [...wanted].filter((id) => !replayedIds.includes(id)),
  };
}

/**
 * Takes the whole DLQ of `queue` (unacked, in order), sends `move`d messages back to `queue` and copies of the
 * others to the DLQ tail in their order, then acks the originals once every copy is confirmed. Reading the
 * whole queue is what keeps the order: a partial take would put the taken head behind the untaken rest.
 */
async function drainDlq(
  conn: AmqpConnection,
  queue: string,
  move: (m: GetMessage) => boolean,
): Promise<{ kept: GetMessage[]; moved: GetMessage[] }> {
  const { model } = await conn.waitForConnection(WAIT_MS);
  const ch = await model.createConfirmChannel();
  ch.on('error', () => undefined);
  let unroutable = 0;
  ch.on('return', () => unroutable++);
  const dlq = dlqName(queue);
  const taken: GetMessage[] = [];
  try {
    for (;;) {
      const m = await ch.get(dlq, { noAck: false });
      if (!m) break;
      taken.push(m);
    }
    const kept: GetMessage[] = [];
    const moved: GetMessage[] = [];
    for (const m of taken) {
      if (move(m)) {
        const headers: Record<string, unknown> = { ...(m.properties.headers ?? {}) };
        for (const h of [Header.errorCode, Header.errorMessage, Header.deadLetteredAt, 'x-last-error-code', 'x-last-error-message', ...BROKER_DEATH_HEADERS]) {
          delete headers[h];
        }
        headers[Header.attempt] = 1;
        headers['x-replayed-at'] = new Date().toISOString();
        sendCopy(ch, RETRY_EXCHANGE, queue, m, headers);
        moved.push(m);
      } else {
        sendCopy(ch, '', dlq, m, m.properties.headers ?? {});
        kept.push(m);
      }
    }
    try {
      await ch.waitForConfirms();
    } catch (err) {
      throw new PublishFailedError('NACK', `DLQ tool: broker did not confirm the copies of ${dlq}; originals left in place`, { cause: err });
    }
    if (unroutable > 0) {
      throw new PublishFailedError('UNROUTABLE', `DLQ tool: ${unroutable} copies were unroutable (is ${queue} bound to ${RETRY_EXCHANGE}?); originals left in place`);
    }
    for (const m of taken) ch.ack(m);
    await ch.close();
    return { kept, moved };
  } catch (err) {
    await ch.close().catch(() => undefined); // unacked originals return to the DLQ
    throw err;
  }
}

function sendCopy(ch: ConfirmChannel, exchange: string, routingKey: string, m: GetMessage, headers: Record<string, unknown>): void {
  ch.publish(exchange, routingKey, m.content, copyProperties(m.properties, headers));
}

function toDlqMessage(m: GetMessage, queue: string): DlqMessage {
  const h = (m.properties.headers ?? {}) as Record<string, unknown>;
  const str = (k: string) => (h[k] === undefined || h[k] === null ? undefined : String(h[k]));
  const num = (k: string) => (h[k] === undefined ? undefined : Number(h[k]));
  const text = m.content.toString('utf8');
  let payload: unknown = text;
  try {
    payload = JSON.parse(text);
  } catch {
    /* keep text */
  }
  return {
    messageId: String(m.properties.messageId ?? ''),
    messageType: str(Header.messageType),
    schemaVersion: num(Header.schemaVersion),
    tenantId: str(Header.tenantId),
    correlationId: str(Header.correlationId),
    attempt: num(Header.attempt),
    errorCode: str(Header.errorCode),
    errorMessage: str(Header.errorMessage),
    deadLetteredAt: str(Header.deadLetteredAt),
    queue,
    payload,
    headers: h,
  };
}
