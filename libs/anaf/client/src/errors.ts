/**
 * Typed errors of the ANAF client. Every error has a stable `code`, the ANAF `endpoint` it came from
 * and `retryable` (whether the same request may be sent again later).
 */
import { CetateError } from '@cetate/shared-errors';

/** ANAF endpoint names used in errors, spans and quota accounting. */
export type AnafEndpoint =
  | 'upload'
  | 'uploadb2c'
  | 'stareMesaj'
  | 'listaMesajeFactura'
  | 'listaMesajePaginatieFactura'
  | 'descarcare'
  | 'validare'
  | 'oauth.token'
  | 'PlatitorTvaRest';

/** Stable codes of the ANAF client errors, one per subclass of {@link AnafError} (never renamed: ADR 0025). */
export type AnafErrorCode =
  | 'ANAF_TIMEOUT'
  | 'ANAF_NETWORK'
  | 'ANAF_HTTP'
  | 'ANAF_AUTH'
  | 'ANAF_QUOTA_EXCEEDED'
  | 'ANAF_UPLOAD_REFUSED'
  | 'ANAF_REQUEST_REJECTED'
  | 'ANAF_PROTOCOL'
  | 'ANAF_CIRCUIT_OPEN'
  | 'ANAF_NOT_SENT';

/**
 * Base class of all errors of one ANAF call, a {@link CetateError} (ADR 0025). No HTTP status of its own
 * (`AnafHttpError.status` / `AnafAuthError.status` are ANAF's answer): an API that lets one escape answers 500.
 */
export abstract class AnafError extends CetateError {
  declare readonly code: AnafErrorCode;
  /** True when the same request may be repeated later (never decides for uploads: see `outcomeUnknown`). */
  readonly retryable: boolean;
  constructor(
    code: AnafErrorCode,
    message: string,
    readonly endpoint: AnafEndpoint,
    retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.retryable = retryable;
  }
}

/**
 * No answer within `timeoutMs` (or the connection broke after the request was sent).
 * For `upload`, `outcomeUnknown` is true: ANAF may have registered the invoice; reconcile through the
 * message list, never re-upload blindly (ANAF-EFACTURA.md, "What users suffer from" #3).
 */
export class AnafTimeoutError extends AnafError {
  declare readonly code: 'ANAF_TIMEOUT';
  constructor(
    endpoint: AnafEndpoint,
    readonly timeoutMs: number,
    readonly outcomeUnknown: boolean,
    options?: { cause?: unknown },
  ) {
    super('ANAF_TIMEOUT', `ANAF ${endpoint}: no answer within ${timeoutMs} ms${outcomeUnknown ? ' (outcome unknown)' : ''}`, endpoint, !outcomeUnknown, options);
  }
}

/**
 * Connection could not be made (refused, DNS): the request never reached ANAF, so even an upload
 * may be repeated.
 */
export class AnafNetworkError extends AnafError {
  declare readonly code: 'ANAF_NETWORK';
  constructor(endpoint: AnafEndpoint, message: string, options?: { cause?: unknown }) {
    super('ANAF_NETWORK', `ANAF ${endpoint}: ${message}`, endpoint, true, options);
  }
}

/**
 * The call failed on our side before any request was sent (the access token could not be read or refreshed, the
 * quota ledger's database was away): ANAF certainly has nothing, so even an upload may be repeated. The local
 * failure is the `cause`. (A request that was sent never gives this error.)
 */
export class AnafNotSentError extends AnafError {
  declare readonly code: 'ANAF_NOT_SENT';
  constructor(endpoint: AnafEndpoint, cause: unknown) {
    super('ANAF_NOT_SENT', `ANAF ${endpoint}: not sent, a local step before the request failed: ${(cause as Error)?.message ?? String(cause)}`, endpoint, true, { cause });
  }
}

/**
 * Unexpected HTTP status. `retryable` for 5xx, 429 and the transient 403 "Utilizator neautorizat"
 * (ANAF-EFACTURA.md "Limits"). For upload with a 5xx, `outcomeUnknown` is true.
 */
