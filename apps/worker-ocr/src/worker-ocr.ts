import { DocumentEvents, OcrExtractCommand } from '@cetate/documents-contracts';
import { DOCUMENTS_ENTITIES, DOCUMENTS_MIGRATIONS, OCR_RETRY, startDocumentsRuntime } from '@cetate/documents-data-access';
import { OcrExtractFlow, type DocumentReader, type DocumentsOutbox, type OcrFlowConfig } from '@cetate/documents-ocr-flow';
import { Consumer, Outbox, type RetryPolicy } from '@cetate/platform-messaging';
import { createLogger } from '@cetate/platform-observability';
import { messageTenant, moduleConnection, type ModuleConnectionConfig, withGiveUp } from '@cetate/platform-runtime';
import { runInTenant } from '@cetate/platform-tenancy';
import { ocrReader, type OcrReaderOptions } from './ocr-reader.js';

/** Configuration of one `worker-ocr` process (README "Environment variables"). */
export interface WorkerOcrConfig extends ModuleConnectionConfig {
  /**
   * Documents read at once (AMQP prefetch; `WORKER_OCR_CONCURRENCY`). Default 2: with 2 pages each, 4 Tesseract runs are
   * in flight, which is what keeps 2 cores busy (a page waits on I/O and process start about half its time: ADR 0028).
   */
  concurrency?: number;
  /** Pages of one document read at once (`WORKER_OCR_PAGE_CONCURRENCY`), lease and job bounds (`WORKER_OCR_LEASE_MS`, `WORKER_OCR_JOB_TIMEOUT_MS`). */
  flow?: Partial<OcrFlowConfig>;
  /** Retry policy of the OCR queue (tests shorten it); default `OCR_RETRY`. */
  retry?: RetryPolicy;
  /** Settings of the real reader (`WORKER_OCR_MAX_PAGES`, `WORKER_OCR_PAGE_TIMEOUT_MS`); its defaults otherwise. */
  readerOptions?: OcrReaderOptions;
  /** The reader; default the real one over {@link readerOptions} (`@cetate/documents-ocr`: PDF text layer, `pdftoppm` + Tesseract). */
  reader?: DocumentReader;
}

/** A running worker. */
export interface RunningWorkerOcr {
  /** Stops consuming (waits for in-flight messages), the relay, AMQP and databases. */
  close(): Promise<void>;
}

/**
 * Starts `worker-ocr`, the wiring of the OCR flow of `@cetate/documents-ocr-flow` (the way `worker-anaf` wires the
 * e-Factura flows): `worker.ocr.extract` → {@link OcrExtractFlow} inside the message's tenant context, plus the outbox
 * relay of the tenant databases (its progress/extracted/failed events). A message whose payload is invalid (the
 * consumer's schema check), whose tenant is unknown or disagrees with `x-tenant-id`, or whose document does not exist
 * lands in the DLQ; a document the worker gives up on (non-retryable error, last attempt) is marked `failed` first.
 */
export async function startWorkerOcr(cfg: WorkerOcrConfig): Promise<RunningWorkerOcr> {
  const log = createLogger('worker-ocr');
  const retry = cfg.retry ?? OCR_RETRY;
  const rt = await startDocumentsRuntime({
    ...moduleConnection(cfg),
    name: 'worker-ocr',
    retry,
    entities: DOCUMENTS_ENTITIES,
    migrations: DOCUMENTS_MIGRATIONS,
    log,
  });
  const { relay, objects, tenants } = rt;
  try {
    const outbox: DocumentsOutbox = {
      async event(m, kind, payload, meta) {
        await Outbox.enqueue(m, DocumentEvents[kind], payload as never, meta);
      },
      kick() {
        void relay.kick();
      },
    };
    const flow = new OcrExtractFlow(rt.dataSources, objects, cfg.reader ?? ocrReader(cfg.readerOptions), outbox, log, cfg.flow);

    /** The message's tenant, checked against the payload's (a mismatch or an unknown tenant goes to the DLQ). */
    const tenantOf = messageTenant(tenants);

    const consumer = new Consumer(rt.connection, { expect: [OcrExtractCommand] });
    consumer.consume(
      OcrExtractCommand,
      async (payload, ctx) => {
        const tenant = await tenantOf(payload.tenant, ctx.tenantId);
        const meta = { correlationId: ctx.correlationId, idempotencyKey: ctx.idempotencyKey };
        // giving up (non-retryable, or the last attempt of the retry policy): the document says so
        const r = await runInTenant(tenant, () =>
          withGiveUp(ctx.attempt, retry, () => flow.handle(payload, meta), (code, reason) => flow.giveUp(payload, meta, code, reason), log),
        );
        if (r.outcome === 'skipped') log.debug({ tenant: payload.tenant, document_id: payload.documentId, status: r.status }, 'ocr.extract: document already done');
      },
      { prefetch: cfg.concurrency ?? 2 },
    );
    await consumer.start();
    rt.onClose(() => consumer.stop());
    log.info({ queue: OcrExtractCommand.queue, pageConcurrency: cfg.flow?.pageConcurrency }, 'worker-ocr consuming');
    return { close: () => rt.close() };
  } catch (err) {
    await rt.close();
    throw err;
  }
}
