import { EfacturaEvents, EfacturaStatusSyncCommand, EfacturaSubmitCommand } from '@cetate/invoicing-contracts';
import { validateUbl } from '@cetate/invoicing-domain';
import { AnafClient, type AnafBreakerOptions, type QuotaEndpoint } from '@cetate/anaf-client';
import { Consumer, Outbox, type RetryPolicy } from '@cetate/platform-messaging';
import { createLogger } from '@cetate/platform-observability';
import { messageTenant, moduleConnection, type ModuleConnectionConfig, withGiveUp } from '@cetate/platform-runtime';
import { runInTenant } from '@cetate/platform-tenancy';
import { EFACTURA_RETRY, INVOICING_ENTITIES, INVOICING_MIGRATIONS, startInvoicingRuntime } from '@cetate/invoicing-data-access';
import {
  DEFAULT_STATUS_SYNC_CONFIG,
  PostgresQuotaLedger,
  StatusSyncFlow,
  StatusSyncScheduler,
  StatusSyncSweeper,
  SubmitFlow,
  tenantAnafTokens,
  type AnafOAuthConfig,
  type EfacturaOutbox,
  type StatusSyncConfig,
} from '@cetate/invoicing-efactura';
import type { SecretStore } from '@cetate/platform-secrets';

/** Configuration of one `worker-anaf` process (README "Environment variables"). */
export interface WorkerAnafConfig extends ModuleConnectionConfig {
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
  /** ANAF quota overrides (default: ANAF's published limits, `DEFAULT_ANAF_QUOTAS`). */
  anafQuotas?: Partial<Record<QuotaEndpoint, number>>;
  /** Submit commands handled at once (AMQP prefetch). Default 4. */
  concurrency?: number;
  /** Status-sync runs handled at once (AMQP prefetch). Default 2. */
  syncConcurrency?: number;
  retry?: RetryPolicy;
  statusSync?: Partial<StatusSyncConfig>;
  /** Sweep of lost status-sync schedules: every tenant once per this period, ms (default 10 min; 0 = off). */
  sweepEveryMs?: number;
}

/** A running worker. */
export interface RunningWorkerAnaf {
  /** Stops consuming (waits for in-flight messages), the sweeper, the relay, AMQP and databases. */
  close(): Promise<void>;
}

/**
 * Starts `worker-anaf`, the wiring of the e-Factura flows of `@cetate/invoicing-efactura`:
 * - `worker.anaf.efactura.submit` → {@link SubmitFlow} (validate, upload, ack at `submitted`);
 * - `worker.anaf.efactura.status-sync` → {@link StatusSyncFlow} (the verdicts of a tenant CIF's outstanding uploads);
 * - the {@link StatusSyncSweeper} safety net, and the outbox relay of the tenant databases (events, scheduled runs).
 * Each message runs inside its tenant's context; one ANAF client per tenant, with that tenant's OAuth tokens and
 * quotas counted in the tenant database (shared by every worker process).
 */
