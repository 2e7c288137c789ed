import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import {
  EFACTURA_EVENT_KEYS,
  InvoiceDocumentSchema,
  type EfacturaEventState,
  type EfacturaSubmitPayload,
  type InvoiceDocument,
} from '@cetate/invoicing-contracts';
import {
  buildCiusRoUbl,
  parseUblDocument,
  summarizeParsedUbl,
  type ParsedUblDocument,
  text,
  UblParseError,
  UblSummaryError,
  type InvoiceSummary,
} from '@cetate/invoicing-domain';
import { InvoiceEntity, InvoiceHistoryEntity, InvoiceVersionEntity } from '@cetate/invoicing-data-access';
import { currentTraceId, DomainError } from '@cetate/platform-observability';
import {
  AnafAnswerNotAvailableError,
  InvalidUblError,
  InvoiceNotFoundError,
} from './invoicing.errors.js';
import type { Actor, CommandOutbox, InvoicingObjects, TenantDataSources, TenantInfo } from './ports.js';

/** The JSON views of the API live in the contracts (shared with invoicing-ui and the tools). */
export type { InvoiceDetailView, InvoiceView, SendResult } from '@cetate/invoicing-contracts';
import type { InvoiceDetailView, InvoiceView, SendResult } from '@cetate/invoicing-contracts';

