import type { EntityManager } from 'typeorm';
import type { DocumentMimeType, DocumentStatus, ExtractedFields } from '@cetate/documents-contracts';
import { DocumentEntity } from './entities/document.entity.js';
import { rowsOf, type Queryable } from './queryable.js';

/** Values of a new document (`documents-api` upload). */
export interface NewDocument {
  id: string;
  objectKey: string;
  filename: string;
  mime: DocumentMimeType;
  size: number;
  sha256: string;
  correlationId: string;
  createdBy: string | null;
}

/** What `documents-api` changes on a document. */
export type DocumentPatch = Partial<
  Pick<DocumentEntity, 'fields' | 'status' | 'purchaseInvoiceId' | 'duplicateOf' | 'confirmedAt' | 'errorCode' | 'errorMessage' | 'pages' | 'pagesDone' | 'progress' | 'leaseUntil'>
>;

/** What {@link DocumentRepository.claim} found. */
export type ClaimResult =
  /** This run holds the document: `run` is its fencing token. */
  | { claimed: true; run: number; objectKey: string }
  /** Someone else holds it (`processing` with a live lease), or it is done (`extracted`/`failed`/`confirmed`), or it does not exist. */
  | { claimed: false; status: DocumentStatus | 'missing'; leaseUntil: Date | null };

/** One page's progress as stored. */
export interface PageProgress {
  pagesDone: number;
  pages: number;
  progress: number;
}

/**
 * SQL of `documents.document`. The worker's writes are compare-and-set on (`status` = `processing`, `runs` = its run):
 * a run that lost its lease (its process stalled, another delivery took over) changes nothing any more.
 */
export class DocumentRepository {
  /** Inserts a new document in status `uploaded`. */
  async insert(m: EntityManager, v: NewDocument): Promise<DocumentEntity> {
    await m.insert(DocumentEntity, { ...v, status: 'uploaded' });
    return m.findOneByOrFail(DocumentEntity, { id: v.id });
  }

  /**
   * Writes `documents-api`'s changes (corrected fields, confirmation, duplicate flag, a new reading) and `updated_at`.
   * Call inside the transaction that locked the row ({@link find} with `lock`).
   */
  async update(m: EntityManager, id: string, patch: DocumentPatch): Promise<void> {
    await m.update(DocumentEntity, { id }, { ...patch, updatedAt: new Date() } as never);
  }

  /** The document, or null. `lock`: `SELECT ... FOR UPDATE` (inside a transaction). */
  find(m: EntityManager, id: string, lock = false): Promise<DocumentEntity | null> {
    return lock
      ? m.getRepository(DocumentEntity).createQueryBuilder('d').setLock('pessimistic_write').where('d.id = :id', { id }).getOne()
      : m.findOneBy(DocumentEntity, { id });
  }

  /**
   * Takes the document for an extraction run: `uploaded`, or `processing` whose lease ran out (the run that held it
   * died), becomes `processing` with a new run number, a lease of `leaseMs` and the progress reset.
   */
  async claim(q: Queryable, id: string, leaseMs: number): Promise<ClaimResult> {
    const rows = rowsOf<{ runs: number; object_key: string }>(
      await q.query(
        `UPDATE documents.document
            SET status = 'processing', runs = runs + 1, lease_until = now() + $2 * interval '1 millisecond',
                pages = NULL, pages_done = 0, progress = 0, source = NULL, error_code = NULL, error_message = NULL,
                processing_started_at = now(), updated_at = now()
          WHERE id = $1 AND (status = 'uploaded' OR (status = 'processing' AND (lease_until IS NULL OR lease_until <= now())))
          RETURNING runs, object_key`,
        [id, leaseMs],
      ),
    );
    if (rows.length) return { claimed: true, run: rows[0]!.runs, objectKey: rows[0]!.object_key };
    const cur = rowsOf<{ status: DocumentStatus; lease_until: Date | null }>(
      await q.query(`SELECT status, lease_until FROM documents.document WHERE id = $1`, [id]),
    );
    return cur.length ? { claimed: false, status: cur[0]!.status, leaseUntil: cur[0]!.lease_until } : { claimed: false, status: 'missing', leaseUntil: null };
  }

