import type { DataSource, DataSourceOptions } from 'typeorm';
import { AmqpConnection, OutboxRelay, Publisher, type Topology } from '@cetate/platform-messaging';
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
  type TenantRef,
} from '@cetate/platform-tenancy';

/** Connections of the registry's own pool (`TenantRegistry` `poolSize`), counted in `pgMaxConnections`. */
export const REGISTRY_POOL_SIZE = 2;

/** Connections of each tenant DataSource when neither the config nor `PG_POOL_PER_TENANT` says otherwise. */
const DEFAULT_POOL_PER_TENANT = 4;

/** How often the outbox relay polls the tenant outboxes, ms (a `kick()` runs a pass at once). */
const RELAY_POLL_INTERVAL_MS = 1000;

/** Where a module process connects: the settings every module app's own config carries (README "Environment
 * variables" of each app), passed to its module runtime with {@link moduleConnection}. */
export interface ModuleConnectionConfig {
  /** PostgreSQL server URL; tenant databases are `tenant_<slug>` on it (cluster `default` unless `clusters`). */
  databaseUrl: string;
  /** Platform database (tenant registry); default `cetate_platform` next to `databaseUrl`. */
  platformDatabaseUrl?: string;
  /** Servers of the tenant databases by `db_cluster` (main.ts: `DatabaseClusters.fromEnv()`, `PG_CLUSTERS`);
   * default one cluster `default` = `databaseUrl`. */
  clusters?: DatabaseClusters;
  /** Most PostgreSQL connections of the process (main.ts: `PG_MAX_CONNECTIONS`); default 50. The registry takes
   * {@link REGISTRY_POOL_SIZE}, the tenant pool the rest. */
  pgMaxConnections?: number;
  /** RabbitMQ URL (with vhost). */
  amqpUrl: string;
  /** S3 / MinIO connection of the tenant buckets. */
  storage: TenantStorageOptions;
  /** How long a registry answer (tenant by realm/slug, status) is reused, ms; default 30 000. A suspension takes
   * effect within this time (tests shorten it). */
  tenantCacheTtlMs?: number;
}

/** The {@link ModuleConnectionConfig} part of an app's config (its other settings left out). */
export function moduleConnection(cfg: ModuleConnectionConfig): ModuleConnectionConfig {
  const { databaseUrl, platformDatabaseUrl, clusters, pgMaxConnections, amqpUrl, storage, tenantCacheTtlMs } = cfg;
  return { databaseUrl, platformDatabaseUrl, clusters, pgMaxConnections, amqpUrl, storage, tenantCacheTtlMs };
}

/** What every process of one business module (e.g. `invoicing-api` and `worker-anaf`) connects to. */
export interface ModuleRuntimeConfig<O> extends ModuleConnectionConfig {
  /** Process name: AMQP connection name, PostgreSQL `application_name` (`cetate:<name>`), logs. */
  name: string;
  /** Connections of each tenant DataSource; default `PG_POOL_PER_TENANT` or 4 (so 12 tenants open at once with the
   * default cap), never more than the tenant pool's share. */
  poolSizePerDataSource?: number;
  /** The module's RabbitMQ topology (its commands, events, retry queues), asserted at every (re)connect. */
  topology: Topology;
  /** This process's entities in the tenant databases. */
  entities: NonNullable<DataSourceOptions['entities']>;
  /** The migrations this process's code needs in a tenant database: checked once per tenant database, never
   * run (ADR 0015: `npm run cetate -- tenant migrate`); a tenant lacking one is refused with 503
   * `TENANT_SCHEMA_BEHIND`. */
  migrations: readonly MigrationCtor[];
  /** The module's object store over the tenant buckets (e.g. `invoicingObjects`), given the storage and the
   * cached slug → tenant lookup. */
  objects: (storage: TenantStorage, tenantRef: (slug: string) => Promise<TenantRef>) => O;
  log: Logger;
}

/** Tenant databases by tenant slug (the slug resolved through the cached registry lookup). */
export interface TenantDataSources {
  /** The tenant's DataSource, for one short unit of work (a request). */
  forTenant(slug: string): Promise<DataSource>;
  /** Runs `fn` holding a lease on the tenant's DataSource, so the bounded pool cannot evict it meanwhile
   * (long work such as polling ANAF or reading a scan). */
  withDataSource<T>(slug: string, fn: (dataSource: DataSource) => Promise<T>): Promise<T>;
}

/** The connected pieces of a module process; `close()` stops them in reverse order of start. */
export interface ModuleRuntime<O> {
  registry: TenantRegistry;
  tenants: TenantLookup;
  pool: TenantDataSourcePool;
  dataSources: TenantDataSources;
  connection: AmqpConnection;
  /** What {@link ModuleRuntimeConfig.objects} built. */
  objects: O;
  /** Outbox relay of the tenant databases (started by {@link startModuleRuntime}). */
  relay: OutboxRelay;
  /** Registers a step run first by `close()` (e.g. stop consuming before the connection closes); steps run
   * last-registered first. */
  onClose(step: () => Promise<void>): void;
  /** Runs every close step once, last started first; a failing step is logged (`warn`) and the next runs. */
  close(): Promise<void>;
}

/**
 * Connects one process of a business module (the platform libraries as they are, ARCHITECTURE §2-3), in this
 * order: tenant registry (cached lookups, {@link REGISTRY_POOL_SIZE} connections); tenant DataSource pool
 * (`pgMaxConnections - REGISTRY_POOL_SIZE` connections at most, whatever the number of tenants; each tenant on its
 * cluster's server; schema checked, never migrated); RabbitMQ with the module's topology; the outbox relay over
 * every active tenant (started, polling every second); the module's objects over the tenant storage.
 *
 * `close()` stops, in order: the steps registered with `onClose` (last first), the relay, the AMQP connection,
 * the tenant pool, the registry.
 * @throws Error when `pgMaxConnections` is not an integer above {@link REGISTRY_POOL_SIZE}; otherwise the first
 *   start-up error (broker unreachable, topology refused, ...), after closing what was opened.
 */
export async function startModuleRuntime<O>(cfg: ModuleRuntimeConfig<O>): Promise<ModuleRuntime<O>> {
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
      poolSizePerDataSource: Math.min(cfg.poolSizePerDataSource ?? pgPoolPerTenantFromEnv(DEFAULT_POOL_PER_TENANT), pgMax - REGISTRY_POOL_SIZE),
      applicationName: `cetate:${cfg.name}`,
    });
    steps.push(() => pool.destroy());
    const connection = new AmqpConnection({ url: cfg.amqpUrl, name: cfg.name, topology: cfg.topology });
    await connection.connect();
    steps.push(() => connection.close());
    const tenants = cachedTenantLookup(registry, cfg.tenantCacheTtlMs);
    const relay = new OutboxRelay({
      publisher: new Publisher(connection),
      pollIntervalMs: RELAY_POLL_INTERVAL_MS,
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
      objects: cfg.objects(new TenantStorage(cfg.storage), tenants.bySlug),
      relay,
      onClose: (step) => void steps.push(step),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
