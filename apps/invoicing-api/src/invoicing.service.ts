import { createHash, randomUUID } from 'node:crypto';
import { LessThan, type EntityManager, type QueryDeepPartialEntity } from 'typeorm';
import { z } from 'zod';
import {
  EFACTURA_EVENT_KEYS,
  InvoiceDocumentSchema,
  type EfacturaEventState,
  type EfacturaSubmitPayload,
  type InvoiceDocument,
} from '@cetate/invoicing-contracts';
import {
  assertTransition,
  buildCiusRoUbl,
  canTransition,
  CreditNoteError,
  Dec,
  deriveCreditNote,
  EFACTURA_NOT_TRANSMITTED_STATES,
  EFACTURA_STATES,
  efacturaDeadlineOf,
  formatMoney,
  IllegalStateTransitionError,
  isB2cUbl,
  parseUblDocument,
  romanianDate,
  summarizeParsedUbl,
  type EfacturaState,
  type ParsedUblDocument,
  text,
  UblParseError,
  UblSummaryError,
  type InvoiceSummary,
  validateParsedUbl,
} from '@cetate/invoicing-domain';
import { InvoiceEntity, InvoiceHistoryEntity, InvoiceVersionEntity } from '@cetate/invoicing-data-access';
import { currentTraceId, DomainError } from '@cetate/platform-observability';
import {
  AnafAnswerNotAvailableError,
  CreditNoteNeedsJsonSourceError,
  InvalidUblError,
  InvoiceNotFoundError,
  InvoiceStateConflictError,
  InvoiceVersionNotFoundError,
} from './invoicing.errors.js';
import type { Actor, CommandOutbox, InvoicingObjects, TenantDataSources, TenantInfo } from './ports.js';
import { validationView } from './ubl-validation.js';

/** The JSON views of the API live in the contracts (shared with invoicing-ui and the tools). */
export type { InvoiceDetailView, InvoiceView, SendResult } from '@cetate/invoicing-contracts';
import type { InvoiceDetailView, InvoiceView, SendResult, ValidationResultView } from '@cetate/invoicing-contracts';

