import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Creates schema `invoicing` with invoices, their versions and history. */
export class InvoicingSchema1732190000000 implements MigrationInterface {
  name = 'InvoicingSchema1732190000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS invoicing`);
    await q.query(`CREATE TABLE IF NOT EXISTS invoicing.invoice (
      id uuid PRIMARY KEY,
      number text NOT NULL,
      issue_date text,
      document_type text NOT NULL CHECK (document_type IN ('Invoice','CreditNote')),
      type_code text,
      currency_code text NOT NULL,
      seller_name text, seller_cif text, buyer_name text,
      tax_exclusive_amount numeric(19,2), tax_amount numeric(19,2), payable_amount numeric(19,2),
      source text NOT NULL CHECK (source IN ('json','xml')),
      current_version integer NOT NULL,
      efactura_state text NOT NULL,
      efactura_seq integer NOT NULL DEFAULT -1,
      index_incarcare text, id_descarcare text,
      fatal_rule_ids text[] NOT NULL DEFAULT '{}',
      messages jsonb NOT NULL DEFAULT '[]',
      state_reason text, anaf_zip_key text, created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX IF NOT EXISTS invoice_state_idx ON invoicing.invoice (efactura_state, created_at DESC)`);
    await q.query(`CREATE TABLE IF NOT EXISTS invoicing.invoice_version (
      invoice_id uuid NOT NULL REFERENCES invoicing.invoice(id),
      version integer NOT NULL,
      source_json jsonb,
      xml_object_key text NOT NULL,
      xml_sha256 text NOT NULL,
      send_requested_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (invoice_id, version)
    )`);
    await q.query(`CREATE TABLE IF NOT EXISTS invoicing.invoice_history (
      id bigserial PRIMARY KEY,
      invoice_id uuid NOT NULL REFERENCES invoicing.invoice(id),
      version integer NOT NULL,
      event text NOT NULL,
      state text NOT NULL,
      detail jsonb NOT NULL DEFAULT '{}',
      trace_id text,
      at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX IF NOT EXISTS invoice_history_invoice_idx ON invoicing.invoice_history (invoice_id, at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA IF EXISTS invoicing CASCADE`);
  }
}
