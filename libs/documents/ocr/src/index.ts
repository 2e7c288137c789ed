/**
 * `@cetate/documents-ocr`: the OCR engine of the documents module (issue 9). {@link readDocument} reads
 * the words of a PDF (text layer, or Tesseract on the rasterised page), PNG, JPEG or TIFF;
 * {@link extractInvoiceFromDocument} adds the field extraction and is what the OCR worker and
 * `cetate ocr extract` call. Needs the Debian packages `tesseract-ocr`, `tesseract-ocr-ron` and
 * `poppler-utils` (ADR 0028). The generated test set is the `@cetate/documents-ocr/test-set` entry.
 */
export { readDocument, readDocumentFile, fittingDpi, type ReadDocumentOptions, type ReadDocumentResult, type PageProgress, type PageSource } from './read-document.js';
export { extractInvoiceFromDocument, hasInvoiceFields, type DocumentExtraction } from './extract-invoice.js';
export { DocumentReadError, MAX_DOCUMENT_BYTES, type DocumentReadErrorCode } from './errors.js';
export { detectDocumentType, pictureSize, tiffPageCount, DOCUMENT_MIME_TYPES, type DocumentType, type PixelSize } from './detect.js';
export { parseBboxLayout, parseTesseractTsv, textOrientation, uprightPage, type TextOrientation } from './parse-output.js';
export { rereadNames, sameUpToDiacritics, type RereadOptions, type RereadReport } from './reread-names.js';
export { TOOL_PACKAGES, type ToolName, type ToolPaths } from './run-tool.js';
export {
  createTesseractJsEngine,
  DEBIAN_TESSDATA,
  type OcrEngine,
  type OcrRecognizeRequest,
  type TesseractJsEngine,
  type TesseractJsEngineOptions,
} from './tesseract-js.js';
