import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The status sync of e-Factura uploads (issue 7): per seller CIF one schedule row (`efactura.status_sync`), ANAF's call
 * quotas counted in the tenant database so that several worker processes share them (`efactura.anaf_quota`),
 * the ANAF messages reconciliation inspected (`efactura.anaf_message`: one not ours is downloaded once, ever), and the
 * submission columns the sync needs (the command to repeat an upload, the correlation id, the last `stareMesaj`,
 * the archived answer ZIP).
 */
export class EfacturaStatusSync1764700000000 implements MigrationInterface {
  name = 'EfacturaStatusSync1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE efactura.submission
      ADD COLUMN IF NOT EXISTS command jsonb,
      ADD COLUMN IF NOT EXISTS correlation_id text,
      ADD COLUMN IF NOT EXISTS last_stare_at timestamptz,
      ADD COLUMN IF NOT EXISTS answer_zip_key text`);
    // the status sync reads the outstanding uploads of one CIF
    await q.query(`CREATE INDEX IF NOT EXISTS submission_outstanding_idx ON efactura.submission (cif, upload_started_at)
      WHERE status IN ('submitted', 'unknown', 'upload-pending')`);
    await q.query(`CREATE TABLE IF NOT EXISTS efactura.status_sync (
      cif text PRIMARY KEY,
      generation integer NOT NULL DEFAULT 0,
      scheduled_for timestamptz,
      lease_owner text,
      lease_until timestamptz,
      runs integer NOT NULL DEFAULT 0,
      last_run_at timestamptz,
      last_error text,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE IF NOT EXISTS efactura.anaf_quota (
      period text NOT NULL,
      endpoint text NOT NULL,
      key text NOT NULL,
      used integer NOT NULL,
      PRIMARY KEY (period, endpoint, key)
    )`);
    // what reconciliation learned from ANAF messages it downloaded: each one is inspected once, ever
    await q.query(`CREATE TABLE IF NOT EXISTS efactura.anaf_message (
      id_descarcare text PRIMARY KEY,
      id_solicitare text NOT NULL,
      cif text NOT NULL,
      tip text NOT NULL,
      invoice_sha256 text,
      seen_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS efactura.anaf_message`);
    await q.query(`DROP TABLE IF EXISTS efactura.anaf_quota`);
    await q.query(`DROP TABLE IF EXISTS efactura.status_sync`);
    await q.query(`DROP INDEX IF EXISTS efactura.submission_outstanding_idx`);
    await q.query(`ALTER TABLE efactura.submission DROP COLUMN IF EXISTS command, DROP COLUMN IF EXISTS correlation_id,
      DROP COLUMN IF EXISTS last_stare_at, DROP COLUMN IF EXISTS answer_zip_key`);
  }
}
