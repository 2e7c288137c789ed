import { DomainError, type ProblemFieldError } from '@cetate/platform-observability';

/** 404: no document with that id in the caller's tenant. */
export class DocumentNotFoundError extends DomainError {
  constructor(id: string) {
    super('DOCUMENT_NOT_FOUND', `Document ${id} does not exist in this tenant.`, { status: 404 });
  }
}

/** 404: no purchase invoice with that id in the caller's tenant. */
export class PurchaseInvoiceNotFoundError extends DomainError {
  constructor(id: string) {
    super('PURCHASE_INVOICE_NOT_FOUND', `Purchase invoice ${id} does not exist in this tenant.`, { status: 404 });
  }
}

/**
 * 415: the upload is not a PDF, PNG, JPEG or TIFF by its first bytes (the declared `Content-Type` is not trusted).
 * Nothing was stored.
 */
export class UnsupportedDocumentTypeError extends DomainError {
  constructor(declared: string | undefined) {
    super(
      'UNSUPPORTED_MEDIA_TYPE',
      `The file is not a PDF, PNG, JPEG or TIFF (judged by its first bytes${declared ? `; declared as ${declared}` : ''}). Nothing was stored.`,
      { status: 415 },
    );
  }
}

/** 400: the upload has no bytes. Nothing was stored. */
export class EmptyDocumentError extends DomainError {
  constructor() {
    super('DOCUMENT_EMPTY', 'The request body is empty: send the file itself as the body. Nothing was stored.', { status: 400 });
  }
}

/**
 * 409: the document's status does not allow the action (e.g. correcting fields while it is still being read,
 * confirming it twice). `allowed` names the statuses where the action is possible (detail and `errors[]`).
 */
export class DocumentStateConflictError extends DomainError {
  constructor(id: string, status: string, action: string, allowed: readonly string[], extra = '') {
    super('DOCUMENT_STATE_CONFLICT', `Document ${id} is ${status}: ${action} only when ${allowed.join(' or ')}.${extra}`, {
      status: 409,
      errors: allowed.map((s) => ({ path: 'status', message: `allowed: ${s}` })),
    });
  }
}

/**
 * 422: the fields cannot make a purchase invoice (a required one missing, a CUI whose check digit fails, an IBAN whose
 * ISO 13616 check fails); one `errors[]` entry per field, by its path in the fields (`supplier.cif`, `issueDate`).
 */
export class DocumentFieldsInvalidError extends DomainError {
  constructor(id: string, errors: ProblemFieldError[]) {
    super('DOCUMENT_FIELDS_INVALID', `The fields of document ${id} cannot be used as they are: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}.`, {
      status: 422,
      errors,
    });
  }
}

/**
 * 409: a purchase invoice with the same supplier CUI, number (BT-1) and issue date (BT-2) exists; nothing was created,
 * the document is flagged `duplicateOf` it. The problem+json body names it in `existingId` (and in `errors[]`).
 */
export class PurchaseInvoiceDuplicateError extends DomainError {
  constructor(
    readonly existingId: string,
    identity: { supplierCif: string; number: string; issueDate: string },
  ) {
    super(
      'PURCHASE_INVOICE_DUPLICATE',
      `Purchase invoice ${existingId} already has supplier CUI ${identity.supplierCif}, number ${identity.number} and issue date ${identity.issueDate}; ` +
        'no second one was created and the document is flagged as its duplicate.',
      { status: 409, errors: [{ path: 'purchaseInvoice', message: `duplicate of ${existingId}` }] },
    );
  }
}
