import { trace, SpanStatusCode } from '@opentelemetry/api';
import type { DataSource } from 'typeorm';
import { ExtractedFieldsSchema, type ExtractedFields, type OcrExtractPayload } from '@cetate/documents-contracts';
import { DocumentRepository } from '@cetate/documents-data-access';
import { NonRetryableError, RetryableError } from '@cetate/platform-messaging';
import { CetateError, type Logger } from '@cetate/platform-observability';
import { ObjectNotFoundError } from '@cetate/platform-storage';
import type { DocumentReader, DocumentReading, DocumentsObjects, DocumentsOutbox, OutboxMeta, PageRead, TenantDataSources } from './ports.js';

const tracer = trace.getTracer('@cetate/documents-ocr-flow');

/** Bounds of the extraction job. */
export interface OcrFlowConfig {
  /** Pages read at once (`WORKER_OCR_PAGE_CONCURRENCY`); default 2 (one per core of the reference machine). */
  pageConcurrency: number;
  /**
   * How long a run holds its document without a sign of life, ms (default 60 000): renewed at every page and every
   * third of it by a heartbeat; a run that stalls longer loses the document to the next delivery.
   */
  leaseMs: number;
  /** Longest a whole document may take, ms (default 600 000); beyond, the document fails with `OCR_JOB_TIMEOUT`. */
  jobTimeoutMs: number;
}

/** Defaults of {@link OcrFlowConfig}. */
export const DEFAULT_OCR_FLOW_CONFIG: OcrFlowConfig = { pageConcurrency: 2, leaseMs: 60_000, jobTimeoutMs: 600_000 };

/** Message metadata the flow needs (from the consumer context). */
export interface OcrMeta {
  correlationId: string;
  /** The command's idempotency key (the document id). */
  idempotencyKey: string;
}

/** What one delivery did. */
export type OcrOutcome =
  | { outcome: 'extracted'; run: number; pages: number; source: string; ms: number }
  | { outcome: 'failed'; run: number; code: string; ms: number }
  /** Nothing to do: the document is already `extracted`, `failed` or `confirmed` (a redelivery). */
  | { outcome: 'skipped'; status: string }
  /** Another run took the document over while this one was reading it; that run writes the result. */
  | { outcome: 'lost'; run: number };

/** The reader's error, sorted: does trying again make sense? */
export interface ReadFailure {
  permanent: boolean;
  code: string;
  message: string;
}

/**
 * Sorts a reader error (see `DocumentReader`): `DOCUMENT_*` codes, and errors saying `documentFault: true` or
 * `retryable: false`, are permanent (the document fails with that code); everything else (`OCR_TIMEOUT`,
 * `OCR_ENGINE_MISSING`, a crash) is worth another delivery. An error without a stable code is `OCR_FAILED`.
 */
export function classifyReadError(err: unknown): ReadFailure {
  const e = err as { code?: unknown; documentFault?: unknown; retryable?: unknown } | undefined;
  const message = err instanceof Error ? err.message : String(err);
  const code = typeof e?.code === 'string' && /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/.test(e.code) ? e.code : 'OCR_FAILED';
  const permanent = code.startsWith('DOCUMENT_') || e?.documentFault === true || e?.retryable === false;
  return { permanent, code, message };
}

/** The job ran past `jobTimeoutMs` (internal: the document fails with this code). */
class JobTimeout extends CetateError {
  constructor(message: string) {
    super('OCR_JOB_TIMEOUT', message);
  }
}
/** The run no longer holds its document (internal: its lease was taken over; the run stops without writing). */
class LeaseLost extends CetateError {
  constructor(message: string) {
    super('DOCUMENT_LEASE_LOST', message);
  }
}

/**
 * The OCR extraction job (`ocr.extract`, issue 9): read the uploaded file from the tenant bucket, hand it to the
 * reader (pages in parallel up to `pageConcurrency`), record a `documents.document.progress` event and the row's
 * progress per page, then store the fields (`extracted`) or the typed error (`failed`) with its event, in one
 * transaction each with the outbox.
 *
 * Idempotent: the document row decides. A delivery for a document already `extracted`/`failed`/`confirmed` does
 * nothing; one for a document another run is reading (live lease) comes back later through the retry policy; a run
 * whose lease ran out (its worker died or stalled) is taken over by the next delivery, and its late writes are fenced
 * off (`runs`). Event message ids are deterministic per run and page, so a relay re-send publishes each once.
 *
 * @throws NonRetryableError (DLQ) when the document does not exist or the command names another object than the row.
 * @throws RetryableError when the document is busy, the bucket cannot be read now, or the engine failed in a way worth
 *   retrying (the lease is released first, so the next delivery takes over at once).
 */
export class OcrExtractFlow {
  readonly docs = new DocumentRepository();
  private readonly cfg: OcrFlowConfig;

