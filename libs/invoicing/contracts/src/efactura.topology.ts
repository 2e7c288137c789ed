import { declareTopology, type RetryPolicy, type Topology } from '@cetate/platform-messaging';
import { EFACTURA_EVENT_CONTRACTS, EfacturaSubmitCommand } from './efactura.contracts.js';

/** Queue of `invoicing-api` for the e-Factura events (bound to `invoicing.invoice.*`). */
export const INVOICING_API_EVENTS_QUEUE = 'invoicing-api.events';

/**
 * Retry policy of the e-Factura queues: 1 s, 5 s, 30 s, then every 2 min, 12 attempts in all (~19 min),
 * which covers ANAF's usual processing time and the 10 min reconciliation grace period of an unknown upload.
 */
export const EFACTURA_RETRY: RetryPolicy = { delaysMs: [1000, 5000, 30_000, 120_000], maxAttempts: 12 };

/**
 * The RabbitMQ topology of the e-Factura flow, declared once and asserted by both `invoicing-api` and
 * `worker-anaf` at every (re)connect: work queue `worker.anaf.efactura.submit` (+ DLQ, delay queues)
 * and the API's event queue. `retry` is overridable for tests.
 */
export function efacturaTopology(retry: RetryPolicy = EFACTURA_RETRY): Topology {
  return declareTopology({
    commands: [EfacturaSubmitCommand],
    events: EFACTURA_EVENT_CONTRACTS,
    retry,
    consumers: [{ queueName: INVOICING_API_EVENTS_QUEUE, bindings: ['invoicing.invoice.*'] }],
  });
}
