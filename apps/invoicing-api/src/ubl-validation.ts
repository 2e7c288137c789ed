import { InvoiceDocumentSchema, type ValidationResultView } from '@cetate/invoicing-contracts';
import { buildCiusRoUbl, UblParseError, validateUbl, type ValidationReport } from '@cetate/invoicing-domain';
import { InvalidUblError } from './invoicing.errors.js';

/**
 * The API view of a report of `validateUbl` / `validateParsedUbl` (`@cetate/invoicing-domain`, EN 16931 1.3.8 +
 * CIUS-RO 1.0.9, the validator the worker runs before every upload): the same verdict, the messages as `findings`.
 */
export function validationView(r: ValidationReport): ValidationResultView {
  return { valid: r.valid, documentType: r.documentType, fatal: r.fatal, warnings: r.warnings, findings: r.messages };
}

/** What `POST /v1/validate` validates: a UBL 2.1 document as sent, or the editor's JSON document. */
export type ValidateInput = { xml: Uint8Array } | { json: unknown };

/**
 * Validates a UBL 2.1 Invoice/CreditNote (as sent, byte for byte) or an invoice JSON document (`InvoiceDocumentSchema`
 * of `@cetate/invoicing-contracts`, first built into its CIUS-RO UBL with `buildCiusRoUbl`, exactly what
 * `POST /v1/invoices` would store) with `validateUbl`. Rule failures are findings, never errors. Pure CPU work.
 * @throws InvalidUblError 422 with the parser's code (`UBL_MALFORMED`, `UBL_UNKNOWN_ROOT`, `XML_*`) and its
 *   `line`/`column` when known, for XML that is not a UBL 2.1 Invoice/CreditNote.
 * @throws ZodError (400 `VALIDATION_FAILED`, one `errors[]` entry per field) for JSON that does not match the schema.
 */
export function validateInput(input: ValidateInput): ValidationResultView {
  if ('json' in input) {
    const doc = InvoiceDocumentSchema.parse(input.json);
    // the builder only writes UBL the parser reads: a UblParseError here is a bug (500), not the caller's input
    return validationView(validateUbl(buildCiusRoUbl(doc)));
  }
  try {
    return validationView(validateUbl(input.xml));
  } catch (err) {
    if (err instanceof UblParseError) throw InvalidUblError.of(err, { status: 422, nothingStored: false });
    throw err;
  }
}
