import { spawn } from 'node:child_process';
import pg from 'pg';
import { databaseUrl } from './database-admin.js';

/** Exact row count of every ordinary table of a database, keyed `schema.table`. */
export type TableCounts = Record<string, number>;

/** A connection URI without its password, plus the password for `PGPASSWORD` (kept off the process list). */
function splitPassword(url: string): { uri: string; password?: string } {
  const u = new URL(url);
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  u.password = '';
  return { uri: u.toString(), ...(password === undefined ? {} : { password }) };
}

/** Runs `cmd` and resolves with its stderr when it exits 0. */
function exitOf(child: ReturnType<typeof spawn>, name: string): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', (err) => reject(new Error(`${name}: ${err.message}`)));
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${name} exited with ${code}: ${stderr.trim().slice(0, 2000)}`))));
  });
}

/**
 * Copies database `dbName` from the server of `fromServerUrl` into the existing, empty database of the same
 * name on the server of `toServerUrl`: `pg_dump --format=custom | pg_restore --single-transaction
 * --exit-on-error` (PostgreSQL client tools on `PATH`; Debian package `postgresql-client`), without owners
 * or privileges (the target's connecting role owns everything). Passwords go through `PGPASSWORD`.
 * @throws Error with the tool's stderr when either tool fails (the target then holds nothing: one transaction).
 */
export async function dumpAndRestore(fromServerUrl: string, toServerUrl: string, dbName: string): Promise<void> {
  const src = splitPassword(databaseUrl(fromServerUrl, dbName));
  const dst = splitPassword(databaseUrl(toServerUrl, dbName));
  const env = (p?: string) => ({ ...process.env, ...(p === undefined ? {} : { PGPASSWORD: p }) });
  const dump = spawn('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--dbname=${src.uri}`], { env: env(src.password), stdio: ['ignore', 'pipe', 'pipe'] });
  const restore = spawn('pg_restore', ['--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', `--dbname=${dst.uri}`], {
    env: env(dst.password),
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  dump.stdout!.pipe(restore.stdin!);
  const results = await Promise.allSettled([exitOf(dump, 'pg_dump'), exitOf(restore, 'pg_restore')]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    if (dump.exitCode === null) dump.kill();
    throw failed.reason;
  }
}

/**
 * `schema.table` -> exact `count(*)` of every ordinary table outside the system schemas (what
 * {@link dumpAndRestore} is verified with: same tables, same row counts).
 */
export async function tableCounts(url: string): Promise<TableCounts> {
  const client = new pg.Client({ connectionString: url, application_name: 'cetate:move-verify' });
  await client.connect();
  try {
    const { rows } = await client.query<{ s: string; t: string }>(
      `SELECT n.nspname AS s, c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
       ORDER BY 1, 2`,
    );
    const out: TableCounts = {};
    for (const { s, t } of rows) {
      const ident = `${client.escapeIdentifier(s)}.${client.escapeIdentifier(t)}`;
      const r = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${ident}`);
      out[`${s}.${t}`] = Number(r.rows[0]!.n);
    }
    return out;
  } finally {
    await client.end();
  }
}

/** Runs one statement on `url` (admin work of the move: create/drop database). */
export async function adminExec(url: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url, application_name: 'cetate:move' });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}
