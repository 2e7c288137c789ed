import { DataSource, type DataSourceOptions } from 'typeorm';
import { databaseUrl, ensureDatabase, runMigrationsLocked } from './database-admin.js';
import { tenantRefFromSlug, type TenantRef } from './tenant-naming.js';

/** What {@link provisionTenantDatabase} did. */
export interface ProvisionDatabaseResult {
  /** The tenant database name. */
  dbName: string;
  /** True when this call created the database. */
  created: boolean;
  /** Migrations run by this call (empty when up to date). */
  migrationsRun: string[];
}

/**
 * Database step of tenant provisioning (ARCHITECTURE.md §2): `CREATE DATABASE tenant_<slug>` when
 * missing (idempotent; concurrent calls are safe: one creates, the others see it) and runs the pending
 * `migrations` under an advisory lock. Opens one admin connection and one tenant connection, closed after.
 * @param adminUrl URL of a database on the target server with CREATEDB rights (e.g. `.../postgres`).
 */
export async function provisionTenantDatabase(
  adminUrl: string,
  tenant: string | TenantRef,
  migrations: NonNullable<DataSourceOptions['migrations']>,
): Promise<ProvisionDatabaseResult> {
  const ref = typeof tenant === 'string' ? tenantRefFromSlug(tenant) : tenant;
  const created = await ensureDatabase(adminUrl, ref.dbName);
  const ds = new DataSource({
    type: 'postgres',
    url: databaseUrl(adminUrl, ref.dbName),
    migrations,
    poolSize: 1,
    applicationName: `cetate:provision:${ref.slug}`,
  });
  await ds.initialize();
  try {
    return { dbName: ref.dbName, created, migrationsRun: await runMigrationsLocked(ds) };
  } finally {
    await ds.destroy();
  }
}
