import { rowsOf, type Queryable } from './queryable.js';

/** One CIF's status-sync schedule (`efactura.status_sync`). */
export interface StatusSyncRow {
  cif: string;
  /** Incremented at every scheduling; a sync message runs only when it carries the current generation. */
  generation: number;
  /** When the scheduled run is due; null = no run scheduled (no outstanding upload at the last run). */
  scheduledFor: Date | null;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  runs: number;
  lastRunAt: Date | null;
  lastError: string | null;
}

/** What {@link StatusSyncRepository.lease} found. */
export type LeaseResult = { kind: 'leased'; row: StatusSyncRow } | { kind: 'stale' } | { kind: 'busy'; leaseUntil: Date };

const COLS = `cif, generation, scheduled_for AS "scheduledFor", lease_owner AS "leaseOwner", lease_until AS "leaseUntil",
  runs, last_run_at AS "lastRunAt", last_error AS "lastError"`;

/**
 * SQL of `efactura.status_sync`: at most one scheduled status-sync run per seller CIF, and at most one running
 * (a lease with an expiry, so a killed worker's run is taken over after `leaseMs`). The protocol (issue 7 item 1):
 * - whoever leaves an upload outstanding calls {@link scheduleIfIdle} AFTER its own commit: it schedules a run
 *   (a new generation, and the caller enqueues the delayed message in the same transaction) unless one is scheduled;
 * - a run leases the row for its generation ({@link lease}); a message of an older generation is a stale duplicate;
 * - a run ends with {@link reschedule} (uploads still outstanding) or {@link idle}, after which the caller checks
 *   again for outstanding uploads, so an upload committed during the run is never left without a sync.
 */
export class StatusSyncRepository {
  /** The row of a CIF, or null. */
  async get(q: Queryable, cif: string): Promise<StatusSyncRow | null> {
    const [row] = (await q.query(`SELECT ${COLS} FROM efactura.status_sync WHERE cif = $1`, [cif])) as StatusSyncRow[];
    return row ?? null;
  }

  /** Every row (CLI, tests). */
  async all(q: Queryable): Promise<StatusSyncRow[]> {
    return q.query(`SELECT ${COLS} FROM efactura.status_sync ORDER BY cif`);
  }

  /**
   * Schedules a run at `at` when none is scheduled, or when the scheduled one is older than `staleBefore` (its
   * message was lost) and nobody holds a live lease. @returns the new generation, or null when a run is scheduled.
   */
  async scheduleIfIdle(q: Queryable, cif: string, at: Date, staleBefore?: Date): Promise<number | null> {
    const rows: Array<{ generation: number }> = await q.query(
      `INSERT INTO efactura.status_sync AS s (cif, generation, scheduled_for) VALUES ($1, 1, $2)
       ON CONFLICT (cif) DO UPDATE SET generation = s.generation + 1, scheduled_for = $2, updated_at = now()
         WHERE s.scheduled_for IS NULL
            OR ($3::timestamptz IS NOT NULL AND s.scheduled_for < $3 AND (s.lease_until IS NULL OR s.lease_until < now()))
       RETURNING generation`,
      [cif, at, staleBefore ?? null],
    );
    return rows[0]?.generation ?? null;
  }

  /**
   * Takes the run of `generation` for `owner` until now + `leaseMs`.
   * @returns `leased`; `stale` when the row has moved to another generation (or has no schedule); `busy` when another
   * run holds a live lease (a redelivery while that run goes on, or the lease of a killed worker not yet expired).
   */
  async lease(q: Queryable, cif: string, generation: number, owner: string, leaseMs: number): Promise<LeaseResult> {
    const [row] = rowsOf<StatusSyncRow>(await q.query(
      `UPDATE efactura.status_sync SET lease_owner = $3, lease_until = now() + $4 * interval '1 millisecond', updated_at = now()
       WHERE cif = $1 AND generation = $2 AND scheduled_for IS NOT NULL AND (lease_until IS NULL OR lease_until < now() OR lease_owner = $3)
       RETURNING ${COLS}`,
      [cif, generation, owner, leaseMs],
    ));
    if (row) return { kind: 'leased', row };
    const cur = await this.get(q, cif);
    if (!cur || cur.generation !== generation || !cur.scheduledFor) return { kind: 'stale' };
    return { kind: 'busy', leaseUntil: cur.leaseUntil ?? new Date() };
  }

  /** Extends a held lease; false when it was lost (expired and taken by another run). */
  async renew(q: Queryable, cif: string, owner: string, leaseMs: number): Promise<boolean> {
    const rows = rowsOf(await q.query(
      `UPDATE efactura.status_sync SET lease_until = now() + $3 * interval '1 millisecond' WHERE cif = $1 AND lease_owner = $2 RETURNING cif`,
      [cif, owner, leaseMs],
    ));
    return rows.length === 1;
  }

  /** Ends `owner`'s run and schedules the next at `at`. @returns the new generation, or null when the lease was lost. */
  async reschedule(q: Queryable, cif: string, owner: string, at: Date, error: string | null): Promise<number | null> {
    const rows = rowsOf<{ generation: number }>(await q.query(
      `UPDATE efactura.status_sync SET generation = generation + 1, scheduled_for = $3, lease_owner = NULL, lease_until = NULL,
         runs = runs + 1, last_run_at = now(), last_error = $4, updated_at = now()
       WHERE cif = $1 AND lease_owner = $2 RETURNING generation`,
      [cif, owner, at, error],
    ));
    return rows[0]?.generation ?? null;
  }

  /** Ends `owner`'s run with nothing scheduled (no outstanding upload). @returns false when the lease was lost. */
  async idle(q: Queryable, cif: string, owner: string): Promise<boolean> {
    const rows = rowsOf(await q.query(
      `UPDATE efactura.status_sync SET scheduled_for = NULL, lease_owner = NULL, lease_until = NULL, runs = runs + 1,
         last_run_at = now(), last_error = NULL, updated_at = now()
       WHERE cif = $1 AND lease_owner = $2 RETURNING cif`,
      [cif, owner],
    ));
    return rows.length === 1;
  }
}
