import { ensureDatabase } from './database-admin.js';
import { migrateTenantDatabase, tenantServerUrl, type MigrationCtor, type TenantModule, type TenantServer } from './tenant-migrations.js';
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
 * Database step of tenant provisioning (ARCHITECTURE.md §2): `CREATE DATABASE tenant_<slug>` on the
 * tenant's server when missing (idempotent; concurrent calls are safe: one creates, the others see it),
 * then {@link migrateTenantDatabase} (every module's pending migrations under the advisory lock, then the
 * modules' `afterMigrate` hooks). Opens one admin connection and the runner's two, all closed after.
 * @param adminUrl URL of a database on the target server with CREATEDB rights (e.g. `.../postgres`), or the
 *   clusters (then the tenant's `dbCluster` entry is used).
 * @param modules the modules of the tenant database; a plain migration list is taken as one module `tenant`.
 */
export async function provisionTenantDatabase(
  adminUrl: TenantServer,
  tenant: string | TenantRef,
  modules: readonly TenantModule[] | readonly MigrationCtor[],
): Promise<ProvisionDatabaseResult> {
  const ref = typeof tenant === 'string' ? tenantRefFromSlug(tenant) : tenant;
  const created = await ensureDatabase(tenantServerUrl(adminUrl, ref), ref.dbName);
  const mods: TenantModule[] = modules.every((m) => typeof m === 'function')
    ? [{ name: 'tenant', migrations: modules as MigrationCtor[] }]
    : (modules as TenantModule[]);
  return { dbName: ref.dbName, created, migrationsRun: await migrateTenantDatabase(adminUrl, ref, mods, { applicationName: `cetate:provision:${ref.slug}` }) };
}
