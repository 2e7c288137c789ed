import { CetateError } from '@cetate/shared-errors';

/** Stable codes of {@link UblParseError}. */
export type UblParseErrorCode =
  | 'UBL_MALFORMED'
  | 'UBL_UNKNOWN_ROOT'
  | 'XML_TOO_LARGE'
  | 'XML_DTD_FORBIDDEN'
  | 'XML_TOO_DEEP'
  | 'XML_TOO_MANY_ELEMENTS'
  | 'XML_ENCODING_UNSUPPORTED';

/**
 * Thrown when the input cannot be treated as a UBL 2.1 document (a {@link CetateError}); nothing is
 * validated then. `line`/`column` (1-based) locate the problem in the source when known.
 * - `UBL_MALFORMED`: not well-formed XML 1.0 with namespaces (saxes' error, first one wins), or no root;
 * - `UBL_UNKNOWN_ROOT`: well-formed, but the root is not `Invoice` in
 *   `urn:oasis:names:specification:ubl:schema:xsd:Invoice-2` nor `CreditNote` in
 *   `urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2` (OASIS UBL 2.1);
 * - `XML_TOO_LARGE`, `XML_TOO_DEEP`, `XML_TOO_MANY_ELEMENTS`: over a limit of `XML_LIMITS`;
 * - `XML_DTD_FORBIDDEN`: the document has a `<!DOCTYPE>` (no DTD is processed: no entity expansion,
 *   no external entity);
 * - `XML_ENCODING_UNSUPPORTED`: the XML declaration names an encoding that cannot be decoded.
 */
export class UblParseError extends CetateError {
  override readonly name = 'UblParseError';
  declare readonly code: UblParseErrorCode;
  /** 1-based line of the problem, when known. */
  readonly line?: number;
  /** 1-based column of the problem, when known. */
  readonly column?: number;
  constructor(code: UblParseErrorCode, message: string, options?: { cause?: unknown; line?: number; column?: number }) {
    super(code, message, options?.cause === undefined ? undefined : { cause: options.cause });
    if (options?.line !== undefined) this.line = options.line;
    if (options?.column !== undefined) this.column = options.column;
  }
}
