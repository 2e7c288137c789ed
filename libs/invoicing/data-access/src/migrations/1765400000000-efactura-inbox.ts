import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inbound e-Factura (issue 10 point 2): what the inbox sync of each tenant company (CIF) read from ANAF's SPV.
 * - `efactura.inbox_sync_run`: one row per run (asked by the schedule or a person), with its counts, so a caller can
 *   wait for it and an operator can see what each run found; `schedule_slot` makes a scheduled run unique per CIF and
 *   time slot (several worker replicas schedule the same slot once).
 * - `efactura.inbox_cursor`: per CIF and list filter (`P`, `R`), the instant up to which every listed message is
 *   recorded in `inbox_message`: a scheduled run lists from there (less an overlap); the whole 60-day window is listed
 *   again by a run a person asked for and at least once a day (`full_sweep_at`), so a message ANAF indexes late is
 *   still found before it is deleted.
 * - `efactura.inbox_message`: one row per ANAF message (`id` = `id_descarcare`), its state (`listed` → `archived` →
 *   `recorded`, or `failed` with a reason), the archived ZIP and the signature check. A message is downloaded once:
 *   the row says it is archived, and a run that died between the download and this row finds the ZIP in the bucket.
 */
export class EfacturaInbox1765400000000 implements MigrationInterface {
  name = 'EfacturaInbox1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE IF NOT EXISTS efactura.inbox_sync_run (
      id uuid PRIMARY KEY,
      cif text NOT NULL CHECK (cif ~ '^[0-9]{2,10}$'),
      trigger text NOT NULL CHECK (trigger IN ('schedule','manual')),
      schedule_slot text,
      status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','running','done','failed','skipped')),
      requested_by text,
      requested_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      finished_at timestamptz,
      window_start timestamptz,
      window_end timestamptz,
      listed integer NOT NULL DEFAULT 0,
      new_messages integer NOT NULL DEFAULT 0,
      archived integer NOT NULL DEFAULT 0,
      received_invoices integer NOT NULL DEFAULT 0,
      buyer_messages integer NOT NULL DEFAULT 0,
      failed integer NOT NULL DEFAULT 0,
      pending integer NOT NULL DEFAULT 0,
      error text
    )`);
    await q.query(`CREATE UNIQUE INDEX IF NOT EXISTS inbox_sync_run_slot_uq ON efactura.inbox_sync_run (cif, schedule_slot) WHERE schedule_slot IS NOT NULL`);
    await q.query(`CREATE INDEX IF NOT EXISTS inbox_sync_run_recent_idx ON efactura.inbox_sync_run (cif, requested_at DESC)`);
    await q.query(`CREATE TABLE IF NOT EXISTS efactura.inbox_cursor (
      cif text NOT NULL,
      filtru text NOT NULL CHECK (filtru IN ('P','R')),
      synced_until timestamptz NOT NULL,
      full_sweep_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (cif, filtru)
    )`);
    await q.query(`CREATE TABLE IF NOT EXISTS efactura.inbox_message (
      id_descarcare text PRIMARY KEY,
      id_solicitare text NOT NULL,
      cif text NOT NULL,
      filtru text NOT NULL CHECK (filtru IN ('P','R')),
      tip text NOT NULL,
      detalii text,
      data_creare timestamptz,
      cif_emitent text,
      cif_beneficiar text,
      status text NOT NULL DEFAULT 'listed' CHECK (status IN ('listed','archived','recorded','failed')),
      attempts integer NOT NULL DEFAULT 0,
      zip_object_key text,
      xml_sha256 text,
      signature_valid boolean,
      signature_reason text,
      invoice_number text,
      supplier_cif text,
      payable_amount numeric(19,2),
      currency text,
      error_code text,
      error text,
      first_run_id uuid,
      archived_run_id uuid,
      recorded_run_id uuid,
      failed_run_id uuid,
      listed_at timestamptz NOT NULL DEFAULT now(),
      archived_at timestamptz,
      recorded_at timestamptz
    )`);
    await q.query(`CREATE INDEX IF NOT EXISTS inbox_message_pending_idx ON efactura.inbox_message (cif, data_creare) WHERE status IN ('listed','archived')`);
    await q.query(`CREATE INDEX IF NOT EXISTS inbox_message_solicitare_idx ON efactura.inbox_message (id_solicitare)`);
    // a run's counts are recounted from these at its end (exact even when a worker died in the middle of it)
    await q.query(`CREATE INDEX IF NOT EXISTS inbox_message_first_run_idx ON efactura.inbox_message (first_run_id)`);
    await q.query(`CREATE INDEX IF NOT EXISTS inbox_message_archived_run_idx ON efactura.inbox_message (archived_run_id)`);
    await q.query(`CREATE INDEX IF NOT EXISTS inbox_message_recorded_run_idx ON efactura.inbox_message (recorded_run_id)`);
    const comments: Array<[string, string, string]> = [
      ['inbox_sync_run', 'cif', 'the tenant company whose SPV inbox was read (ANAF cif parameter, digits)'],
      ['inbox_sync_run', 'schedule_slot', 'scheduled runs: the time slot (ISO minute) they belong to; one run per CIF and slot'],
      ['inbox_sync_run', 'status', 'queued | running | done | failed (the run stopped; what it recorded stays) | skipped (company not authorised or refused)'],
      ['inbox_sync_run', 'window_start', 'startTime of listaMesajePaginatieFactura (the earliest of the two filters)'],
      ['inbox_sync_run', 'listed', 'messages the list answered in this run (P and R)'],
      ['inbox_sync_run', 'new_messages', 'of them, not seen before'],
      ['inbox_sync_run', 'archived', 'ZIPs downloaded (descarcare) and archived in this run'],
      ['inbox_sync_run', 'received_invoices', 'supplier invoices (P) handed to purchases in this run'],
      ['inbox_sync_run', 'buyer_messages', 'buyer messages (R) archived and recorded in this run'],
      ['inbox_sync_run', 'pending', 'messages of the CIF still to download or record when the run ended'],
      ['inbox_cursor', 'synced_until', 'every message listed with data_creare up to this instant is in inbox_message'],
      ['inbox_cursor', 'full_sweep_at', 'last run that listed the whole 60-day window (a message indexed late is found by the next sweep)'],
      ['inbox_message', 'id_descarcare', 'ANAF id of the message (descarcare id)'],
      ['inbox_message', 'id_solicitare', "ANAF id_solicitare: the upload index of the supplier's upload (P), or of the message (R)"],
      ['inbox_message', 'filtru', 'list filter it came from: P (FACTURA PRIMITA) or R (buyer message)'],
      ['inbox_message', 'data_creare', 'ANAF data_creare (Europe/Bucharest minute) as an instant'],
      ['inbox_message', 'status', 'listed | archived (signed ZIP in the bucket) | recorded (handed to purchases, or a buyer message kept) | failed'],
      ['inbox_message', 'first_run_id', 'the run that listed it first'],
      ['inbox_message', 'archived_run_id', 'the run that downloaded and archived it'],
      ['inbox_message', 'recorded_run_id', 'the run that handed it over (or recorded a buyer message)'],
      ['inbox_message', 'failed_run_id', 'the run that left it failed'],
      ['inbox_message', 'attempts', 'download or record attempts that failed so far (retried by later runs)'],
      ['inbox_message', 'zip_object_key', 'the signed ZIP as archived in the tenant bucket (kept after ANAF deletes it at 60 days)'],
      ['inbox_message', 'signature_valid', "the ZIP's XMLDSig signature checked against its XML"],
      ['inbox_message', 'invoice_number', 'BT-1 of the received invoice'],
      ['inbox_message', 'supplier_cif', 'BT-31/BT-32 digits of the supplier'],
      ['inbox_message', 'payable_amount', 'BT-115 of the received invoice'],
    ];
    for (const [table, col, text] of comments) {
      await q.query(`COMMENT ON COLUMN efactura.${table}.${col} IS '${text.replace(/'/g, "''")}'`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS efactura.inbox_message`);
    await q.query(`DROP TABLE IF EXISTS efactura.inbox_cursor`);
    await q.query(`DROP TABLE IF EXISTS efactura.inbox_sync_run`);
  }
}
