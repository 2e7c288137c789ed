/**
 * HTTP answer shapes of the inbound e-Factura endpoints of invoicing-api (issue 10), shared by the API and the UI
 * (types only). Instants are ISO 8601 strings.
 */

/**
 * One run of the SPV inbox sync (`GET /v1/efactura/inbox/runs/:id`, `efactura.inbox_sync_run`); counts are messages of
 * this run. `windowStart` / `windowEnd` are the `startTime` / `endTime` of `listaMesajePaginatieFactura`.
 */
export interface InboxSyncRunView {
  id: string;
  cif: string;
  trigger: 'schedule' | 'manual';
  /** `queued` → `running` → `done` | `failed` | `skipped` (not authorised, refused, expired: `error` says why). */
  status: 'queued' | 'running' | 'done' | 'failed' | 'skipped';
  requestedBy: string | null;
  requestedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  windowStart: string | null;
  windowEnd: string | null;
  listed: number;
  newMessages: number;
  archived: number;
  receivedInvoices: number;
  buyerMessages: number;
  failed: number;
  /** Messages of the CIF still to download or hand over when the run ended. */
  pending: number;
  error: string | null;
}

/** One ANAF message of a company's SPV inbox (`GET /v1/efactura/inbox/messages`, `efactura.inbox_message`). */
export interface InboxMessageView {
  /** ANAF `id` (descarcare). */
  idDescarcare: string;
  /** ANAF `id_solicitare`. */
  idSolicitare: string;
  cif: string;
  /** List filter: `P` received invoice, `R` buyer message. */
  filtru: 'P' | 'R';
  tip: string;
  detalii: string | null;
  /** ANAF `data_creare` as an instant. */
  dataCreare: string | null;
  cifEmitent: string | null;
  cifBeneficiar: string | null;
  /** `listed` → `archived` → `recorded`, or `failed` (`errorCode`, `error`). */
  status: 'listed' | 'archived' | 'recorded' | 'failed';
  /** Failed attempts so far (retried by later runs unless `failed`). */
  attempts: number;
  zipObjectKey: string | null;
  xmlSha256: string | null;
  signatureValid: boolean | null;
  signatureReason: string | null;
  /** BT-1, the supplier's CUI, BT-115 and BT-5 of a received invoice. */
  invoiceNumber: string | null;
  supplierCif: string | null;
  payableAmount: string | null;
  currency: string | null;
  errorCode: string | null;
  error: string | null;
  listedAt: string;
}

/**
 * A taxpayer of ANAF's public register (`PlatitorTvaRest/v9/tva`) as the buyer of a new invoice (EN 16931 BG-7),
 * `GET /v1/taxpayers/:cui`: `vatId` BT-48 (`RO` + CUI when VAT registered, else null); `tradeRegister` the `nrRegCom`;
 * address BG-8: `street` BT-50, `city` BT-52 (`SECTOR1`..`SECTOR6` in Bucharest), `county` BT-54 (ISO 3166-2:RO),
 * `postalCode` BT-53, each null when ANAF does not give it; `inactive` ANAF's `statusInactivi`.
 */
export interface TaxpayerBuyerView {
  cui: string;
  name: string;
  vatId: string | null;
  tradeRegister: string | null;
  address: { street: string | null; city: string | null; county: string | null; postalCode: string | null; country: 'RO' };
  vatRegistered: boolean;
  inactive: boolean;
  eFacturaRegistered: boolean;
  checkedAt: string;
  source: 'cache' | 'anaf';
}
