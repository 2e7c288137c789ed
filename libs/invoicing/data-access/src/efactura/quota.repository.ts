import { rowsOf, type Queryable } from './queryable.js';

/** One counter of `efactura.anaf_quota`. */
export interface QuotaUse {
  /** `YYYY-MM-DD` (Europe/Bucharest day) for daily quotas, `YYYY-MM-DDTHH:MM` (UTC minute) for the per-minute one. */
  period: string;
  endpoint: string;
  /** What the quota is counted by: upload index, download id, CIF, or `*`. */
  key: string;
  used: number;
}

/**
 * SQL of `efactura.anaf_quota`: ANAF's call quotas counted in the tenant database, so that every worker process of
 * the tenant draws on the same counters (issue 7 item 2). One row per (period, endpoint, key).
 */
export class QuotaRepository {
  /** Takes one call when fewer than `limit` were taken; false (nothing taken) otherwise. One statement, race-free. */
  async take(q: Queryable, period: string, endpoint: string, key: string, limit: number): Promise<boolean> {
    if (limit <= 0) return false;
    const rows: unknown[] = await q.query(
      `INSERT INTO efactura.anaf_quota AS a (period, endpoint, key, used) VALUES ($1, $2, $3, 1)
       ON CONFLICT (period, endpoint, key) DO UPDATE SET used = a.used + 1 WHERE a.used < $4
       RETURNING used`,
      [period, endpoint, key, limit],
    );
    return rows.length === 1;
  }

  /** Calls taken in `period` for endpoint/key (0 when none). */
  async used(q: Queryable, period: string, endpoint: string, key: string): Promise<number> {
    const [row] = (await q.query(`SELECT used FROM efactura.anaf_quota WHERE period = $1 AND endpoint = $2 AND key = $3`, [period, endpoint, key])) as Array<{ used: number }>;
    return row?.used ?? 0;
  }

  /** Sets the counter to `limit` (ANAF said the quota is used up). */
  async exhaust(q: Queryable, period: string, endpoint: string, key: string, limit: number): Promise<void> {
    await q.query(
      `INSERT INTO efactura.anaf_quota AS a (period, endpoint, key, used) VALUES ($1, $2, $3, $4)
       ON CONFLICT (period, endpoint, key) DO UPDATE SET used = GREATEST(a.used, $4)`,
      [period, endpoint, key, limit],
    );
  }

  /** Every counter of `period`, biggest first (CLI `efactura status`). */
  async usage(q: Queryable, period: string): Promise<QuotaUse[]> {
    return q.query(`SELECT period, endpoint, key, used FROM efactura.anaf_quota WHERE period = $1 ORDER BY endpoint, used DESC, key`, [period]);
  }

  /** Deletes counters of periods before `period` (string order: days and minutes both sort by time). */
  async prune(q: Queryable, period: string): Promise<number> {
    const rows = rowsOf(await q.query(`DELETE FROM efactura.anaf_quota WHERE period < $1 RETURNING 1`, [period]));
    return rows.length;
  }
}
