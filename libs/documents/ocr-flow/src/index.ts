/**
 * `@cetate/documents-ocr-flow`: the OCR extraction job of the documents module (issue 9), wired by `worker-ocr` the way
 * `worker-anaf` wires the e-Factura flows of `@cetate/invoicing-efactura`.
 */
export * from './ports.js';
export * from './ocr-extract.flow.js';
