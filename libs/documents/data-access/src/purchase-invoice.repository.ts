import type { EntityManager } from 'typeorm';
import type { EfacturaInboundReceivedEvent } from '@cetate/invoicing-contracts';
import { CetateError } from '@cetate/shared-errors';
import { PurchaseInvoiceEntity, PurchaseInvoiceLineEntity, PurchaseInvoiceVatEntity } from './entities/purchase-invoice.entity.js';
import { rowsOf, type Queryable } from './queryable.js';

/** A purchase invoice to record (EN 16931 terms; amounts decimal strings, dates `YYYY-MM-DD`). */
export interface NewPurchaseInvoice {
  id: string;
  source: 'ocr' | 'efactura';
  sourceDocumentId?: string | null;
  sourceReference?: string | null;
  /** BT-27. */
  supplierName?: string | null;
  /** CUI digits (BT-31 without `RO`, or BT-32); the duplicate key. */
  supplierCif: string;
  /** BT-31 as printed. */
  supplierVatId?: string | null;
  /** BT-30. */
  supplierTradeRegister?: string | null;
  /** BT-44. */
  buyerName?: string | null;
  /** BT-48/BT-47 digits. */
  buyerCif?: string | null;
  series?: string | null;
  /** BT-1. */
  number: string;
  /** BT-2. */
  issueDate: string;
  /** BT-9. */
  dueDate?: string | null;
  /** BT-5, default RON. */
  currency?: string;
  /** BT-109, BT-110, BT-115. */
  netTotal?: string | null;
  vatTotal?: string | null;
  payableTotal?: string | null;
  /** BT-84. */
  iban?: string | null;
  /** BG-23: BT-119 rate, BT-116 base, BT-117 amount, BT-118 category (default `S`). */
  vat?: ReadonlyArray<{ rate: string; base: string; amount: string; categoryCode?: string }>;
  /** BG-25 lines, when read. */
  lines?: ReadonlyArray<Omit<PurchaseInvoiceLineEntity, 'purchaseInvoiceId' | 'idx'>>;
  createdBy?: string | null;
}

/** What {@link PurchaseInvoiceRepository.record} did. */
export type RecordResult =
  | { outcome: 'created'; id: string }
  /** An invoice with the same identity exists: nothing was written (`onDuplicate: 'refuse'`). */
  | { outcome: 'duplicate'; existingId: string }
  /** An invoice with the same identity exists: this one was stored flagged `duplicate_of` it (`onDuplicate: 'flag'`). */
  | { outcome: 'flagged'; id: string; existingId: string };

/** A purchase invoice with its VAT breakdown and lines. */
export interface PurchaseInvoiceRecord {
  invoice: PurchaseInvoiceEntity;
  vat: PurchaseInvoiceVatEntity[];
  lines: PurchaseInvoiceLineEntity[];
}

/** BT-1 as the duplicate key compares it: upper case, letters and digits only (the generated `number_key`). */
export function purchaseNumberKey(number: string): string {
  return number.replace(/[^A-Za-z0-9]+/g, '').toUpperCase();
}

/**
 * SQL of schema `purchases`. Identity of an invoice: supplier CUI (digits) + BT-1 without separators, upper case +
 * BT-2, enforced by the partial unique index `purchase_invoice_identity_uq` over the rows that are not flagged
 * duplicates; so two concurrent recordings of the same invoice (two clicks, two API replicas, the OCR path and the
 * e-Factura sync) leave exactly one non-duplicate row.
 */
