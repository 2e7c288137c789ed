import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import express, { type NextFunction, type Request, type Response } from 'express';
import { DocumentEvents, OcrExtractCommand, type DocumentEventKind } from '@cetate/documents-contracts';
import {
  DOCUMENTS_API_EVENTS_QUEUE,
  DOCUMENTS_ENTITIES,
  DOCUMENTS_MIGRATIONS,
  PurchaseInvoiceUnrecordableError,
  recordReceivedInvoice,
  startDocumentsRuntime,
} from '@cetate/documents-data-access';
import { EFACTURA_INBOUND_QUEUE, EfacturaInboundReceivedEvent } from '@cetate/invoicing-contracts';
import { HealthController, READINESS_PROBE } from '@cetate/platform-identity';
import { Consumer, Inbox, NonRetryableError, Outbox, type RetryPolicy } from '@cetate/platform-messaging';
import { createLogger, serveHttp } from '@cetate/platform-observability';
import { moduleConnection, type ModuleConnectionConfig, tenantApiWiring } from '@cetate/platform-runtime';
import { unitOfWorkPerRequest } from '@cetate/platform-tenancy';
import { DocumentsController } from './documents.controller.js';
import { DocumentsService } from './documents.service.js';
import { MAX_UPLOAD_BYTES } from './file-type.js';
import type { CommandOutbox } from './ports.js';
import { PurchaseInvoicesController } from './purchase-invoices.controller.js';

/** Root Nest module of `documents-api`; its imports, controllers and providers are given at start. */
@Module({})
class DocumentsApiModule {}

/** Configuration of one `documents-api` process (README "Environment variables"). */
export interface DocumentsApiConfig extends ModuleConnectionConfig {
  /** Keycloak (or dev identity) base URL; realms are `<url>/realms/<realm>`. */
  keycloakUrl: string;
  /** HTTP port (0 = random). */
  port: number;
  host?: string;
  /** Retry policy of the documents queues (tests shorten it). */
  retry?: RetryPolicy;
}

/** A running `documents-api`. */
export interface RunningDocumentsApi {
  /** Base URL, e.g. `http://127.0.0.1:3300`. */
  url: string;
  /** Stops HTTP, the consumer, the relay, AMQP and database connections. */
  close(): Promise<void>;
}

/** Every controller of `documents-api` (the endpoint permission snapshot reads their role declarations). */
export const DOCUMENTS_API_CONTROLLERS = [DocumentsController, PurchaseInvoicesController, HealthController];

/**
 * Starts `documents-api` (issue 9), built like `invoicing-api`: NestJS HTTP app (`/v1/documents`,
 * `/v1/purchase-invoices`, `/health`), JWT verification per realm with the registry's realm → tenant mapping and
 * realm roles, every handler in the tenant's context, tenant databases (bounded pool, schema checked, never migrated),
 * the outbox relay of the `ocr.extract` command, the consumer of the worker's `documents.document.*` events (the
 * worker writes the document row itself; the API takes the events off their queue once, through the inbox), and the
 * consumer of `invoicing.efactura.inbound-received` (issue 10: a supplier invoice from ANAF becomes a draft purchase
 * invoice, once per `id_solicitare`).
 * Body limits: JSON 1 MB, an upload 20 MiB (413 problem+json beyond).
 * @throws the first start-up error (database, broker, port), after closing what was opened.
 */
export async function startDocumentsApi(cfg: DocumentsApiConfig): Promise<RunningDocumentsApi> {
  const log = createLogger('documents-api');
  const rt = await startDocumentsRuntime({
    ...moduleConnection(cfg),
    name: 'documents-api',
    retry: cfg.retry,
    entities: DOCUMENTS_ENTITIES,
    migrations: DOCUMENTS_MIGRATIONS,
    log,
  });
  const { connection, relay, objects, tenants } = rt;
  try {
    const outbox: CommandOutbox = {
      async enqueueExtract(m, payload, meta) {
        await Outbox.enqueue(m, OcrExtractCommand, payload, meta);
      },
      kick() {
        void relay.kick();
      },
    };
    const service = new DocumentsService(rt.dataSources, objects, outbox);

    const consumer = new Consumer(connection);
    for (const [kind, contract] of Object.entries(DocumentEvents) as Array<[DocumentEventKind, (typeof DocumentEvents)[DocumentEventKind]]>) {
      consumer.consume(
        contract,
        async (payload, ctx) => {
          await rt.dataSources.withDataSource(ctx.tenantId, (ds) =>
            Inbox.once(ds.manager, 'documents-api.document-events', ctx.messageId, async () => {
              log.debug({ tenant: ctx.tenantId, kind, document_id: payload.documentId }, 'document event');
            }),
          );
        },
        { queue: DOCUMENTS_API_EVENTS_QUEUE, prefetch: 20 },
      );
    }
    // supplier invoices received through ANAF e-Factura (issue 10): recorded once per id_solicitare, in the tenant the
    // message names (the payload's tenant must match the header's), flagged when a scan of the same invoice came first
    consumer.consume(
      EfacturaInboundReceivedEvent,
      async (payload, ctx) => {
        if (payload.tenant !== ctx.tenantId) throw new NonRetryableError(`payload tenant ${payload.tenant} is not the message's tenant ${ctx.tenantId}`, { code: 'TENANT_MISMATCH' });
        await rt.dataSources.withDataSource(ctx.tenantId, (ds) =>
          Inbox.once(ds.manager, 'documents-api.efactura-inbound', ctx.messageId, async (m) => {
            try {
              const r = await recordReceivedInvoice(m, payload, randomUUID());
              log.info({ tenant: ctx.tenantId, id_solicitare: payload.idSolicitare, outcome: r.outcome, purchase_invoice_id: r.id }, 'e-Factura invoice received');
            } catch (err) {
              if (err instanceof PurchaseInvoiceUnrecordableError) throw new NonRetryableError(err.message, { code: err.code, cause: err });
              throw err;
            }
          }),
        );
      },
      { queue: EFACTURA_INBOUND_QUEUE, prefetch: 8 },
    );
    await consumer.start();
    rt.onClose(() => consumer.stop());

    const tenantApi = tenantApiWiring({ keycloakUrl: cfg.keycloakUrl, tenants });
    const root: DynamicModule = {
      module: DocumentsApiModule,
      imports: tenantApi.imports,
      controllers: DOCUMENTS_API_CONTROLLERS,
      providers: [
        { provide: DocumentsService, useValue: service },
        { provide: READINESS_PROBE, useValue: connection },
        // realm auth (403 for a realm no active tenant has); every /v1 handler runs in the token's TenantContext
        ...tenantApi.providers,
      ],
    };
    const app = await NestFactory.create(root, { bodyParser: false, logger: ['error', 'warn'] });
    rt.onClose(() => app.close());
    const upload = express.raw({ type: () => true, limit: MAX_UPLOAD_BYTES });
    const url = await serveHttp(app, {
      port: cfg.port,
      host: cfg.host,
      log,
      jsonLimit: '1mb',
      bodyParsers: (a) => {
        // the upload itself: the raw file, whatever its declared type (the bytes decide), only on POST /v1/documents
        a.use('/v1/documents', (req: Request, res: Response, next: NextFunction) => (req.method === 'POST' && (req.path === '/' || req.path === '') ? upload(req, res, next) : next()));
        // each request is one unit of work: the tenant DataSources it takes stay leased until the response closes
        a.use(unitOfWorkPerRequest(rt.pool));
      },
    });
    log.info({ url }, 'documents-api listening');
    return { url, close: () => rt.close() };
  } catch (err) {
    await rt.close();
    throw err;
  }
}
