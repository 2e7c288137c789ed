import { EfacturaEvents, EfacturaSubmitCommand, efacturaTopology } from '@cetate/invoicing-contracts';
import { validateUbl } from '@cetate/invoicing-domain';
import { AnafClient, InMemoryQuotaLedger } from '@cetate/anaf-client';
import {
  AmqpConnection,
  Consumer,
  MessagingOutboxInbox1732200000000,
  NonRetryableError,
  Outbox,
  OutboxRelay,
  Publisher,
  type RetryPolicy,
} from '@cetate/platform-messaging';
import { createLogger } from '@cetate/platform-observability';
import { activeTenantOutboxes, cachedTenantLookup, platformDatabaseUrl, runInTenant, TenantDataSourcePool, TenantRegistry } from '@cetate/platform-tenancy';
import { invoicingObjects } from '@cetate/invoicing-data-access';
import { TenantStorage, type TenantStorageOptions } from '@cetate/platform-storage';
import { AnafToken1732190200000, AnafTokenEntity } from './anaf-token.store.js';
import { tenantAnafTokens, type AnafOAuthConfig } from './anaf-token.provider.js';
import { EfacturaSchema1732190100000, SubmissionEntity } from './submission.entity.js';
import { DEFAULT_SUBMIT_CONFIG, SubmitProcessor, type SubmitConfig } from './submit.processor.js';
import type { AnafApi, EventOutbox } from './ports.js';

/** Migrations of the worker's tables in a tenant database (schema `efactura`, plus the outbox). */
export const WORKER_ANAF_MIGRATIONS = [MessagingOutboxInbox1732200000000, EfacturaSchema1732190100000, AnafToken1732190200000];
/** Entities of the worker's tables. */
export const WORKER_ANAF_ENTITIES = [SubmissionEntity, AnafTokenEntity];

/** Configuration of one `worker-anaf` process (README "Environment variables"). */
export interface WorkerAnafConfig {
  databaseUrl: string;
  platformDatabaseUrl?: string;
  amqpUrl: string;
  storage: TenantStorageOptions;
  /** ANAF API base, e.g. `https://api.anaf.ro/test/FCTEL/rest` or the simulator's. */
  anafBaseUrl: string;
  /** ANAF OAuth (client registered in ANAF's portal; the simulator accepts any). */
  anafOAuth: AnafOAuthConfig;
  /** ANAF HTTP timeout per call, ms (default 30 000). An upload that times out becomes `unknown`. */
  anafTimeoutMs?: number;
  /** Commands handled at once (AMQP prefetch). Default 4. */
  concurrency?: number;
  retry?: RetryPolicy;
  submit?: Partial<SubmitConfig>;
}

/** A running worker. */
export interface RunningWorkerAnaf {
  pool: TenantDataSourcePool;
  /** Stops consuming (waits for in-flight messages), the relay, AMQP and databases. */
  close(): Promise<void>;
}

/**
 * Starts `worker-anaf`: consumes `worker.request.anaf.efactura.submit` (quorum queue
 * `worker.anaf.efactura.submit`, retries via delay queues, DLQ), runs the {@link SubmitProcessor} inside
 * the message's tenant context, and relays its events (`invoicing.invoice.efactura-*`) from the tenant
 * outboxes. One ANAF client per tenant, with that tenant's OAuth tokens.
 */
export async function startWorkerAnaf(cfg: WorkerAnafConfig): Promise<RunningWorkerAnaf> {
  const log = createLogger('worker-anaf');
  const registry = new TenantRegistry({ url: cfg.platformDatabaseUrl ?? platformDatabaseUrl({ DATABASE_URL: cfg.databaseUrl }) });
  const pool = new TenantDataSourcePool({
    baseUrl: cfg.databaseUrl,
    entities: WORKER_ANAF_ENTITIES,
    migrations: WORKER_ANAF_MIGRATIONS,
    maxDataSources: 20,
    poolSizePerDataSource: 5,
  });
  const storage = new TenantStorage(cfg.storage);
  const connection = new AmqpConnection({ url: cfg.amqpUrl, name: 'worker-anaf', topology: efacturaTopology(cfg.retry) });
  const closers: Array<() => Promise<void>> = [];
  try {
    await connection.connect();
    closers.push(() => connection.close());
    closers.push(() => pool.destroy());
    const tenantRecord = cachedTenantLookup(registry);
    const objects = invoicingObjects(storage, tenantRecord);
    const relay = new OutboxRelay({
      publisher: new Publisher(connection),
      pollIntervalMs: 1000,
      dataSources: activeTenantOutboxes(registry, pool),
      onError: (err, tenantId) => log.error({ err, tenant: tenantId }, 'outbox relay pass failed'),
    });
    const events: EventOutbox = {
      async enqueue(m, state, payload, meta) {
        await Outbox.enqueue(m, EfacturaEvents[state], payload as never, { ...meta, messageId: `efactura:${meta.idempotencyKey}` });
      },
      kick() {
        void relay.kick();
      },
    };
    const clients = new Map<string, AnafApi>();
    const quota = new InMemoryQuotaLedger();
    const anafFor = (tenant: string): AnafApi => {
      let c = clients.get(tenant);
      if (!c) {
        const tokens = tenantAnafTokens(cfg.anafOAuth, async () => pool.forTenant(await tenantRecord(tenant)));
        c = new AnafClient({
          apiBaseUrl: cfg.anafBaseUrl,
          quota, // every attempt, retries included, counts against ANAF's daily limits
          tokenProvider: tokens.asTokenProvider(),
          timeoutMs: cfg.anafTimeoutMs ?? 30_000,
        }) as unknown as AnafApi;
        clients.set(tenant, c);
      }
      return c;
    };
    const processor = new SubmitProcessor(
      { forTenant: async (slug) => pool.forTenant(await tenantRecord(slug)) },
      objects,
      anafFor,
      events,
      (xml) => validateUbl(xml),
      log,
      { ...DEFAULT_SUBMIT_CONFIG, ...cfg.submit },
    );
    const consumer = new Consumer(connection, { expect: [EfacturaSubmitCommand] });
    consumer.consume(
      EfacturaSubmitCommand,
      async (payload, ctx) => {
        if (payload.tenant !== ctx.tenantId) {
          throw new NonRetryableError(`x-tenant-id ${ctx.tenantId} does not match the payload's tenant ${payload.tenant}`);
        }
        const t = await tenantRecord(ctx.tenantId);
        const meta = { idempotencyKey: ctx.idempotencyKey, correlationId: ctx.correlationId };
        await runInTenant(t, async () => {
          try {
            await processor.handle(payload, meta);
          } catch (err) {
            if (err instanceof NonRetryableError) {
              await processor.fail(payload, meta, err.code, err.message).catch((e) => log.error({ err: e }, 'could not record the failure'));
            }
            throw err;
          }
        });
      },
      { prefetch: cfg.concurrency ?? 4 },
    );
    await consumer.start();
    closers.push(() => consumer.stop());
    relay.start();
    closers.push(() => relay.stop());
    log.info({ queue: EfacturaSubmitCommand.queue }, 'worker-anaf consuming');
    return {
      pool,
      close: async () => {
        for (const c of closers.reverse()) await c().catch((err) => log.warn({ err }, 'close step failed'));
        await registry.close?.();
      },
    };
  } catch (err) {
    for (const c of closers.reverse()) await c().catch(() => undefined);
    throw err;
  }
}
