import type { EntityManager } from 'typeorm';
import { SubmissionEntity } from './submission.entity.js';
import type { Queryable } from './queryable.js';

/** Submission statuses of uploads whose ANAF verdict is still to be learned by the status sync. */
export const OUTSTANDING_STATUSES = ['submitted', 'unknown', 'upload-pending'] as const;

/** Values of a new submission (the command it carries out). */
export interface NewSubmission {
  idempotencyKey: string;
  invoiceId: string;
  invoiceVersion: number;
  cif: string;
  xmlSha256: string;
  command: object;
  correlationId: string;
}

/** Counts per status of one tenant's submissions (`cetate efactura status`). */
export interface SubmissionCounts {
  [status: string]: number;
}

/**
 * SQL of `efactura.submission` (one row per invoice version sent, keyed by the command's idempotency key
 * `<invoiceId>:v<version>`). Every status change goes through {@link SubmissionRepository.transition}, a compare-and-set
 * on (status, seq): two deliveries or two workers never both move the same submission.
 */
export class SubmissionRepository {
  /**
   * Inserts the submission unless it exists; returns the stored row (the existing one on a redelivery).
   * @param status the status a NEW row starts in (`new`, or `uploading` when validation already passed).
   */
  async ensure(q: EntityManager, v: NewSubmission, status: string, patch: Partial<SubmissionEntity> = {}): Promise<{ row: SubmissionEntity; created: boolean }> {
    const inserted = await q
      .createQueryBuilder()
      .insert()
      .into(SubmissionEntity)
      .values({ ...v, status, ...patch })
      .orIgnore()
      .returning(['idempotency_key'])
      .execute();
    const row = await q.findOneByOrFail(SubmissionEntity, { idempotencyKey: v.idempotencyKey });
    return { row, created: (inserted.raw as unknown[]).length === 1 };
  }

  /** The submission of an idempotency key, or null. */
  find(q: EntityManager, idempotencyKey: string): Promise<SubmissionEntity | null> {
    return q.findOneBy(SubmissionEntity, { idempotencyKey });
  }

  /**
   * Moves `sub` to `status` only if it is still in the status and `seq` it was read with; returns the new row, or
   * null when another delivery changed it first (the caller retries from the stored row).
   */
  async transition(m: EntityManager, sub: SubmissionEntity, status: string, seq: number, patch: Partial<SubmissionEntity>, reason: string | null): Promise<SubmissionEntity | null> {
    const res = await m
      .createQueryBuilder()
      .update(SubmissionEntity)
      .set({ ...patch, status, seq, reason, updatedAt: new Date() })
      .where('idempotency_key = :k AND status = :s AND seq = :q', { k: sub.idempotencyKey, s: sub.status, q: sub.seq })
      .returning('*')
      .execute();
    if (res.affected !== 1) return null;
    return m.create(SubmissionEntity, fromRaw((res.raw as Record<string, unknown>[])[0]!));
  }

  /** Outstanding uploads of one seller CIF ({@link OUTSTANDING_STATUSES}), oldest upload first. */
  async outstanding(q: EntityManager, cif: string): Promise<SubmissionEntity[]> {
    return q
      .createQueryBuilder(SubmissionEntity, 's')
      .where('s.cif = :cif AND s.status IN (:...st)', { cif, st: OUTSTANDING_STATUSES })
      .orderBy('s.upload_started_at', 'ASC', 'NULLS FIRST')
      .getMany();
  }

  /** How many uploads of the CIF are outstanding, and when the newest of them started (null when none started). */
  async outstandingSummary(q: Queryable, cif: string): Promise<{ count: number; newestUploadAt: Date | null }> {
    const [row] = (await q.query(
      `SELECT count(*)::int AS count, max(upload_started_at) AS "newestUploadAt" FROM efactura.submission WHERE cif = $1 AND status = ANY($2::text[])`,
      [cif, OUTSTANDING_STATUSES],
    )) as Array<{ count: number; newestUploadAt: Date | null }>;
    return row ?? { count: 0, newestUploadAt: null };
  }

  /** Seller CIFs with outstanding uploads, each with the time of its newest upload. */
  async outstandingCifs(q: Queryable): Promise<Array<{ cif: string; newestUploadAt: Date | null }>> {
    const rows: Array<{ cif: string; newest: Date | null }> = await q.query(
      `SELECT cif, max(upload_started_at) AS newest FROM efactura.submission WHERE status = ANY($1::text[]) GROUP BY cif`,
      [OUTSTANDING_STATUSES],
    );
    return rows.map((r) => ({ cif: r.cif, newestUploadAt: r.newest }));
  }

