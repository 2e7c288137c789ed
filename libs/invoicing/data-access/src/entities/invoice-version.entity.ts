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

  /**
   * The buyer has no CUI (no BT-48; BT-47 a CNP or thirteen zeros): this version is uploaded through `uploadb2c`
   * (`isB2cUbl` of `@cetate/invoicing-domain`), decided when the version is written.
   */
  @Column({ type: 'boolean', default: false })
  b2c!: boolean;

  /* This version's own e-Factura outcome: the worker's events for it are applied here whether or not it is still the
   * current version, so every upload and every ANAF answer of the invoice stays visible (issue 7 point 4). */

  /** e-Factura state of this version (`EFACTURA_STATES`); `draft` until it is sent. */
  @Column({ type: 'text', name: 'efactura_state', default: 'draft' })
  efacturaState!: string;

  /** `seq` of the last worker event applied to this version (older events are ignored). */
  @Column({ type: 'integer', name: 'efactura_seq', default: -1 })
  efacturaSeq!: number;

  /** ANAF `index_incarcare` of this version's upload. */
  @Column({ type: 'text', name: 'index_incarcare', nullable: true })
  indexIncarcare!: string | null;

  /** ANAF `id_descarcare` of the answer to this version's upload. */
  @Column({ type: 'text', name: 'id_descarcare', nullable: true })
  idDescarcare!: string | null;

  /** Object key of the ZIP ANAF answered for this version (signed invoice or error report). */
  @Column({ type: 'text', name: 'anaf_zip_key', nullable: true })
  anafZipKey!: string | null;

  /** Sorted distinct rule ids that failed for this version (local validation or ANAF's error report). */
  @Column({ type: 'text', array: true, name: 'fatal_rule_ids', default: () => "'{}'" })
  fatalRuleIds!: string[];

  /** Validation / ANAF messages of this version `{ ruleId?, flag, message }[]`. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  messages!: Array<{ ruleId?: string; flag: string; message: string }>;

  /** Reason of `failed` / `unknown` for this version. */
  @Column({ type: 'text', name: 'state_reason', nullable: true })
  stateReason!: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
