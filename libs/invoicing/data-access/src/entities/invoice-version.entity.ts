import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * One version of an invoice: the source (JSON or imported XML) and the UBL XML stored in the tenant
 * bucket. Versions are never overwritten; a corrected invoice gets version n+1 (ANAF-EFACTURA.md,
 * "A rejected invoice cannot be corrected and re-sent while keeping its history").
 */
@Entity({ schema: 'invoicing', name: 'invoice_version' })
export class InvoiceVersionEntity {
  @PrimaryColumn({ type: 'uuid', name: 'invoice_id' })
  invoiceId!: string;

  @PrimaryColumn({ type: 'integer' })
  version!: number;

  /** The JSON document as posted (EN 16931 terms), when created from JSON. */
  @Column({ type: 'jsonb', name: 'source_json', nullable: true })
  sourceJson!: unknown;

  /** Object key (in bucket `cetate-<slug>`) of the UBL XML of this version. */
  @Column({ type: 'text', name: 'xml_object_key' })
  xmlObjectKey!: string;

  /** SHA-256 (hex) of the stored XML bytes. */
  @Column({ type: 'text', name: 'xml_sha256' })
  xmlSha256!: string;

  /** When "send to ANAF" was asked for this version (null: never). Unique per version. */
  @Column({ type: 'timestamptz', name: 'send_requested_at', nullable: true })
  sendRequestedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
