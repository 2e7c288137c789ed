import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DocumentMimeType, DocumentStatus, ExtractedFields } from '@cetate/documents-contracts';

/** `bigint` columns come back from `pg` as strings; sizes here stay far below 2^53. */
const bigintAsNumber = { to: (v: number) => v, from: (v: string | number | null) => (v === null ? null : Number(v)) };

/**
 * One uploaded file in schema `documents` of the tenant database (`DocumentsSchema1765300000000`): where it is in the
 * tenant bucket, what the OCR worker read in it and what became of it. The worker writes `status`, `pages`,
 * `pages_done`, `progress`, `source`, `fields`, `error_*` while it holds the lease (`runs` is the fencing token);
 * `documents-api` writes the rest.
 */
@Entity({ schema: 'documents', name: 'document' })
export class DocumentEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** Full object key in the tenant bucket, `documents/...`. */
  @Column({ type: 'text', name: 'object_key' })
  objectKey!: string;

  @Column({ type: 'text' })
  filename!: string;

  /** From the magic bytes. */
  @Column({ type: 'text' })
  mime!: DocumentMimeType;

  /** Bytes. */
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  size!: number;

  /** Hex SHA-256 of the file. */
  @Column({ type: 'text' })
  sha256!: string;

  @Column({ type: 'text' })
  status!: DocumentStatus;

  @Column({ type: 'text', name: 'error_code', nullable: true })
  errorCode!: string | null;

  @Column({ type: 'text', name: 'error_message', nullable: true })
  errorMessage!: string | null;

  @Column({ type: 'integer', nullable: true })
  pages!: number | null;

  @Column({ type: 'integer', name: 'pages_done', default: 0 })
  pagesDone!: number;

  /** 0..1. */
  @Column({ type: 'double precision', default: 0 })
  progress!: number;

  @Column({ type: 'text', nullable: true })
  source!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  fields!: ExtractedFields | null;

  /** Extraction runs started (fencing token of the lease). */
  @Column({ type: 'integer', default: 0 })
  runs!: number;

  @Column({ type: 'timestamptz', name: 'lease_until', nullable: true })
  leaseUntil!: Date | null;

  @Column({ type: 'uuid', name: 'purchase_invoice_id', nullable: true })
  purchaseInvoiceId!: string | null;

  /** The purchase invoice this document duplicates (flagged at confirmation). */
  @Column({ type: 'uuid', name: 'duplicate_of', nullable: true })
  duplicateOf!: string | null;

  @Column({ type: 'text', name: 'correlation_id', nullable: true })
  correlationId!: string | null;

  @Column({ type: 'text', name: 'created_by', nullable: true })
  createdBy!: string | null;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ type: 'timestamptz', name: 'processing_started_at', nullable: true })
  processingStartedAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'extracted_at', nullable: true })
  extractedAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'confirmed_at', nullable: true })
  confirmedAt!: Date | null;
}