/** Object key of one version's UBL XML inside the tenant bucket (module prefix added by storage). */
export function versionXmlKey(invoiceId: string, version: number): string {
  return `invoices/${invoiceId}/v${version}/invoice.xml`;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Body of `POST /v1/invoices/:id/credit-note`. */
export const CreditNoteBodySchema = z
  .object({
    /** Lines to credit (BT-126 of the original) with the quantity to credit; absent = the whole invoice. */
    lines: z
      .array(
        z
          .object({
            id: z.string().trim().min(1).max(50),
            quantity: z
              .string()
              .regex(/^(0|[1-9][0-9]{0,14})(\.[0-9]{1,6})?$/, 'quantity must be a positive decimal string such as "2" or "0.5" (at most 6 decimals)')
              .refine((q) => /[1-9]/.test(q), 'quantity must be greater than zero')
              .optional(),
          })
          .strict(),
      )
      .min(1, 'give at least one line, or leave "lines" out to credit the whole invoice')
      .optional(),
    /** BT-1 of the credit note; default `<original BT-1>-NC<n>`. */
    number: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .refine((s) => /[0-9]/.test(s), 'the credit note number must contain at least one digit (CIUS-RO BR-RO-010)')
      .optional(),
    /** BT-2 of the credit note; default today in Romania. */
    issueDate: z.iso.date({ error: 'date must be YYYY-MM-DD' }).optional(),
    /** BT-22 note, e.g. the reason of the credit. */
    note: z.string().trim().min(1).max(300).optional(),
  })
  .strict();
export type CreditNoteBody = z.infer<typeof CreditNoteBodySchema>;

/** A new version's content: the JSON document (EN 16931 terms) or a UBL 2.1 XML as is. */
export type VersionInput = { json: unknown } | { xml: Buffer };

/** What is derived once from a version's XML: the list facts, the B2C flag, the deadline and the local validation. */
interface PreparedVersion {
  xml: Buffer;
  summary: Summary;
  b2c: boolean;
  deadline: string | null;
  /** `validateParsedUbl` of the same parse: the findings the worker will find before the upload. */
  validation: ValidationResultView;
  sourceJson: InvoiceDocument | null;
  source: 'json' | 'xml';
}

/** The e-Factura columns an event sets, on the invoice (current version) and on the version it reports. */
type EfacturaPatch = Pick<InvoiceVersionEntity, 'efacturaState' | 'efacturaSeq' | 'stateReason'> &
  Partial<Pick<InvoiceVersionEntity, 'indexIncarcare' | 'idDescarcare' | 'anafZipKey' | 'fatalRuleIds' | 'messages'>>;

/** States from which a new version may be created (`* → draft` in the state table: invalid, rejected, failed). */
export const CORRECTABLE_STATES: readonly EfacturaState[] = EFACTURA_STATES.filter((st) => canTransition(st, 'draft'));

/**
 * The invoicing module's use cases: create (JSON, EN 16931 terms) or import (UBL 2.1 XML) an invoice, correct it
 * with a new version, credit an accepted one, list and show it with its e-Factura state, deadline and history, ask to
 * send it to ANAF, and apply the e-invoicing worker's events. Every write runs in one transaction of the tenant's
 * database; the submit command goes through the outbox in that same transaction (ARCHITECTURE.md §3, §4).
 */
export class InvoicingService {
  constructor(
    private readonly dataSources: TenantDataSources,
    private readonly objects: InvoicingObjects,
    private readonly outbox: CommandOutbox,
    /** Clock (tests); the default credit note issue date is today in Romania. */
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Creates an invoice from the JSON document (schema `InvoiceDocumentSchema`), builds its CIUS-RO UBL
   * XML (version 1) and stores it in the tenant bucket. State `draft`. The answer carries the version's local
   * `validation` (see {@link InvoiceView.validation}).
   * @throws ZodError (→ 400 problem+json with field paths) when the body does not match the schema.
   */
  async createFromJson(tenant: TenantInfo, actor: Actor, body: unknown): Promise<InvoiceView> {
    return this.createInvoice(tenant, actor, prepare({ json: body }), 'created');
  }

  /**
   * Imports a UBL 2.1 Invoice or CreditNote (as received, byte for byte). State `draft`, whatever the validation finds:
   * the answer's `validation` lists the findings of `validateParsedUbl` (EN 16931 + CIUS-RO, the worker's check before
   * the upload) so they can be shown at import.
   * @throws InvalidUblError (400, with the parser's `line`/`column` when known) when the XML is malformed or not UBL
   *   2.1; nothing is stored then.
   */
  async importXml(tenant: TenantInfo, actor: Actor, xml: Buffer): Promise<InvoiceView> {
    return this.createInvoice(tenant, actor, prepare({ xml }), 'imported');
  }

  private async createInvoice(tenant: TenantInfo, actor: Actor, v: PreparedVersion, event: string): Promise<InvoiceView> {
    const id = randomUUID();
    const key = await this.objects.put(tenant.slug, versionXmlKey(id, 1), v.xml, 'application/xml');
    const ds = await this.dataSources.forTenant(tenant.slug);
    const saved = await ds.transaction((m) => this.insertInvoice(m, id, actor, v, key, event, null));
    return { ...toView(saved), validation: v.validation };
  }

  /** Inserts invoice `id` with its version 1 (XML already stored under `key`) and its first history entry. */
  private async insertInvoice(
    m: EntityManager,
    id: string,
    actor: Actor,
    v: PreparedVersion,
    key: string,
    event: string,
    creditedInvoiceId: string | null,
  ): Promise<InvoiceEntity> {
    const by = actorName(actor);
    const inv = m.create(InvoiceEntity, {
      id,
      ...documentColumns(v),
      currentVersion: 1,
      ...FRESH_EFACTURA_COLUMNS,
      creditedInvoiceId,
      createdBy: by,
    });
    await m.insert(InvoiceEntity, inv);
    await m.insert(InvoiceVersionEntity, versionRow(id, 1, v, key));
    await this.addHistory(m, id, 1, event, 'draft', { by, xmlObjectKey: key, ...(creditedInvoiceId ? { creditedInvoiceId } : {}) });
    return m.findOneByOrFail(InvoiceEntity, { id });
  }

  /**
   * `POST /v1/invoices/:id/versions`: the correction of an invoice that ANAF rejected, that failed local validation or
   * whose sending failed: version n+1 from a JSON document or a UBL XML, state `draft` (state table: `invalid`,
   * `rejected`, `failed` → `draft`). Every earlier version stays with its XML, its upload, its ANAF answer ZIP and its
   * history; the invoice's list facts (BT-1, BT-2, amounts, buyer, deadline) become the new version's, its e-Factura
   * columns start afresh. `send` then uploads the new version once (the submit idempotency key is per version).
   * A credit note stays the credit note of the same invoice. The answer carries the new version's local `validation`.
   * @throws ZodError (400) / InvalidUblError (400) for a bad document (nothing stored), InvoiceNotFoundError (404),
   *   InvoiceStateConflictError (409, with the states that allow a correction).
   */
  async createVersion(tenant: TenantInfo, actor: Actor, id: string, input: VersionInput): Promise<InvoiceView> {
    const v = prepare(input);
    const ds = await this.dataSources.forTenant(tenant.slug);
    // fail fast (no object written) when the invoice is unknown or not correctable; re-checked under the lock below
    this.assertCorrectable(await this.findInvoice(ds.manager, id));
    const saved = await ds.transaction(async (m) => {
      const inv = await this.findInvoice(m, id, true);
      const from = inv.efacturaState;
      this.assertCorrectable(inv);
      const version = inv.currentVersion + 1;
      // written under the invoice's row lock: a concurrent correction waits, then finds the invoice in `draft` (409)
      const key = await this.objects.put(tenant.slug, versionXmlKey(id, version), v.xml, 'application/xml');
      await m.insert(InvoiceVersionEntity, versionRow(id, version, v, key));
      await m.update(InvoiceEntity, { id }, {
        ...documentColumns(v),
        currentVersion: version,
        ...FRESH_EFACTURA_COLUMNS,
      });
      await this.addHistory(m, id, version, 'version-created', 'draft', {
        by: actorName(actor),
        previousVersion: inv.currentVersion,
        previousState: from,
        source: v.source,
        xmlObjectKey: key,
      });
      return m.findOneByOrFail(InvoiceEntity, { id });
    });
    return { ...toView(saved), validation: v.validation };
  }

  private assertCorrectable(inv: InvoiceEntity): void {
    try {
      assertTransition(inv.efacturaState as EfacturaState, 'draft');
    } catch (err) {
      if (err instanceof IllegalStateTransitionError) {
        throw new InvoiceStateConflictError(inv.id, inv.efacturaState, 'a new version can be created', CORRECTABLE_STATES);
      }
      throw err;
    }
  }

  /**
   * `POST /v1/invoices/:id/credit-note`: a credit note (`CreditNote`, BT-3 381) of an `accepted` invoice, with the
   * BillingReference BT-25 (the invoice's BT-1) / BT-26 (its BT-2), for the whole invoice or the given lines
   * (`deriveCreditNote` of `@cetate/invoicing-domain`: quantities, proportional line allowances, limits). It is a new
   * invoice in `draft`, version 1 built by the UBL builder, sent like any invoice (`standard=CN`). The original is
   * locked meanwhile, so two concurrent credit notes never credit the same quantity twice; earlier credit notes count
   * whatever their state (each may still be sent). Only invoices created from JSON can be credited here: one imported
   * as UBL XML answers 422 `CREDIT_NOTE_NEEDS_JSON_SOURCE` (import its credit note as XML instead).
   * Defaults: BT-1 `<original BT-1>-NC<n>` (n = the credit note's rank), BT-2 today in Romania.
   * @throws ZodError (400), InvoiceNotFoundError (404), InvoiceStateConflictError (409 unless `accepted`),
   *   DomainError 409 `CREDIT_EXCEEDS_REMAINING` / `CREDIT_NOTHING_REMAINING`, 422 `CREDIT_NOTE_UNKNOWN_LINE`,
   *   `CREDIT_NOTE_DUPLICATE_LINE`, `CREDIT_NOTE_LINE_NOT_CREDITABLE`, `CREDIT_NOTE_ORIGINAL_NOT_INVOICE`,
   *   `CREDIT_NOTE_NEEDS_JSON_SOURCE`.
   */
  async createCreditNote(tenant: TenantInfo, actor: Actor, id: string, body: unknown): Promise<InvoiceView> {
    const req = CreditNoteBodySchema.parse(body ?? {});
    const ds = await this.dataSources.forTenant(tenant.slug);
    const creditNoteId = randomUUID();
    const saved = await ds.transaction(async (m) => {
      const inv = await this.findInvoice(m, id, true);
      if (inv.efacturaState !== 'accepted') {
        throw new InvoiceStateConflictError(id, inv.efacturaState, 'a credit note can be issued', ['accepted']);
      }
      const ver = await m.findOneByOrFail(InvoiceVersionEntity, { invoiceId: id, version: inv.currentVersion });
      if (!ver.sourceJson) throw new CreditNoteNeedsJsonSourceError(id);
      const original = InvoiceDocumentSchema.parse(ver.sourceJson);
      const earlierRows = await m.find(InvoiceEntity, { where: { creditedInvoiceId: id }, order: { createdAt: 'ASC' } });
      const earlier = await Promise.all(
        earlierRows.map(async (cn) => {
          const cv = await m.findOneByOrFail(InvoiceVersionEntity, { invoiceId: cn.id, version: cn.currentVersion });
          const parsed = InvoiceDocumentSchema.safeParse(cv.sourceJson);
          return { document: parsed.success ? parsed.data : null, payableAmount: cn.payableAmount };
        }),
      );
      let doc: InvoiceDocument;
      try {
        doc = deriveCreditNote(
          original,
          {
            lines: req.lines,
            number: req.number ?? `${original.number}-NC${earlierRows.length + 1}`,
            issueDate: req.issueDate ?? romanianDate(this.now()),
            note: req.note,
          },
          earlier,
        );
      } catch (err) {
        if (!(err instanceof CreditNoteError)) throw err;
        const conflict = err.code === 'CREDIT_EXCEEDS_REMAINING' || err.code === 'CREDIT_NOTHING_REMAINING';
        throw new DomainError(err.code, err.message, {
          status: conflict ? 409 : 422,
          ...(err.lineId ? { errors: [{ path: 'lines', message: `line ${err.lineId}: ${err.message}` }] } : {}),
          cause: err,
        });
      }
      const v = prepare({ json: doc });
      const key = await this.objects.put(tenant.slug, versionXmlKey(creditNoteId, 1), v.xml, 'application/xml');
      const cn = await this.insertInvoice(m, creditNoteId, actor, v, key, 'created', id);
      await this.addHistory(m, id, inv.currentVersion, 'credit-note-created', inv.efacturaState, {
        by: actorName(actor),
        creditNoteId,
        number: cn.number,
        payableAmount: cn.payableAmount,
      });
      return cn;
    });
    return toView(saved);
  }

  /**
   * Lists the tenant's invoices, newest first. `limit` 1..200 (default 50).
   * `due` (`YYYY-MM-DD`): only invoices not yet transmitted (`EFACTURA_NOT_TRANSMITTED_STATES`: every state but
   * `submitted` and `accepted`) whose transmission deadline is on or before that date, most urgent first.
   */
  async list(
    tenant: TenantInfo,
    q: { state?: string; buyer?: string; issuedFrom?: string; issuedTo?: string; due?: string; limit?: number; offset?: number },
  ): Promise<{ items: InvoiceView[]; total: number }> {
    const ds = await this.dataSources.forTenant(tenant.slug);
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 200);
    const qb = ds.getRepository(InvoiceEntity).createQueryBuilder('i');
    if (q.state) qb.andWhere('i.efacturaState = :state', { state: q.state });
    // BT-44 buyer name, case-insensitive substring; LIKE wildcards in the input are literal
    if (q.buyer) qb.andWhere(`i.buyerName ILIKE :buyer ESCAPE '\\'`, { buyer: `%${q.buyer.replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    // BT-2 issue date, compared on its date part (imported UBL may carry a zone suffix, e.g. 2022-05-31+02:00)
    if (q.issuedFrom) qb.andWhere('left(i.issueDate, 10) >= :from', { from: q.issuedFrom });
    if (q.issuedTo) qb.andWhere('left(i.issueDate, 10) <= :to', { to: q.issuedTo });
    if (q.due) {
      qb.andWhere('i.efacturaDeadline <= :due', { due: q.due });
      qb.andWhere('i.efacturaState IN (:...atRisk)', { atRisk: [...EFACTURA_NOT_TRANSMITTED_STATES] });
      qb.orderBy('i.efacturaDeadline', 'ASC').addOrderBy('i.createdAt', 'DESC');
    } else {
      qb.orderBy('i.createdAt', 'DESC');
    }
    const [rows, total] = await qb.take(limit).skip(Math.max(q.offset ?? 0, 0)).getManyAndCount();
    return { items: rows.map(toView), total };
  }

  /**
   * One invoice with every version (each with its own e-Factura outcome), its full history, its credit notes and the
   * amount still due (BT-115 minus the BT-115 of the credit notes ANAF accepted). @throws InvoiceNotFoundError (404).
   */
  async get(tenant: TenantInfo, id: string): Promise<InvoiceDetailView> {
    const ds = await this.dataSources.forTenant(tenant.slug);
    const inv = await this.findInvoice(ds.manager, id);
    const versions = await ds.getRepository(InvoiceVersionEntity).find({ where: { invoiceId: id }, order: { version: 'ASC' } });
    const history = await ds.getRepository(InvoiceHistoryEntity).find({ where: { invoiceId: id }, order: { at: 'ASC', id: 'ASC' } });
    const creditNotes = await ds.getRepository(InvoiceEntity).find({ where: { creditedInvoiceId: id }, order: { createdAt: 'ASC' } });
    const acceptedCredit = creditNotes
      .filter((cn) => cn.efacturaState === 'accepted' && cn.payableAmount !== null)
      .reduce((acc, cn) => acc.plus(cn.payableAmount!), new Dec(0));
    return {
      ...toView(inv),
      versions: versions.map((v) => ({
        version: v.version,
        source: v.sourceJson ? 'json' : 'xml',
        xmlSha256: v.xmlSha256,
        sendRequestedAt: v.sendRequestedAt?.toISOString() ?? null,
        createdAt: v.createdAt.toISOString(),
        efactura: {
          state: v.efacturaState,
          indexIncarcare: v.indexIncarcare,
          idDescarcare: v.idDescarcare,
          fatal: v.fatalRuleIds,
          messages: v.messages,
          reason: v.stateReason,
          anafZipAvailable: !!v.anafZipKey,
          b2c: v.b2c,
        },
      })),
      history: history.map((h) => ({
        at: h.at.toISOString(),
        version: h.version,
        event: h.event,
        state: h.state,
        detail: h.detail,
        traceId: h.traceId,
      })),
      creditNotes: creditNotes.map((cn) => ({
        id: cn.id,
        number: cn.number,
        issueDate: cn.issueDate,
        state: cn.efacturaState,
        payableAmount: cn.payableAmount,
      })),
      amountDue: inv.payableAmount === null ? null : formatMoney(new Dec(inv.payableAmount).minus(acceptedCredit)),
    };
  }

  /**
   * "Send to ANAF": queues the current version for the e-invoicing worker (state `queued`), writing
   * the `anaf.efactura.submit` command to the outbox in the same transaction. A second send of the same
   * version changes nothing and queues nothing (`queued: false`) — ANAF never sees a second upload
   * (ANAF-EFACTURA.md, "Duplicate uploads after repeated clicks or retries").
   * @throws InvoiceNotFoundError (404).
   */
  async send(tenant: TenantInfo, actor: Actor, id: string, correlationId: string): Promise<SendResult> {
    const ds = await this.dataSources.forTenant(tenant.slug);
    const result = await ds.transaction((m) => this.sendInTransaction(m, tenant, actor, id, correlationId));
    if (result.queued) this.outbox.kick();
    return result;
  }

  /**
   * {@link send} inside the caller's transaction (the automatic sending sends a batch in one); the caller kicks the
   * outbox relay after the commit when `queued`. The invoice row is locked until the transaction ends, so two
   * concurrent sends of one version (two clicks, two API replicas) queue one command. The command's `b2c` is the
   * version's (`uploadb2c` for a buyer without a CUI); `standard` is `CN` for a CreditNote, else `UBL`.
   * @throws InvoiceNotFoundError (404), InvoiceStateConflictError (409) for a version not sent yet whose state is not
   *   `draft` (never the case through this API).
   */
  async sendInTransaction(m: EntityManager, tenant: TenantInfo, actor: Actor, id: string, correlationId: string): Promise<SendResult> {
    const inv = await this.findInvoice(m, id, true);
    const ver = await m.findOneByOrFail(InvoiceVersionEntity, { invoiceId: id, version: inv.currentVersion });
    if (ver.sendRequestedAt) {
      return { id, version: ver.version, state: inv.efacturaState, queued: false };
    }
    if (!canTransition(inv.efacturaState as EfacturaState, 'queued')) {
      throw new InvoiceStateConflictError(id, inv.efacturaState, 'it can be sent', ['draft']);
    }
    const payload: EfacturaSubmitPayload = {
      invoiceId: id,
      invoiceVersion: ver.version,
      tenant: tenant.slug,
      number: inv.number,
      documentType: inv.documentType,
      standard: inv.documentType === 'CreditNote' ? 'CN' : 'UBL',
      cif: inv.sellerCif ?? tenant.cif,
      xmlObjectKey: ver.xmlObjectKey,
      xmlSha256: ver.xmlSha256,
      extern: false,
      autofactura: inv.typeCode === '389',
      b2c: ver.b2c,
    };
    await m.update(InvoiceVersionEntity, { invoiceId: id, version: ver.version }, { sendRequestedAt: new Date(), efacturaState: 'queued' });
    await m.update(InvoiceEntity, { id }, { efacturaState: assertTransition(inv.efacturaState as EfacturaState, 'queued'), stateReason: null });
    await this.addHistory(m, id, ver.version, 'send-requested', 'queued', { by: actorName(actor), ...(ver.b2c ? { b2c: true } : {}) });
    await this.outbox.enqueueSubmit(m, payload, {
      tenantId: tenant.slug,
      idempotencyKey: `${id}:v${ver.version}`,
      correlationId,
    });
    return { id, version: ver.version, state: 'queued', queued: true };
  }

  /** The UBL XML of a version (default: current). @throws InvoiceNotFoundError, InvoiceVersionNotFoundError (404). */
  async xml(tenant: TenantInfo, id: string, version?: number): Promise<{ xml: Buffer; version: number }> {
    const ver = await this.findVersion(tenant, id, version);
    return { xml: await this.objects.get(tenant.slug, ver.xmlObjectKey), version: ver.version };
  }

  /**
   * The ZIP ANAF answered for a version (default: current): the signed invoice or the error report; every version's
   * answer stays archived. @throws 404 when the invoice or version is unknown or no answer is archived for it.
   */
  async anafZip(tenant: TenantInfo, id: string, version?: number): Promise<{ zip: Buffer; filename: string; version: number }> {
    const ver = await this.findVersion(tenant, id, version);
    if (!ver.anafZipKey) throw new AnafAnswerNotAvailableError(id, `${ver.efacturaState}, version ${ver.version}`);
    return { zip: await this.objects.get(tenant.slug, ver.anafZipKey), filename: `${ver.idDescarcare ?? `${id}-v${ver.version}`}.zip`, version: ver.version };
  }

  private async findVersion(tenant: TenantInfo, id: string, version?: number): Promise<InvoiceVersionEntity> {
    const ds = await this.dataSources.forTenant(tenant.slug);
    const inv = await this.findInvoice(ds.manager, id);
    const v = version ?? inv.currentVersion;
    const ver = await ds.getRepository(InvoiceVersionEntity).findOneBy({ invoiceId: id, version: v });
    if (!ver) throw new InvoiceVersionNotFoundError(id, v);
    return ver;
  }

  /**
   * Applies one `invoicing.invoice.efactura-*` event from the worker inside the caller's transaction
   * (the consumer wraps it in the inbox, so a redelivered event has no second effect). The worker is the
   * authority on the e-Factura state and checks every step against the state table; its events carry a
   * `seq` per version, so an event that arrives after a newer one (retries travel through delay queues) is still
   * recorded in the history, at the time it happened, but does not move the state back. The event always updates
   * the e-Factura columns of the version it reports (`invoice_version`), current or not, so an older version keeps
   * its upload and its ANAF answer; only an event of the current version moves the invoice's state. Returns whether
   * the invoice's state changed.
   */
  async applyEvent(m: EntityManager, state: EfacturaEventState, payload: Record<string, unknown> & { invoiceId: string; invoiceVersion: number; seq: number; occurredAt?: string }): Promise<boolean> {
    const inv = await m.findOne(InvoiceEntity, { where: { id: payload.invoiceId }, lock: { mode: 'pessimistic_write' } });
    if (!inv) return false;
    const { invoiceId: _i, invoiceVersion, seq, occurredAt, ...detail } = payload;
    await this.addHistory(m, inv.id, invoiceVersion, EFACTURA_EVENT_KEYS[state], state, { seq, ...detail }, occurredAt ? new Date(occurredAt) : undefined);
    const patch = eventPatch(state, payload);
    // the version row is guarded by the invoice's row lock taken above
    await m.update(InvoiceVersionEntity, { invoiceId: inv.id, version: invoiceVersion, efacturaSeq: LessThan(seq) }, patch);
    if (invoiceVersion !== inv.currentVersion || seq <= inv.efacturaSeq) return false;
    await m.update(InvoiceEntity, { id: inv.id }, patch);
    return true;
  }

  private async findInvoice(m: EntityManager, id: string, lock = false): Promise<InvoiceEntity> {
    if (!z.string().uuid().safeParse(id).success) throw new InvoiceNotFoundError(id);
    const inv = await m.findOne(InvoiceEntity, { where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!inv) throw new InvoiceNotFoundError(id);
    return inv;
  }

  private async addHistory(m: EntityManager, invoiceId: string, version: number, event: string, state: string, detail: Record<string, unknown>, at?: Date): Promise<void> {
    await m.insert(InvoiceHistoryEntity, { invoiceId, version, event, state, detail: detail as never, traceId: currentTraceId() ?? null, ...(at ? { at } : {}) });
  }
}

/** The invoice's e-Factura columns of a version nobody has sent yet (a new invoice, or a new version of one). */
const FRESH_EFACTURA_COLUMNS = {
  efacturaState: 'draft',
  efacturaSeq: -1,
  indexIncarcare: null,
  idDescarcare: null,
  fatalRuleIds: [],
  messages: [],
  stateReason: null,
  anafZipKey: null,
} as const satisfies Partial<InvoiceEntity>;

/** Who did it, for history entries and `created_by`. */
function actorName(actor: Actor): string {
  return actor.username ?? actor.clientId ?? actor.subject;
}

/**
 * Everything derived from a version's content, computed once before anything is stored.
 * @throws ZodError (400) for a JSON document that does not match `InvoiceDocumentSchema`, InvalidUblError (400) for XML
 *   that is not a UBL 2.1 Invoice/CreditNote
 */
function prepare(input: VersionInput): PreparedVersion {
  if ('json' in input) {
    const doc = InvoiceDocumentSchema.parse(input.json);
    const xml = Buffer.from(buildCiusRoUbl(doc), 'utf8');
    return { ...facts(xml), xml, sourceJson: doc, source: 'json' };
  }
  return { ...facts(input.xml), xml: input.xml, sourceJson: null, source: 'xml' };
}

function facts(xml: Buffer): Pick<PreparedVersion, 'summary' | 'b2c' | 'deadline' | 'validation'> {
  const parsed = parseXml(xml);
  const summary = summarize(parsed);
  return { summary, b2c: isB2cUbl(parsed), deadline: efacturaDeadlineOf(summary.issueDate), validation: validationView(validateParsedUbl(parsed)) };
}

/** The invoice columns that come from its current version's document. */
function documentColumns(v: PreparedVersion): Partial<InvoiceEntity> {
  const { summary } = v;
  return {
    number: summary.number,
    issueDate: summary.issueDate ?? null,
    documentType: summary.documentType,
    typeCode: summary.typeCode ?? null,
    currencyCode: summary.currencyCode ?? '',
    sellerName: summary.sellerName ?? null,
    sellerCif: summary.sellerCif ?? null,
    buyerName: summary.buyerName ?? null,
    taxExclusiveAmount: decimalOrNull(summary.taxExclusiveAmount),
    taxAmount: decimalOrNull(summary.taxAmount),
    payableAmount: decimalOrNull(summary.payableAmount),
    source: v.source,
    efacturaDeadline: v.deadline,
  };
}

function versionRow(invoiceId: string, version: number, v: PreparedVersion, key: string): QueryDeepPartialEntity<InvoiceVersionEntity> {
  return {
    invoiceId,
    version,
    sourceJson: v.sourceJson as never,
    xmlObjectKey: key,
    xmlSha256: sha256(v.xml),
    sendRequestedAt: null,
    b2c: v.b2c,
    efacturaState: 'draft',
  };
}

/** The e-Factura columns an event of `state` sets (the same on the invoice and on the version it reports). */
function eventPatch(state: EfacturaEventState, p: Record<string, unknown> & { seq: number }): EfacturaPatch {
  const patch: EfacturaPatch = { efacturaState: state, efacturaSeq: p.seq, stateReason: null };
  if (typeof p.indexIncarcare === 'string') patch.indexIncarcare = p.indexIncarcare;
  if (typeof p.idDescarcare === 'string') patch.idDescarcare = p.idDescarcare;
  if (typeof p.zipObjectKey === 'string') patch.anafZipKey = p.zipObjectKey;
  if (state === 'invalid') {
    patch.fatalRuleIds = (p.fatal as string[]) ?? [];
    patch.messages = (p.messages as InvoiceEntity['messages']) ?? [];
  }
  if (state === 'rejected') {
    const errors = (p.errors as InvoiceEntity['messages']) ?? [];
    patch.messages = errors;
    patch.fatalRuleIds = [...new Set(errors.map((e) => e.ruleId).filter((r): r is string => !!r))].sort();
  }
  if (state === 'failed' || state === 'unknown') patch.stateReason = String(p.reason ?? '');
  return patch;
}

/** What the invoice list shows of a document; `null` where the document lacks the term. */
type Summary = Pick<InvoiceSummary, 'documentType' | 'number' | 'sellerName' | 'sellerCif' | 'buyerName'> & {
  issueDate: string | null;
  typeCode: string | null;
  currencyCode: string | null;
  taxExclusiveAmount: string | null;
  taxAmount: string | null;
  payableAmount: string | null;
};

/**
 * Parses a version's XML once (summary and B2C detection read the same DOM).
 * @throws InvalidUblError when the XML is malformed or not UBL 2.1 (nothing is stored then).
 */
function parseXml(xml: Buffer): ParsedUblDocument {
  try {
    return parseUblDocument(xml);
  } catch (err) {
    if (err instanceof UblParseError) throw InvalidUblError.of(err);
    throw err;
  }
}

/**
 * Summary of a UBL document. A well-formed UBL Invoice/CreditNote that lacks required terms (BT-1, BT-2, ...) is still
 * imported — validation reports the missing terms by rule id when it is sent.
 */
function summarize(parsed: ParsedUblDocument): Summary {
  try {
    return summarizeParsedUbl(parsed);
  } catch (err) {
    if (!(err instanceof UblSummaryError)) throw err;
  }
  const { root, document } = parsed;
  const el = document.documentElement!;
  return {
    documentType: root,
    number: text(el, 'cbc:ID') ?? '',
    issueDate: text(el, 'cbc:IssueDate') ?? null,
    typeCode: text(el, root === 'Invoice' ? 'cbc:InvoiceTypeCode' : 'cbc:CreditNoteTypeCode') ?? null,
    currencyCode: text(el, 'cbc:DocumentCurrencyCode') ?? null,
    sellerName: null,
    sellerCif: null,
    buyerName: null,
    taxExclusiveAmount: null,
    taxAmount: null,
    payableAmount: null,
  };
}

function decimalOrNull(v: string | undefined | null): string | null {
  return v && /^-?\d+(\.\d+)?$/.test(v) ? v : null;
}

function toView(inv: InvoiceEntity): InvoiceView {
  return {
    id: inv.id,
    number: inv.number,
    issueDate: inv.issueDate,
    documentType: inv.documentType,
    typeCode: inv.typeCode,
    currencyCode: inv.currencyCode,
    seller: { name: inv.sellerName, cif: inv.sellerCif },
    buyer: { name: inv.buyerName },
    totals: { taxExclusiveAmount: inv.taxExclusiveAmount, taxAmount: inv.taxAmount, payableAmount: inv.payableAmount },
    source: inv.source,
    version: inv.currentVersion,
    efactura: {
      state: inv.efacturaState,
      indexIncarcare: inv.indexIncarcare,
      idDescarcare: inv.idDescarcare,
      fatal: inv.fatalRuleIds,
      messages: inv.messages,
      reason: inv.stateReason,
      anafZipAvailable: !!inv.anafZipKey,
      deadline: inv.efacturaDeadline,
    },
    creditedInvoiceId: inv.creditedInvoiceId,
    createdAt: inv.createdAt.toISOString(),
    updatedAt: inv.updatedAt.toISOString(),
  };
}
