import 'reflect-metadata';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import express from 'express';
import {
  EfacturaAuthorizationExpiringEvent,
  EfacturaEvents,
  EfacturaInboxSyncCommand,
  EfacturaSubmitCommand,
  type EfacturaEventState,
} from '@cetate/invoicing-contracts';
import { AnafAuthorizationService, InboxSyncRequests, TaxpayerLookup, type AnafOAuthConfig } from '@cetate/invoicing-efactura';
import type { SecretStore } from '@cetate/platform-secrets';
import { INVOICING_API_EVENTS_QUEUE, INVOICING_ENTITIES, INVOICING_MIGRATIONS, startInvoicingRuntime } from '@cetate/invoicing-data-access';
import { HealthController, READINESS_PROBE, type AuthenticatedHttpRequest } from '@cetate/platform-identity';
import {
  Consumer,
  Inbox,
  Outbox,
  type RetryPolicy,
} from '@cetate/platform-messaging';
import { createLogger, serveHttp } from '@cetate/platform-observability';
import { moduleConnection, type ModuleConnectionConfig, tenantApiWiring } from '@cetate/platform-runtime';
import { platformDatabaseUrl, unitOfWorkPerRequest } from '@cetate/platform-tenancy';
import { ANAF_AUTHORIZATION, AnafCompaniesController } from './anaf-companies.controller.js';
import { AutoSendScheduler, type AutoSendConfig } from './auto-send.scheduler.js';
import { EfacturaSettingsService } from './efactura-settings.js';
import { InboxController, InboxService } from './inbox.controller.js';
import { TaxpayersController } from './taxpayers.controller.js';
import { InvoicesController } from './invoices.controller.js';
import { InvoicingService } from './invoicing.service.js';
import { SettingsController } from './settings.controller.js';
import { VALIDATE_XML_TYPES, ValidateController } from './validate.controller.js';
import type { CommandOutbox } from './ports.js';
import { TENANT_INFO_RESOLVER, type TenantInfoResolver } from './request-context.js';

/** Root Nest module of `invoicing-api`; its imports, controllers and providers are given at start. */
@Module({})
class InvoicingApiModule {}

/** Configuration of one `invoicing-api` process (see README "Environment variables"). */
export interface InvoicingApiConfig extends ModuleConnectionConfig {
  /** Keycloak (or dev identity) base URL; realms are `<url>/realms/<realm>`. */
  keycloakUrl: string;
  /** HTTP port (0 = random). */
  port: number;
  host?: string;
  /** Retry policy of the event queue (tests shorten it). */
  retry?: RetryPolicy;
  /**
   * Automatic sending of due invoices for the tenants that turned it on (`PUT /v1/settings/efactura`): pass interval
   * (main.ts: `INVOICING_AUTO_SEND_INTERVAL_MS`, default 15 min) and per-pass bounds; `false` runs no scheduler in
   * this process.
   */
  autoSend?: AutoSendConfig | false;
  /**
   * ANAF OAuth client registration (issue 10: the companies' authorisation and the callback) and the secret store of
   * the tokens. Without them the inbox sync can still be asked for the tenant's own CIF only when its tokens exist.
   */
  anafOAuth?: AnafOAuthConfig;
  secrets?: SecretStore;
  /**
   * URL of ANAF's taxpayer lookup `PlatitorTvaRest/v9/tva` for `GET /v1/taxpayers/:cui` (main.ts: `ANAF_TAXPAYER_URL`;
   * default ANAF's production URL; the simulator's `<url>/api/PlatitorTvaRest/v9/tva` in development). The 24 h cache
   * and the 1 call/s pacing live in the platform database.
   */
  anafTaxpayerUrl?: string;
  /** Time limit of one taxpayer lookup call, ms (main.ts: `ANAF_TAXPAYER_TIMEOUT_MS`; default 15 000). */
  anafTaxpayerTimeoutMs?: number;
}