export class PurchaseInvoiceRepository {
  /**
   * Records an invoice unless one with the same identity exists (`INSERT ... ON CONFLICT DO NOTHING` on the identity
   * index, then its VAT breakdown and lines). Run it inside the caller's transaction.
   * @param onDuplicate `refuse` (default): nothing is written and the existing id is returned; `flag`: the row is
   *   stored with `duplicate_of` = the existing one (a record that the same invoice arrived again, never counted as a
   *   second invoice).
   */
  async record(m: EntityManager, v: NewPurchaseInvoice, onDuplicate: 'refuse' | 'flag' = 'refuse'): Promise<RecordResult> {
    const rows = rowsOf<{ id: string }>(
      await m.query(
        `INSERT INTO purchases.purchase_invoice
           (id, status, source, source_document_id, source_reference, supplier_name, supplier_cif, supplier_vat_id,
            supplier_trade_register, buyer_name, buyer_cif, series, number, issue_date, due_date, currency, net_total,
            vat_total, payable_total, iban, created_by)
         VALUES ($1, 'draft', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::date, $14::date, $15, $16, $17, $18, $19, $20)
         ON CONFLICT (supplier_cif, number_key, issue_date) WHERE duplicate_of IS NULL DO NOTHING
         RETURNING id`,
        this.params(v),
      ),
    );
    if (rows.length === 1) {
      await this.children(m, v);
      return { outcome: 'created', id: v.id };
    }
    const existingId = await this.findIdentity(m, v.supplierCif, v.number, v.issueDate);
    if (!existingId) throw new Error(`purchase invoice ${v.supplierCif}/${v.number}/${v.issueDate} conflicted but cannot be found`);
    if (onDuplicate === 'refuse') return { outcome: 'duplicate', existingId };
    await m.query(
      `INSERT INTO purchases.purchase_invoice
         (id, status, source, source_document_id, source_reference, supplier_name, supplier_cif, supplier_vat_id,
          supplier_trade_register, buyer_name, buyer_cif, series, number, issue_date, due_date, currency, net_total,
          vat_total, payable_total, iban, created_by, duplicate_of)
       VALUES ($1, 'draft', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::date, $14::date, $15, $16, $17, $18, $19, $20, $21)`,
      [...this.params(v), existingId],
    );
    await this.children(m, v);
    return { outcome: 'flagged', id: v.id, existingId };
  }

  /** The non-duplicate invoice with this identity (supplier CUI digits, BT-1, BT-2), or null. */
  async findIdentity(q: Queryable, supplierCif: string, number: string, issueDate: string): Promise<string | null> {
    const rows = rowsOf<{ id: string }>(
      await q.query(
        `SELECT id FROM purchases.purchase_invoice
          WHERE supplier_cif = $1 AND number_key = $2 AND issue_date = $3::date AND duplicate_of IS NULL`,
        [supplierCif, purchaseNumberKey(number), issueDate],
      ),
    );
    return rows[0]?.id ?? null;
  }

  /** The invoice with its VAT breakdown and lines, or null. */
  async get(m: EntityManager, id: string): Promise<PurchaseInvoiceRecord | null> {
    const invoice = await m.findOneBy(PurchaseInvoiceEntity, { id });
    if (!invoice) return null;
    const [vat, lines] = await Promise.all([
      m.find(PurchaseInvoiceVatEntity, { where: { purchaseInvoiceId: id }, order: { idx: 'ASC' } }),
      m.find(PurchaseInvoiceLineEntity, { where: { purchaseInvoiceId: id }, order: { idx: 'ASC' } }),
    ]);
    return { invoice, vat, lines };
  }

  /**
   * A page of the tenant's purchase invoices, newest first, with their VAT breakdowns and lines.
   * @param f.supplierCif only this supplier (CUI digits); @param f.limit 1..200.
   */
  async list(m: EntityManager, f: { supplierCif?: string; limit: number; offset: number }): Promise<{ items: PurchaseInvoiceRecord[]; total: number }> {
    const qb = m.getRepository(PurchaseInvoiceEntity).createQueryBuilder('p');
    if (f.supplierCif) qb.where('p.supplier_cif = :cif', { cif: f.supplierCif });
    const [invoices, total] = await qb.orderBy('p.created_at', 'DESC').addOrderBy('p.id', 'DESC').take(f.limit).skip(f.offset).getManyAndCount();
    const ids = invoices.map((i) => i.id);
    const [vat, lines] = ids.length
      ? await Promise.all([
          m.getRepository(PurchaseInvoiceVatEntity).createQueryBuilder('v').where('v.purchase_invoice_id IN (:...ids)', { ids }).orderBy('v.idx').getMany(),
          m.getRepository(PurchaseInvoiceLineEntity).createQueryBuilder('l').where('l.purchase_invoice_id IN (:...ids)', { ids }).orderBy('l.idx').getMany(),
        ])
      : [[], []];
    return {
      items: invoices.map((invoice) => ({
        invoice,
        vat: vat.filter((x) => x.purchaseInvoiceId === invoice.id),
        lines: lines.filter((x) => x.purchaseInvoiceId === invoice.id),
      })),
      total,
    };
  }

