import pg from 'pg';
import { MigrationExecutor, type DataSource } from 'typeorm';

/** `postgres://h/x` + `db` -> `postgres://h/db` (same server, credentials and query parameters). */
export function databaseUrl(serverUrl: string, dbName: string): string {
  const u = new URL(serverUrl);
  u.pathname = '/' + encodeURIComponent(dbName);
  return u.toString();
}

/** Identifiers this package creates: letters, digits, underscores. */
const SAFE_DB_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Creates database `dbName` on the server of `adminUrl` when missing. Idempotent and safe when several
 * processes race: `duplicate_database` (42P04) and the catalog unique violation (23505) count as success.
 * @returns true when this call created it.
 */
export async function ensureDatabase(adminUrl: string, dbName: string): Promise<boolean> {
  if (!SAFE_DB_NAME.test(dbName)) throw new Error(`refusing unsafe database name ${JSON.stringify(dbName)}`);
  const client = new pg.Client({ connectionString: adminUrl, application_name: 'cetate:admin' });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (rowCount) return false;
    try {
      await client.query(`CREATE DATABASE "${dbName}"`);
      return true;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === '42P04' || code === '23505') return false;
      throw err;
    }
  } finally {
    await client.end();
  }
}

/**
 * Drops database `dbName` on the server of `adminUrl` when it exists, ending the sessions still connected to it
 * (`WITH (FORCE)`, PostgreSQL 13+). Idempotent. @returns true when this call dropped it.
 * @throws Error for a name that is not a plain identifier (never interpolated unchecked).
 */
export async function dropDatabase(adminUrl: string, dbName: string): Promise<boolean> {
  if (!SAFE_DB_NAME.test(dbName)) throw new Error(`refusing unsafe database name ${JSON.stringify(dbName)}`);
  const client = new pg.Client({ connectionString: adminUrl, application_name: 'cetate:admin' });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (!rowCount) return false;
    await client.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    return true;
  } finally {
    await client.end();
  }
}

/** Advisory lock key serialising migrations of one database across processes. */
const MIGRATION_LOCK_KEY = 7_310_915_001;

/**
 * Runs the pending migrations of `ds` (all in one transaction) while holding a session advisory lock
 * on one connection of its pool, so concurrent processes migrate one at a time and the others see the
 * result; then `whileLocked` (still holding the lock, e.g. module hooks; it may use the pool's other
 * connections). Advisory locks are per database (PostgreSQL docs, "Advisory Locks"), so runners of two
 * databases never wait for each other. @returns names of the migrations run.
 */
export async function runMigrationsLocked(ds: DataSource, whileLocked?: () => Promise<void>): Promise<string[]> {
  if (!ds.migrations.length && !whileLocked) return [];
  const qr = ds.createQueryRunner();
  await qr.connect();
  try {
    await qr.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      let done: string[] = [];
      if (ds.migrations.length) {
        const exec = new MigrationExecutor(ds, qr);
        exec.transaction = 'all';
        done = (await exec.executePendingMigrations()).map((m) => m.name);
      }
      if (whileLocked) await whileLocked();
      return done;
    } finally {
      await qr.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await qr.release();
  }
}