  /**
   * Records one more page read by run `run` (pages read in parallel finish in any order) and renews the lease.
   * @returns the stored progress, or null when the run no longer holds the document.
   */
  async pageDone(q: Queryable, id: string, run: number, pages: number, leaseMs: number): Promise<PageProgress | null> {
    const rows = rowsOf<{ pages_done: number; pages: number; progress: number }>(
      await q.query(
        `UPDATE documents.document
            SET pages = $3, pages_done = LEAST(pages_done + 1, $3),
                progress = LEAST(1, (pages_done + 1)::float8 / $3),
                lease_until = now() + $4 * interval '1 millisecond', updated_at = now()
          WHERE id = $1 AND runs = $2 AND status = 'processing'
          RETURNING pages_done, pages, progress`,
        [id, run, pages, leaseMs],
      ),
    );
    return rows.length ? { pagesDone: rows[0]!.pages_done, pages: rows[0]!.pages, progress: rows[0]!.progress } : null;
  }

  /** Renews run `run`'s lease; false when it no longer holds the document. */
  async renewLease(q: Queryable, id: string, run: number, leaseMs: number): Promise<boolean> {
    const rows = rowsOf<unknown>(
      await q.query(
        `UPDATE documents.document SET lease_until = now() + $3 * interval '1 millisecond'
          WHERE id = $1 AND runs = $2 AND status = 'processing' RETURNING id`,
        [id, run, leaseMs],
      ),
    );
    return rows.length === 1;
  }

  /**
   * Gives the document up early (run `run` met an error worth trying again): the lease ends now, so the next delivery
   * takes the document over at once instead of waiting for the lease to run out. False when the run no longer holds it.
   */
  async release(q: Queryable, id: string, run: number): Promise<boolean> {
    const rows = rowsOf<unknown>(
      await q.query(
        `UPDATE documents.document SET lease_until = now(), updated_at = now()
          WHERE id = $1 AND runs = $2 AND status = 'processing' RETURNING id`,
        [id, run],
      ),
    );
    return rows.length === 1;
  }

  /**
   * Stores the fields read by run `run`: status `extracted`, progress 1, lease released.
   * @returns false when the run no longer holds the document (nothing written).
   */
  async extracted(q: Queryable, id: string, run: number, v: { fields: ExtractedFields; pages: number; source: string }): Promise<boolean> {
    const rows = rowsOf<unknown>(
      await q.query(
        `UPDATE documents.document
            SET status = 'extracted', fields = $3::jsonb, pages = $4, pages_done = $4, progress = 1, source = $5,
                lease_until = NULL, extracted_at = now(), updated_at = now()
          WHERE id = $1 AND runs = $2 AND status = 'processing' RETURNING id`,
        [id, run, JSON.stringify(v.fields), v.pages, v.source],
      ),
    );
    return rows.length === 1;
  }

  /**
   * Marks the document `failed` with a typed code. With `run`: only while that run holds it. Without (the consumer
   * gives up on a message): only when no run holds it (`uploaded`, or `processing` with an expired lease).
   * @returns false when nothing was written (done already, or another run holds it).
   */
  async failed(q: Queryable, id: string, run: number | undefined, code: string, message: string): Promise<boolean> {
    const holder = run === undefined ? `(status = 'uploaded' OR (status = 'processing' AND (lease_until IS NULL OR lease_until <= now())))` : `(status = 'processing' AND runs = $4)`;
    const rows = rowsOf<unknown>(
      await q.query(
        `UPDATE documents.document
            SET status = 'failed', error_code = $2, error_message = $3, lease_until = NULL, updated_at = now()
          WHERE id = $1 AND ${holder} RETURNING id`,
        run === undefined ? [id, code, message.slice(0, 2000)] : [id, code, message.slice(0, 2000), run],
      ),
    );
    return rows.length === 1;
  }

  /**
   * A page of the tenant's documents, newest first.
   * @param f.status only this status; @param f.limit 1..200; @param f.offset rows to skip.
   */
  async list(m: EntityManager, f: { status?: DocumentStatus; limit: number; offset: number }): Promise<{ items: DocumentEntity[]; total: number }> {
    const qb = m.getRepository(DocumentEntity).createQueryBuilder('d');
    if (f.status) qb.where('d.status = :status', { status: f.status });
    const [items, total] = await qb.orderBy('d.created_at', 'DESC').addOrderBy('d.id', 'DESC').take(f.limit).skip(f.offset).getManyAndCount();
    return { items, total };
  }

  /** The first document of the tenant uploaded before `id` with the same bytes (SHA-256), or null. */
  async sameFile(q: Queryable, id: string, sha256: string): Promise<string | null> {
    const rows = rowsOf<{ id: string }>(
      await q.query(
        `SELECT o.id FROM documents.document o, documents.document d
          WHERE d.id = $2 AND o.sha256 = $1 AND (o.created_at, o.id) < (d.created_at, d.id)
          ORDER BY o.created_at, o.id LIMIT 1`,
        [sha256, id],
      ),
    );
    return rows[0]?.id ?? null;
  }
}