  private params(v: NewPurchaseInvoice): unknown[] {
    return [
      v.id,
      v.source,
      v.sourceDocumentId ?? null,
      v.sourceReference ?? null,
      v.supplierName ?? null,
      v.supplierCif,
      v.supplierVatId ?? null,
      v.supplierTradeRegister ?? null,
      v.buyerName ?? null,
      v.buyerCif ?? null,
      v.series ?? null,
      v.number,
      v.issueDate,
      v.dueDate ?? null,
      v.currency ?? 'RON',
      v.netTotal ?? null,
      v.vatTotal ?? null,
      v.payableTotal ?? null,
      v.iban ?? null,
      v.createdBy ?? null,
    ];
  }

  private async children(m: EntityManager, v: NewPurchaseInvoice): Promise<void> {
    if (v.vat?.length) {
      await m.insert(
        PurchaseInvoiceVatEntity,
        v.vat.map((x, idx) => ({ purchaseInvoiceId: v.id, idx, rate: x.rate, base: x.base, amount: x.amount, categoryCode: x.categoryCode ?? 'S' })),
      );
    }
    if (v.lines?.length) {
      await m.insert(PurchaseInvoiceLineEntity, v.lines.map((l, idx) => ({ ...l, purchaseInvoiceId: v.id, idx })));
    }
  }
}

/** What {@link recordReceivedInvoice} did. */
export type ReceivedRecordResult =
  /** First time this ANAF message is seen: a new purchase invoice. */
  | { outcome: 'created'; id: string }
  /** The same invoice came before by another path (e.g. a scan): stored flagged `duplicate_of` it. */
  | { outcome: 'flagged'; id: string; existingId: string }
  /** This ANAF message (`id_solicitare`) is recorded already: nothing written. */
  | { outcome: 'already'; id: string };

/** Thrown when a received invoice cannot be a purchase invoice of this schema (code `PURCHASE_INVOICE_UNRECORDABLE`). */
export class PurchaseInvoiceUnrecordableError extends CetateError {
  declare readonly code: 'PURCHASE_INVOICE_UNRECORDABLE';
  constructor(message: string) {
    super('PURCHASE_INVOICE_UNRECORDABLE', message, { status: 422 });
  }
}

/**
 * Records a supplier invoice received through ANAF e-Factura (issue 10 point 2; event
 * `invoicing.efactura.inbound-received`) as a draft purchase invoice, inside the caller's transaction:
 * - keyed by ANAF's `id_solicitare`: a message recorded before gives `already` and writes nothing (a repeated sync or a
 *   redelivered event never makes a second row);
 * - the same supplier CUI + BT-1 + BT-2 recorded before by another path (a scanned copy) gives `flagged`: the row is
 *   kept with `duplicate_of`, never counted twice (`purchase_invoice_identity_uq`);
 * - header (EN 16931 BG-22 totals, BT-6/BT-111, references), VAT breakdown (BG-23), lines (BG-25), allowances and
 *   charges (BG-20/BG-21), payment instructions (BG-16/BG-17), the ANAF keys, the archived ZIP and the taxpayer check.
 * @throws PurchaseInvoiceUnrecordableError when the supplier has no Romanian CUI (BT-31/BT-32), the identity key.
 */