  /** The upload indexes among `indexes` that a submission already holds (ANAF messages known to be someone's). */
  async claimedIndexes(q: Queryable, indexes: string[]): Promise<Set<string>> {
    if (!indexes.length) return new Set();
    const rows: Array<{ index_incarcare: string }> = await q.query(
      `SELECT index_incarcare FROM efactura.submission WHERE index_incarcare = ANY($1::text[])`,
      [indexes],
    );
    return new Set(rows.map((r) => r.index_incarcare));
  }

  /** Uploads of the CIF whose outcome is not known (`unknown` or `uploading`). */
  async countUnknownUploads(q: Queryable, cif: string): Promise<number> {
    const [row] = (await q.query(`SELECT count(*)::int AS n FROM efactura.submission WHERE cif = $1 AND status IN ('unknown','uploading')`, [cif])) as Array<{ n: number }>;
    return row?.n ?? 0;
  }

  /** Records one `stareMesaj` call for the submission (`poll_day`/`poll_count`: ANAF's 100 a day per index). */
  async recordStare(q: Queryable, idempotencyKey: string, day: string): Promise<void> {
    await q.query(
      `UPDATE efactura.submission SET last_stare_at = now(),
         poll_count = CASE WHEN poll_day = $2 THEN poll_count + 1 ELSE 1 END, poll_day = $2
       WHERE idempotency_key = $1`,
      [idempotencyKey, day],
    );
  }

  /** Submissions per status (all versions). */
  async countsByStatus(q: Queryable): Promise<SubmissionCounts> {
    const rows: Array<{ status: string; n: number }> = await q.query(`SELECT status, count(*)::int AS n FROM efactura.submission GROUP BY status ORDER BY status`);
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  /**
   * Outstanding uploads ({@link OUTSTANDING_STATUSES}) per seller CIF (as stored) and status, each group with the time
   * of its oldest upload (`upload_started_at`, else `created_at`) (`cetate efactura status`).
   */
  async outstandingByCif(q: Queryable): Promise<OutstandingGroup[]> {
    const rows: Array<{ cif: string; status: string; n: number; oldest: Date }> = await q.query(
      `SELECT cif, status, count(*)::int AS n, min(coalesce(upload_started_at, created_at)) AS oldest
       FROM efactura.submission WHERE status = ANY($1::text[]) GROUP BY cif, status ORDER BY cif, status`,
      [OUTSTANDING_STATUSES],
    );
    return rows.map((r) => ({ cif: r.cif, status: r.status, count: r.n, oldestAt: r.oldest }));
  }

  /**
   * Invoices per e-Factura state (`invoicing.invoice.efactura_state`, the state of each invoice's current version),
   * read here so that `cetate efactura status` takes all its counts from the e-Factura repositories.
   */
  async invoiceCountsByState(q: Queryable): Promise<Record<string, number>> {
    const rows: Array<{ state: string; n: number }> = await q.query(
      `SELECT efactura_state AS state, count(*)::int AS n FROM invoicing.invoice GROUP BY efactura_state ORDER BY efactura_state`,
    );
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }
}

/** Outstanding uploads of one seller CIF in one status ({@link SubmissionRepository.outstandingByCif}). */
export interface OutstandingGroup {
  /** Seller CIF as the submission holds it (with or without `RO`). */
  cif: string;
  /** One of {@link OUTSTANDING_STATUSES}. */
  status: string;
  count: number;
  /** Oldest upload of the group (`upload_started_at`, else the submission's `created_at`). */
  oldestAt: Date;
}

/** Maps a RETURNING row (snake_case columns) onto entity property names. */
function fromRaw(r: Record<string, unknown>): Partial<SubmissionEntity> {
  return {
    idempotencyKey: r.idempotency_key as string,
    invoiceId: r.invoice_id as string,
    invoiceVersion: r.invoice_version as number,
    status: r.status as string,
    cif: r.cif as string,
    xmlSha256: r.xml_sha256 as string,
    indexIncarcare: r.index_incarcare as string | null,
    idDescarcare: r.id_descarcare as string | null,
    uploadAttempts: r.upload_attempts as number,
    uploadStartedAt: r.upload_started_at as Date | null,
    pollCount: r.poll_count as number,
    pollDay: r.poll_day as string | null,
    seq: r.seq as number,
    reason: r.reason as string | null,
    command: r.command as object | null,
    correlationId: r.correlation_id as string | null,
    lastStareAt: r.last_stare_at as Date | null,
    answerZipKey: r.answer_zip_key as string | null,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}
