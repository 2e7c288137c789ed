import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * An invoice (or credit note) issued by the tenant, with its current e-Factura state.
 *
 * Amounts are `numeric(19,2)` read back as decimal strings (never floats). EN 16931 terms in comments.
 * The state machine is `@cetate/invoicing-domain` (`EFACTURA_STATES`, ARCHITECTURE.md §4).
 */
@Entity({ schema: 'invoicing', name: 'invoice' })
export class InvoiceEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** BT-1 invoice number. */
  @Column({ type: 'text' })
  number!: string;

  /** BT-2 issue date as written in the document (normally YYYY-MM-DD; an imported invalid date is kept
   * as is and reported by validation, e.g. BR-RO-DT001). */
  @Column({ type: 'text', name: 'issue_date', nullable: true })
  issueDate!: string | null;

  /** UBL root: `Invoice` or `CreditNote`. */
  @Column({ type: 'text', name: 'document_type' })
  documentType!: 'Invoice' | 'CreditNote';

  /** BT-3 invoice type code (380, 381, 384, 389, 751). */
  @Column({ type: 'text', name: 'type_code', nullable: true })
  typeCode!: string | null;

  /** BT-5 invoice currency code. */
  @Column({ type: 'text', name: 'currency_code' })
  currencyCode!: string;

  @Column({ type: 'text', name: 'seller_name', nullable: true })
  sellerName!: string | null;

  /** ANAF `cif` of the seller: digits of BT-31 without `RO` (or the tenant's CIF). */
  @Column({ type: 'text', name: 'seller_cif', nullable: true })
  sellerCif!: string | null;

  @Column({ type: 'text', name: 'buyer_name', nullable: true })
  buyerName!: string | null;

  /** BT-109 total without VAT. */
  @Column({ type: 'numeric', precision: 19, scale: 2, name: 'tax_exclusive_amount', nullable: true })
  taxExclusiveAmount!: string | null;

  /** BT-110 total VAT. */
  @Column({ type: 'numeric', precision: 19, scale: 2, name: 'tax_amount', nullable: true })
  taxAmount!: string | null;

  /** BT-115 amount due for payment. */
  @Column({ type: 'numeric', precision: 19, scale: 2, name: 'payable_amount', nullable: true })
  payableAmount!: string | null;

  /** How the invoice came in: created from JSON, or imported as UBL XML. */
  @Column({ type: 'text' })
  source!: 'json' | 'xml';

  /** Current version; every correction makes a new version and keeps the old XML. */
  @Column({ type: 'integer', name: 'current_version' })
  currentVersion!: number;

  /** e-Factura state (ARCHITECTURE.md §4). */
  @Column({ type: 'text', name: 'efactura_state' })
  efacturaState!: string;

  /** `seq` of the last worker event applied (older events are ignored). */
  @Column({ type: 'integer', name: 'efactura_seq', default: -1 })
  efacturaSeq!: number;

  /* The e-Factura columns below describe the CURRENT version; every version keeps its own in `invoice_version`. */

  /** ANAF `index_incarcare` of the current version's upload. */
  @Column({ type: 'text', name: 'index_incarcare', nullable: true })
  indexIncarcare!: string | null;

  /** ANAF `id_descarcare` of the answer. */
  @Column({ type: 'text', name: 'id_descarcare', nullable: true })
  idDescarcare!: string | null;

  /** Sorted distinct rule ids that failed (local validation or ANAF's error report). */
  @Column({ type: 'text', array: true, name: 'fatal_rule_ids', default: () => "'{}'" })
  fatalRuleIds!: string[];

  /** Validation / ANAF messages `{ ruleId?, flag, message }[]`. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  messages!: Array<{ ruleId?: string; flag: string; message: string }>;

  /** Reason of `failed` / `unknown`. */
  @Column({ type: 'text', name: 'state_reason', nullable: true })
  stateReason!: string | null;

  /** Object key of the signed ANAF ZIP (accepted) or the error ZIP (rejected). */
  @Column({ type: 'text', name: 'anaf_zip_key', nullable: true })
  anafZipKey!: string | null;

  /**
   * RO e-Factura transmission deadline (`YYYY-MM-DD`): the 5th Romanian working day after BT-2
   * (`efacturaTransmissionDeadline` of `@cetate/invoicing-domain`, OUG 120/2021 art. 10); `null` when BT-2 is no date.
   * Stored so that the list can filter on it (`GET /v1/invoices?due=`); written with every version.
   */
  @Column({ type: 'date', name: 'efactura_deadline', nullable: true })
  efacturaDeadline!: string | null;

  /** For a credit note made by `POST /v1/invoices/:id/credit-note`: the invoice it credits (BG-3 points at it too). */
  @Column({ type: 'uuid', name: 'credited_invoice_id', nullable: true })
  creditedInvoiceId!: string | null;

  @Column({ type: 'text', name: 'created_by', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
