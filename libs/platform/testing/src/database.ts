import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { testEnv } from './env.js';

/** A PostgreSQL database made for one test file. */
export interface TestDatabase {
  /** database name, e.g. `cetate_test_ab12cd34`. */
  name: string;
  /** connection URL of the new database. */
  url: string;
  /** Drops the database (terminating its connections first). */
  drop(): Promise<void>;
}

/** Runs one statement on the admin database from `DATABASE_URL`. */
export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: testEnv.databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Creates a fresh, empty database on the server of `DATABASE_URL`.
 * @throws Error with the fix when PostgreSQL does not answer.
 */
export async function createTestDatabase(prefix = 'cetate_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  try {
    await adminQuery(`CREATE DATABASE "${name}"`);
  } catch (err) {
    throw new Error(
      `could not create database ${name} (${(err as Error).message}); is PostgreSQL running? ` +
        'start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
    );
  }
  // Same rule as @cetate/platform-tenancy's databaseUrl(); not imported from there because tenancy's own
  // tests depend on this package (the module-boundary lint refuses the cycle).
  const url = new URL(testEnv.databaseUrl);
  url.pathname = '/' + encodeURIComponent(name);
  return {
    name,
    url: url.toString(),
    async drop() {
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}
