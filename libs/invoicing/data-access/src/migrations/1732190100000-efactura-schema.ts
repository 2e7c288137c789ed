import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Creates schema `efactura` with the submission table. */
export class EfacturaSchema1732190100000 implements MigrationInterface {
  name = 'EfacturaSchema1732190100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS efactura`);
    await q.query(`CREATE TABLE IF NOT EXISTS efactura.submission (
      idempotency_key text PRIMARY KEY,
      invoice_id uuid NOT NULL,
      invoice_version integer NOT NULL,
      status text NOT NULL,
      cif text NOT NULL,
      xml_sha256 text NOT NULL,
      index_incarcare text UNIQUE,
      id_descarcare text,
      upload_attempts integer NOT NULL DEFAULT 0,
      upload_started_at timestamptz,
      poll_count integer NOT NULL DEFAULT 0,
      poll_day text,
      seq integer NOT NULL DEFAULT -1,
      reason text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX IF NOT EXISTS submission_cif_status_idx ON efactura.submission (cif, status)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA IF EXISTS efactura CASCADE`);
  }
}
