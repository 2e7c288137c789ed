// the dependency-free entry of the messaging library (zod only): importing the contracts never loads amqplib
import { defineCommand, defineEvent } from '@cetate/platform-messaging/contracts';
import {
  DOCUMENT_EVENT_KEYS,
  DocumentExtractedEventSchema,
  DocumentFailedEventSchema,
  DocumentProgressEventSchema,
  OCR_EXTRACT_TAG,
  OcrExtractPayloadSchema,
  type DocumentEventKind,
} from './ocr-messages.schema.js';

/** Command `worker.request.ocr.extract` v1 (queue `worker.ocr.extract`). */
export const OcrExtractCommand = defineCommand({
  tag: OCR_EXTRACT_TAG,
  version: 1,
  schema: OcrExtractPayloadSchema,
  description:
    'Read one uploaded document (PDF text layer, or OCR of scanned pages) and store the invoice fields found, with confidence and position.',
});

/** The document events `worker-ocr` emits. */
export const DocumentEvents = {
  progress: defineEvent({ routingKey: DOCUMENT_EVENT_KEYS.progress, version: 1, schema: DocumentProgressEventSchema, description: 'One page of the document was read.' }),
  extracted: defineEvent({ routingKey: DOCUMENT_EVENT_KEYS.extracted, version: 1, schema: DocumentExtractedEventSchema, description: 'The invoice fields are stored on the document.' }),
  failed: defineEvent({ routingKey: DOCUMENT_EVENT_KEYS.failed, version: 1, schema: DocumentFailedEventSchema, description: 'The document could not be read; the typed code says why.' }),
} satisfies Record<DocumentEventKind, unknown>;

/** Every document event contract, for topology declarations and consumers. */
export const DOCUMENT_EVENT_CONTRACTS = Object.values(DocumentEvents);
