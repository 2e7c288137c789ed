import { Column, Entity, PrimaryColumn } from 'typeorm';

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

  /** `new` → `validating` → `invalid` | `uploading` → `submitted` | `unknown` → `accepted` | `rejected` | `failed`;
   * `upload-pending`: an upload ANAF certainly did not take (or reconciliation proved absent), to be repeated. */
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

  /** `stareMesaj` calls the status sync made for this upload on `poll_day` (Europe/Bucharest): its fallback when the
   * message list has not shown the upload; ANAF's limit itself is enforced by the quota ledger (`efactura.anaf_quota`). */
  @Column({ type: 'integer', name: 'poll_count', default: 0 })
  pollCount!: number;

  @Column({ type: 'text', name: 'poll_day', nullable: true })
  pollDay!: string | null;

  /** Last event `seq` emitted for this submission. */
  @Column({ type: 'integer', default: -1 })
  seq!: number;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** The `anaf.efactura.submit` payload this submission carries out (re-sent when an unknown upload must be repeated). */
  @Column({ type: 'jsonb', nullable: true })
  command!: object | null;

  /** Correlation id of the send that started it (events of the status sync carry it too). */
  @Column({ type: 'text', name: 'correlation_id', nullable: true })
  correlationId!: string | null;

  /** When ANAF's answer was last asked with `stareMesaj` (the fallback for an upload the message list has not shown). */
  @Column({ type: 'timestamptz', name: 'last_stare_at', nullable: true })
  lastStareAt!: Date | null;

  /** Object key of ANAF's answer ZIP archived in the tenant bucket. */
  @Column({ type: 'text', name: 'answer_zip_key', nullable: true })
  answerZipKey!: string | null;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}
