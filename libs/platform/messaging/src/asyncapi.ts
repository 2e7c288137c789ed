import { z } from 'zod';
import { EVENTS_EXCHANGE, contractKey, messageHeadersSchemaV1, topicMatches, type MessageContract } from './contracts.js';
import type { Topology } from './topology.js';

/** Minimal typing of the generated AsyncAPI 3.0 document (JSON). */
export interface AsyncApiDocument {
  asyncapi: '3.0.0';
  info: { title: string; version: string; description?: string };
  defaultContentType: 'application/json';
  channels: Record<string, unknown>;
  operations: Record<string, unknown>;
  components: { messages: Record<string, unknown>; schemas: Record<string, unknown> };
}

const safeId = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');

/**
 * Generates an AsyncAPI 3.0.0 document (https://www.asyncapi.com/docs/reference/specification/v3.0.0) from the
 * topology declaration, amqp-contract style: one channel per routing key (AMQP channel binding 0.3.0 with the
 * exchange, or the work queue for commands), one message per contract version with its payload schema converted
 * by zod v4 `z.toJSONSchema`, the shared v1 headers schema, and a `send` operation per contract plus a `receive`
 * operation per consumed queue.
 * @param options.title / options.version document info (defaults `Cetate messaging`, `1.0.0`).
 */
export function asyncApiDocument(topology: Topology, options: { title?: string; version?: string } = {}): AsyncApiDocument {
  const messages: Record<string, unknown> = {};
  const channels: Record<string, Record<string, unknown>> = {};
  const operations: Record<string, unknown> = {};
  const headersSchema = z.toJSONSchema(messageHeadersSchemaV1, { io: 'input', unrepresentable: 'any' });
  const contracts: MessageContract[] = [...topology.declaration.commands, ...topology.declaration.events];

  for (const c of contracts) {
    const msgId = safeId(contractKey(c));
    messages[msgId] = {
      name: c.type,
      title: `${c.type} v${c.version}`,
      ...(c.description ? { summary: c.description } : {}),
      contentType: 'application/json',
      headers: { $ref: '#/components/schemas/MessageHeadersV1' },
      payload: z.toJSONSchema(c.schema, { io: 'input', unrepresentable: 'any' }),
      bindings: { amqp: { deliveryMode: 2, bindingVersion: '0.3.0' } },
      'x-schema-version': c.version,
      'x-kind': c.kind,
    };
    const chId = safeId(c.routingKey);
    const ch =
      channels[chId] ??
      (channels[chId] = {
        address: c.routingKey,
        messages: {},
        bindings: {
          amqp: {
            is: 'routingKey',
            exchange: { name: c.exchange, type: 'topic', durable: true, autoDelete: false, vhost: '/' },
            bindingVersion: '0.3.0',
          },
        },
      });
    (ch.messages as Record<string, unknown>)[msgId] = { $ref: `#/components/messages/${msgId}` };
    operations[`send.${msgId}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${chId}` },
      messages: [{ $ref: `#/channels/${chId}/messages/${msgId}` }],
      summary: `publish ${c.type} v${c.version} to ${c.exchange}`,
    };
  }

  for (const [tag, versions] of topology.commandsByTag) {
    const q = versions[0]!.queue;
    const chId = safeId(`queue.${q}`);
    channels[chId] = {
      address: q,
      messages: Object.fromEntries(versions.map((v) => [safeId(contractKey(v)), { $ref: `#/components/messages/${safeId(contractKey(v))}` }])),
      bindings: { amqp: { is: 'queue', queue: { name: q, durable: true, exclusive: false, autoDelete: false, vhost: '/' }, bindingVersion: '0.3.0' } },
      description: `quorum work queue of worker tag ${tag}; DLQ ${q}.dlq; retries via cetate.retry.<ms>`,
    };
    operations[`receive.${safeId(q)}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${chId}` },
      messages: versions.map((v) => ({ $ref: `#/channels/${chId}/messages/${safeId(contractKey(v))}` })),
    };
  }
  for (const cq of topology.declaration.consumers ?? []) {
    const chId = safeId(`queue.${cq.queueName}`);
    const bound = topology.declaration.events.filter((e) => cq.bindings.some((b) => topicMatches(b, e.routingKey)));
    channels[chId] = {
      address: cq.queueName,
      messages: Object.fromEntries(bound.map((v) => [safeId(contractKey(v)), { $ref: `#/components/messages/${safeId(contractKey(v))}` }])),
      bindings: { amqp: { is: 'queue', queue: { name: cq.queueName, durable: true, exclusive: false, autoDelete: false, vhost: '/' }, bindingVersion: '0.3.0' } },
      description: `event consumer queue bound to ${cq.bindings.join(', ')} on ${EVENTS_EXCHANGE}`,
    };
    operations[`receive.${safeId(cq.queueName)}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${chId}` },
      messages: bound.map((v) => ({ $ref: `#/channels/${chId}/messages/${safeId(contractKey(v))}` })),
    };
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: options.title ?? 'Cetate messaging',
      version: options.version ?? '1.0.0',
      description: `Generated from the topology declaration. Retry: delays ${topology.retry.delaysMs.join('/')} ms, max ${topology.retry.maxAttempts} attempts.`,
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { messages, schemas: { MessageHeadersV1: headersSchema } },
  };
}

