/**
 * The JSON views `invoicing-api` answers with (README "HTTP API of invoicing-api"), shared by the API and its
 * clients (invoicing-ui, the CLI, the demo) as types only. Amounts are decimal strings, dates ISO 8601.
 */

/** What `GET /v1/invoices` lists and `POST /v1/invoices` / `.../import` answer. */
export interface InvoiceView {
  id: string;
  /** BT-1. */
  number: string;
  /** BT-2, as given (an imported UBL may carry a zone suffix). */
  issueDate: string | null;
  documentType: 'Invoice' | 'CreditNote';
  /** BT-3. */
  typeCode: string | null;
  /** BT-5. */
  currencyCode: string;
  seller: { name: string | null; cif: string | null };
  buyer: { name: string | null };
  /** BT-109, BT-110, BT-115. */
  totals: { taxExclusiveAmount: string | null; taxAmount: string | null; payableAmount: string | null };
  source: 'json' | 'xml';
  version: number;
  efactura: EfacturaOutcomeView & {
    /**
     * Legal transmission deadline `YYYY-MM-DD`: the 5th Romanian working day after BT-2 (OUG 120/2021 art. 10;
     * `efacturaTransmissionDeadline` of `@cetate/invoicing-domain`); `null` when BT-2 is not a date.
     */
    deadline: string | null;
  };
  /** For a credit note made by `POST /v1/invoices/:id/credit-note`: the id of the invoice it credits; else `null`. */
  creditedInvoiceId: string | null;
  createdAt: string;
  updatedAt: string;
  /**
   * Only in the answers of `POST /v1/invoices`, `POST /v1/invoices/import` and `POST /v1/invoices/:id/versions`: the
   * local validation (EN 16931 + CIUS-RO, the same `validateUbl` the worker runs before the upload) of the version
   * just written, so the findings can be shown at once; a draft is stored whatever its findings.
   */
  validation?: ValidationResultView;
}

/**
 * One finding of the local validator (`ValidationMessage` of `@cetate/invoicing-domain`): `ruleId` (`BR-RO-010`),
 * `flag` (`fatal` makes ANAF reject the document), `terms` (EN 16931 BT-/BG- ids, [] for syntax rules), `xpath` with
 * positions (`/Invoice/cac:InvoiceLine[2]/cbc:InvoicedQuantity[1]`), `line`/`column` (1-based start tag in the
 * validated XML, when known), `en`/`ro` (what to change), `message` (`[<ruleId>]-` + the specification's text, what
 * ANAF prints), `path` (the element path without positions).
 */
export interface ValidationFindingView {
  ruleId: string;
  flag: 'fatal' | 'warning';
  terms: readonly string[];
  xpath: string;
  line?: number;
  column?: number;
  en: string;
  ro: string;
  message: string;
  path?: string;
}

/**
 * `POST /v1/validate` (and `InvoiceView.validation`): `fatal`/`warnings` are the sorted distinct rule ids, `valid` is
 * `fatal` empty, `findings` every failed rule occurrence in evaluation order.
 */
export interface ValidationResultView {
  valid: boolean;
  documentType: 'Invoice' | 'CreditNote';
  fatal: string[];
  warnings: string[];
  findings: ValidationFindingView[];
}

/** What ANAF (or the local validation) made of an invoice version: the invoice's current one, or each version's. */
export interface EfacturaOutcomeView {
  state: string;
  indexIncarcare: string | null;
  idDescarcare: string | null;
  /** Rule ids of the fatal findings (local validation `invalid`, or ANAF's rejection). */
  fatal: string[];
  /**
   * ANAF's (or the local validator's) messages, each with its rule id when known; the local validator's also carry
   * the fields of a {@link ValidationFindingView} (`ro`, `en`, `terms`, `xpath`, `line`, `column`).
   */
  messages: Array<{ ruleId?: string; flag: string; message: string } & Partial<Omit<ValidationFindingView, 'ruleId' | 'flag' | 'message'>>>;
  reason: string | null;
  /** The ZIP ANAF answered is archived (`GET /v1/invoices/:id/anaf-zip[?version=n]`). */
  anafZipAvailable: boolean;
}

/** The e-Factura outcome of one version (each version is sent, answered and archived on its own). */
export interface InvoiceVersionEfacturaView extends EfacturaOutcomeView {
  /** Sent through `uploadb2c`: the buyer has no CUI (no BT-48, BT-47 a CNP or thirteen zeros). */
  b2c: boolean;
}

/** One credit note of an invoice, as its detail view lists it. */
export interface CreditNoteSummaryView {
  id: string;
  /** BT-1 of the credit note. */
  number: string;
  /** BT-2 of the credit note. */
  issueDate: string | null;
  /** e-Factura state of the credit note. */
  state: string;
  /** BT-115 of the credit note (decimal string). */
  payableAmount: string | null;
}

/** `GET /v1/invoices/:id`: the view plus every version, the full history and the credit notes. */
export interface InvoiceDetailView extends InvoiceView {
  versions: Array<{
    version: number;
    /** How this version came in: built from JSON or imported as UBL XML. */
    source: 'json' | 'xml';
    xmlSha256: string;
    sendRequestedAt: string | null;
    createdAt: string;
    efactura: InvoiceVersionEfacturaView;
  }>;
  history: Array<{ at: string; version: number; event: string; state: string; detail: Record<string, unknown>; traceId: string | null }>;
  /** Credit notes issued for this invoice (any state), oldest first. */
  creditNotes: CreditNoteSummaryView[];
  /**
   * Amount still due: BT-115 of this invoice minus the BT-115 of its credit notes that ANAF accepted (a credit note
   * in any other state does not reduce it yet); decimal string with 2 decimals, `null` when BT-115 is unknown.
   */
  amountDue: string | null;
}

/** `GET`/`PUT /v1/settings/efactura`: automatic sending of issued invoices before their deadline. */
export interface EfacturaSettingsView {
  /** Send `draft` invoices automatically once issued, `workingDaysBefore` working days before their deadline. */
  autoSend: boolean;
  /** 0..4: how many Romanian working days before the deadline (0 = on the deadline day itself). */
  workingDaysBefore: number;
  /** When and by whom the settings were written last; `null` while they are the defaults. */
  updatedAt: string | null;
  updatedBy: string | null;
}

/** `POST /v1/invoices/:id/send` (202). */
export interface SendResult {
  id: string;
  version: number;
  state: string;
  /** false when this version had already been sent: no second command, no second upload. */
  queued: boolean;
}