  constructor(
    private readonly dataSources: TenantDataSources,
    private readonly objects: DocumentsObjects,
    private readonly reader: DocumentReader,
    private readonly outbox: DocumentsOutbox,
    private readonly log: Logger,
    cfg: Partial<OcrFlowConfig> = {},
  ) {
    this.cfg = { ...DEFAULT_OCR_FLOW_CONFIG, ...cfg };
    if (!Number.isInteger(this.cfg.pageConcurrency) || this.cfg.pageConcurrency < 1) throw new Error(`pageConcurrency must be a positive integer, got ${this.cfg.pageConcurrency}`);
  }

  /** Handles one command delivery (see the class doc). Call inside `runInTenant()` of `cmd.tenant`. */
  async handle(cmd: OcrExtractPayload, meta: OcrMeta): Promise<OcrOutcome> {
    return this.dataSources.withDataSource(cmd.tenant, async (ds) => {
      const row = await this.docs.find(ds.manager, cmd.documentId);
      if (!row) throw new NonRetryableError(`document ${cmd.documentId} does not exist in tenant ${cmd.tenant}`, { code: 'DOCUMENT_NOT_FOUND' });
      if (row.objectKey !== cmd.objectKey) {
        throw new NonRetryableError(`document ${cmd.documentId} is ${row.objectKey}, the command names ${cmd.objectKey}`, { code: 'DOCUMENT_OBJECT_MISMATCH' });
      }
      const claim = await this.docs.claim(ds, cmd.documentId, this.cfg.leaseMs);
      if (!claim.claimed) {
        if (claim.status === 'processing') {
          throw new RetryableError(`document ${cmd.documentId} is being read by another run (lease until ${claim.leaseUntil?.toISOString()})`, { code: 'DOCUMENT_BUSY' });
        }
        if (claim.status === 'missing') throw new NonRetryableError(`document ${cmd.documentId} disappeared`, { code: 'DOCUMENT_NOT_FOUND' });
        return { outcome: 'skipped', status: claim.status };
      }
      return this.run(ds, cmd, meta, claim.run, claim.objectKey);
    });
  }

  /**
   * Records that the consumer gives up on a command (non-retryable error, or the last attempt of the retry policy) as
   * `failed` with `code`, so the document never stays `uploaded`/`processing`; a run still holding the document, or a
   * document already done, is left alone. @returns whether the document was marked failed.
   */
  async giveUp(cmd: OcrExtractPayload, meta: OcrMeta, code: string, reason: string): Promise<boolean> {
    return this.dataSources.withDataSource(cmd.tenant, async (ds) => {
      const marked = await ds.transaction(async (m) => {
        if (!(await this.docs.failed(m, cmd.documentId, undefined, code, reason))) return false;
        await this.outbox.event(m, 'failed', { documentId: cmd.documentId, occurredAt: new Date().toISOString(), code, message: reason }, this.meta(cmd, meta, `failed:${cmd.documentId}:gave-up`));
        return true;
      });
      if (marked) this.outbox.kick();
      return marked;
    });
  }

  private meta(cmd: OcrExtractPayload, meta: OcrMeta, id: string): OutboxMeta {
    return { tenantId: cmd.tenant, idempotencyKey: meta.idempotencyKey, correlationId: meta.correlationId, messageId: `documents.document.${id}` };
  }

