import { databaseUrl, dropDatabase, provisionTenantDatabase, type DatabaseClusters, type TenantModule, type TenantRecord } from '@cetate/platform-tenancy';
import type { TenantDatabaseAdmin } from './provisioning.saga.js';

/**
 * {@link TenantDatabaseAdmin} on PostgreSQL: the tenant's database lives on the server of its `db_cluster`
 * (`clusters`, `PG_CLUSTERS`), created when missing and migrated by tenancy's one runner with every module's
 * migrations and post-migration hooks; dropped with `dropDatabase` (sessions still connected are ended).
 */
export function postgresTenantDatabases(opts: { clusters: DatabaseClusters; modules: readonly TenantModule[] }): TenantDatabaseAdmin {
  return {
    async provision(t: TenantRecord) {
      const r = await provisionTenantDatabase(opts.clusters, t, opts.modules);
      return { created: r.created, migrationsRun: r.migrationsRun };
    },
    async drop(t: TenantRecord) {
      return { dropped: await dropDatabase(databaseUrl(opts.clusters.urlFor(t.dbCluster), 'postgres'), t.dbName) };
    },
  };
}