/** A running `invoicing-api`. */
export interface RunningInvoicingApi {
  /** Base URL, e.g. `http://127.0.0.1:3100`. */
  url: string;
  /** Stops HTTP, consumers, relay, AMQP and database connections. */
  close(): Promise<void>;
}

/** Every controller of `invoicing-api` (the endpoint permission snapshot reads their role declarations). */
export const INVOICING_API_CONTROLLERS = [InvoicesController, SettingsController, ValidateController, InboxController, AnafCompaniesController, TaxpayersController, HealthController];

/**
 * Starts `invoicing-api`: NestJS HTTP app (`/v1/invoices`, `/v1/settings`, `/v1/validate`, `/v1/efactura/inbox`,
 * `/v1/taxpayers`, `/health`), JWT verification per realm with the
 * realm → tenant mapping of the registry, tenant databases (lazy, bounded pool; schema checked, never migrated here),
 * the outbox relay for the submit command, the consumer of the worker's e-Factura events (inbox) and the automatic
 * sending of due invoices (`AutoSendScheduler`, unless `autoSend: false`).
 * Body limits: JSON 1 MB, XML 10 MB (ANAF's own upload limit); bigger bodies get 413 problem+json.
 * @throws the first start-up error (database, broker, port), after closing what was opened.
 */
