import { DomainError } from '@cetate/platform-observability';

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

/** 400: the body is not well-formed XML or not a UBL 2.1 Invoice/CreditNote. Nothing was stored. */
export class InvalidUblError extends DomainError {
  constructor(code: string, message: string) {
    super(code, `${message} Nothing was stored.`, { status: 400, title: 'Invalid UBL document' });
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
