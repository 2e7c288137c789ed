import type { DataSource, EntityManager } from 'typeorm';
import type { RefreshLock } from '@cetate/anaf-client';

/** Runs `fn` with a DataSource of the tenant database held for its duration (e.g. `TenantDataSources.withDataSource`). */
export type WithTenantDataSource = <T>(fn: (dataSource: DataSource) => Promise<T>) => Promise<T>;

/** The tenant database: an initialised DataSource, or a function lending one (so a bounded pool cannot evict it). */
export type TenantDatabase = DataSource | WithTenantDataSource;

/** Runs `fn` on the tenant database `db`. */
export function useTenantDatabase<T>(db: TenantDatabase, fn: (dataSource: DataSource) => Promise<T>): Promise<T> {
  return typeof db === 'function' ? db(fn) : fn(db);
}

/** How long a refresh waits for another process's refresh of the same tokens before failing, ms. */
export const REFRESH_LOCK_TIMEOUT_MS = 60_000;

/**
 * {@link RefreshLock} over a PostgreSQL transaction-level advisory lock in the tenant database, keyed by the tokens'
 * secret path (`pg_advisory_xact_lock(hashtextextended('anaf-oauth:' || path, 0))`): every process that refreshes the
 * same tokens (worker-anaf replicas, invoicing-api) waits for the holder, then reads the tokens it stored. The lock is
 * released when the transaction ends (commit, rollback, or the connection dropping with a killed process), so it
 * cannot be left behind. A wait longer than `lockTimeoutMs` fails the refresh (PostgreSQL `lock_timeout`).
 * While `fn` runs, {@link manager} is the transaction's EntityManager (to record the refresh in the same transaction).
 */
export class PostgresRefreshLock implements RefreshLock {
  /** The lock transaction's manager while a `run` is in progress, else undefined. */
  manager: EntityManager | undefined;

  constructor(
    private readonly db: TenantDatabase,
    /** The secret path of the tokens, e.g. `anaf/oauth/default`. */
    readonly path: string,
    private readonly lockTimeoutMs = REFRESH_LOCK_TIMEOUT_MS,
  ) {}

  run<T>(fn: () => Promise<T>): Promise<T> {
    return useTenantDatabase(this.db, (ds) =>
      ds.transaction(async (m) => {
        await m.query(`SELECT set_config('lock_timeout', $1, true)`, [`${Math.max(1, Math.round(this.lockTimeoutMs))}ms`]);
        await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`anaf-oauth:${this.path}`]);
        this.manager = m;
        try {
          return await fn();
        } finally {
          this.manager = undefined;
        }
      }),
    );
  }
}
