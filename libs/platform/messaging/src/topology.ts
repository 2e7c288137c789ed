import type { Channel } from 'amqplib';
import {
  COMMANDS_EXCHANGE,
  DELAY_EXCHANGE,
  DLX_EXCHANGE,
  EVENTS_EXCHANGE,
  Header,
  RETRY_EXCHANGE,
  delayQueueName,
  dlqName,
  workQueueName,
  type CommandContract,
  type EventContract,
} from './contracts.js';
import { TopologyError } from './errors.js';

/** Retry policy of every work and consumer queue. */
export interface RetryPolicy {
  /**
   * Backoff before attempt 2, 3, ... in milliseconds, e.g. `[1000, 5000, 30000]` (exponential). Attempt n+1
   * waits `delaysMs[min(n-1, len-1)]`, so the last delay repeats when `maxAttempts - 1 > delaysMs.length`.
   */
  delaysMs: number[];
  /** total attempts including the first delivery; after the last failed one the message goes to the DLQ. */
  maxAttempts: number;
}

/** An event consumer queue of a module API, e.g. `invoicing-api.events` bound to `invoicing.invoice.*`. */
export interface ConsumerQueueDeclaration {
  /** queue name, conventionally `<app>.events`. */
  queueName: string;
  /** topic binding patterns on `cetate.events` (`invoicing.invoice.*`, `platform.tenant.provisioned`). */
  bindings: string[];
}

/** The single declaration every process passes to `declareTopology`. */
export interface TopologyDeclaration {
  commands: CommandContract[];
  events: EventContract[];
  retry: RetryPolicy;
  consumers?: ConsumerQueueDeclaration[];
  /**
   * Delays (ms) that commands may be scheduled with (`PublishMeta.delayMs`), e.g. the e-Factura status sync's
   * intervals; declared as delay queues next to the retry delays.
   */
  scheduleDelaysMs?: number[];
  /**
   * Broker-side safety net (quorum `x-delivery-limit`): a message redelivered more often than this (process
   * crashed before ack, again and again) is dead-lettered by the broker. Default 20.
   */
  deliveryLimit?: number;
}

/** One queue of the topology with its arguments. */
export interface QueueSpec {
  name: string;
  arguments: Record<string, unknown>;
  /** role, for docs and the DLQ tools. */
  role: 'work' | 'consumer' | 'dlq' | 'delay';
}

/** Normalised, validated topology: a value (no I/O), asserted by {@link assertTopology}. */
export interface Topology {
  readonly declaration: TopologyDeclaration;
  readonly retry: RetryPolicy;
  /** every queue with its exact arguments (same at every start, so re-declaring is idempotent). */
  readonly queues: QueueSpec[];
  /** distinct delay steps (ms): retry delays and schedule delays. */
  readonly delays: number[];
  /** every command by tag (all versions). */
  readonly commandsByTag: Map<string, CommandContract[]>;
  /** names of the queues a consumer can attach to (work queues and event consumer queues). */
  readonly consumableQueues: string[];
}

/**
 * Builds the topology from ONE declaration (ARCHITECTURE §3; amqp-contract habit). Pure: asserting happens
 * in {@link assertTopology}, which `AmqpConnection` runs at every (re)connect.
 *
 * Layout:
 * - topic exchanges `cetate.commands`, `cetate.events`; direct exchanges `cetate.dlx`, `cetate.retry`;
 *   headers exchange `cetate.delay`;
 * - per command tag: durable quorum queue `worker.<tag>` bound to `worker.request.<tag>` on `cetate.commands`
 *   and to `worker.<tag>` on `cetate.retry`; DLQ `worker.<tag>.dlq` bound to `worker.<tag>` on `cetate.dlx`;
 * - per event consumer: the same shape with the declared topic bindings on `cetate.events`;
 * - per delay: quorum queue `cetate.retry.<ms>` with `x-message-ttl = ms`, bound on `cetate.delay` by header
 *   `retry-delay-ms = "<ms>"`, dead-lettering (at-least-once) to `cetate.retry` with the message's own
 *   routing key, which the consumer set to the origin queue name.
 * @throws TopologyError on an empty/invalid retry policy or a consumer queue clashing with a work queue.
 */