export class AnafHttpError extends AnafError {
  declare readonly code: 'ANAF_HTTP';
  constructor(
    endpoint: AnafEndpoint,
    override readonly status: number,
    readonly body: string,
    retryable: boolean,
    readonly outcomeUnknown = false,
  ) {
    super('ANAF_HTTP', `ANAF ${endpoint}: HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ''}`, endpoint, retryable);
  }
}

/** HTTP 401 from the API, or an OAuth token endpoint refusal (`oauthError` = OAuth `error` field). */
export class AnafAuthError extends AnafError {
  declare readonly code: 'ANAF_AUTH';
  constructor(
    endpoint: AnafEndpoint,
    message: string,
    override readonly status: number,
    readonly oauthError?: string,
  ) {
    super('ANAF_AUTH', `ANAF ${endpoint}: ${message}`, endpoint, false);
  }
}

/**
 * A daily quota is exhausted: ANAF said `S-au facut deja N ... in cursul zilei` (in a 200 body), or
 * answered HTTP 204/429, or the local {@link QuotaLedger} refused the call (`source: 'ledger'`).
 * Retry on the next Europe/Bucharest day. Source: ANAF-EFACTURA.md "Limits".
 */
export class AnafQuotaExceededError extends AnafError {
  declare readonly code: 'ANAF_QUOTA_EXCEEDED';
  constructor(
    endpoint: AnafEndpoint,
    message: string,
    readonly source: 'anaf' | 'ledger',
    readonly limit?: number,
    readonly key?: string,
  ) {
    super('ANAF_QUOTA_EXCEEDED', `ANAF ${endpoint}: ${message}`, endpoint, false);
  }
}

/** Upload refused synchronously: `ExecutionStatus="1"` with `Errors` (ANAF upload API). Nothing was registered. */
export class AnafUploadRefusedError extends AnafError {
  declare readonly code: 'ANAF_UPLOAD_REFUSED';
  constructor(readonly messages: string[], endpoint: AnafEndpoint = 'upload') {
    super('ANAF_UPLOAD_REFUSED', `ANAF ${endpoint} refused: ${messages.join('; ')}`, endpoint, false);
  }
}

/**
 * ANAF answered a read with its error form (stareMesaj `Errors`, list/descarcare `eroare`) for a
 * reason other than quota or "no messages": unknown id, id not a number, no right on the CIF, ...
 */
export class AnafRequestRejectedError extends AnafError {
  declare readonly code: 'ANAF_REQUEST_REJECTED';
  constructor(endpoint: AnafEndpoint, readonly messages: string[]) {
    super('ANAF_REQUEST_REJECTED', `ANAF ${endpoint}: ${messages.join('; ')}`, endpoint, false);
  }
}

/** The answer had an unexpected shape (wrong content, empty body, unparseable XML/JSON). */
export class AnafProtocolError extends AnafError {
  declare readonly code: 'ANAF_PROTOCOL';
  constructor(endpoint: AnafEndpoint, message: string, readonly body?: string) {
    super('ANAF_PROTOCOL', `ANAF ${endpoint}: ${message}`, endpoint, false);
  }
}

/** The endpoint's circuit breaker is open after repeated failures; try again later. */
export class AnafCircuitOpenError extends AnafError {
  declare readonly code: 'ANAF_CIRCUIT_OPEN';
  constructor(endpoint: AnafEndpoint) {
    super('ANAF_CIRCUIT_OPEN', `ANAF ${endpoint}: circuit open after repeated failures`, endpoint, true);
  }
}

/** Pattern of ANAF's over-limit messages (ANAF-EFACTURA.md "Limits"). */
export const QUOTA_MESSAGE_RE = /S-au facut deja (\d+) .* in cursul zilei/i;

/** Returns the limit number when `message` is an ANAF over-limit message, else undefined. */
export function quotaLimitIn(message: string): number | undefined {
  const m = QUOTA_MESSAGE_RE.exec(message);
  return m ? Number(m[1]) : undefined;
}
