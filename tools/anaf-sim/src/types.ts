import type { XDocument as Document } from '@cetate/invoicing-domain';

/** Result shape the simulator expects from a validator (subset of `validateUbl` of `@cetate/invoicing-domain`). */
export interface SimValidationResult {
  valid: boolean;
  /** Fatal findings as text; non-empty means ANAF answers `nok`. */
  fatal: string[];
  /** Findings by rule id; entries with `flag: 'warning'` do not appear in the error report. */
  messages: { ruleId: string; message: string; flag?: string }[];
}

/**
 * Validator used for uploads and `validare`: receives the raw uploaded bytes and the document the
 * simulator already parsed from them (strict XML 1.0, `parseXmlDocument` of @cetate/invoicing-domain),
 * so it need not parse again. May throw when the document is not UBL.
 */
export type SimValidator = (xml: Buffer, document: Document) => SimValidationResult | Promise<SimValidationResult>;

/**
 * Daily limits and sizes. Defaults follow ANAF-EFACTURA.md "Limits" (stareMesaj uses the
 * conservative 20 per index).
 */
export interface SimLimits {
  /** stareMesaj calls per upload index per Europe/Bucharest day (default 20). */
  stareMesajPerIndex: number;
  /** descarcare calls per download id per day (default 10). */
  descarcarePerId: number;
  /** listaMesajeFactura calls per CIF per day (default 1500). */
  listaMesajePerCif: number;
  /** listaMesajePaginatieFactura calls per CIF per day (default 100000). */
  listaPaginatiePerCif: number;
  /** Maximum upload body size in bytes (default 10 MiB). */
  maxUploadBytes: number;
  /** Messages per page of the paginated list (default 500). */
  pageSize: number;
  /** Maximum messages the simple list returns before telling the caller to paginate (default 500). */
  listaMaxMessages: number;
  /**
   * Days a message stays in SPV (default 60, ANAF-EFACTURA.md "Limits"): older ones are no longer
   * listed, their `descarcare` answers `eroare`, and the simulator forgets them.
   */
  messageRetentionDays: number;
  /** CUIs accepted in one `PlatitorTvaRest/v9/tva` call (default 100, ANAF doc_WS_V9). */
  taxpayerCuisPerCall: number;
  /** Minimum ms between two taxpayer lookups of one client (default 1000: "maxim 1 request pe secunda"); 0 disables. */
  taxpayerMinIntervalMs: number;
}

/** Endpoint families a fault can target. `lista` covers both message lists; `token` the OAuth token endpoint. */
export type FaultEndpoint = 'upload' | 'stareMesaj' | 'descarcare' | 'lista' | 'token';

/**
 * Fault kinds:
 * - `timeout-before-accept`: the request is not recorded and no answer ever comes;
 * - `timeout-after-accept`: (upload) the upload is recorded and processed, but no answer ever comes;
 * - `http500`, `http204`, `http429`: that HTTP answer;
 * - `over-limit`: the endpoint's ANAF over-limit answer (HTTP 200 holding the error; not `token`);
 * - `stuck`: (stareMesaj) keeps answering `in prelucrare`.
 * Which kinds an endpoint accepts: {@link FAULT_KINDS_BY_ENDPOINT}.
 */
export type FaultKind =
  | 'timeout-before-accept'
  | 'timeout-after-accept'
  | 'http500'
  | 'over-limit'
  | 'stuck'
  | 'http204'
  | 'http429';

const TRANSPORT_FAULTS = ['timeout-before-accept', 'http500', 'http204', 'http429'] as const satisfies readonly FaultKind[];

/**
 * The fault kinds that mean something on each endpoint (anything else would be consumed without
 * effect, so arming it is refused): transport faults everywhere, `timeout-after-accept` on upload only,
 * `over-limit` where ANAF has a daily limit answer (not the OAuth token endpoint), `stuck` on stareMesaj.
 */
export const FAULT_KINDS_BY_ENDPOINT: Readonly<Record<FaultEndpoint, readonly FaultKind[]>> = Object.freeze({
  upload: [...TRANSPORT_FAULTS, 'timeout-after-accept', 'over-limit'],
  stareMesaj: [...TRANSPORT_FAULTS, 'over-limit', 'stuck'],
  descarcare: [...TRANSPORT_FAULTS, 'over-limit'],
  lista: [...TRANSPORT_FAULTS, 'over-limit'],
  token: [...TRANSPORT_FAULTS],
});

/** Why `fault` cannot be armed (kind meaningless on its endpoint, or a bad `times`), or `undefined` when it can. */
export function faultProblem(fault: Fault): string | undefined {
  const kinds = FAULT_KINDS_BY_ENDPOINT[fault.endpoint];
  if (!kinds) return `unknown fault endpoint ${String(fault.endpoint)}`;
  if (!kinds.includes(fault.kind)) return `fault ${String(fault.kind)} has no meaning on ${fault.endpoint} (allowed: ${kinds.join(', ')})`;
  if (fault.times !== undefined && !(Number.isInteger(fault.times) && fault.times > 0)) return `fault times must be a positive integer, got ${fault.times}`;
  return undefined;
}

