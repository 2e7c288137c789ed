import { context } from '@opentelemetry/api';
import type { ConfirmChannel, Options } from 'amqplib';
import type { MessageContract, PayloadInput } from './contracts.js';
import type { AmqpConnection } from './connection.js';
import { PublishFailedError } from './errors.js';
import { buildMessage, type OutgoingMessage, type PublishMeta } from './message.js';
import { SpanKind, inSpan, messagingAttributes, tracer } from './tracing.js';

/** Options of {@link Publisher}. */
export interface PublisherOptions {
  /**
   * Bounded wait (ms, default 10 000) for a connection when the broker is away, including the time needed to
   * re-send a message whose confirm was lost with the connection. After it, `PublishFailedError(NOT_CONNECTED)`.
   */
  reconnectWaitMs?: number;
}

/**
 * Publishes contract messages on a confirm channel (ARCHITECTURE §3 "Publishers use confirm channels").
 *
 * `publish` resolves only after the broker confirmed the message (persistent, `mandatory`): a nack or an
 * unroutable return rejects with `PublishFailedError`. When the connection drops before the confirm, the same
 * message (same `message_id`) is sent again after reconnect, so delivery is at-least-once and consumers
 * deduplicate with the inbox.
 */
export class Publisher {
  private channel: ConfirmChannel | undefined;
  private channelGeneration = -1;
  private opening: Promise<ConfirmChannel> | undefined;
  private readonly returned = new Set<string>();
  private readonly reconnectWaitMs: number;

  constructor(
    private readonly connection: AmqpConnection,
    options: PublisherOptions = {},
  ) {
    this.reconnectWaitMs = options.reconnectWaitMs ?? 10_000;
  }

  /**
   * Validates `payload` with the contract's zod schema, then publishes and waits for the broker's confirm.
   * Starts a PRODUCER span `<routingKey> publish` whose context travels in `traceparent`.
   * @returns the AMQP `message_id`.
   * @throws MessageValidationError (nothing sent) when the payload is invalid;
   * PublishFailedError when the broker did not confirm within the bounded reconnect wait.
   */
  async publish<C extends MessageContract>(contract: C, payload: PayloadInput<C>, meta: PublishMeta): Promise<{ messageId: string }> {
    const span = tracer.startSpan(`${contract.routingKey} publish`, {
      kind: SpanKind.PRODUCER,
      attributes: messagingAttributes({
        exchange: contract.exchange,
        routingKey: contract.routingKey,
        messageId: meta.messageId ?? '',
        operation: 'send',
        tenantId: meta.tenantId,
      }),
    });
    const parent = context.active();
    return inSpan(span, parent, async () => {
      const msg = buildMessage(contract, payload, meta); // injects traceparent of `span`
      span.setAttribute('messaging.message.id', msg.messageId);
      await this.publishMessage(msg);
      return { messageId: msg.messageId };
    });
  }

  /**
   * Publishes an already built message (used by the outbox relay) and waits
   * for the confirm, re-sending after a reconnect when the confirm was lost.
   * @throws PublishFailedError on nack, unroutable, or no connection within the bounded wait.
   */
  async publishMessage(msg: OutgoingMessage): Promise<void> {
    const body = Buffer.from(JSON.stringify(msg.payload));
    await this.publishRaw(msg.exchange, msg.routingKey, body, {
      messageId: msg.messageId,
      headers: msg.headers,
      type: String(msg.headers['x-message-type'] ?? ''),
    });
  }

  /**
   * Lowest level: publishes bytes (persistent, mandatory, JSON content type, timestamp) and waits for the confirm.
   * `props.messageId` is required (used to match `mandatory` returns).
   * @throws PublishFailedError as above.
   */
  async publishRaw(exchange: string, routingKey: string, body: Buffer, props: Options.Publish & { messageId: string }): Promise<void> {
    const deadline = Date.now() + this.reconnectWaitMs;
    let lastErr: unknown;
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new PublishFailedError(
          'NOT_CONNECTED',
          `message ${props.messageId} to ${exchange}/${routingKey} not confirmed within ${this.reconnectWaitMs} ms: ${(lastErr as Error)?.message ?? 'no connection'}`,
          { cause: lastErr },
        );
      }
      let ch: ConfirmChannel;
      try {
        ch = await this.getChannel(remaining);
      } catch (err) {
        lastErr = err;
        continue;
      }
      try {
        await this.sendOnce(ch, exchange, routingKey, body, props);
        return;
      } catch (err) {
        if (err instanceof PublishFailedError && err.reason !== 'CLOSED') throw err;
        lastErr = err;
        if (this.channel === ch) this.channel = undefined;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  /** Closes the publisher's channel (the connection stays open). */
  async close(): Promise<void> {
    const ch = this.channel;
    this.channel = undefined;
    if (ch) await ch.close().catch(() => undefined);
  }

  private sendOnce(ch: ConfirmChannel, exchange: string, routingKey: string, body: Buffer, props: Options.Publish & { messageId: string }): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const options: Options.Publish = {
        persistent: true,
        mandatory: true,
        contentType: 'application/json',
        contentEncoding: 'utf-8',
        timestamp: Math.floor(Date.now() / 1000),
        appId: this.connection.name,
        ...props,
      };
      try {
        this.returned.delete(props.messageId);
        ch.publish(exchange, routingKey, body, options, (err: unknown) => {
          if (this.returned.delete(props.messageId)) {
            reject(new PublishFailedError('UNROUTABLE', `no queue is bound for ${exchange}/${routingKey} (message ${props.messageId} returned); is the topology declared?`));
          } else if (err) {
            // amqplib calls back with an error both for a broker nack and when the channel closed first
            const closed = ch !== this.channel || /closed/i.test(String((err as Error)?.message ?? err));
            reject(
              new PublishFailedError(closed ? 'CLOSED' : 'NACK', `broker did not confirm message ${props.messageId}: ${(err as Error)?.message ?? 'nack'}`, { cause: err }),
            );
          } else resolve();
        });
      } catch (err) {
        reject(new PublishFailedError('CLOSED', `channel closed while publishing ${props.messageId}`, { cause: err }));
      }
    });
  }

  private async getChannel(timeoutMs: number): Promise<ConfirmChannel> {
    const { model, generation } = await this.connection.waitForConnection(timeoutMs);
    if (this.channel && this.channelGeneration === generation) return this.channel;
    if (this.opening) return this.opening;
    this.opening = (async () => {
      const ch = await model.createConfirmChannel();
      ch.on('error', () => undefined);
      ch.on('close', () => {
        if (this.channel === ch) this.channel = undefined;
      });
      ch.on('return', (m) => {
        const id = m.properties.messageId;
        if (typeof id === 'string') this.returned.add(id);
      });
      this.channel = ch;
      this.channelGeneration = generation;
      return ch;
    })().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }
}