/** Object key of one version's UBL XML inside the tenant bucket (module prefix added by storage). */
export function versionXmlKey(invoiceId: string, version: number): string {
  return `invoices/${invoiceId}/v${version}/invoice.xml`;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * The invoicing module's use cases: create (JSON, EN 16931 terms) or import (UBL 2.1 XML) an invoice,
 * list and show it with its e-Factura state and history, ask to send it to ANAF, and apply the
 * e-invoicing worker's events. Every write runs in one transaction of the tenant's database; the
 * submit command goes through the outbox in that same transaction (ARCHITECTURE.md §3, §4).
 */
export class InvoicingService {
  constructor(
    private readonly dataSources: TenantDataSources,
    private readonly objects: InvoicingObjects,
    private readonly outbox: CommandOutbox,
  ) {}

  /**
   * Creates an invoice from the JSON document (schema `InvoiceDocumentSchema`), builds its CIUS-RO UBL
   * XML (version 1) and stores it in the tenant bucket. State `draft`.
   * @throws ZodError (→ 400 problem+json with field paths) when the body does not match the schema.
   */
  async createFromJson(tenant: TenantInfo, actor: Actor, body: unknown): Promise<InvoiceView> {
    const doc: InvoiceDocument = InvoiceDocumentSchema.parse(body);
    const xml = Buffer.from(buildCiusRoUbl(doc), 'utf8');
    return this.createInvoice(tenant, actor, xml, 'json', doc, 'created');
  }

  /**
   * Imports a UBL 2.1 Invoice or CreditNote (as received, byte for byte). State `draft`.
   * @throws InvalidUblError (400) when the XML is malformed or not UBL 2.1; nothing is stored then.
   */
  async importXml(tenant: TenantInfo, actor: Actor, xml: Buffer): Promise<InvoiceView> {
    return this.createInvoice(tenant, actor, xml, 'xml', null, 'imported');
  }

  private async createInvoice(
    tenant: TenantInfo,
    actor: Actor,
    xml: Buffer,
    source: 'json' | 'xml',
    sourceJson: InvoiceDocument | null,
    event: string,
  ): Promise<InvoiceView> {
    const summary = summarize(xml);
    const id = randomUUID();
    const key = await this.objects.put(tenant.slug, versionXmlKey(id, 1), xml, 'application/xml');
    const ds = await this.dataSources.forTenant(tenant.slug);
    const saved = await ds.transaction(async (m) => {
      const inv = m.create(InvoiceEntity, {
        id,
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
        source,
        currentVersion: 1,
        efacturaState: 'draft',
        efacturaSeq: -1,
        indexIncarcare: null,
        idDescarcare: null,
        fatalRuleIds: [],
        messages: [],
        stateReason: null,
        anafZipKey: null,
        createdBy: actor.username ?? actor.clientId ?? actor.subject,
      });
      await m.insert(InvoiceEntity, inv);
      await m.insert(InvoiceVersionEntity, {
        invoiceId: id,
        version: 1,
        sourceJson: sourceJson as never,
        xmlObjectKey: key,
        xmlSha256: sha256(xml),
        sendRequestedAt: null,
      });
      await this.addHistory(m, id, 1, event, 'draft', { by: inv.createdBy, xmlObjectKey: key });
      return m.findOneByOrFail(InvoiceEntity, { id });
    });
    return toView(saved);
  }

  /** Lists the tenant's invoices, newest first. `limit` 1..200 (default 50). */
  async list(
    tenant: TenantInfo,
    q: { state?: string; buyer?: string; issuedFrom?: string; issuedTo?: string; limit?: number; offset?: number },
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
    const [rows, total] = await qb
      .orderBy('i.createdAt', 'DESC')
      .take(limit)
      .skip(Math.max(q.offset ?? 0, 0))
      .getManyAndCount();
    return { items: rows.map(toView), total };
  }

  /** One invoice with its versions and full history. @throws InvoiceNotFoundError (404). */
  async get(tenant: TenantInfo, id: string): Promise<InvoiceDetailView> {
    const ds = await this.dataSources.forTenant(tenant.slug);
    const inv = await this.findInvoice(ds.manager, id);
    const versions = await ds.getRepository(InvoiceVersionEntity).find({ where: { invoiceId: id }, order: { version: 'ASC' } });
    const history = await ds.getRepository(InvoiceHistoryEntity).find({ where: { invoiceId: id }, order: { at: 'ASC', id: 'ASC' } });
    return {
      ...toView(inv),
      versions: versions.map((v) => ({
        version: v.version,
        xmlSha256: v.xmlSha256,
        sendRequestedAt: v.sendRequestedAt?.toISOString() ?? null,
        createdAt: v.createdAt.toISOString(),
      })),
      history: history.map((h) => ({
        at: h.at.toISOString(),
        version: h.version,
        event: h.event,
        state: h.state,
        detail: h.detail,
        traceId: h.traceId,
      })),
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
    const result = await ds.transaction(async (m) => {
      const inv = await this.findInvoice(m, id, true);
      const ver = await m.findOneByOrFail(InvoiceVersionEntity, { invoiceId: id, version: inv.currentVersion });
      if (ver.sendRequestedAt) {
        return { id, version: ver.version, state: inv.efacturaState, queued: false };
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
      };
      await m.update(InvoiceVersionEntity, { invoiceId: id, version: ver.version }, { sendRequestedAt: new Date() });
      await m.update(InvoiceEntity, { id }, { efacturaState: 'queued', stateReason: null });
      await this.addHistory(m, id, ver.version, 'send-requested', 'queued', { by: actor.username ?? actor.clientId ?? actor.subject });
      await this.outbox.enqueueSubmit(m, payload, {
        tenantId: tenant.slug,
        idempotencyKey: `${id}:v${ver.version}`,
        correlationId,
      });
      return { id, version: ver.version, state: 'queued', queued: true };
    });
    if (result.queued) this.outbox.kick();
    return result;
  }

  /** The UBL XML of a version (default: current). @throws InvoiceNotFoundError (404). */
  async xml(tenant: TenantInfo, id: string, version?: number): Promise<{ xml: Buffer; version: number }> {
    const ds = await this.dataSources.forTenant(tenant.slug);
    const inv = await this.findInvoice(ds.manager, id);
    const v = version ?? inv.currentVersion;
    const ver = await ds.getRepository(InvoiceVersionEntity).findOneBy({ invoiceId: id, version: v });
    if (!ver) throw new DomainError('INVOICE_VERSION_NOT_FOUND', `Invoice ${id} has no version ${v}.`, { status: 404 });
    return { xml: await this.objects.get(tenant.slug, ver.xmlObjectKey), version: v };
  }

  /** The ZIP ANAF answered (signed invoice or error report). @throws 404 when none is archived yet. */
  async anafZip(tenant: TenantInfo, id: string): Promise<{ zip: Buffer; filename: string }> {
    const ds = await this.dataSources.forTenant(tenant.slug);
    const inv = await this.findInvoice(ds.manager, id);
    if (!inv.anafZipKey) throw new AnafAnswerNotAvailableError(id, inv.efacturaState);
    return { zip: await this.objects.get(tenant.slug, inv.anafZipKey), filename: `${inv.idDescarcare ?? id}.zip` };
  }

  /**
   * Applies one `invoicing.invoice.efactura-*` event from the worker inside the caller's transaction
   * (the consumer wraps it in the inbox, so a redelivered event has no second effect). The worker is the
   * authority on the e-Factura state and checks every step against the state table; its events carry a
   * `seq`, so an event that arrives after a newer one (retries travel through delay queues) is still
   * recorded in the history, at the time it happened, but does not move the state back. Events of an
   * older version change nothing but the history. Returns whether the invoice's state changed.
   */
  async applyEvent(m: EntityManager, state: EfacturaEventState, payload: Record<string, unknown> & { invoiceId: string; invoiceVersion: number; seq: number; occurredAt?: string }): Promise<boolean> {
    const inv = await m.findOne(InvoiceEntity, { where: { id: payload.invoiceId }, lock: { mode: 'pessimistic_write' } });
    if (!inv) return false;
    const { invoiceId: _i, invoiceVersion, seq, occurredAt, ...detail } = payload;
    await this.addHistory(m, inv.id, invoiceVersion, EFACTURA_EVENT_KEYS[state], state, { seq, ...detail }, occurredAt ? new Date(occurredAt) : undefined);
    if (invoiceVersion !== inv.currentVersion || seq <= inv.efacturaSeq) return false;
    const patch: Partial<InvoiceEntity> = { efacturaState: state, efacturaSeq: seq };
    const p = payload as Record<string, unknown>;
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
    patch.stateReason = state === 'failed' || state === 'unknown' ? String(p.reason ?? '') : null;
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
 * Summary of an imported UBL document. A well-formed UBL Invoice/CreditNote that lacks required terms
 * (BT-1, BT-2, ...) is still imported — validation reports the missing terms by rule id when it is sent.
 * @throws InvalidUblError when the XML is malformed or not UBL 2.1 (nothing is stored then).
 */
function summarize(xml: Buffer): Summary {
  let parsed: ParsedUblDocument;
  try {
    parsed = parseUblDocument(xml);
  } catch (err) {
    if (err instanceof UblParseError) throw new InvalidUblError(err.code, err.message);
    throw err;
  }
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
    },
    createdAt: inv.createdAt.toISOString(),
    updatedAt: inv.updatedAt.toISOString(),
  };
}
