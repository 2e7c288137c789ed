import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The worker's durable record of one upload attempt, keyed by the command's idempotency key
 * (`<invoiceId>:v<invoiceVersion>`), in schema `efactura` of the tenant database.
 *
 * It is written BEFORE the upload (`uploading`) and after each step, so that a worker killed at any
 * point resumes from the record on redelivery and never uploads the same version twice: `uploading`
 * without `index_incarcare` means the outcome is unknown and is reconciled through ANAF's message list
 * (ARCHITECTURE.md §4).
 */
@Entity({ schema: 'efactura', name: 'submission' })
export class SubmissionEntity {
  @PrimaryColumn({ type: 'text', name: 'idempotency_key' })
  idempotencyKey!: string;

  @Column({ type: 'uuid', name: 'invoice_id' })
  invoiceId!: string;

  @Column({ type: 'integer', name: 'invoice_version' })
  invoiceVersion!: number;

  /** `new` → `validating` → `invalid` | `uploading` → `submitted` | `unknown` → `accepted` | `rejected` | `failed`. */
  @Column({ type: 'text' })
  status!: string;

  /** ANAF upload `cif`. */
  @Column({ type: 'text' })
  cif!: string;

  /** SHA-256 (hex) of the uploaded XML bytes, used to recognise our upload in ANAF's message list. */
  @Column({ type: 'text', name: 'xml_sha256' })
  xmlSha256!: string;

  @Column({ type: 'text', name: 'index_incarcare', nullable: true })
  indexIncarcare!: string | null;

  @Column({ type: 'text', name: 'id_descarcare', nullable: true })
  idDescarcare!: string | null;

  /** Number of upload attempts that may have reached ANAF (0 or 1 unless reconciliation proved otherwise). */
  @Column({ type: 'integer', name: 'upload_attempts', default: 0 })
  uploadAttempts!: number;

  @Column({ type: 'timestamptz', name: 'upload_started_at', nullable: true })
  uploadStartedAt!: Date | null;

  /** stareMesaj calls made on `poll_day` (Europe/Bucharest), to stay inside ANAF's daily limit per index. */
  @Column({ type: 'integer', name: 'poll_count', default: 0 })
  pollCount!: number;

  @Column({ type: 'text', name: 'poll_day', nullable: true })
  pollDay!: string | null;

  /** Last event `seq` emitted for this submission. */
  @Column({ type: 'integer', default: -1 })
  seq!: number;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}

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
