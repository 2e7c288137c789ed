import { z } from 'zod';

/**
 * Message contracts between `documents-api` and `worker-ocr` (ARCHITECTURE.md §3, issue 9).
 *
 * The command goes to exchange `cetate.commands` with routing key `worker.request.ocr.extract` (queue
 * `worker.ocr.extract`); the events go to `cetate.events` with routing keys `documents.document.<past-tense-event>`.
 * Payloads are validated with these schemas on both sides; a breaking change gets a new `version`.
 */

/** Worker tag of the extraction command (routing key `worker.request.ocr.extract`). */
export const OCR_EXTRACT_TAG = 'ocr.extract';

const uuid = z.string().uuid();
/** A tenant slug as the registry spells it (`tenant_<slug>` is its database). */
const slug = z.string().regex(/^[a-z][a-z0-9-]{1,30}$/);

/**
 * `ocr.extract` v1: read one uploaded document and store the invoice fields found in it.
 * - `documentId`: the `documents.document` row of the tenant database (status `uploaded` when the command is sent);
 * - `objectKey`: the file in the tenant bucket, always under the module prefix `documents/`.
 * The idempotency key of the message is the document id: a second delivery of the same command (or a second
 * command for the same document) never reads it twice once it is `extracted` or `failed`.
 */
export const OcrExtractPayloadSchema = z.object({
  tenant: slug,
  documentId: uuid,
  objectKey: z
    .string()
    .regex(/^documents\/[\x21-\x7e]{1,400}$/, 'the object key must be under the module prefix documents/')
    .describe('full object key in the tenant bucket, e.g. documents/2026/05/<documentId>/original.pdf'),
});
export type OcrExtractPayload = z.infer<typeof OcrExtractPayloadSchema>;

/** Where the words of a page came from: a PDF text layer (no OCR) or the OCR engine on a rasterised/scanned page. */
export const PageSourceSchema = z.string().min(1).max(40).describe('`text-layer`, `ocr`, ... as the reader reports it');

/** Fields every `documents.document.*` event carries. */
const DocumentEventBase = z.object({
  documentId: uuid,
  occurredAt: z.string().datetime(),
});

/** `documents.document.progress` v1: one page of the document was read (one event per page, in completion order). */
export const DocumentProgressEventSchema = DocumentEventBase.extend({
  page: z.number().int().positive().describe('1-based page number just read'),
  pages: z.number().int().positive().describe('pages of the document that will be read'),
  done: z.number().int().nonnegative().describe('pages read so far, this one included'),
  progress: z.number().min(0).max(1).describe('done / pages'),
  source: PageSourceSchema,
  ms: z.number().nonnegative().describe('time spent on this page, ms'),
});
export type DocumentProgressEvent = z.infer<typeof DocumentProgressEventSchema>;

/** `documents.document.extracted` v1: the fields are stored on the document (status `extracted`). */
export const DocumentExtractedEventSchema = DocumentEventBase.extend({
  pages: z.number().int().nonnegative(),
  source: z.string().min(1).max(40),
  /** How many of the known fields were found (supplier CIF, number, dates, totals, ...). */
  fieldsFound: z.number().int().nonnegative(),
  /** Lowest confidence among the fields found (0..1), 0 when none. */
  minConfidence: z.number().min(0).max(1),
});
export type DocumentExtractedEvent = z.infer<typeof DocumentExtractedEventSchema>;

/** `documents.document.failed` v1: the document could not be read (status `failed`), with the reader's typed code. */
export const DocumentFailedEventSchema = DocumentEventBase.extend({
  code: z.string().regex(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/).describe('DOCUMENT_CORRUPT, DOCUMENT_ENCRYPTED, OCR_TIMEOUT, ...'),
  message: z.string(),
});
export type DocumentFailedEvent = z.infer<typeof DocumentFailedEventSchema>;

/** Routing keys of the document events on `cetate.events`. */
export const DOCUMENT_EVENT_KEYS = {
  progress: 'documents.document.progress',
  extracted: 'documents.document.extracted',
  failed: 'documents.document.failed',
} as const;
export type DocumentEventKind = keyof typeof DOCUMENT_EVENT_KEYS;