export async function startInvoicingApi(cfg: InvoicingApiConfig): Promise<RunningInvoicingApi> {
  const log = createLogger('invoicing-api');
  const rt = await startInvoicingRuntime({
    ...moduleConnection(cfg),
    name: 'invoicing-api',
    retry: cfg.retry,
    entities: INVOICING_ENTITIES,
    migrations: INVOICING_MIGRATIONS,
    log,
  });
  const { connection, relay, objects, tenants } = rt;
  try {
    const outbox: CommandOutbox = {
      async enqueueSubmit(m, payload, meta) {
        await Outbox.enqueue(m, EfacturaSubmitCommand, payload, { ...meta, messageId: `submit:${meta.idempotencyKey}` });
      },
      kick() {
        void relay.kick();
      },
    };
    const service = new InvoicingService(rt.dataSources, objects, outbox);
    const settings = new EfacturaSettingsService(rt.dataSources);
    const taxpayers = new TaxpayerLookup({
      databaseUrl: cfg.platformDatabaseUrl ?? platformDatabaseUrl({ DATABASE_URL: cfg.databaseUrl }),
      ...(cfg.anafTaxpayerUrl ? { anafUrl: cfg.anafTaxpayerUrl } : {}),
      ...(cfg.anafTaxpayerTimeoutMs ? { timeoutMs: cfg.anafTaxpayerTimeoutMs } : {}),
    });
    await taxpayers.open();
    // cache rows older than 24 h are never served: removed every 6 hours so the table does not grow without end
    const purge = setInterval(() => {
      taxpayers.purgeExpired().then(
        (n) => n > 0 && log.info({ removed: n }, 'taxpayer cache: expired rows removed'),
        (err: unknown) => log.warn({ err }, 'taxpayer cache purge failed; next try in 6 h'),
      );
    }, 6 * 3600_000);
    purge.unref();
    rt.onClose(async () => {
      clearInterval(purge);
      await taxpayers.close();
    });
    // ANAF authorisation of the tenant's companies (issue 10 point 1), when the OAuth client and secret store are given
    const authorizations =
      cfg.anafOAuth && cfg.secrets
        ? new AnafAuthorizationService({ oauth: cfg.anafOAuth, secrets: cfg.secrets, dataSources: rt.dataSources, tenantBySlug: (slug) => tenants.bySlug(slug), kick: () => void relay.kick() })
        : undefined;
    const inbox = new InboxService(
      rt.dataSources,
      new InboxSyncRequests({
        async inboxSync(m, payload, meta) {
          await Outbox.enqueue(m, EfacturaInboxSyncCommand, payload, meta);
        },
        kick: () => void relay.kick(),
      }),
      async (t) => {
        if (!authorizations) return [t.cif];
        const companies = await authorizations.list(await tenants.bySlug(t.slug));
        return companies.filter((c) => c.status === 'authorized' || c.status === 'expiring').map((c) => c.cif);
      },
    );

    const consumer = new Consumer(connection);
    for (const [state, contract] of Object.entries(EfacturaEvents) as Array<[EfacturaEventState, (typeof EfacturaEvents)[EfacturaEventState]]>) {
      consumer.consume(
        contract,
        async (payload, ctx) => {
          await rt.dataSources.withDataSource(ctx.tenantId, (ds) =>
            Inbox.once(ds.manager, 'invoicing-api.efactura-events', ctx.messageId, (m) =>
              service.applyEvent(m, state, payload as never),
            ),
          );
        },
        { queue: INVOICING_API_EVENTS_QUEUE, prefetch: 20 },
      );
    }
    // the 30-day warning of an ANAF authorisation (issue 10 point 1): logged for the operators; the status is in GET /v1/anaf/companies
    consumer.consume(
      EfacturaAuthorizationExpiringEvent,
      async (p) => {
        log.warn({ tenant: p.tenant, cif: p.cif, refreshExpiresAt: p.refreshExpiresAt, daysLeft: p.daysLeft }, 'ANAF authorisation of a company ends soon: a tenant admin must authorise it again');
      },
      { queue: INVOICING_API_EVENTS_QUEUE, prefetch: 5 },
    );
    await consumer.start();
    rt.onClose(() => consumer.stop());

    if (cfg.autoSend !== false) {
      const autoSend = new AutoSendScheduler(
        { tenants, dataSources: rt.dataSources, invoicing: service, settings, kick: () => outbox.kick(), log },
        cfg.autoSend,
      );
      autoSend.start();
      rt.onClose(() => autoSend.stop());
    }

    const resolver: TenantInfoResolver = {
      async resolve(req) {
        const slug = (req as typeof req & AuthenticatedHttpRequest).tenant?.slug;
        if (!slug) throw new Error('no tenant on the request: RealmAuthGuard did not run');
        const t = await tenants.bySlug(slug);
        return { slug: t.slug, cif: t.cif };
      },
    };

    const tenantApi = tenantApiWiring({ keycloakUrl: cfg.keycloakUrl, tenants });
    const root: DynamicModule = {
      module: InvoicingApiModule,
      imports: tenantApi.imports,
      controllers: INVOICING_API_CONTROLLERS,
      providers: [
        { provide: InvoicingService, useValue: service },
        { provide: EfacturaSettingsService, useValue: settings },
        { provide: InboxService, useValue: inbox },
        { provide: TaxpayerLookup, useValue: taxpayers },
        { provide: ANAF_AUTHORIZATION, useValue: authorizations ?? null },
        { provide: TENANT_INFO_RESOLVER, useValue: resolver },
        { provide: READINESS_PROBE, useValue: connection },
        // realm auth (403 for a realm no active tenant has); every /v1 handler runs in the token's TenantContext
        ...tenantApi.providers,
      ],
    };
    const app = await NestFactory.create(root, { bodyParser: false, logger: ['error', 'warn'] });
    rt.onClose(() => app.close());
    const url = await serveHttp(app, {
      port: cfg.port,
      host: cfg.host,
      log,
      jsonLimit: '1mb',
      bodyParsers: (a) => {
        a.use('/v1/invoices/import', express.raw({ type: ['application/xml', 'text/xml'], limit: '10mb' }));
        a.use('/v1/invoices/:id/versions', express.raw({ type: ['application/xml', 'text/xml'], limit: '10mb' }));
        a.use('/v1/validate', express.raw({ type: VALIDATE_XML_TYPES, limit: '10mb' }));
        // each request is one unit of work: the tenant DataSources it takes stay leased until the response closes
        a.use(unitOfWorkPerRequest(rt.pool));
      },
    });
    log.info({ url }, 'invoicing-api listening');
    return { url, close: () => rt.close() };
  } catch (err) {
    await rt.close();
    throw err;
  }
}