  private async run(ds: DataSource, cmd: OcrExtractPayload, meta: OcrMeta, run: number, objectKey: string): Promise<OcrOutcome> {
    const t0 = performance.now();
    const id = cmd.documentId;
    let bytes: Buffer;
    try {
      bytes = await this.objects.get(cmd.tenant, objectKey);
    } catch (err) {
      if (err instanceof ObjectNotFoundError) return this.fail(ds, cmd, meta, run, t0, { permanent: true, code: 'DOCUMENT_OBJECT_MISSING', message: `the file ${objectKey} is not in the tenant bucket` });
      await this.docs.release(ds, id, run).catch(() => undefined);
      throw new RetryableError(`document ${id}: the tenant bucket cannot be read now: ${(err as Error).message}`, { cause: err, code: 'STORAGE_UNAVAILABLE' });
    }

    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(new JobTimeout(`reading took longer than ${this.cfg.jobTimeoutMs} ms`)), this.cfg.jobTimeoutMs);
    const heartbeat = setInterval(() => {
      this.docs.renewLease(ds, id, run, this.cfg.leaseMs).then(
        (held) => void (held || stop.abort(new LeaseLost(`run ${run} lost document ${id}`))),
        (err: unknown) => this.log.warn({ err, document_id: id }, 'could not renew the lease'),
      );
    }, Math.max(1000, Math.floor(this.cfg.leaseMs / 3)));
    // page progress is written in order of completion, one write at a time (pages finish in parallel)
    let progress: Promise<void> = Promise.resolve();
    const onPage = (p: PageRead) => {
      progress = progress.then(() => this.recordPage(ds, cmd, meta, run, p)).catch((err: unknown) => void stop.abort(err));
    };
    let reading: DocumentReading;
    try {
      reading = await tracer.startActiveSpan('ocr.read', async (span) => {
        span.setAttribute('document.id', id);
        span.setAttribute('document.size', bytes.length);
        try {
          const aborted = new Promise<never>((_, reject) => {
            if (stop.signal.aborted) reject(stop.signal.reason);
            stop.signal.addEventListener('abort', () => reject(stop.signal.reason), { once: true });
          });
          const r = await Promise.race([this.reader.read(bytes, { pageConcurrency: this.cfg.pageConcurrency, onPage, signal: stop.signal }), aborted]);
          await progress;
          if (stop.signal.aborted) throw stop.signal.reason;
          span.setAttribute('document.pages', r.pages);
          span.setAttribute('document.source', r.source);
          return r;
        } catch (err) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.message });
          throw err;
        } finally {
          span.end();
        }
      });
    } catch (err) {
      if (err instanceof LeaseLost) {
        this.log.warn({ document_id: id, run }, 'another run took the document over; this run stops');
        return { outcome: 'lost', run };
      }
      if (err instanceof JobTimeout) return this.fail(ds, cmd, meta, run, t0, { permanent: true, code: 'OCR_JOB_TIMEOUT', message: err.message });
      const f = classifyReadError(err);
      if (f.permanent) return this.fail(ds, cmd, meta, run, t0, f);
      await this.docs.release(ds, id, run).catch(() => undefined);
      throw new RetryableError(`document ${id}: ${f.code}: ${f.message}`, { cause: err, code: f.code });
    } finally {
      clearTimeout(timer);
      clearInterval(heartbeat);
    }

    const fields = ExtractedFieldsSchema.parse(reading.fields);
    const ms = Math.round(performance.now() - t0);
    const stored = await ds.transaction(async (m) => {
      if (!(await this.docs.extracted(m, id, run, { fields, pages: reading.pages, source: reading.source }))) return false;
      const { found, minConfidence } = summarize(fields);
      await this.outbox.event(
        m,
        'extracted',
        { documentId: id, occurredAt: new Date().toISOString(), pages: reading.pages, source: reading.source, fieldsFound: found, minConfidence },
        this.meta(cmd, meta, `extracted:${id}:r${run}`),
      );
      return true;
    });
    if (!stored) return { outcome: 'lost', run };
    this.outbox.kick();
    this.log.info({ document_id: id, tenant: cmd.tenant, pages: reading.pages, source: reading.source, ms }, 'document extracted');
    return { outcome: 'extracted', run, pages: reading.pages, source: reading.source, ms };
  }

  /** One page done: the row's progress and a progress event, in one transaction. */
  private async recordPage(ds: DataSource, cmd: OcrExtractPayload, meta: OcrMeta, run: number, p: PageRead): Promise<void> {
    const id = cmd.documentId;
    const held = await ds.transaction(async (m) => {
      const stored = await this.docs.pageDone(m, id, run, p.pages, this.cfg.leaseMs);
      if (!stored) return false;
      await this.outbox.event(
        m,
        'progress',
        {
          documentId: id,
          occurredAt: new Date().toISOString(),
          page: p.page,
          pages: p.pages,
          done: stored.pagesDone,
          progress: stored.progress,
          source: p.source,
          ms: Math.max(0, Math.round(p.ms)),
        },
        this.meta(cmd, meta, `progress:${id}:r${run}:p${p.page}`),
      );
      return true;
    });
    if (!held) throw new LeaseLost(`run ${run} lost document ${id}`);
    this.outbox.kick();
  }

  private async fail(ds: DataSource, cmd: OcrExtractPayload, meta: OcrMeta, run: number, t0: number, f: ReadFailure): Promise<OcrOutcome> {
    const id = cmd.documentId;
    const ms = Math.round(performance.now() - t0);
    const stored = await ds.transaction(async (m) => {
      if (!(await this.docs.failed(m, id, run, f.code, f.message))) return false;
      await this.outbox.event(m, 'failed', { documentId: id, occurredAt: new Date().toISOString(), code: f.code, message: f.message.slice(0, 2000) }, this.meta(cmd, meta, `failed:${id}:r${run}`));
      return true;
    });
    if (!stored) return { outcome: 'lost', run };
    this.outbox.kick();
    this.log.info({ document_id: id, tenant: cmd.tenant, code: f.code, ms }, `document failed: ${f.message}`);
    return { outcome: 'failed', run, code: f.code, ms };
  }
}

/** How many of the known fields were found, and the lowest confidence among them. */
export function summarize(f: ExtractedFields): { found: number; minConfidence: number } {
  const all = [
    f.supplier.name, f.supplier.cif, f.supplier.tradeRegister, f.buyer.name, f.buyer.cif, f.buyer.tradeRegister,
    f.series, f.number, f.issueDate, f.dueDate, f.currency, f.netTotal, f.vatTotal, f.payableTotal, f.iban,
  ].filter((x) => x !== undefined);
  const confidences = [...all.map((x) => x.confidence), ...f.vat.map((v) => v.confidence)];
  return { found: all.length + (f.vat.length ? 1 : 0), minConfidence: confidences.length ? Math.min(...confidences) : 0 };
}
