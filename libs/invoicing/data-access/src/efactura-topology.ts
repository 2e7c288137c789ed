import { declareTopology, type RetryPolicy, type Topology } from '@cetate/platform-messaging';
import { EFACTURA_AUTHORIZATION_EXPIRING_KEY, EfacturaAuthorizationExpiringEvent } from '@cetate/invoicing-contracts';
import { EFACTURA_EVENT_CONTRACTS, EFACTURA_INBOUND_QUEUE, EFACTURA_INBOUND_RECEIVED_KEY, EfacturaInboundReceivedEvent, EfacturaInboxSyncCommand, EfacturaStatusSyncCommand, EfacturaSubmitCommand } from '@cetate/invoicing-contracts';

/** Queue of `invoicing-api` for the e-Factura events (bound to `invoicing.invoice.*` and `invoicing.efactura.authorization-expiring`). */
export const INVOICING_API_EVENTS_QUEUE = 'invoicing-api.events';

/**
 * Retry policy of the e-Factura queues: 1 s, 5 s, 30 s, then every 2 min, 12 attempts in all (~19 min),
 * which covers ANAF's usual processing time and the 10 min reconciliation grace period of an unknown upload.
 */
export const EFACTURA_RETRY: RetryPolicy = { delaysMs: [1000, 5000, 30_000, 120_000], maxAttempts: 12 };

/**
 * Delays (ms) the status sync schedules its next run with (`worker.anaf.efactura.status-sync`): 2 s while an upload is
 * fresh, then 10 s, 1 min and 5 min as the outstanding uploads age (ANAF takes minutes to hours in production).
 */
export const STATUS_SYNC_DELAYS_MS = [2000, 10_000, 60_000, 300_000] as const;

/**
 * The RabbitMQ topology of the e-Factura flow, declared once and asserted by both `invoicing-api` and
 * `worker-anaf` at every (re)connect: work queues `worker.anaf.efactura.submit`, `worker.anaf.efactura.status-sync` and
 * `worker.anaf.efactura.inbox-sync` (issue 10), the inbound event `invoicing.efactura.inbound-received`
 * (+ DLQs, delay queues for retries and for the status sync's schedule)
 * and the API's event queue. `retry` is overridable for tests.
 */
export function efacturaTopology(retry: RetryPolicy = EFACTURA_RETRY): Topology {
  return declareTopology({
    commands: [EfacturaSubmitCommand, EfacturaStatusSyncCommand, EfacturaInboxSyncCommand],
    scheduleDelaysMs: [...STATUS_SYNC_DELAYS_MS],
    events: [...EFACTURA_EVENT_CONTRACTS, EfacturaInboundReceivedEvent, EfacturaAuthorizationExpiringEvent],
    retry,
    consumers: [
      // invoicing-api also takes the ANAF authorisation warnings (issue 10 point 1), so they are never unroutable
      { queueName: INVOICING_API_EVENTS_QUEUE, bindings: ['invoicing.invoice.*', EFACTURA_AUTHORIZATION_EXPIRING_KEY] },
      // the purchases side's queue of received invoices: declared by the publisher too, so nothing is unroutable
      { queueName: EFACTURA_INBOUND_QUEUE, bindings: [EFACTURA_INBOUND_RECEIVED_KEY] },
    ],
  });
}
