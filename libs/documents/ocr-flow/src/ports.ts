import type { EntityManager } from 'typeorm';
import type { DocumentEventKind, DocumentExtractedEvent, DocumentFailedEvent, DocumentProgressEvent, ExtractedFields } from '@cetate/documents-contracts';

/** One page the reader finished (its progress callback). */
export interface PageRead {
  /** 1-based page number. */
  page: number;
  /** Pages of the document that will be read. */
  pages: number;
  /** Where the words came from: `text-layer` (PDF text, no OCR) or the OCR engine. */
  source: string;
  /** Time spent on the page, ms. */
  ms: number;
}

/** What the reader found in a whole document. */
export interface DocumentReading {
  /** The invoice fields, each with confidence and position (`ExtractedInvoice` of `@cetate/documents-extraction`). */
  fields: ExtractedFields;
  /** Pages read. */
  pages: number;
  /** Where the words came from (`text-layer`, `ocr`, or a mix the reader names). */
  source: string;
}

/** Options of one {@link DocumentReader.read}. */
export interface ReadOptions {
  /** Pages read at once (the worker's `WORKER_OCR_PAGE_CONCURRENCY`). */
  pageConcurrency: number;
  /** Called once per page read (in completion order); the flow records progress from it. */
  onPage(p: PageRead): void;
  /** Aborts the read (job timeout, the run lost its document). */
  signal: AbortSignal;
}

/**
 * The port of the OCR reader (`extractInvoiceFromDocument` of `@cetate/documents-ocr` in `worker-ocr`): PDF text layer
 * read directly, scanned pages rasterised and read by the OCR engine, then the field extraction.
 * Errors: a `code` starting with `DOCUMENT_` says the document itself cannot be read (corrupt, encrypted, empty, too
 * many pages, ...): the document fails with it. Any other error is taken as the engine's (crash, missing binary,
 * timeout of a page) and is retried through the queue's retry policy unless it says `retryable: false`.
 */
export interface DocumentReader {
  read(bytes: Buffer, opts: ReadOptions): Promise<DocumentReading>;
}

/** Headers of a message the flow writes (ARCHITECTURE.md §3). */
export interface OutboxMeta {
  tenantId: string;
  idempotencyKey: string;
  correlationId: string;
  /** Deterministic AMQP message id (enqueueing twice stores one row). */
  messageId: string;
}

/** The payload of each document event. */
export interface DocumentEventPayloads {
  progress: DocumentProgressEvent;
  extracted: DocumentExtractedEvent;
  failed: DocumentFailedEvent;
}

/** The tenant outbox, written inside the caller's transaction; published by the relay after commit. */
export interface DocumentsOutbox {
  /** A `documents.document.<kind>` event. */
  event<K extends DocumentEventKind>(m: EntityManager, kind: K, payload: DocumentEventPayloads[K], meta: OutboxMeta): Promise<void>;
  /** Asks the outbox relay to publish now (after the transaction committed). */
  kick(): void;
}

export type { DocumentsObjects, TenantDataSources } from '@cetate/documents-data-access';
