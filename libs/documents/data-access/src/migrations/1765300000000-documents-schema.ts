import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Creates schema `documents` with `documents.document`: one uploaded file (scan or PDF of a supplier invoice), where
 * it is in the tenant bucket, what the OCR worker made of it and what became of it (issue 9).
 */
export class DocumentsSchema1765300000000 implements MigrationInterface {
  name = 'DocumentsSchema1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS documents`);
    await q.query(`CREATE TABLE IF NOT EXISTS documents.document (
      id uuid PRIMARY KEY,
      object_key text NOT NULL UNIQUE CHECK (object_key LIKE 'documents/%'),
      filename text NOT NULL,
      mime text NOT NULL CHECK (mime IN ('application/pdf','image/png','image/jpeg','image/tiff')),
      size bigint NOT NULL CHECK (size >= 0),
      sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      status text NOT NULL CHECK (status IN ('uploaded','processing','extracted','failed','confirmed')),
      error_code text,
      error_message text,
      pages integer CHECK (pages >= 0),
      pages_done integer NOT NULL DEFAULT 0 CHECK (pages_done >= 0),
      progress double precision NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
      source text,
      fields jsonb,
      runs integer NOT NULL DEFAULT 0,
      lease_until timestamptz,
      purchase_invoice_id uuid,
      duplicate_of uuid,
      correlation_id text,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      processing_started_at timestamptz,
      extracted_at timestamptz,
      confirmed_at timestamptz
    )`);
    await q.query(`CREATE INDEX IF NOT EXISTS document_created_idx ON documents.document (created_at DESC, id)`);
    await q.query(`CREATE INDEX IF NOT EXISTS document_status_idx ON documents.document (status, created_at DESC)`);
    await q.query(`CREATE INDEX IF NOT EXISTS document_sha256_idx ON documents.document (sha256, created_at)`);
    const comments: Array<[string, string]> = [
      ['object_key', 'full key of the file in the tenant bucket, under the module prefix documents/'],
      ['filename', 'file name given at upload (display only)'],
      ['mime', 'media type from the first bytes of the file (magic bytes), never from the declared type'],
      ['size', 'bytes'],
      ['sha256', 'SHA-256 of the file, hex'],
      ['status', 'uploaded -> processing -> extracted | failed -> confirmed'],
      ['error_code', 'typed error of a failed extraction (DOCUMENT_CORRUPT, DOCUMENT_ENCRYPTED, OCR_TIMEOUT, ...)'],
      ['pages', 'pages being or been read'],
      ['pages_done', 'pages read by the current run'],
      ['progress', 'pages_done / pages, 0..1'],
      ['source', 'where the words came from: text-layer (PDF text, no OCR), ocr, ...'],
      ['fields', 'extracted invoice fields (ExtractedFields of @cetate/documents-contracts): value, confidence 0..1, page, bbox each'],
      ['runs', 'extraction runs started (fencing token: only the run holding the lease writes)'],
      ['lease_until', 'the running extraction holds the document until then (renewed per page)'],
      ['purchase_invoice_id', 'purchases.purchase_invoice made from this document'],
      ['duplicate_of', 'purchases.purchase_invoice with the same supplier CUI, number and issue date (flagged, not created twice)'],
    ];
    for (const [col, text] of comments) await q.query(`COMMENT ON COLUMN documents.document.${col} IS '${text.replace(/'/g, "''")}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA IF EXISTS documents CASCADE`);
  }
}