export async function startWorkerAnaf(cfg: WorkerAnafConfig): Promise<RunningWorkerAnaf> {
  const log = createLogger('worker-anaf');
  const retry = cfg.retry ?? EFACTURA_RETRY;
  const rt = await startInvoicingRuntime({
    ...moduleConnection(cfg),
    name: 'worker-anaf',
    retry,
    entities: INVOICING_ENTITIES,
    migrations: INVOICING_MIGRATIONS,
    log,
  });
  const { relay, objects, tenants } = rt;
  try {
    const outbox: EfacturaOutbox = {
      async event(m, state, payload, meta) {
        await Outbox.enqueue(m, EfacturaEvents[state], payload as never, meta);
      },
      async submit(m, payload, meta) {
        await Outbox.enqueue(m, EfacturaSubmitCommand, payload, meta);
      },
      async statusSync(m, payload, meta) {
        await Outbox.enqueue(m, EfacturaStatusSyncCommand, payload, meta);
      },
      kick() {
        void relay.kick();
      },
    };
    const clients = new Map<string, { client: AnafClient; ledger: PostgresQuotaLedger }>();
    const anaf = (tenant: string) => {
      let c = clients.get(tenant);
      if (!c) {
        const ledger = new PostgresQuotaLedger(() => rt.dataSources.forTenant(tenant), cfg.anafQuotas);
        const client = new AnafClient({
          apiBaseUrl: cfg.anafBaseUrl,
          quota: ledger, // every attempt, retries included, counts against ANAF's limits
          tokenProvider: tenantAnafTokens(cfg.anafOAuth, cfg.secrets, tenant).asTokenProvider(),
          timeoutMs: cfg.anafTimeoutMs ?? 30_000,
          ...(cfg.anafBreaker ? { breaker: cfg.anafBreaker } : {}),
        });
        clients.set(tenant, (c = { client, ledger }));
      }
      return c;
    };
    rt.onClose(async () => {
      for (const c of clients.values()) c.client.shutdown();
    });
    const submit = new SubmitFlow(rt.dataSources, objects, (t) => anaf(t).client, outbox, validateUbl, log);
    const sync = new StatusSyncFlow(
      rt.dataSources,
      objects,
      (t) => anaf(t).client,
      outbox,
      log,
      { ...DEFAULT_STATUS_SYNC_CONFIG, ...cfg.statusSync },
      async (t, id) => (await anaf(t).ledger.usedToday('descarcare', id)) > 0,
    );
    /** The message's tenant, checked against the payload's (a mismatch or an unknown tenant goes to the DLQ). */
    const tenantOf = messageTenant(tenants);

    const consumer = new Consumer(rt.connection, { expect: [EfacturaSubmitCommand, EfacturaStatusSyncCommand] });
    consumer.consume(
      EfacturaSubmitCommand,
      async (payload, ctx) => {
        const tenant = await tenantOf(payload.tenant, ctx.tenantId);
        const meta = { idempotencyKey: ctx.idempotencyKey, correlationId: ctx.correlationId };
        // giving up (non-retryable, or the last attempt of the retry policy): the invoice says so
        await runInTenant(tenant, () =>
          withGiveUp(ctx.attempt, retry, () => submit.handle(payload, meta), (code, reason) => submit.fail(payload, meta, code, reason), log),
        );
      },
      { prefetch: cfg.concurrency ?? 4 },
    );
    consumer.consume(
      EfacturaStatusSyncCommand,
      async (payload, ctx) => {
        const tenant = await tenantOf(payload.tenant, ctx.tenantId);
        const r = await runInTenant(tenant, () => sync.handle(payload, { correlationId: ctx.correlationId }));
        if (r.outcome === 'ran') log.info({ tenant: payload.tenant, cif: payload.cif, ...r }, 'e-Factura status sync');
        else log.debug({ tenant: payload.tenant, cif: payload.cif, generation: payload.generation }, 'e-Factura status sync: stale message dropped');
      },
      { prefetch: cfg.syncConcurrency ?? 2 },
    );
    await consumer.start();
    rt.onClose(() => consumer.stop());
    const sweepEveryMs = cfg.sweepEveryMs ?? 600_000;
    if (sweepEveryMs > 0) {
      const sweeper = new StatusSyncSweeper({
        tenants: () => tenants.active(),
        withDataSource: (t, fn) => rt.pool.withDataSource(t, fn),
        scheduler: new StatusSyncScheduler(outbox),
        log,
        sweepEveryMs,
      });
      sweeper.start();
      rt.onClose(() => sweeper.stop());
    }
    log.info({ queues: [EfacturaSubmitCommand.queue, EfacturaStatusSyncCommand.queue] }, 'worker-anaf consuming');
    return { close: () => rt.close() };
  } catch (err) {
    await rt.close();
    throw err;
  }
}
