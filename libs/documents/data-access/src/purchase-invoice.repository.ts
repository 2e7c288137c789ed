import type { EntityManager } from 'typeorm';
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
