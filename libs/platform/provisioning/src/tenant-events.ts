import { z } from 'zod';
import { declareTopology, defineEvent, type Publisher, type RetryPolicy, type Topology } from '@cetate/platform-messaging';

const slug = z.string().regex(/^[a-z][a-z0-9-]{1,30}$/);

/**
 * `platform.tenant.provisioned` v1 (ARCHITECTURE.md §2, last step of the provisioning saga): the tenant's realm,
 * database (migrated), bucket and secrets exist; its status becomes `active` right after. Published with
 * message id `platform.tenant.provisioned:<slug>` (a re-run publishes the same id: consumers deduplicate).
 */
export const TenantProvisionedEvent = defineEvent({
  routingKey: 'platform.tenant.provisioned',
  version: 1,
  description: 'A tenant was provisioned: realm, database with migrations, bucket and secrets exist.',
  schema: z.object({
    slug,
    realm: z.string().min(1),
    cif: z.string().regex(/^\d{2,10}$/),
    dbName: z.string().min(1),
    dbCluster: z.string().min(1),
    bucket: z.string().min(1),
    occurredAt: z.string().datetime(),
  }),
});

/**
 * `platform.tenant.deprovisioned` v1: the tenant's realm, bucket, database and secrets were removed; the registry
 * row goes right after. Message id `platform.tenant.deprovisioned:<slug>`.
 */
export const TenantDeprovisionedEvent = defineEvent({
  routingKey: 'platform.tenant.deprovisioned',
  version: 1,
  description: 'A tenant was deleted: no realm, database, bucket or secret of it is left.',
  schema: z.object({ slug, occurredAt: z.string().datetime() }),
});

/** `platform.tenant.suspended` / `platform.tenant.resumed` v1: status changes operators make. */
export const TenantSuspendedEvent = defineEvent({
  routingKey: 'platform.tenant.suspended',
  version: 1,
  description: 'A tenant was suspended: its tokens are refused (403) until it is resumed.',
  schema: z.object({ slug, occurredAt: z.string().datetime() }),
});
export const TenantResumedEvent = defineEvent({
  routingKey: 'platform.tenant.resumed',
  version: 1,
  description: 'A suspended tenant was resumed.',
  schema: z.object({ slug, occurredAt: z.string().datetime() }),
});

/** Every tenant lifecycle event. */
export const TENANT_EVENTS = [TenantProvisionedEvent, TenantDeprovisionedEvent, TenantSuspendedEvent, TenantResumedEvent];

/** Queue of `platform-api` for the tenant lifecycle events (drops its cached realm → tenant answers). */
export const PLATFORM_API_EVENTS_QUEUE = 'platform-api.events';

/** Retry policy of the platform queues. */
export const PLATFORM_RETRY: RetryPolicy = { delaysMs: [1000, 5000, 30_000], maxAttempts: 5 };

/**
 * Topology of the platform's tenant events: the events on `cetate.events` and the consumer queue
 * `platform-api.events` bound to `platform.tenant.*` (publishing is `mandatory`: an event needs a bound queue).
 */
export function platformTopology(retry: RetryPolicy = PLATFORM_RETRY): Topology {
  return declareTopology({
    commands: [],
    events: TENANT_EVENTS,
    retry,
    consumers: [{ queueName: PLATFORM_API_EVENTS_QUEUE, bindings: ['platform.tenant.*'] }],
  });
}

/** The saga's view of publishing tenant events. */
export interface TenantEventPublisher {
  /** Publishes and waits for the broker's confirm. */
  provisioned(t: { slug: string; realm: string; cif: string; dbName: string; dbCluster: string; bucket: string }): Promise<void>;
  deprovisioned(slug: string): Promise<void>;
  suspended(slug: string): Promise<void>;
  resumed(slug: string): Promise<void>;
}

/** {@link TenantEventPublisher} over a confirm-channel {@link Publisher}; `x-tenant-id` is the tenant's slug. */
export function amqpTenantEvents(publisher: Publisher): TenantEventPublisher {
  const meta = (slug: string, kind: string) => ({
    tenantId: slug,
    messageId: `platform.tenant.${kind}:${slug}`,
    idempotencyKey: `platform.tenant.${kind}:${slug}`,
    correlationId: `tenant:${slug}`,
  });
  const now = () => new Date().toISOString();
  return {
    async provisioned(t) {
      await publisher.publish(TenantProvisionedEvent, { ...t, occurredAt: now() }, meta(t.slug, 'provisioned'));
    },
    async deprovisioned(slug) {
      await publisher.publish(TenantDeprovisionedEvent, { slug, occurredAt: now() }, meta(slug, 'deprovisioned'));
    },
    async suspended(slug) {
      await publisher.publish(TenantSuspendedEvent, { slug, occurredAt: now() }, { ...meta(slug, 'suspended'), messageId: `platform.tenant.suspended:${slug}:${Date.now()}` });
    },
    async resumed(slug) {
      await publisher.publish(TenantResumedEvent, { slug, occurredAt: now() }, { ...meta(slug, 'resumed'), messageId: `platform.tenant.resumed:${slug}:${Date.now()}` });
    },
  };
}
