import pg from 'pg';
import { databaseUrl, provisionTenantDatabase, type TenantRecord } from '@cetate/platform-tenancy';
import type { TenantDatabaseAdmin } from './provisioning.saga.js';

/** A tenant database name as the registry makes it (`tenant_<slug with - as _>`); anything else is refused. */
const TENANT_DB_NAME = /^tenant_[a-z][a-z0-9_]{1,30}$/;

/**
 * {@link TenantDatabaseAdmin} on PostgreSQL: the tenant's database lives on the server of its `db_cluster`
 * (`serverUrl(cluster)`, an admin URL with CREATEDB), migrated with every module's `migrations`.
 */
export function postgresTenantDatabases(opts: {
  /** Admin URL of the server that holds a cluster's tenant databases. @throws for an unknown cluster. */
  serverUrl(cluster: string): string;
  /** Every module's tenant migrations (the modules, with their post-migration hooks, or the migration classes). */
  migrations: Parameters<typeof provisionTenantDatabase>[2];
}): TenantDatabaseAdmin {
  return {
    async provision(t: TenantRecord) {
      const r = await provisionTenantDatabase(opts.serverUrl(t.dbCluster), t, opts.migrations);
      return { created: r.created, migrationsRun: r.migrationsRun };
    },
    async drop(t: TenantRecord) {
      if (!TENANT_DB_NAME.test(t.dbName)) throw new Error(`refusing to drop database ${JSON.stringify(t.dbName)}`);
      const client = new pg.Client({ connectionString: databaseUrl(opts.serverUrl(t.dbCluster), 'postgres'), application_name: 'cetate:deprovision' });
      await client.connect();
      try {
        const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [t.dbName]);
        if (!rowCount) return { dropped: false };
        // WITH (FORCE) ends the connections processes still hold to it (PostgreSQL 13+).
        await client.query(`DROP DATABASE IF EXISTS "${t.dbName}" WITH (FORCE)`);
        return { dropped: true };
      } finally {
        await client.end();
      }
    },
  };
}
