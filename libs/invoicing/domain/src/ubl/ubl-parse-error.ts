import { CetateError } from '@cetate/shared-errors';

/** Stable codes of {@link UblParseError}. */
export type UblParseErrorCode = 'UBL_MALFORMED' | 'UBL_UNKNOWN_ROOT';

/**
 * Thrown by `parseUblDocument` when the input cannot be treated as a UBL 2.1 document (a {@link CetateError}).
 * - `UBL_MALFORMED`: the bytes are not well-formed XML (XML 1.0 well-formedness; every xmldom
 *   error is fatal here).
 * - `UBL_UNKNOWN_ROOT`: well-formed, but the root is not `Invoice` in
 *   `urn:oasis:names:specification:ubl:schema:xsd:Invoice-2` nor `CreditNote` in
 *   `urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2` (OASIS UBL 2.1).
 */
export class UblParseError extends CetateError {
  override readonly name = 'UblParseError';
  declare readonly code: UblParseErrorCode;
  constructor(code: UblParseErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
