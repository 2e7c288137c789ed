import { extractInvoiceFromDocument, type ReadDocumentOptions } from '@cetate/documents-ocr';
import type { DocumentReader } from '@cetate/documents-ocr-flow';

/** Reader settings of the process (main.ts: `WORKER_OCR_MAX_PAGES`, `WORKER_OCR_PAGE_TIMEOUT_MS`, ...). */
export type OcrReaderOptions = Pick<ReadDocumentOptions, 'maxPages' | 'pageTimeoutMs' | 'ocrLanguages' | 'dpi' | 'ocrThreads' | 'tools'>;

/**
 * The flow's `DocumentReader` over the real engine, `extractInvoiceFromDocument` of `@cetate/documents-ocr` (the same
 * function `npm run cetate -- ocr extract` calls): PDF text layers read directly, scanned pages rasterised with
 * `pdftoppm` and read by Tesseract, `pageConcurrency` pages at a time, one progress callback per page. Its
 * `DocumentReadError`s keep their codes (`DOCUMENT_*` fail the document; `OCR_TIMEOUT` / `OCR_ENGINE_MISSING` are
 * retried by the queue, then fail it).
 */
export function ocrReader(options: OcrReaderOptions = {}): DocumentReader {
  return {
    async read(bytes, opts) {
      const r = await extractInvoiceFromDocument(bytes, {
        ...options,
        concurrency: opts.pageConcurrency,
        onPage: (p) => opts.onPage({ page: p.page, pages: p.pages, source: p.source, ms: p.ms }),
        signal: opts.signal,
      });
      return { fields: r.invoice, pages: r.document.pageCount, source: r.document.source };
    },
  };
}
