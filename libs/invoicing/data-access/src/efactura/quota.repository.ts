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

  /**
   * The daily counters of `day` (Europe/Bucharest `YYYY-MM-DD`) summed per seller CIF and endpoint (`cetate efactura
   * status`). The list counters are keyed by CIF already; a `stareMesaj` counter (key: upload index) and a
   * `descarcare` counter (key: download id) count for the CIF of the submission holding that `index_incarcare` /
   * `id_descarcare`, `cif` null when no submission does (e.g. a message downloaded while reconciling that proved not
   * ours). CIFs are given as ANAF keys them: digits, without `RO`.
   */
  async dailyUsageByCif(q: Queryable, day: string): Promise<CifQuotaUse[]> {
    return q.query(
      `WITH u AS (
         SELECT a.endpoint, a.used, a.key AS cif FROM efactura.anaf_quota a
          WHERE a.period = $1 AND a.endpoint IN ('listaMesajeFactura', 'listaMesajePaginatieFactura')
         UNION ALL
         SELECT a.endpoint, a.used, s.cif FROM efactura.anaf_quota a
           LEFT JOIN efactura.submission s ON s.index_incarcare = a.key
          WHERE a.period = $1 AND a.endpoint = 'stareMesaj'
         UNION ALL
         SELECT a.endpoint, a.used, s.cif FROM efactura.anaf_quota a
           LEFT JOIN (SELECT DISTINCT ON (id_descarcare) id_descarcare, cif FROM efactura.submission
                       WHERE id_descarcare IS NOT NULL ORDER BY id_descarcare) s ON s.id_descarcare = a.key
          WHERE a.period = $1 AND a.endpoint = 'descarcare')
       SELECT regexp_replace(btrim(cif), '^RO\\s*', '', 'i') AS cif, endpoint, sum(used)::int AS used,
              max(used)::int AS "maxPerKey", count(*)::int AS keys
       FROM u GROUP BY 1, endpoint ORDER BY 1 NULLS LAST, endpoint`,
      [day],
    );
  }

  /**
   * The per-minute `apiCalls` counters whose minute is in [`from`, `to`) (UTC minutes `YYYY-MM-DDTHH:MM`): the minutes
   * with calls, the calls in all, and the busiest minute (`cetate efactura status`).
   */
  async minuteUsage(q: Queryable, from: string, to: string): Promise<MinuteUsage> {
    const [row] = (await q.query(
      `SELECT count(*)::int AS minutes, coalesce(sum(used), 0)::int AS calls,
              (array_agg(period ORDER BY used DESC, period))[1] AS "busiestMinute", coalesce(max(used), 0)::int AS "busiestMinuteCalls"
       FROM efactura.anaf_quota WHERE endpoint = 'apiCalls' AND key = '*' AND period >= $1 AND period < $2`,
      [from, to],
    )) as MinuteUsage[];
    return row ?? { minutes: 0, calls: 0, busiestMinute: null, busiestMinuteCalls: 0 };
  }
}

/** One CIF's use of one daily quota ({@link QuotaRepository.dailyUsageByCif}). */
export interface CifQuotaUse {
  /** CIF digits (ANAF's key), or null: counters of no known submission. */
  cif: string | null;
  endpoint: string;
  /** Calls taken, all keys together. */
  used: number;
  /** Calls taken for the busiest key (the number ANAF's per-index / per-id limit applies to). */
  maxPerKey: number;
  /** Keys counted (upload indexes, download ids; 1 for a list). */
  keys: number;
}

/** Use of ANAF's per-minute limit over a range of minutes ({@link QuotaRepository.minuteUsage}). */
export interface MinuteUsage {
  /** Minutes with at least one call. */
  minutes: number;
  /** Calls in all. */
  calls: number;
  /** `YYYY-MM-DDTHH:MM` (UTC) of the busiest minute, null when none. */
  busiestMinute: string | null;
  busiestMinuteCalls: number;
}
