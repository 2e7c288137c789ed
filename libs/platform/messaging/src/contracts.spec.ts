import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MessageValidationError, buildMessage, defineCommand, defineEvent, retryDelayFor, topicMatches, validatePayload } from './index.js';

const cmd = defineCommand({ tag: 'ocr.extract', version: 2, schema: z.object({ documentId: z.string().min(1) }) });

describe('contracts (pure)', () => {
  it('derives exchange, routing key and queue from the tag', () => {
    expect(cmd).toMatchObject({ kind: 'command', exchange: 'cetate.commands', routingKey: 'worker.request.ocr.extract', queue: 'worker.ocr.extract', version: 2 });
    const ev = defineEvent({ routingKey: 'invoicing.invoice.efactura-accepted', version: 1, schema: z.object({}) });
    expect(ev).toMatchObject({ kind: 'event', exchange: 'cetate.events', type: 'invoicing.invoice.efactura-accepted' });
    expect(() => defineCommand({ tag: 'Bad Tag', version: 1, schema: z.object({}) })).toThrow(/lower-case/);
    expect(() => defineEvent({ routingKey: 'invoice-accepted', version: 1, schema: z.object({}) })).toThrow(/<module>/);
    expect(() => defineCommand({ tag: 'a.b', version: 0, schema: z.object({}) })).toThrow(/positive integer/);
  });

  it('builds v1 headers and refuses invalid payloads and empty metadata', () => {
    const m = buildMessage(cmd, { documentId: 'd1' }, { tenantId: 't', correlationId: 'c', idempotencyKey: 'k', messageId: 'id1' });
    expect(m.headers).toEqual({
      'x-tenant-id': 't',
      'x-correlation-id': 'c',
      'x-idempotency-key': 'k',
      'x-message-type': 'ocr.extract',
      'x-schema-version': 2,
      'x-headers-version': 1,
    });
    expect(() => validatePayload(cmd, { documentId: '' })).toThrow(MessageValidationError);
    expect(() => buildMessage(cmd, { documentId: 'd' }, { tenantId: '', correlationId: 'c', idempotencyKey: 'k' })).toThrow(/tenantId/);
  });

  it('matches AMQP topic patterns and maps attempts to delays', () => {
    expect(topicMatches('invoicing.invoice.*', 'invoicing.invoice.efactura-accepted')).toBe(true);
    expect(topicMatches('invoicing.*', 'invoicing.invoice.efactura-accepted')).toBe(false);
    expect(topicMatches('invoicing.#', 'invoicing.invoice.efactura-accepted')).toBe(true);
    expect(topicMatches('#', 'a')).toBe(true);
    expect(retryDelayFor({ delaysMs: [1000, 5000, 30000], maxAttempts: 5 }, 2)).toBe(1000);
    expect(retryDelayFor({ delaysMs: [1000, 5000, 30000], maxAttempts: 5 }, 5)).toBe(30000);
  });
});
