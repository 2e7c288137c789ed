import type { MigrationInterface, QueryRunner } from 'typeorm';
import { efacturaDeadlineOf } from '@cetate/invoicing-domain';

/**
 * Issue 7 points 4-6 in schema `invoicing`:
 * - every version keeps its own e-Factura outcome (`invoice_version.efactura_state`, `efactura_seq`, `index_incarcare`,
 *   `id_descarcare`, `anaf_zip_key`, `fatal_rule_ids`, `messages`, `state_reason`), copied for the current version
 *   from `invoice`, and whether it goes to `uploadb2c` (`b2c`, filled for versions created from JSON; an imported XML
 *   version not yet sent keeps `false`, i.e. `upload`);
 * - `invoice.credited_invoice_id`: the invoice a credit note credits;
 * - `invoice.efactura_deadline`: the RO e-Factura transmission deadline, computed here for existing invoices with
 *   `efacturaDeadlineOf` (5th Romanian working day after BT-2);
 * - `invoicing.settings`: the module's per-tenant settings (`efactura`: automatic sending).
 */
export class InvoiceCorrectionsCreditNotesDeadline1764800000000 implements MigrationInterface {
  name = 'InvoiceCorrectionsCreditNotesDeadline1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE invoicing.invoice_version
      ADD COLUMN IF NOT EXISTS b2c boolean NOT NULL DEFAULT false,
      ADD COLUMN IF NOT EXISTS efactura_state text NOT NULL DEFAULT 'draft',
      ADD COLUMN IF NOT EXISTS efactura_seq integer NOT NULL DEFAULT -1,
      ADD COLUMN IF NOT EXISTS index_incarcare text,
      ADD COLUMN IF NOT EXISTS id_descarcare text,
      ADD COLUMN IF NOT EXISTS anaf_zip_key text,
      ADD COLUMN IF NOT EXISTS fatal_rule_ids text[] NOT NULL DEFAULT '{}',
      ADD COLUMN IF NOT EXISTS messages jsonb NOT NULL DEFAULT '[]',
      ADD COLUMN IF NOT EXISTS state_reason text`);
    await q.query(`UPDATE invoicing.invoice_version v
      SET efactura_state = i.efactura_state, efactura_seq = i.efactura_seq, index_incarcare = i.index_incarcare,
          id_descarcare = i.id_descarcare, anaf_zip_key = i.anaf_zip_key, fatal_rule_ids = i.fatal_rule_ids,
          messages = i.messages, state_reason = i.state_reason
      FROM invoicing.invoice i
      WHERE v.invoice_id = i.id AND v.version = i.current_version`);
    // B2C (isB2cBuyer): no BT-48 and BT-47 a CNP or thirteen zeros
    await q.query(`UPDATE invoicing.invoice_version SET b2c = true
      WHERE source_json IS NOT NULL
        AND coalesce(btrim(source_json->'buyer'->>'vatIdentifier'), '') = ''
        AND btrim(source_json->'buyer'->>'legalRegistrationId') ~ '^[0-9]{13}$'`);

    await q.query(`ALTER TABLE invoicing.invoice
      ADD COLUMN IF NOT EXISTS efactura_deadline date,
      ADD COLUMN IF NOT EXISTS credited_invoice_id uuid REFERENCES invoicing.invoice(id)`);
    await q.query(`CREATE INDEX IF NOT EXISTS invoice_deadline_idx ON invoicing.invoice (efactura_deadline, efactura_state)`);
    await q.query(`CREATE INDEX IF NOT EXISTS invoice_credited_idx ON invoicing.invoice (credited_invoice_id) WHERE credited_invoice_id IS NOT NULL`);
    const dates = (await q.query(`SELECT DISTINCT issue_date FROM invoicing.invoice WHERE issue_date IS NOT NULL AND efactura_deadline IS NULL`)) as Array<{ issue_date: string }>;
    const pairs = dates.map((d) => [d.issue_date, efacturaDeadlineOf(d.issue_date)] as const).filter((p): p is readonly [string, string] => p[1] !== null);
    if (pairs.length) {
      await q.query(
        `UPDATE invoicing.invoice i SET efactura_deadline = x.deadline
         FROM unnest($1::text[], $2::date[]) AS x(issue_date, deadline)
         WHERE i.issue_date = x.issue_date AND i.efactura_deadline IS NULL`,
        [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
      );
    }

    await q.query(`CREATE TABLE IF NOT EXISTS invoicing.settings (
      key text PRIMARY KEY,
      value jsonb NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by text
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS invoicing.settings`);
    await q.query(`DROP INDEX IF EXISTS invoicing.invoice_credited_idx`);
    await q.query(`DROP INDEX IF EXISTS invoicing.invoice_deadline_idx`);
    await q.query(`ALTER TABLE invoicing.invoice DROP COLUMN IF EXISTS credited_invoice_id, DROP COLUMN IF EXISTS efactura_deadline`);
    await q.query(`ALTER TABLE invoicing.invoice_version
      DROP COLUMN IF EXISTS b2c, DROP COLUMN IF EXISTS efactura_state, DROP COLUMN IF EXISTS efactura_seq,
      DROP COLUMN IF EXISTS index_incarcare, DROP COLUMN IF EXISTS id_descarcare, DROP COLUMN IF EXISTS anaf_zip_key,
      DROP COLUMN IF EXISTS fatal_rule_ids, DROP COLUMN IF EXISTS messages, DROP COLUMN IF EXISTS state_reason`);
  }
}