/** One armed fault: applies to the next `times` matching requests (default 1). */
export interface Fault {
  endpoint: FaultEndpoint;
  kind: FaultKind;
  times?: number;
}

/** Control over injected faults (also reachable over HTTP at `/__sim/faults`). */
export interface FaultControl {
  /** Arms a fault. @throws RangeError when the kind has no meaning on the endpoint ({@link faultProblem}). */
  add(fault: Fault): void;
  /** Disarms all faults. */
  clear(): void;
  /** Faults still armed, with their remaining count. */
  list(): Required<Fault>[];
}

/** One message of the simulated message lists (ANAF JSON field names, all strings). */
export interface SimMessage {
  data_creare: string;
  cif: string;
  id_solicitare: string;
  detalii: string;
  /** Filter `E`, `T`, `P`; the two `MESAJ CUMPARATOR …` tips are filter `R` (see README "Buyer messages"). */
  tip: 'FACTURA TRIMISA' | 'FACTURA PRIMITA' | 'ERORI FACTURA' | 'MESAJ CUMPARATOR PRIMIT' | 'MESAJ CUMPARATOR TRANSMIS';
  id: string;
  /** Not part of ANAF's answer: epoch ms of creation and the environment (`test`/`prod`). */
  createdAtMs: number;
  env: 'test' | 'prod';
}

/** OAuth counters since the simulator started (`sim.oauthStats()`, `GET /__sim/oauth-stats`). */
export interface OAuthStats {
  /** Successful `grant_type=authorization_code` token answers. */
  codeGrants: number;
  /** Successful `grant_type=refresh_token` token answers. */
  refreshGrants: number;
  /** Refresh tokens refused (`invalid_grant`) because they were already used once (rotated away). */
  refusedReusedRefreshTokens: number;
  /** Refresh tokens refused (`invalid_grant`) because the authorisation's expiry passed (by the `now` clock). */
  refusedExpiredRefreshTokens: number;
  /** API calls answered HTTP 401: bearer token missing, unknown (e.g. revoked) or expired. */
  unauthorizedApiCalls: number;
}

/** One call of `PlatitorTvaRest/v9/tva` as the simulator received it (`sim.taxpayerCalls()`). */
export interface TaxpayerCall {
  /** Epoch ms by the simulator's `now` clock. */
  atMs: number;
  /** Number of `{cui, data}` entries in the request body (0 when the body was not a JSON array). */
  cuis: number;
  /** HTTP status answered: 200 (also for the `cod: 400` answers), 429 when over the rate. */
  status: number;
}

/** Options of `sim.seedInbox` / `POST /__sim/inbox`. */
export interface SeedInboxOptions {
  /** Buyer CUI (BT-48 without `RO`); receives the `FACTURA PRIMITA` messages. */
  buyerCif: string;
  /** Number of accepted supplier invoices to create (1..100,000). */
  count: number;
  /** Environment (default `test`). */
  env?: 'test' | 'prod';
  /** Number of generated suppliers the invoices are spread over round-robin (default 10). */
  sellers?: number;
  /** First invoice number (BT-1 = `SIM-<n>`); default continues after the previous seed. */
  startNumber?: number;
  /** `data_creare` spread evenly from `max` days ago (oldest) to `min` days ago; default [0, 0] = now. */
  daysAgo?: [number, number];
}

/** One seeded invoice, to compare with what the inbox sync stored. */
export interface SeededInvoice {
  /** Upload index (ANAF `id_solicitare`). */
  idSolicitare: string;
  /** Download id (ANAF `id`, `id_descarcare`). */
  idDescarcare: string;
  /** BT-31 without `RO`. */
  sellerCif: string;
  /** BT-1. */
  number: string;
  /** BT-2, `YYYY-MM-DD`. */
  issueDate: string;
  /** BT-5. */
  currency: string;
  /** BT-115, 2-decimal string. */
  payableAmount: string;
  /** `data_creare` of the messages, epoch ms. */
  createdAtMs: number;
}

/** A buyer message created by `sim.addBuyerMessage` / `POST /__sim/buyer-messages`. */
export interface BuyerMessageInput {
  /** Buyer CUI (the sender; sees `MESAJ CUMPARATOR TRANSMIS`). */
  fromCif: string;
  /** Seller CUI (the invoice's issuer; sees `MESAJ CUMPARATOR PRIMIT`). */
  toCif: string;
  /** Upload index of the invoice the message is about (RASP `index_incarcare`). */
  idSolicitare: string;
  /** Message text (RASP `message`). */
  text: string;
  /** Environment (default `test`). */
  env?: 'test' | 'prod';
}
