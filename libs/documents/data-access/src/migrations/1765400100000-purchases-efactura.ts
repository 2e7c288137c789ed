import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Purchase invoices received through ANAF e-Factura (issue 10 point 2): the ANAF keys and archive of each, what the
 * UBL says beyond what a scan gives (document type, the other totals of BG-22, BT-6/BT-111, references), the
 * supplier check of the taxpayer lookup, and two child tables: document-level allowances and charges (BG-20/BG-21)
 * and payment instructions (BG-16/BG-17).
 *
 * `id_solicitare` (ANAF's upload index of the supplier's upload) is unique over every row, flagged duplicates included:
 * one ANAF message is one row, however many times the sync or its event is repeated. The same supplier CUI + number
 * + date arriving by another path (a scan) is still caught by `purchase_invoice_identity_uq` and flagged.
 */
export class PurchasesEfactura1765400100000 implements MigrationInterface {
  name = 'PurchasesEfactura1765400100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE purchases.purchase_invoice
      ADD COLUMN IF NOT EXISTS document_type text NOT NULL DEFAULT 'Invoice' CHECK (document_type IN ('Invoice','CreditNote')),
      ADD COLUMN IF NOT EXISTS type_code text,
      ADD COLUMN IF NOT EXISTS id_solicitare text,
      ADD COLUMN IF NOT EXISTS id_descarcare text,
      ADD COLUMN IF NOT EXISTS zip_object_key text,
      ADD COLUMN IF NOT EXISTS signature_verified boolean,
      ADD COLUMN IF NOT EXISTS received_at timestamptz,
      ADD COLUMN IF NOT EXISTS tax_currency text,
      ADD COLUMN IF NOT EXISTS line_net_total numeric(19,2),
      ADD COLUMN IF NOT EXISTS allowance_total numeric(19,2),
      ADD COLUMN IF NOT EXISTS charge_total numeric(19,2),
      ADD COLUMN IF NOT EXISTS vat_total_tax_currency numeric(19,2),
      ADD COLUMN IF NOT EXISTS prepaid_total numeric(19,2),
      ADD COLUMN IF NOT EXISTS rounding_amount numeric(19,2),
      ADD COLUMN IF NOT EXISTS buyer_reference text,
      ADD COLUMN IF NOT EXISTS order_reference text,
      ADD COLUMN IF NOT EXISTS preceding_invoice text,
      ADD COLUMN IF NOT EXISTS supplier_found boolean,
      ADD COLUMN IF NOT EXISTS supplier_vat_registered boolean,
      ADD COLUMN IF NOT EXISTS supplier_inactive boolean,
      ADD COLUMN IF NOT EXISTS supplier_checked_at timestamptz`);
    await q.query(`CREATE UNIQUE INDEX IF NOT EXISTS purchase_invoice_id_solicitare_uq ON purchases.purchase_invoice (id_solicitare) WHERE id_solicitare IS NOT NULL`);
    await q.query(`CREATE TABLE IF NOT EXISTS purchases.purchase_invoice_allowance (
      purchase_invoice_id uuid NOT NULL REFERENCES purchases.purchase_invoice(id) ON DELETE CASCADE,
      idx integer NOT NULL,
      charge_indicator boolean NOT NULL,
      amount numeric(19,2) NOT NULL,
      reason text,
      reason_code text,
      vat_category_code text,
      vat_rate numeric(5,2),
      PRIMARY KEY (purchase_invoice_id, idx)
    )`);
    await q.query(`CREATE TABLE IF NOT EXISTS purchases.purchase_invoice_payment_means (
      purchase_invoice_id uuid NOT NULL REFERENCES purchases.purchase_invoice(id) ON DELETE CASCADE,
      idx integer NOT NULL,
      code text NOT NULL,
      account_id text,
      account_name text,
      bic text,
      payment_id text,
      PRIMARY KEY (purchase_invoice_id, idx)
    )`);
    const comments: Array<[string, string, string]> = [
      ['purchase_invoice', 'document_type', 'UBL root: Invoice or CreditNote'],
      ['purchase_invoice', 'type_code', 'BT-3 Invoice type code (UNTDID 1001: 380, 381, 384, 389, 751...)'],
      ['purchase_invoice', 'id_solicitare', "ANAF id_solicitare of the supplier's upload (source efactura): one row per ANAF message"],
      ['purchase_invoice', 'id_descarcare', 'ANAF id of the message the invoice was downloaded from'],
      ['purchase_invoice', 'zip_object_key', 'the signed ZIP as archived in the tenant bucket'],
      ['purchase_invoice', 'signature_verified', "the ZIP's XMLDSig signature verified against the invoice XML"],
      ['purchase_invoice', 'received_at', 'ANAF data_creare of the message (when the invoice reached the SPV)'],
      ['purchase_invoice', 'tax_currency', 'BT-6 VAT accounting currency code'],
      ['purchase_invoice', 'line_net_total', 'BT-106 Sum of Invoice line net amount'],
      ['purchase_invoice', 'allowance_total', 'BT-107 Sum of allowances on document level'],
      ['purchase_invoice', 'charge_total', 'BT-108 Sum of charges on document level'],
      ['purchase_invoice', 'vat_total_tax_currency', 'BT-111 Invoice total VAT amount in accounting currency'],
      ['purchase_invoice', 'prepaid_total', 'BT-113 Paid amount'],
      ['purchase_invoice', 'rounding_amount', 'BT-114 Rounding amount'],
      ['purchase_invoice', 'buyer_reference', 'BT-10 Buyer reference'],
      ['purchase_invoice', 'order_reference', 'BT-13 Purchase order reference'],
      ['purchase_invoice', 'preceding_invoice', 'BT-25 Preceding Invoice reference (credit notes)'],
      ['purchase_invoice', 'supplier_found', 'taxpayer lookup (PlatitorTvaRest v9): ANAF knows the supplier CUI'],
      ['purchase_invoice', 'supplier_vat_registered', 'taxpayer lookup: scpTVA on the issue date'],
      ['purchase_invoice', 'supplier_inactive', 'taxpayer lookup: statusInactivi on the issue date'],
      ['purchase_invoice', 'supplier_checked_at', 'when the taxpayer lookup answered'],
      ['purchase_invoice_allowance', 'charge_indicator', 'false: BG-20 Document level allowance; true: BG-21 Document level charge'],
      ['purchase_invoice_allowance', 'amount', 'BT-92 / BT-99'],
      ['purchase_invoice_allowance', 'reason', 'BT-97 / BT-104'],
      ['purchase_invoice_allowance', 'reason_code', 'BT-98 / BT-105'],
      ['purchase_invoice_allowance', 'vat_category_code', 'BT-95 / BT-102'],
      ['purchase_invoice_allowance', 'vat_rate', 'BT-96 / BT-103, percent'],
      ['purchase_invoice_payment_means', 'code', 'BT-81 Payment means type code (UNTDID 4461)'],
      ['purchase_invoice_payment_means', 'account_id', 'BT-84 Payment account identifier (IBAN)'],
      ['purchase_invoice_payment_means', 'account_name', 'BT-85 Payment account name'],
      ['purchase_invoice_payment_means', 'bic', 'BT-86 Payment service provider identifier'],
      ['purchase_invoice_payment_means', 'payment_id', 'BT-83 Remittance information'],
    ];
    for (const [table, col, text] of comments) {
      await q.query(`COMMENT ON COLUMN purchases.${table}.${col} IS '${text.replace(/'/g, "''")}'`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS purchases.purchase_invoice_payment_means`);
    await q.query(`DROP TABLE IF EXISTS purchases.purchase_invoice_allowance`);
    await q.query(`DROP INDEX IF EXISTS purchases.purchase_invoice_id_solicitare_uq`);
    for (const c of [
      'document_type', 'type_code', 'id_solicitare', 'id_descarcare', 'zip_object_key', 'signature_verified', 'received_at', 'tax_currency',
      'line_net_total', 'allowance_total', 'charge_total', 'vat_total_tax_currency', 'prepaid_total', 'rounding_amount', 'buyer_reference',
      'order_reference', 'preceding_invoice', 'supplier_found', 'supplier_vat_registered', 'supplier_inactive', 'supplier_checked_at',
    ]) {
      await q.query(`ALTER TABLE purchases.purchase_invoice DROP COLUMN IF EXISTS ${c}`);
    }
  }
}
