import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import {
  FieldCorrectionsSchema,
  type ConfirmResult,
  type DocumentStatus,
  type DocumentView,
  type ExtractedFields,
  type PurchaseInvoiceView,
} from '@cetate/documents-contracts';
import { cifDigits } from '@cetate/documents-extraction';
import { DocumentRepository, PurchaseInvoiceRepository, type DocumentEntity } from '@cetate/documents-data-access';
import {
  DocumentFieldsInvalidError,
  DocumentNotFoundError,
  DocumentStateConflictError,
  EmptyDocumentError,
  PurchaseInvoiceDuplicateError,
  PurchaseInvoiceNotFoundError,
  UnsupportedDocumentTypeError,
} from './documents.errors.js';
import { applyCorrections, fieldProblems, invoiceNumber, purchaseInvoiceFrom } from './fields.js';
import { detectDocumentMime, extensionOf } from './file-type.js';
import type { Actor, CommandOutbox, DocumentsObjects, TenantDataSources } from './ports.js';
import { documentView, purchaseInvoiceView } from './views.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const actorName = (a: Actor) => a.username ?? a.clientId ?? a.subject;

/** An upload as the controller hands it over. */
export interface Upload {
  bytes: Buffer;
  filename: string;
  /** The declared `Content-Type` (messages only: the type is decided by the bytes). */
  declaredType?: string;
}

/**
 * The documents module's use cases (issue 9): upload a supplier invoice (scan or PDF) into the tenant bucket and queue
 * its reading by `worker-ocr` through the tenant outbox, show what was read, take the accountant's corrections, and
 * turn the fields into a draft purchase invoice, never twice for the same supplier CUI + number + issue date.
 * Every call runs inside the request's tenant context (the bucket refuses calls without it).
 */
export class DocumentsService {
  private readonly docs = new DocumentRepository();
  private readonly purchases = new PurchaseInvoiceRepository();

  constructor(
    private readonly dataSources: TenantDataSources,
    private readonly objects: DocumentsObjects,
    private readonly outbox: CommandOutbox,
  ) {}

