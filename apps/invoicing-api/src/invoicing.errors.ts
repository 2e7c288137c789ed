import { DomainError, type CetateError } from '@cetate/platform-observability';

/** 404: no invoice with that id in the caller's tenant. */
export class InvoiceNotFoundError extends DomainError {
  constructor(id: string) {
    super('INVOICE_NOT_FOUND', `Invoice ${id} does not exist in this tenant.`, { status: 404 });
  }
}

/** 404: the invoice has no ANAF answer archived yet. */
export class AnafAnswerNotAvailableError extends DomainError {
  constructor(id: string, state: string) {
    super('ANAF_ANSWER_NOT_AVAILABLE', `Invoice ${id} has no ANAF answer archived (state ${state}).`, { status: 404 });
  }
}

/**
 * The body is not a UBL 2.1 Invoice/CreditNote: its `code` is the parser's (`UblParseError` of
 * `@cetate/invoicing-domain`: `UBL_MALFORMED`, `UBL_UNKNOWN_ROOT`, `XML_TOO_LARGE`, `XML_DTD_FORBIDDEN`, ...), `line`
 * and `column` (1-based) where the parser stopped, when it says. Status 400 on the writing endpoints (nothing was
 * stored), 422 on `POST /v1/validate`. `UblProblemFilter` adds `line`/`column` to the problem+json body.
 */
export class InvalidUblError extends DomainError {
  /** 1-based line of the input where the parser stopped, when known. */
  readonly line?: number;
  /** 1-based column of the input where the parser stopped, when known. */
  readonly column?: number;
  /** `nothingStored` (default true) ends the detail with "Nothing was stored." (the writing endpoints). */
  constructor(code: string, message: string, opts: { status?: 400 | 422; nothingStored?: boolean; line?: number; column?: number } = {}) {
    super(code, opts.nothingStored === false ? message : `${message} Nothing was stored.`, { status: opts.status ?? 400, title: 'Invalid UBL document' });
    if (opts.line !== undefined) this.line = opts.line;
    if (opts.column !== undefined) this.column = opts.column;
  }

  /**
   * The API error of a parser error, with its code, message and position (read from the optional numeric `line` /
   * `column` properties of the error).
   */
  static of(err: CetateError, opts: { status?: 400 | 422; nothingStored?: boolean } = {}): InvalidUblError {
    const { line, column } = err as { line?: unknown; column?: unknown };
    const pos = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined);
    return new InvalidUblError(err.code, err.message, { ...opts, line: pos(line), column: pos(column) });
  }
}

/** 415: the endpoint accepts other media types. Nothing was stored. */
export class UnsupportedMediaTypeError extends DomainError {
  constructor(got: string | undefined, expected: string[]) {
    super(
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Type "${got ?? '(none)'}" is not accepted here; send ${expected.join(' or ')}. Nothing was stored.`,
      { status: 415 },
    );
  }
}

/** 404: the invoice has no such version. */
export class InvoiceVersionNotFoundError extends DomainError {
  constructor(id: string, version: number) {
    super('INVOICE_VERSION_NOT_FOUND', `Invoice ${id} has no version ${version}.`, { status: 404 });
  }
}

/**
 * 409: the invoice's e-Factura state does not allow the action (e.g. a new version of a `submitted` invoice, a credit
 * note of a `draft` one). `allowed` names the states in which the action is possible; they are in the detail and, one
 * per entry, in `errors` (path `efactura.state`).
 */
export class InvoiceStateConflictError extends DomainError {
  constructor(id: string, state: string, action: string, allowed: readonly string[]) {
    super(
      'INVOICE_STATE_CONFLICT',
      `Invoice ${id} is ${state}: ${action} only from ${allowed.join(', ')}.`,
      { status: 409, errors: allowed.map((s) => ({ path: 'efactura.state', message: `allowed: ${s}` })) },
    );
  }
}

/**
 * 422: an invoice imported as UBL XML has no JSON document to derive a credit note from. Import the credit note
 * itself (`POST /v1/invoices/import`, a UBL `CreditNote` 381 with its `cac:BillingReference`) instead.
 */
export class CreditNoteNeedsJsonSourceError extends DomainError {
  constructor(id: string) {
    super(
      'CREDIT_NOTE_NEEDS_JSON_SOURCE',
      `Invoice ${id} was imported as UBL XML, so its credit note cannot be derived here; import the credit note as UBL ` +
        `(POST /v1/invoices/import, a CreditNote 381 with a BillingReference to this invoice).`,
      { status: 422 },
    );
  }
}
