import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Creates schema `purchases`: supplier invoices received, whichever way they came (`source`: `ocr` from an uploaded
 * document, `efactura` from the inbound e-Factura sync of issue 10). Columns follow EN 16931 (the BT-/BG- term of each
 * is in its comment). An invoice is identified by supplier CUI + number (BT-1, compared without spaces, dashes or
 * other separators, upper case) + issue date (BT-2): a partial unique index keeps one non-duplicate row per identity,
 * so a second arrival of the same invoice is flagged (`duplicate_of`) or refused, never counted twice.
 */
export class PurchasesSchema1765300100000 implements MigrationInterface {
  name = 'PurchasesSchema1765300100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS purchases`);
    await q.query(`CREATE TABLE IF NOT EXISTS purchases.purchase_invoice (
      id uuid PRIMARY KEY,
      status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','confirmed')),
      source text NOT NULL CHECK (source IN ('ocr','efactura')),
      source_document_id uuid,
      source_reference text,
      duplicate_of uuid REFERENCES purchases.purchase_invoice(id),
      supplier_name text,
      supplier_cif text NOT NULL CHECK (supplier_cif ~ '^[0-9]{2,10}$'),
      supplier_vat_id text,
      supplier_trade_register text,
      buyer_name text,
      buyer_cif text CHECK (buyer_cif ~ '^[0-9]{2,13}$'),
      series text,
      number text NOT NULL CHECK (length(number) > 0),
      number_key text GENERATED ALWAYS AS (upper(regexp_replace(number, '[^A-Za-z0-9]+', '', 'g'))) STORED,
      issue_date date NOT NULL,
      due_date date,
      currency text NOT NULL DEFAULT 'RON' CHECK (currency ~ '^[A-Z]{3}$'),
      net_total numeric(19,2),
      vat_total numeric(19,2),
      payable_total numeric(19,2),
      iban text,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE UNIQUE INDEX IF NOT EXISTS purchase_invoice_identity_uq
      ON purchases.purchase_invoice (supplier_cif, number_key, issue_date) WHERE duplicate_of IS NULL`);
    await q.query(`CREATE INDEX IF NOT EXISTS purchase_invoice_created_idx ON purchases.purchase_invoice (created_at DESC, id)`);
    await q.query(`CREATE INDEX IF NOT EXISTS purchase_invoice_document_idx ON purchases.purchase_invoice (source_document_id) WHERE source_document_id IS NOT NULL`);
    await q.query(`CREATE TABLE IF NOT EXISTS purchases.purchase_invoice_vat (
      purchase_invoice_id uuid NOT NULL REFERENCES purchases.purchase_invoice(id) ON DELETE CASCADE,
      idx integer NOT NULL,
      category_code text NOT NULL DEFAULT 'S',
      rate numeric(5,2) NOT NULL,
      base numeric(19,2) NOT NULL,
      amount numeric(19,2) NOT NULL,
      PRIMARY KEY (purchase_invoice_id, idx)
    )`);
    await q.query(`CREATE TABLE IF NOT EXISTS purchases.purchase_invoice_line (
      purchase_invoice_id uuid NOT NULL REFERENCES purchases.purchase_invoice(id) ON DELETE CASCADE,
      idx integer NOT NULL,
      line_id text NOT NULL,
      name text,
      quantity numeric(19,4),
      unit_code text,
      unit_price numeric(19,4),
      net_amount numeric(19,2),
      vat_category_code text,
      vat_rate numeric(5,2),
      PRIMARY KEY (purchase_invoice_id, idx)
    )`);
    const comments: Array<[string, string, string]> = [
      ['purchase_invoice', 'status', 'draft (proposed, to be checked) | confirmed (booked by the accountant)'],
      ['purchase_invoice', 'source', 'ocr (from documents.document) | efactura (inbound e-Factura sync)'],
      ['purchase_invoice', 'source_document_id', 'documents.document the fields were read from (source ocr)'],
      ['purchase_invoice', 'source_reference', 'reference of the source system (e-Factura id_descarcare for source efactura)'],
      ['purchase_invoice', 'duplicate_of', 'the first row of the same invoice (same supplier_cif, number_key, issue_date) when this one is a flagged duplicate'],
      ['purchase_invoice', 'supplier_name', 'BT-27 Seller name'],
      ['purchase_invoice', 'supplier_cif', 'Romanian CUI of the seller, digits only: BT-31 Seller VAT identifier without the RO prefix, or BT-32 Seller tax registration identifier'],
      ['purchase_invoice', 'supplier_vat_id', 'BT-31 Seller VAT identifier as printed (RO + digits) when VAT registered'],
      ['purchase_invoice', 'supplier_trade_register', 'BT-30 Seller legal registration identifier (trade register number J40/123/2020 or J2024000123004)'],
      ['purchase_invoice', 'buyer_name', 'BT-44 Buyer name'],
      ['purchase_invoice', 'buyer_cif', 'BT-48 Buyer VAT identifier without the RO prefix, or BT-47 Buyer legal registration identifier; digits'],
      ['purchase_invoice', 'series', 'invoice series as printed (the letters before the number; part of BT-1)'],
      ['purchase_invoice', 'number', 'BT-1 Invoice number (series and number together)'],
      ['purchase_invoice', 'number_key', 'BT-1 upper case without separators: the number part of the duplicate key'],
      ['purchase_invoice', 'issue_date', 'BT-2 Invoice issue date'],
      ['purchase_invoice', 'due_date', 'BT-9 Payment due date'],
      ['purchase_invoice', 'currency', 'BT-5 Invoice currency code (ISO 4217)'],
      ['purchase_invoice', 'net_total', 'BT-109 Invoice total amount without VAT'],
      ['purchase_invoice', 'vat_total', 'BT-110 Invoice total VAT amount'],
      ['purchase_invoice', 'payable_total', 'BT-115 Amount due for payment'],
      ['purchase_invoice', 'iban', 'BT-84 Payment account identifier (IBAN, ISO 13616, compact upper case)'],
      ['purchase_invoice_vat', 'category_code', 'BT-118 VAT category code (UNCL5305; S when read from a document)'],
      ['purchase_invoice_vat', 'rate', 'BT-119 VAT category rate, percent'],
      ['purchase_invoice_vat', 'base', 'BT-116 VAT category taxable amount'],
      ['purchase_invoice_vat', 'amount', 'BT-117 VAT category tax amount'],
      ['purchase_invoice_line', 'line_id', 'BT-126 Invoice line identifier'],
      ['purchase_invoice_line', 'name', 'BT-153 Item name'],
      ['purchase_invoice_line', 'quantity', 'BT-129 Invoiced quantity'],
      ['purchase_invoice_line', 'unit_code', 'BT-130 Invoiced quantity unit of measure code (UN/ECE Rec 20)'],
      ['purchase_invoice_line', 'unit_price', 'BT-146 Item net price'],
      ['purchase_invoice_line', 'net_amount', 'BT-131 Invoice line net amount'],
      ['purchase_invoice_line', 'vat_category_code', 'BT-151 Invoiced item VAT category code'],
      ['purchase_invoice_line', 'vat_rate', 'BT-152 Invoiced item VAT rate, percent'],
    ];
    for (const [table, col, text] of comments) {
      await q.query(`COMMENT ON COLUMN purchases.${table}.${col} IS '${text.replace(/'/g, "''")}'`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA IF EXISTS purchases CASCADE`);
  }
}
