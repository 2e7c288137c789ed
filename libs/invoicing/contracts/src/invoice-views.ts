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
  efactura: {
    state: string;
    indexIncarcare: string | null;
    idDescarcare: string | null;
    /** Rule ids of the fatal findings (local validation `invalid`, or ANAF's rejection). */
    fatal: string[];
    /** ANAF's (or the local validator's) messages, each with its rule id when known. */
    messages: Array<{ ruleId?: string; flag: string; message: string }>;
    reason: string | null;
    anafZipAvailable: boolean;
  };
  createdAt: string;
  updatedAt: string;
}

/** `GET /v1/invoices/:id`: the view plus every version and the full history. */
export interface InvoiceDetailView extends InvoiceView {
  versions: Array<{ version: number; xmlSha256: string; sendRequestedAt: string | null; createdAt: string }>;
  history: Array<{ at: string; version: number; event: string; state: string; detail: Record<string, unknown>; traceId: string | null }>;
}

/** `POST /v1/invoices/:id/send` (202). */
export interface SendResult {
  id: string;
  version: number;
  state: string;
  /** false when this version had already been sent: no second command, no second upload. */
  queued: boolean;
}
