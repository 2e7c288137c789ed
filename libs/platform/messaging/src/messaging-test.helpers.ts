/** Test-only helpers shared by this package's integration specs (not exported from index.ts). */
import { z } from 'zod';
import { defineCommand, defineEvent } from './contracts.js';
import { declareTopology } from './topology.js';

export const submitV1 = defineCommand({
  tag: 'anaf.efactura.submit',
  version: 1,
  schema: z.object({ invoiceId: z.uuid(), version: z.number().int().positive(), note: z.string().optional() }),
  description: 'upload one invoice version to ANAF',
});
export const inboxSyncV1 = defineCommand({
  tag: 'anaf.efactura.inbox-sync',
  version: 1,
  schema: z.object({ cif: z.string().regex(/^\d{2,10}$/) }),
});
export const acceptedV1 = defineEvent({
  routingKey: 'invoicing.invoice.efactura-accepted',
  version: 1,
  schema: z.object({ invoiceId: z.uuid(), indexIncarcare: z.string() }),
});

/** small delays so the suite stays fast: 150/300/600 ms exponential. */
export function testTopology(maxAttempts = 3) {
  return declareTopology({
    commands: [submitV1, inboxSyncV1],
    events: [acceptedV1],
    retry: { delaysMs: [150, 300, 600], maxAttempts },
    consumers: [{ queueName: 'invoicing-api.events', bindings: ['invoicing.invoice.*'] }],
  });
}

export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export const uuid = () => crypto.randomUUID();
