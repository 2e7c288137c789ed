import { DataSource, type DataSourceOptions, type MigrationInterface } from 'typeorm';
import { databaseUrl, runMigrationsLocked } from './database-admin.js';
import { DatabaseClusters } from './database-clusters.js';
import { TenantDatabaseMissingError } from './tenancy.errors.js';
import { tenantRefFromSlug, type TenantRef } from './tenant-naming.js';

/** A TypeORM migration class (its name ends with a 13-digit JavaScript timestamp, TypeORM's rule). */
export type MigrationCtor = new () => MigrationInterface;

/** What an `afterMigrate` hook gets. */
export interface TenantMigrationContext {
  /** DataSource on the tenant database (pool of 1 free connection, the module's entities). */
  dataSource: DataSource;
  tenant: TenantRef;
}

/**
 * What a module puts in every tenant database: its migrations (one place per table: the module's
 * `data-access`), and optionally a hook run after every migration run (seed data, backfills). Hooks must
 * be idempotent: they run at each `migrateTenantDatabase`, even when nothing was pending.
 */
export interface TenantModule {
  /** Module name, e.g. `invoicing`, `worker-anaf` (logs, errors). */
  name: string;
  migrations: MigrationCtor[];
  /** Entities the hook needs on its DataSource (optional; migrations themselves need none). */
  entities?: NonNullable<DataSourceOptions['entities']>;
  afterMigrate?: (ctx: TenantMigrationContext) => Promise<void>;
}

/** Where the tenant database is: a server URL (any database path), or the clusters (then `tenant.dbCluster` picks). */
export type TenantServer = string | DatabaseClusters;

/** The server URL of `tenant` (its cluster's URL when `server` is a {@link DatabaseClusters}). */
export function tenantServerUrl(server: TenantServer, tenant: TenantRef): string {
  return typeof server === 'string' ? server : server.urlFor(tenant.dbCluster);
}

/** TypeORM's name of a migration: the instance's `name`, else the class name. */
export function migrationName(m: MigrationCtor): string {
  return new m().name ?? m.name;
}

/** TypeORM's order key: the last 13 characters of the name as a number (MigrationExecutor.getMigrations). */
function migrationTimestamp(name: string): number {
  const ts = parseInt(name.slice(-13), 10);
  if (!ts || Number.isNaN(ts)) throw new Error(`${name}: a migration name must end with a 13-digit JavaScript timestamp (TypeORM rule)`);
  return ts;
}

/**
 * The migrations of all `modules`, each class once (a shared migration such as the messaging outbox may be
 * declared by several modules), sorted by TypeORM's timestamp rule (the order the runner applies them).
 * @throws Error when two different classes carry the same name (TypeORM would refuse them as duplicates).
 */
export function collectMigrations(modules: readonly Pick<TenantModule, 'name' | 'migrations'>[]): MigrationCtor[] {
  const byName = new Map<string, { ctor: MigrationCtor; module: string }>();
  for (const mod of modules) {
    for (const ctor of mod.migrations) {
      const name = migrationName(ctor);
      const seen = byName.get(name);
      if (seen && seen.ctor !== ctor) throw new Error(`migration name ${name} is declared by two different classes (modules ${seen.module} and ${mod.name})`);
      if (!seen) byName.set(name, { ctor, module: mod.name });
    }
  }
  return [...byName.entries()].sort(([a], [b]) => migrationTimestamp(a) - migrationTimestamp(b)).map(([, v]) => v.ctor);
}

/**
 * Names of `migrations` that are not recorded in the database's TypeORM migrations table (all of them when
 * the table does not exist yet), in TypeORM's order. Reads only; one query on one pooled connection.
 * @param dataSource an initialised DataSource on the tenant database (its `migrationsTableName` and
 *   `schema` options name the table; default `migrations` on the search path).
 */
export async function pendingTenantMigrations(dataSource: DataSource, migrations: readonly MigrationCtor[]): Promise<string[]> {
  const names = collectMigrations([{ name: 'required', migrations: [...migrations] }]).map(migrationName);
  if (!names.length) return [];
  const opts = dataSource.options as { migrationsTableName?: string; schema?: string };
  const table = `${opts.schema ? `"${opts.schema}".` : ''}"${opts.migrationsTableName ?? 'migrations'}"`;
  const [{ t }] = (await dataSource.query('SELECT to_regclass($1)::text AS t', [table])) as [{ t: string | null }];
  if (!t) return names;
  const done = new Set(((await dataSource.query(`SELECT name FROM ${table}`)) as { name: string }[]).map((r) => r.name));
  return names.filter((n) => !done.has(n));
}

/** Options of {@link migrateTenantDatabase}. */
export interface MigrateTenantOptions {
  /** `application_name` of its connections; default `cetate:migrate:<slug>`. */
  applicationName?: string;
}

/**
 * The one migration runner of tenant databases (issue 5 point 2, ADR 0015): runs every pending migration of
 * every module in TypeORM's timestamp order, in one transaction, under the per-database advisory lock (so
 * concurrent runners, e.g. two `tenant migrate` or a saga retry, apply them once), then each module's
 * `afterMigrate` hook in module order, still under the lock. Creates nothing: the database must exist.
 * Opens two connections (lock + hooks) on the tenant database and closes them.
 * @param server the server URL, or the clusters (then `tenant.dbCluster` is resolved).
 * @param tenant a registry record (or a slug: `tenant_<slug>` on cluster `default`).
 * @returns the names of the migrations this call ran (empty when up to date).
 * @throws TenantDatabaseMissingError (404) when the database does not exist; the failing migration's error
 *   (nothing of the run is kept: one transaction); a hook's error (migrations stay applied).
 */
export async function migrateTenantDatabase(
  server: TenantServer,
  tenant: string | TenantRef,
  modules: readonly TenantModule[],
  opts: MigrateTenantOptions = {},
): Promise<string[]> {
  const ref = typeof tenant === 'string' ? tenantRefFromSlug(tenant) : tenant;
  const ds = new DataSource({
    type: 'postgres',
    url: databaseUrl(tenantServerUrl(server, ref), ref.dbName),
    entities: modules.flatMap((m) => (m.entities ?? []) as never[]),
    migrations: collectMigrations(modules),
    poolSize: 2,
    applicationName: opts.applicationName ?? `cetate:migrate:${ref.slug}`,
  });
  try {
    await ds.initialize();
  } catch (err) {
    if ((err as { code?: string }).code === '3D000') throw new TenantDatabaseMissingError(ref.dbName, ref.dbCluster);
    throw err;
  }
  try {
    return await runMigrationsLocked(ds, async () => {
      for (const m of modules) if (m.afterMigrate) await m.afterMigrate({ dataSource: ds, tenant: ref });
    });
  } finally {
    await ds.destroy();
  }
}