export async function recordReceivedInvoice(m: EntityManager, ev: EfacturaInboundReceivedEvent, id: string): Promise<ReceivedRecordResult> {
  const known = rowsOf<{ id: string }>(await m.query(`SELECT id FROM purchases.purchase_invoice WHERE id_solicitare = $1`, [ev.idSolicitare]));
  if (known[0]) return { outcome: 'already', id: known[0].id };
  const inv = ev.invoice;
  if (!inv.supplier.cif || !/^\d{2,10}$/.test(inv.supplier.cif)) {
    throw new PurchaseInvoiceUnrecordableError(`received invoice ${inv.number} (id_solicitare ${ev.idSolicitare}) has no Romanian supplier CUI (BT-31/BT-32): ${inv.supplier.vatId ?? 'none'}`);
  }
  const transfer = inv.paymentMeans.find((p) => p.accountId);
  const vat = inv.vat.filter((v) => v.rate !== null);
  const r = await new PurchaseInvoiceRepository().record(
    m,
    {
      id,
      source: 'efactura',
      sourceReference: ev.idDescarcare,
      supplierName: inv.supplier.name,
      supplierCif: inv.supplier.cif,
      supplierVatId: inv.supplier.vatId,
      supplierTradeRegister: inv.supplier.tradeRegister,
      buyerName: inv.buyer.name,
      buyerCif: inv.buyer.cif,
      number: inv.number,
      issueDate: inv.issueDate,
      dueDate: inv.dueDate,
      currency: inv.currency,
      netTotal: inv.totals.net,
      vatTotal: inv.totals.vat,
      payableTotal: inv.totals.payable,
      iban: transfer?.accountId ?? null,
      vat: vat.map((v) => ({ rate: v.rate!, base: v.base, amount: v.amount, categoryCode: v.categoryCode })),
      lines: inv.lines.map((l) => ({
        lineId: l.lineId,
        name: l.name,
        quantity: l.quantity,
        unitCode: l.unitCode,
        unitPrice: l.unitPrice,
        netAmount: l.netAmount,
        vatCategoryCode: l.vatCategoryCode,
        vatRate: l.vatRate,
      })),
      createdBy: 'anaf-efactura',
    },
    'flag',
  );
  if (r.outcome === 'duplicate') throw new Error('unreachable: record with flag never refuses');
  const t = inv.totals;
  await m.query(
    `UPDATE purchases.purchase_invoice SET document_type = $2, type_code = $3, id_solicitare = $4, id_descarcare = $5, zip_object_key = $6,
       signature_verified = $7, received_at = $8, tax_currency = $9, line_net_total = $10, allowance_total = $11, charge_total = $12,
       vat_total_tax_currency = $13, prepaid_total = $14, rounding_amount = $15, buyer_reference = $16, order_reference = $17,
       preceding_invoice = $18, supplier_found = $19, supplier_vat_registered = $20, supplier_inactive = $21, supplier_checked_at = $22
     WHERE id = $1`,
    [
      r.id, inv.documentType, inv.typeCode, ev.idSolicitare, ev.idDescarcare, ev.zipObjectKey, ev.signatureVerified, ev.dataCreare,
      inv.taxCurrency, t.lineNet, t.allowances, t.charges, t.vatInTaxCurrency, t.prepaid, t.rounding, inv.buyerReference,
      inv.orderReference, inv.precedingInvoice, ev.supplierCheck?.found ?? null, ev.supplierCheck?.vatRegistered ?? null,
      ev.supplierCheck?.inactive ?? null, ev.supplierCheck?.checkedAt ?? null,
    ],
  );
  for (const [idx, a] of inv.allowanceCharges.entries()) {
    await m.query(
      `INSERT INTO purchases.purchase_invoice_allowance (purchase_invoice_id, idx, charge_indicator, amount, reason, reason_code, vat_category_code, vat_rate)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [r.id, idx, a.chargeIndicator, a.amount, a.reason, a.reasonCode, a.vatCategoryCode, a.vatRate],
    );
  }
  for (const [idx, p] of inv.paymentMeans.entries()) {
    await m.query(
      `INSERT INTO purchases.purchase_invoice_payment_means (purchase_invoice_id, idx, code, account_id, account_name, bic, payment_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [r.id, idx, p.code, p.accountId, p.accountName, p.bic, p.paymentId],
    );
  }
  return r.outcome === 'created' ? { outcome: 'created', id: r.id } : { outcome: 'flagged', id: r.id, existingId: r.existingId };
}
