import {
  EfacturaEvents,
  EfacturaInboundReceivedEvent,
  EfacturaInboxSyncCommand,
  EfacturaStatusSyncCommand,
  EfacturaSubmitCommand,
  type SupplierCheck,
} from '@cetate/invoicing-contracts';
import { validateUbl } from '@cetate/invoicing-domain';
import { AnafClient, type AnafBreakerOptions, type QuotaEndpoint } from '@cetate/anaf-client';
import { Consumer, Outbox, type RetryPolicy } from '@cetate/platform-messaging';
import { createLogger } from '@cetate/platform-observability';
import { messageTenant, moduleConnection, type ModuleConnectionConfig, withGiveUp } from '@cetate/platform-runtime';
import { runInTenant } from '@cetate/platform-tenancy';
import { EFACTURA_RETRY, INVOICING_ENTITIES, INVOICING_MIGRATIONS, startInvoicingRuntime } from '@cetate/invoicing-data-access';
import {
  AnafAuthorizationService,
  companyAnafTokens,
  DEFAULT_INBOX_SYNC_EVERY_MS,
  DEFAULT_STATUS_SYNC_CONFIG,
  InboxSyncFlow,
  InboxSyncRequests,
  InboxSyncSchedule,
  PostgresQuotaLedger,
  StatusSyncFlow,
  StatusSyncScheduler,
  StatusSyncSweeper,
  SubmitFlow,
  tenantAnafTokens,
  type AnafOAuthConfig,
  type EfacturaOutbox,
  type InboxCompanyGate,
  type InboxSyncConfig,
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
  /** Scheduled inbox sync of every authorised company, ms (default 15 min; 0 = only when asked). */
  inboxSyncEveryMs?: number;
  /** Inbox-sync runs handled at once (AMQP prefetch). Default 2. */
  inboxConcurrency?: number;
  inboxSync?: Partial<InboxSyncConfig>;
  /**
   * PEM certificates the signature of a downloaded ZIP must be made with (production: the Ministry of Finance's; the
   * simulator's `certificatePem` in tests). Absent: the signature is checked with the certificate it carries.
   */
  anafTrustedCertificates?: string[];
  /** Taxpayer check of a received invoice's supplier (PlatitorTvaRest v9 through the cached lookup); absent: none. */
  supplierCheck?: ((cui: string, issueDate: string) => Promise<SupplierCheck | null>) & { warm?: (cuis: string[]) => Promise<void> };
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
 * - `worker.anaf.efactura.inbox-sync` → {@link InboxSyncFlow} (issue 10: a company's SPV inbox read, each supplier
 *   invoice archived and handed to purchases once), with its schedule ({@link InboxSyncSchedule}, every authorised
 *   company of every active tenant each `inboxSyncEveryMs`) and the ANAF authorisation checks of each run;
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
    const ledgerOf = (tenant: string) => new PostgresQuotaLedger(() => rt.dataSources.forTenant(tenant), cfg.anafQuotas);
    const anaf = (tenant: string) => {
      let c = clients.get(tenant);
      if (!c) {
        const ledger = new PostgresQuotaLedger(() => rt.dataSources.forTenant(tenant), cfg.anafQuotas);
        const client = new AnafClient({
          apiBaseUrl: cfg.anafBaseUrl,
          quota: ledger, // every attempt, retries included, counts against ANAF's limits
          // refreshes locked across processes in the tenant database (issue 10: a rotated refresh token is never reused)
          tokenProvider: tenantAnafTokens(cfg.anafOAuth, cfg.secrets, tenant, (fn) => rt.dataSources.withDataSource(tenant, fn)).asTokenProvider(),
          timeoutMs: cfg.anafTimeoutMs ?? 30_000,
          ...(cfg.anafBreaker ? { breaker: cfg.anafBreaker } : {}),
        });
        clients.set(tenant, (c = { client, ledger }));
      }
      return c;
    };
    /** One ANAF client per tenant company (inbox sync): that company's tokens (`companyAnafTokens`), the tenant's quotas. */
    const companyClients = new Map<string, AnafClient>();
    const tenantCifs = new Map<string, string>(); // slug → own CIF, filled from the registry by each inbox-sync message
    const tenantCif = (slug: string) => {
      const cif = tenantCifs.get(slug);
      if (cif === undefined) throw new Error(`tenant ${slug} not resolved before its ANAF client`);
      return cif;
    };
    const anafForCompany = (tenant: string, cif: string) => {
      const key = `${tenant}/${cif}`;
      let c = companyClients.get(key);
      if (!c) {
        const tokens = companyAnafTokens(cfg.anafOAuth, cfg.secrets, { slug: tenant, cif: tenantCif(tenant) }, cif, (fn) => rt.dataSources.withDataSource(tenant, fn));
        c = new AnafClient({
          apiBaseUrl: cfg.anafBaseUrl,
          quota: ledgerOf(tenant),
          tokenProvider: tokens.asTokenProvider(),
          timeoutMs: cfg.anafTimeoutMs ?? 30_000,
          ...(cfg.anafBreaker ? { breaker: cfg.anafBreaker } : {}),
        });
        companyClients.set(key, c);
      }
      return c;
    };
    rt.onClose(async () => {
      for (const c of clients.values()) c.client.shutdown();
      for (const c of companyClients.values()) c.shutdown();
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

    // ---- inbound (issue 10): the inbox sync of each authorised company, and its schedule ----
    const authorizations = new AnafAuthorizationService({
      oauth: cfg.anafOAuth,
      secrets: cfg.secrets,
      dataSources: rt.dataSources,
      tenantBySlug: (slug) => tenants.bySlug(slug),
      kick: () => void relay.kick(),
    });
    const companyGate: InboxCompanyGate = {
      async check(tenant, cif) {
        // list() runs the expiry check first: the 30-day warning is raised by the runs too, not only by the API;
        // a company refused, revoked, expired or never authorised is not asked of ANAF again until a person authorises it
        const company = (await authorizations.list(await tenants.bySlug(tenant))).find((c) => c.cif === cif);
        if (!company) return { ok: false, reason: `ANAF_COMPANY_NOT_FOUND: ${cif} is not a company of tenant ${tenant}` };
        if (company.status !== 'authorized' && company.status !== 'expiring') {
          return { ok: false, reason: `ANAF_COMPANY_NOT_AUTHORISED: company ${cif} is ${company.status}${company.refusedReason ? ` (${company.refusedReason})` : ''}: a tenant admin must authorise it again` };
        }
        return { ok: true };
      },
      async refused(tenant, cif, _ds, reason) {
        await authorizations.markRefused(await tenants.bySlug(tenant), cif, reason);
      },
    };
    const inbox = new InboxSyncFlow(
      rt.dataSources,
      objects,
      anafForCompany,
      {
        async inboundReceived(m, payload, meta) {
          await Outbox.enqueue(m, EfacturaInboundReceivedEvent, payload, meta);
        },
        kick: () => void relay.kick(),
      },
      log,
      {
        cfg: cfg.inboxSync,
        companies: companyGate,
        ...(cfg.anafTrustedCertificates ? { trustedCertificates: cfg.anafTrustedCertificates } : {}),
        ...(cfg.supplierCheck ? { supplierCheck: cfg.supplierCheck } : {}),
      },
    );
    const inboxRequests = new InboxSyncRequests({
      async inboxSync(m, payload, meta) {
        await Outbox.enqueue(m, EfacturaInboxSyncCommand, payload, meta);
      },
      kick: () => void relay.kick(),
    });

    const consumer = new Consumer(rt.connection, { expect: [EfacturaSubmitCommand, EfacturaStatusSyncCommand, EfacturaInboxSyncCommand] });
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
    consumer.consume(
      EfacturaInboxSyncCommand,
      async (payload, ctx) => {
        const tenant = await tenantOf(payload.tenant, ctx.tenantId);
        tenantCifs.set(tenant.slug, tenant.cif);
        const r = await runInTenant(tenant, () => inbox.handle(payload));
        log.info({ tenant: payload.tenant, cif: payload.cif, run: r }, 'e-Factura inbox sync');
      },
      { prefetch: cfg.inboxConcurrency ?? 2 },
    );
    await consumer.start();
    rt.onClose(() => consumer.stop());
    const inboxEveryMs = cfg.inboxSyncEveryMs ?? DEFAULT_INBOX_SYNC_EVERY_MS;
    if (inboxEveryMs > 0) {
      const schedule = new InboxSyncSchedule(
        inboxRequests,
        {
          tenants: () => tenants.active(),
          withDataSource: (t, fn) => rt.pool.withDataSource(t, fn),
          companies: async (t) =>
            (await authorizations.list(await tenants.bySlug(t))).filter((c) => c.status === 'authorized' || c.status === 'expiring').map((c) => c.cif),
        },
        log,
        inboxEveryMs,
      );
      schedule.start();
      rt.onClose(() => schedule.stop());
    }
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
    log.info({ queues: [EfacturaSubmitCommand.queue, EfacturaStatusSyncCommand.queue, EfacturaInboxSyncCommand.queue] }, 'worker-anaf consuming');
    return { close: () => rt.close() };
  } catch (err) {
    await rt.close();
    throw err;
  }
}
