import { declareTopology, type RetryPolicy, type Topology } from '@cetate/platform-messaging';
import { DOCUMENT_EVENT_CONTRACTS, OcrExtractCommand } from '@cetate/documents-contracts';
import { EFACTURA_INBOUND_QUEUE, EFACTURA_INBOUND_RECEIVED_KEY } from '@cetate/invoicing-contracts';

/** Queue of `documents-api` for the document events (bound to `documents.document.*`). */
export const DOCUMENTS_API_EVENTS_QUEUE = 'documents-api.events';

/**
 * Retry policy of the OCR queue: 1 s, 5 s, 30 s, then every minute, 10 attempts in all (~8 min). A delivery that finds
 * the document held by another run (its lease is renewed at every page) comes back this way until that run ends or its
 * lease runs out; an engine failure (Tesseract crashed, no memory) is tried again the same way.
 */
export const OCR_RETRY: RetryPolicy = { delaysMs: [1000, 5000, 30_000, 60_000], maxAttempts: 10 };

/**
 * The RabbitMQ topology of the documents flow, asserted by `documents-api` and `worker-ocr` at every (re)connect: work
 * queue `worker.ocr.extract` (+ DLQ and the retry delay queues) and the API's event queue `documents-api.events`
 * (every `documents.document.*` event must have a queue, or its publication is refused as unroutable), and the queue of
 * received e-Factura invoices `purchases.efactura-inbound` (issue 10).
 */
export function documentsTopology(retry: RetryPolicy = OCR_RETRY): Topology {
  return declareTopology({
    commands: [OcrExtractCommand],
    events: DOCUMENT_EVENT_CONTRACTS,
    retry,
    consumers: [
      { queueName: DOCUMENTS_API_EVENTS_QUEUE, bindings: ['documents.document.*'] },
      // supplier invoices received through ANAF e-Factura (issue 10), recorded in purchases by documents-api
      { queueName: EFACTURA_INBOUND_QUEUE, bindings: [EFACTURA_INBOUND_RECEIVED_KEY] },
    ],
  });
}
