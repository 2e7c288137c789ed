/**
 * The one function from a document's bytes to the fields of the invoice it shows: {@link readDocument}
 * then `extractInvoice` of `@cetate/documents-extraction`. The OCR worker and `cetate ocr extract`
 * both call it, so the command line shows exactly what the worker would store.
 */
import { extractInvoice, type ExtractedInvoice } from '@cetate/documents-extraction';
import { readDocument, type ReadDocumentOptions, type ReadDocumentResult } from './read-document.js';

/** Result of {@link extractInvoiceFromDocument}: the fields, and how the document was read. */
export interface DocumentExtraction {
  /** The invoice fields, each with confidence, page and box (see `ExtractedInvoice`). */
  invoice: ExtractedInvoice;
  /** The pages as read (words, boxes, confidences), the source of each, type and page count. */
  document: ReadDocumentResult;
  /** Milliseconds spent reading the pages (OCR or text layer) and extracting the fields. */
  timings: { readMs: number; extractMs: number };
}

/**
 * Reads a document (PDF, PNG, JPEG, TIFF) and extracts the invoice fields from its words.
 * @param bytes the whole file, at most 20 MiB
 * @param opts see {@link ReadDocumentOptions} (page limit, concurrency, languages, progress, abort)
 * @throws DocumentReadError as {@link readDocument} does (the extraction itself does not throw on
 *   any words: fields it cannot find are absent)
 */
export async function extractInvoiceFromDocument(bytes: Uint8Array, opts: ReadDocumentOptions = {}): Promise<DocumentExtraction> {
  const t0 = performance.now();
  const document = await readDocument(bytes, opts);
  const t1 = performance.now();
  const invoice = extractInvoice(document.pages);
  return { invoice, document, timings: { readMs: t1 - t0, extractMs: performance.now() - t1 } };
}

/** True when the extraction found at least one invoice field (a party, number, date, amount or IBAN). */
export function hasInvoiceFields(inv: ExtractedInvoice): boolean {
  const { supplier, buyer, vat, warnings: _w, ...rest } = inv;
  return Object.keys(supplier).length > 0 || Object.keys(buyer).length > 0 || vat.length > 0 || Object.values(rest).some((v) => v !== undefined);
}
