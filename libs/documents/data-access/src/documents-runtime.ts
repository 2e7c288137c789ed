import type { DataSource, DataSourceOptions } from 'typeorm';
import { AmqpConnection, OutboxRelay, Publisher, type RetryPolicy } from '@cetate/platform-messaging';
import type { Logger } from '@cetate/platform-observability';
import { TenantStorage, type TenantStorageOptions } from '@cetate/platform-storage';
import {
  activeTenantOutboxes,
  cachedTenantLookup,
  DatabaseClusters,
  DEFAULT_PG_MAX_CONNECTIONS,
  pgPoolPerTenantFromEnv,
  platformDatabaseUrl,
  TenantDataSourcePool,
  TenantRegistry,
  type MigrationCtor,
  type TenantLookup,
} from '@cetate/platform-tenancy';
import { documentsTopology } from './documents-topology.js';
import { documentsObjects, type DocumentsObjects } from './documents-objects.js';

/** What both documents processes (`documents-api`, `worker-ocr`) connect to. */
export interface DocumentsRuntimeConfig {
  /** Process name (AMQP connection name, `application_name`, logs). */
  name: string;
  /** PostgreSQL server URL; tenant databases are `tenant_<slug>` on it (cluster `default` unless `clusters`). */
  databaseUrl: string;
  /** Servers of the tenant databases by `db_cluster` (apps: `DatabaseClusters.fromEnv()`, `PG_CLUSTERS`). */
  clusters?: DatabaseClusters;
  /** Most PostgreSQL connections of the process (apps: `PG_MAX_CONNECTIONS`); default 50. */
  pgMaxConnections?: number;
  /** Connections of each tenant DataSource; default `PG_POOL_PER_TENANT` or 4. */
  poolSizePerDataSource?: number;
  /** Platform database (tenant registry); default `cetate_platform` next to `databaseUrl`. */
  platformDatabaseUrl?: string;
  amqpUrl: string;
  storage: TenantStorageOptions;
  /** Retry policy of the documents queues (tests shorten it); default `OCR_RETRY`. */
  retry?: RetryPolicy;
  /** How long a registry answer is reused, ms; default 30 000. */
  tenantCacheTtlMs?: number;
  /** This process's entities in the tenant databases. */
  entities: NonNullable<DataSourceOptions['entities']>;
  /** The migrations this process needs in a tenant database: checked, never run (ADR 0015). */
  migrations: readonly MigrationCtor[];
  log: Logger;
}

/** Tenant databases by tenant slug (resolved through the cached registry lookup). */
export interface TenantDataSources {
  /** The tenant's DataSource, for one short unit of work (a request). */
  forTenant(slug: string): Promise<DataSource>;
  /** Runs `fn` holding a lease on the tenant's DataSource, so the bounded pool cannot evict it meanwhile. */
  withDataSource<T>(slug: string, fn: (dataSource: DataSource) => Promise<T>): Promise<T>;
}

/** The connected pieces; `close()` stops them in reverse order of start. */
export interface DocumentsRuntime {
  registry: TenantRegistry;
  tenants: TenantLookup;
  pool: TenantDataSourcePool;
  dataSources: TenantDataSources;
  connection: AmqpConnection;
  objects: DocumentsObjects;
  /** Outbox relay of the tenant databases (started). */
  relay: OutboxRelay;
  /** Registers a step run first by `close()` (e.g. stop consuming before the connection closes). */
  onClose(step: () => Promise<void>): void;
  close(): Promise<void>;
}

/** Connections of the registry's own pool, counted in `pgMaxConnections`. */
const REGISTRY_POOL_SIZE = 2;

/**
 * Connects a documents process the way the invoicing processes connect (the platform libraries as they are): tenant
 * registry (cached lookups), bounded tenant DataSource pool (schema checked, never migrated), tenant storage,
 * RabbitMQ with the documents topology ({@link documentsTopology}) and a started outbox relay over every active
 * tenant. On failure, closes what was opened and rethrows.
 */
export async function startDocumentsRuntime(cfg: DocumentsRuntimeConfig): Promise<DocumentsRuntime> {
  const pgMax = cfg.pgMaxConnections ?? DEFAULT_PG_MAX_CONNECTIONS;
  if (!Number.isInteger(pgMax) || pgMax <= REGISTRY_POOL_SIZE) throw new Error(`pgMaxConnections must be an integer > ${REGISTRY_POOL_SIZE}, got ${pgMax}`);
  const clusters = cfg.clusters ?? DatabaseClusters.single(cfg.databaseUrl);
  const registry = new TenantRegistry({ url: cfg.platformDatabaseUrl ?? platformDatabaseUrl({ DATABASE_URL: cfg.databaseUrl }), poolSize: REGISTRY_POOL_SIZE, clusters });
  const steps: Array<() => Promise<void>> = [() => registry.close()];
  const close = async () => {
    for (const s of steps.splice(0).reverse()) await s().catch((err) => cfg.log.warn({ err }, 'close step failed'));
  };
  try {
    const pool = new TenantDataSourcePool({
      clusters,
      entities: cfg.entities,
      requiredMigrations: cfg.migrations,
      maxConnections: pgMax - REGISTRY_POOL_SIZE,
      poolSizePerDataSource: Math.min(cfg.poolSizePerDataSource ?? pgPoolPerTenantFromEnv(4), pgMax - REGISTRY_POOL_SIZE),
      applicationName: `cetate:${cfg.name}`,
    });
    steps.push(() => pool.destroy());
    const connection = new AmqpConnection({ url: cfg.amqpUrl, name: cfg.name, topology: documentsTopology(cfg.retry) });
    await connection.connect();
    steps.push(() => connection.close());
    const tenants = cachedTenantLookup(registry, cfg.tenantCacheTtlMs);
    const relay = new OutboxRelay({
      publisher: new Publisher(connection),
      pollIntervalMs: 1000,
      dataSources: activeTenantOutboxes(tenants, pool),
      onError: (err, tenantId) => cfg.log.error({ err, tenant: tenantId }, 'outbox relay pass failed'),
    });
    relay.start();
    steps.push(() => relay.stop());
    return {
      registry,
      tenants,
      pool,
      dataSources: {
        forTenant: async (slug) => pool.forTenant(await tenants.bySlug(slug)),
        withDataSource: async (slug, fn) => pool.withDataSource(await tenants.bySlug(slug), fn),
      },
      connection,
      objects: documentsObjects(new TenantStorage(cfg.storage), tenants.bySlug),
      relay,
      onClose: (step) => void steps.push(step),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
