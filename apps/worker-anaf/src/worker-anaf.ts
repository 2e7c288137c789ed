import { EFACTURA_RETRY, EfacturaEvents, EfacturaSubmitCommand } from '@cetate/invoicing-contracts';
import { validateUbl } from '@cetate/invoicing-domain';
import { AnafClient, InMemoryQuotaLedger, type AnafBreakerOptions } from '@cetate/anaf-client';
import { Consumer, MessagingOutboxInbox1732200000000, NonRetryableError, Outbox, type RetryPolicy } from '@cetate/platform-messaging';
import { createLogger } from '@cetate/platform-observability';
import { runInTenant, TenantNotFoundError, type DatabaseClusters } from '@cetate/platform-tenancy';
import { startInvoicingRuntime } from '@cetate/invoicing-data-access';
import type { TenantStorageOptions } from '@cetate/platform-storage';
import type { SecretStore } from '@cetate/platform-secrets';
import { tenantAnafTokens, type AnafOAuthConfig } from './anaf-token.provider.js';
import { EfacturaSchema1732190100000, SubmissionEntity } from './submission.entity.js';
import { DEFAULT_SUBMIT_CONFIG, SubmitProcessor, type SubmitConfig } from './submit.processor.js';
import type { EventOutbox } from './ports.js';

/**
 * Migrations of the worker's tables in a tenant database (schema `efactura`, plus the outbox). The ANAF
 * tokens are no longer a table (`AnafToken1732190200000` is gone): they live in the secret store, and a
 * database that still has `efactura.anaf_token` is emptied by {@link moveAnafTokensToSecretStore}.
 */
export const WORKER_ANAF_MIGRATIONS = [MessagingOutboxInbox1732200000000, EfacturaSchema1732190100000];
/** Entities of the worker's tables. */
export const WORKER_ANAF_ENTITIES = [SubmissionEntity];

/** Configuration of one `worker-anaf` process (README "Environment variables"). */
export interface WorkerAnafConfig {
  databaseUrl: string;
  platformDatabaseUrl?: string;
  amqpUrl: string;
  storage: TenantStorageOptions;
  /** Servers of the tenant databases by `db_cluster` (main.ts: `DatabaseClusters.fromEnv()`, `PG_CLUSTERS`); default `databaseUrl` alone. */
  clusters?: DatabaseClusters;
  /** Most PostgreSQL connections of the process (main.ts: `PG_MAX_CONNECTIONS`); default 50. */
  pgMaxConnections?: number;
  /** ANAF API base, e.g. `https://api.anaf.ro/test/FCTEL/rest` or the simulator's. */
  anafBaseUrl: string;
  /** ANAF OAuth (client registered in ANAF's portal; the simulator accepts any). */
  anafOAuth: AnafOAuthConfig;
  /** Where each tenant's ANAF OAuth tokens live (`anaf/oauth/default`); owned by the caller (not closed by the worker). */
  secrets: SecretStore;
  /** ANAF HTTP timeout per call, ms (default 30 000). An upload that times out becomes `unknown`. */
  anafTimeoutMs?: number;
  /** Circuit breaker of the ANAF client per endpoint (default: 50 % errors over ≥ 5 calls opens it for 30 s). */
  anafBreaker?: AnafBreakerOptions;
  /** Commands handled at once (AMQP prefetch). Default 4. */
  concurrency?: number;
  retry?: RetryPolicy;
  submit?: Partial<SubmitConfig>;
}

/** A running worker. */
export interface RunningWorkerAnaf {
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
  const retry = cfg.retry ?? EFACTURA_RETRY;
  const rt = await startInvoicingRuntime({
    name: 'worker-anaf',
    databaseUrl: cfg.databaseUrl,
    platformDatabaseUrl: cfg.platformDatabaseUrl,
    clusters: cfg.clusters,
    pgMaxConnections: cfg.pgMaxConnections,
    amqpUrl: cfg.amqpUrl,
    storage: cfg.storage,
    retry,
    entities: WORKER_ANAF_ENTITIES,
    migrations: WORKER_ANAF_MIGRATIONS,
    log,
  });
  const { relay, objects, tenants } = rt;
  try {
    const events: EventOutbox = {
      async enqueue(m, state, payload, meta) {
        await Outbox.enqueue(m, EfacturaEvents[state], payload as never, { ...meta, messageId: `efactura:${meta.idempotencyKey}` });
      },
      kick() {
        void relay.kick();
      },
    };
    const clients = new Map<string, AnafClient>();
    const quota = new InMemoryQuotaLedger();
    const anafFor = (tenant: string): AnafClient => {
      let c = clients.get(tenant);
      if (!c) {
        const tokens = tenantAnafTokens(cfg.anafOAuth, cfg.secrets, tenant);
        c = new AnafClient({
          apiBaseUrl: cfg.anafBaseUrl,
          quota, // every attempt, retries included, counts against ANAF's daily limits
          tokenProvider: tokens.asTokenProvider(),
          timeoutMs: cfg.anafTimeoutMs ?? 30_000,
          ...(cfg.anafBreaker ? { breaker: cfg.anafBreaker } : {}),
        });
        clients.set(tenant, c);
      }
      return c;
    };
    rt.onClose(async () => {
      for (const c of clients.values()) c.shutdown();
    });
    const processor = new SubmitProcessor(
      rt.dataSources,
      objects,
      anafFor,
      events,
      validateUbl,
      log,
      { ...DEFAULT_SUBMIT_CONFIG, ...cfg.submit },
    );
    const consumer = new Consumer(rt.connection, { expect: [EfacturaSubmitCommand] });
    consumer.consume(
      EfacturaSubmitCommand,
      async (payload, ctx) => {
        if (payload.tenant !== ctx.tenantId) {
          throw new NonRetryableError(`x-tenant-id ${ctx.tenantId} does not match the payload's tenant ${payload.tenant}`);
        }
        const tenant = await tenants.bySlug(ctx.tenantId).catch((err: unknown) => {
          throw err instanceof TenantNotFoundError ? new NonRetryableError(err.message, { cause: err }) : err;
        });
        const meta = { idempotencyKey: ctx.idempotencyKey, correlationId: ctx.correlationId };
        await runInTenant(tenant, async () => {
          try {
            await processor.handle(payload, meta);
          } catch (err) {
            // Giving up (non-retryable, or the last attempt of the retry policy): the invoice says so.
            const lastAttempt = ctx.attempt >= retry.maxAttempts;
            if (err instanceof NonRetryableError || lastAttempt) {
              const code = err instanceof NonRetryableError ? err.code : 'MAX_ATTEMPTS_EXCEEDED';
              const reason = lastAttempt && !(err instanceof NonRetryableError) ? `gave up after ${ctx.attempt} attempts: ${(err as Error).message}` : (err as Error).message;
              await processor.fail(payload, meta, code, reason).catch((e) => log.error({ err: e }, 'could not record the failure'));
            }
            throw err;
          }
        });
      },
      { prefetch: cfg.concurrency ?? 4 },
    );
    await consumer.start();
    rt.onClose(() => consumer.stop());
    log.info({ queue: EfacturaSubmitCommand.queue }, 'worker-anaf consuming');
    return { close: () => rt.close() };
  } catch (err) {
    await rt.close();
    throw err;
  }
}