export function declareTopology(declaration: TopologyDeclaration): Topology {
  const { retry } = declaration;
  if (!Number.isInteger(retry.maxAttempts) || retry.maxAttempts < 1) {
    throw new TopologyError(`retry.maxAttempts must be a positive integer, got ${retry.maxAttempts}`);
  }
  if (retry.maxAttempts > 1 && retry.delaysMs.length === 0) {
    throw new TopologyError('retry.delaysMs must list at least one delay when maxAttempts > 1');
  }
  for (const d of [...retry.delaysMs, ...(declaration.scheduleDelaysMs ?? [])]) {
    if (!Number.isInteger(d) || d <= 0) throw new TopologyError(`retry or schedule delay must be a positive integer (ms), got ${d}`);
  }
  const deliveryLimit = declaration.deliveryLimit ?? 20;
  const commandsByTag = new Map<string, CommandContract[]>();
  for (const c of declaration.commands) {
    const list = commandsByTag.get(c.tag) ?? [];
    if (list.some((x) => x.version === c.version)) throw new TopologyError(`command ${c.tag} v${c.version} declared twice`);
    list.push(c);
    commandsByTag.set(c.tag, list);
  }
  const workArgs = (queue: string): Record<string, unknown> => ({
    'x-queue-type': 'quorum',
    'x-dead-letter-exchange': DLX_EXCHANGE,
    'x-dead-letter-routing-key': queue,
    'x-dead-letter-strategy': 'at-least-once',
    'x-overflow': 'reject-publish',
    'x-delivery-limit': deliveryLimit,
  });
  const queues: QueueSpec[] = [];
  const consumable: string[] = [];
  for (const tag of commandsByTag.keys()) {
    const q = workQueueName(tag);
    consumable.push(q);
    queues.push({ name: q, arguments: workArgs(q), role: 'work' });
    queues.push({ name: dlqName(q), arguments: { 'x-queue-type': 'quorum' }, role: 'dlq' });
  }
  for (const c of declaration.consumers ?? []) {
    if (consumable.includes(c.queueName)) throw new TopologyError(`consumer queue ${c.queueName} declared twice`);
    if (c.bindings.length === 0) throw new TopologyError(`consumer queue ${c.queueName} has no bindings`);
    consumable.push(c.queueName);
    queues.push({ name: c.queueName, arguments: workArgs(c.queueName), role: 'consumer' });
    queues.push({ name: dlqName(c.queueName), arguments: { 'x-queue-type': 'quorum' }, role: 'dlq' });
  }
  const delays = [...new Set([...retry.delaysMs, ...(declaration.scheduleDelaysMs ?? [])])].sort((a, b) => a - b);
  for (const d of delays) {
    queues.push({
      name: delayQueueName(d),
      arguments: {
        'x-queue-type': 'quorum',
        'x-message-ttl': d,
        'x-dead-letter-exchange': RETRY_EXCHANGE,
        'x-dead-letter-strategy': 'at-least-once',
        'x-overflow': 'reject-publish',
      },
      role: 'delay',
    });
  }
  return { declaration, retry, queues, delays, commandsByTag, consumableQueues: consumable };
}

/**
 * Delay (ms) before attempt `nextAttempt` (2 = first retry) under `policy`.
 * Source: the declaration's `delaysMs`, last value repeated.
 */
export function retryDelayFor(policy: RetryPolicy, nextAttempt: number): number {
  const i = Math.min(Math.max(nextAttempt - 2, 0), policy.delaysMs.length - 1);
  return policy.delaysMs[i]!;
}

/**
 * Asserts every exchange, queue and binding of `topology` on `channel`. Idempotent: safe at every start and
 * reconnect (same names, same arguments).
 * @throws TopologyError when the broker refuses (e.g. PRECONDITION_FAILED: a queue exists with other
 * arguments; delete it or migrate it); the channel is closed by the broker in that case.
 */
export async function assertTopology(channel: Channel, topology: Topology): Promise<void> {
  try {
    await channel.assertExchange(COMMANDS_EXCHANGE, 'topic', { durable: true });
    await channel.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
    await channel.assertExchange(DLX_EXCHANGE, 'direct', { durable: true });
    await channel.assertExchange(RETRY_EXCHANGE, 'direct', { durable: true });
    await channel.assertExchange(DELAY_EXCHANGE, 'headers', { durable: true });
    for (const q of topology.queues) {
      await channel.assertQueue(q.name, { durable: true, arguments: q.arguments });
    }
    for (const [tag] of topology.commandsByTag) {
      const q = workQueueName(tag);
      await channel.bindQueue(q, COMMANDS_EXCHANGE, `worker.request.${tag}`);
      await channel.bindQueue(q, RETRY_EXCHANGE, q);
      await channel.bindQueue(dlqName(q), DLX_EXCHANGE, q);
    }
    for (const c of topology.declaration.consumers ?? []) {
      for (const b of c.bindings) await channel.bindQueue(c.queueName, EVENTS_EXCHANGE, b);
      await channel.bindQueue(c.queueName, RETRY_EXCHANGE, c.queueName);
      await channel.bindQueue(dlqName(c.queueName), DLX_EXCHANGE, c.queueName);
    }
    for (const d of topology.delays) {
      await channel.bindQueue(delayQueueName(d), DELAY_EXCHANGE, '', { 'x-match': 'all', [Header.retryDelayMs]: String(d) });
    }
  } catch (err) {
    throw new TopologyError(`asserting the RabbitMQ topology failed: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Resolves a DLQ tool argument to a queue name: a consumer queue name (`invoicing-api.events`) or a work queue
 * name (`worker.<tag>`) is used as is; otherwise it is a worker tag (`anaf.efactura.submit` → `worker.anaf.efactura.submit`).
 */
export function resolveQueue(tagOrQueue: string, topology?: Topology): string {
  if (topology?.consumableQueues.includes(tagOrQueue)) return tagOrQueue;
  if (tagOrQueue.startsWith('worker.')) return tagOrQueue;
  return workQueueName(tagOrQueue);
}