  /**
   * Stores the file under `documents/<yyyy>/<mm>/<id>/original.<ext>` of the tenant bucket, then, in one transaction,
   * the `documents.document` row (`uploaded`) and the `ocr.extract` command in the outbox (message id
   * `ocr.extract:<id>`, idempotency key the document id). The size limit (20 MiB, 413) is the body parser's.
   * @throws EmptyDocumentError (400), UnsupportedDocumentTypeError (415) before anything is stored.
   */
  async upload(tenant: string, actor: Actor, up: Upload, correlationId: string): Promise<DocumentView> {
    if (up.bytes.length === 0) throw new EmptyDocumentError();
    const mime = detectDocumentMime(up.bytes);
    if (!mime) throw new UnsupportedDocumentTypeError(up.declaredType);
    const id = randomUUID();
    const now = new Date();
    const key = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${id}/original.${extensionOf(mime)}`;
    const objectKey = await this.objects.put(tenant, key, up.bytes, mime, { 'document-id': id });
    const ds = await this.dataSources.forTenant(tenant);
    const row = await ds.transaction(async (m) => {
      const d = await this.docs.insert(m, { id, objectKey, filename: up.filename, mime, size: up.bytes.length, sha256: sha256(up.bytes), correlationId, createdBy: actorName(actor) });
      await this.enqueue(m, tenant, d, correlationId, `ocr.extract:${id}`);
      return d;
    });
    this.outbox.kick();
    return documentView(row, { fields: true, sameFileAs: await this.docs.sameFile(ds, id, row.sha256) });
  }

  /** A page of documents, newest first (without their fields). */
  async list(tenant: string, f: { status?: DocumentStatus; limit: number; offset: number }): Promise<{ items: DocumentView[]; total: number }> {
    const ds = await this.dataSources.forTenant(tenant);
    const { items, total } = await this.docs.list(ds.manager, f);
    return { items: items.map((d) => documentView(d, { fields: false })), total };
  }

  /**
   * One document with its fields (confidence and position of each), progress, error, and the duplicate hints:
   * `duplicateOf` (stored flag, or the purchase invoice its current fields would collide with) and `sameFileAs`.
   * @throws DocumentNotFoundError (404).
   */
  async get(tenant: string, id: string): Promise<DocumentView> {
    const ds = await this.dataSources.forTenant(tenant);
    const d = await this.find(ds.manager, id);
    return this.view(ds.manager, d);
  }

  /** The original file and its type. @throws DocumentNotFoundError (404). */
  async file(tenant: string, id: string): Promise<{ bytes: Buffer; mime: string; filename: string }> {
    const ds = await this.dataSources.forTenant(tenant);
    const d = await this.find(ds.manager, id);
    return { bytes: await this.objects.get(tenant, d.objectKey), mime: d.mime, filename: d.filename };
  }

  /**
   * Applies the accountant's corrections (`FieldCorrectionsSchema`) to the fields of an `extracted` or `failed`
   * document (a failed one starts from no fields: typed in by hand).
   * @throws ZodError (400 `VALIDATION_FAILED`), DocumentNotFoundError (404), DocumentStateConflictError (409),
   *   DocumentFieldsInvalidError (422: a CUI or IBAN whose check fails).
   */
  async correct(tenant: string, id: string, body: unknown): Promise<DocumentView> {
    const c = FieldCorrectionsSchema.parse(body ?? {});
    const ds = await this.dataSources.forTenant(tenant);
    const row = await ds.transaction(async (m) => {
      const d = await this.find(m, id, true);
      if (d.status !== 'extracted' && d.status !== 'failed') throw new DocumentStateConflictError(id, d.status, 'fields can be corrected', ['extracted', 'failed']);
      const fields = applyCorrections(d.fields, c);
      const problems = fieldProblems(fields, false);
      if (problems.length) throw new DocumentFieldsInvalidError(id, problems);
      await this.docs.update(m, id, { fields, duplicateOf: null });
      return this.find(m, id);
    });
    return this.view(ds.manager, row);
  }

  /**
   * Confirms the fields (after the optional corrections in `body`) and makes the draft purchase invoice from them, in
   * one transaction with the document row locked (two confirmations never make two invoices): the document becomes
   * `confirmed` with `purchaseInvoiceId`. When a purchase invoice with the same supplier CUI + number + issue date
   * exists (whatever its source), nothing is created: the document is flagged `duplicateOf` it and the answer is 409.
   * @throws ZodError (400), DocumentNotFoundError (404), DocumentStateConflictError (409: not `extracted`/`failed`),
   *   PurchaseInvoiceDuplicateError (409, `existingId`), DocumentFieldsInvalidError (422: required field missing, CUI or
   *   IBAN check failed).
   */
  async confirm(tenant: string, actor: Actor, id: string, body: unknown): Promise<ConfirmResult> {
    const c = FieldCorrectionsSchema.parse(body ?? {});
    const ds = await this.dataSources.forTenant(tenant);
    const result = await ds.transaction(async (m) => {
      const d = await this.find(m, id, true);
      if (d.status === 'confirmed') {
        throw new DocumentStateConflictError(id, d.status, 'it can be confirmed', ['extracted', 'failed'], ` Its purchase invoice is ${d.purchaseInvoiceId}.`);
      }
      if (d.status !== 'extracted' && d.status !== 'failed') throw new DocumentStateConflictError(id, d.status, 'it can be confirmed', ['extracted', 'failed']);
      const fields = applyCorrections(d.fields, c);
      const problems = fieldProblems(fields, true);
      if (problems.length) throw new DocumentFieldsInvalidError(id, problems);
      const draft = purchaseInvoiceFrom(randomUUID(), id, fields, actorName(actor));
      const r = await this.purchases.record(m, draft, 'refuse');
      if (r.outcome !== 'created') {
        await this.docs.update(m, id, { fields, duplicateOf: r.existingId });
        return { duplicate: new PurchaseInvoiceDuplicateError(r.existingId, draft) };
      }
      await this.docs.update(m, id, { fields, status: 'confirmed', purchaseInvoiceId: r.id, duplicateOf: null, confirmedAt: new Date() });
      return { documentRow: await this.find(m, id), invoice: (await this.purchases.get(m, r.id))! };
    });
    if ('duplicate' in result) throw result.duplicate; // after the commit: the flag stays
    return { document: await this.view(ds.manager, result.documentRow), purchaseInvoice: purchaseInvoiceView(result.invoice) };
  }

  /**
   * Queues the reading again for a `failed` document (e.g. after the engine was installed): back to `uploaded`, a new
   * `ocr.extract` command (message id `ocr.extract:<id>:again-<uuid>`: the row lock and the `failed` check make the call
   * itself happen once).
   * @throws DocumentNotFoundError (404), DocumentStateConflictError (409: not `failed`).
   */
  async extractAgain(tenant: string, id: string, correlationId: string): Promise<DocumentView> {
    const ds = await this.dataSources.forTenant(tenant);
    const row = await ds.transaction(async (m) => {
      const d = await this.find(m, id, true);
      if (d.status !== 'failed') throw new DocumentStateConflictError(id, d.status, 'it can be read again', ['failed']);
      await this.docs.update(m, id, { status: 'uploaded', errorCode: null, errorMessage: null, pages: null, pagesDone: 0, progress: 0, leaseUntil: null });
      await this.enqueue(m, tenant, d, correlationId, `ocr.extract:${id}:again-${randomUUID()}`);
      return this.find(m, id);
    });
    this.outbox.kick();
    return this.view(ds.manager, row);
  }

  /** A page of purchase invoices, newest first. `supplierCif` with or without `RO`. */
  async listPurchaseInvoices(tenant: string, f: { supplierCif?: string; limit: number; offset: number }): Promise<{ items: PurchaseInvoiceView[]; total: number }> {
    const ds = await this.dataSources.forTenant(tenant);
    const { items, total } = await this.purchases.list(ds.manager, { ...f, supplierCif: f.supplierCif ? cifDigits(f.supplierCif) : undefined });
    return { items: items.map(purchaseInvoiceView), total };
  }

  /** One purchase invoice. @throws PurchaseInvoiceNotFoundError (404). */
  async getPurchaseInvoice(tenant: string, id: string): Promise<PurchaseInvoiceView> {
    const ds = await this.dataSources.forTenant(tenant);
    const r = await this.purchases.get(ds.manager, id);
    if (!r) throw new PurchaseInvoiceNotFoundError(id);
    return purchaseInvoiceView(r);
  }

  private async enqueue(m: EntityManager, tenant: string, d: DocumentEntity, correlationId: string, messageId: string): Promise<void> {
    await this.outbox.enqueueExtract(m, { tenant, documentId: d.id, objectKey: d.objectKey }, { tenantId: tenant, idempotencyKey: d.id, correlationId, messageId });
  }

  private async find(m: EntityManager, id: string, lock = false): Promise<DocumentEntity> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new DocumentNotFoundError(id);
    const d = await this.docs.find(m, id, lock);
    if (!d) throw new DocumentNotFoundError(id);
    return d;
  }

  /** The view with the duplicate hints (only looked up while the document can still be confirmed). */
  private async view(m: EntityManager, d: DocumentEntity): Promise<DocumentView> {
    let candidate: string | null = null;
    if (!d.duplicateOf && (d.status === 'extracted' || d.status === 'failed') && d.fields) candidate = await this.collision(m, d.fields);
    return documentView(d, { fields: true, duplicateCandidate: candidate, sameFileAs: await this.docs.sameFile(m, d.id, d.sha256) });
  }

  /** The purchase invoice complete fields would collide with, or null. */
  private async collision(m: EntityManager, f: ExtractedFields): Promise<string | null> {
    if (!f.supplier.cif || !f.number || !f.issueDate || fieldProblems(f, true).length) return null;
    return this.purchases.findIdentity(m, cifDigits(f.supplier.cif.value), invoiceNumber(f.series?.value, f.number.value), f.issueDate.value);
  }
}

