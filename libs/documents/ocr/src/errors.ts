import { CetateError, type CetateErrorOptions } from '@cetate/shared-errors';

/**
 * Why a document could not be read (stable codes, ADR 0025):
 * - `DOCUMENT_UNSUPPORTED_TYPE`: the bytes are not a PDF, PNG, JPEG or TIFF (decided by the magic bytes);
 * - `DOCUMENT_TOO_LARGE`: more than {@link MAX_DOCUMENT_BYTES} bytes (checked before anything else);
 * - `DOCUMENT_TOO_MANY_PAGES`: more pages than allowed (checked before any page is read);
 * - `DOCUMENT_ENCRYPTED`: a PDF that needs a password to be opened;
 * - `DOCUMENT_CORRUPT`: the file has the magic bytes of a supported type but cannot be read;
 * - `DOCUMENT_EMPTY`: an empty file, or no text on any page (blank pages, pictures without text);
 * - `OCR_ENGINE_MISSING`: a program or language pack the engine needs is not installed (the message
 *   names the Debian package); the document is not at fault;
 * - `OCR_TIMEOUT`: reading one page took longer than the per-page limit.
 */
export type DocumentReadErrorCode =
  | 'DOCUMENT_UNSUPPORTED_TYPE'
  | 'DOCUMENT_TOO_LARGE'
  | 'DOCUMENT_TOO_MANY_PAGES'
  | 'DOCUMENT_ENCRYPTED'
  | 'DOCUMENT_CORRUPT'
  | 'DOCUMENT_EMPTY'
  | 'OCR_ENGINE_MISSING'
  | 'OCR_TIMEOUT';

/** Codes that are the document's fault: reading it again gives the same answer (no retry). */
const DOCUMENT_FAULTS: ReadonlySet<DocumentReadErrorCode> = new Set([
  'DOCUMENT_UNSUPPORTED_TYPE',
  'DOCUMENT_TOO_LARGE',
  'DOCUMENT_TOO_MANY_PAGES',
  'DOCUMENT_ENCRYPTED',
  'DOCUMENT_CORRUPT',
  'DOCUMENT_EMPTY',
]);

/**
 * A document could not be read by {@link readDocument}; `code` says why (see {@link DocumentReadErrorCode}).
 * `documentFault` is true when the document itself is the problem (a retry gives the same error) and
 * false for `OCR_ENGINE_MISSING` / `OCR_TIMEOUT` (the machine or its load).
 */
export class DocumentReadError extends CetateError {
  declare readonly code: DocumentReadErrorCode;
  /** True when the document is at fault (retrying is useless). */
  readonly documentFault: boolean;

  constructor(code: DocumentReadErrorCode, message: string, opts: CetateErrorOptions = {}) {
    super(code, message, opts);
    this.documentFault = DOCUMENT_FAULTS.has(code);
  }
}

/** Largest document accepted, in bytes (issue 9: uploads up to 20 MB; 20 MiB here). */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;
