/**
 * `@cetate/documents-ocr/test-set`: the generated OCR test set (issue 9) — random Romanian invoices,
 * printed to PDF with a text layer, rasterised and degraded — and the field-level scoring the bench
 * uses. Test and bench code only (it needs `@cantoo/pdf-lib` and `pdftoppm`).
 */
export { randomInvoice, cuiControlDigit, makeIban, formatAmount, formatDate, formatIban, formatQuantity, type InvoiceTruth, type TestInvoice, type InvoiceLine, type PrintStyle } from './invoice-data.js';
export { renderInvoicePdf, invoiceLayout, A4, MIN_GAP, type TextBox } from './render-pdf.js';
export { rasterizePdfPage, scaleImage, rotateImage, blurImage, addNoise, encodePng, encodeJpeg, encodeTiff, imagePdf, parsePgm, type GrayImage } from './raster.js';
export { Rng } from './random.js';
export {
  generateOcrTestSet,
  makeVariant,
  readTruth,
  ALL_VARIANTS,
  VARIANT_GROUPS,
  TEST_SET_VERSION,
  type TestSetVariant,
  type TestSetGroup,
  type TestSetItem,
  type TestSetManifest,
  type GenerateOptions,
  type VariantFile,
} from './test-set.js';
export { scoreExtraction, SCORED_FIELDS, type ScoredField, type FieldScore } from './score.js';
