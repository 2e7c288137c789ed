import { LRUCache } from 'lru-cache';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { databaseUrl, runMigrationsLocked } from './database-admin.js';
import { currentTenant } from './tenant-context.js';
import { tenantRefFromSlug, type TenantRef } from './tenant-naming.js';

/** Options of {@link TenantDataSourcePool}. */
export interface TenantDataSourcePoolOptions {
  /** PostgreSQL server URL (any database path; it is replaced by the tenant's `dbName`). */
  baseUrl: string;
  /** TypeORM entities of the modules this process serves. */
  entities: NonNullable<DataSourceOptions['entities']>;
  /** Migrations run on a tenant database the first time this process opens it. */
  migrations?: NonNullable<DataSourceOptions['migrations']>;
  /** Most DataSources alive at once (open + being drained). Default 20. */
  maxDataSources?: number;
  /** `pg` pool size of each DataSource. Default 5. */
  poolSizePerDataSource?: number;
  /** Idle connections close after this many ms (pg `idleTimeoutMillis`). Default 30 000. */
  idleTimeoutMs?: number;
  /** An evicted DataSource is destroyed once idle, or after this many ms regardless. Default 30 000. */
  drainTimeoutMs?: number;
  /** Extra TypeORM options (logging, namingStrategy...); never url/poolSize/entities/migrations. */
  dataSourceOptions?: Partial<Omit<DataSourceOptions, 'type' | 'url' | 'entities' | 'migrations'>>;
}

/** A point-in-time view of the pool. */
export interface TenantDataSourcePoolStats {
  /** DataSources in the LRU (initialising or ready). */
  cached: number;
  /** DataSources alive, counting those evicted and still draining; never above `maxDataSources`. */
  alive: number;
  /** DataSources created since start. */
  created: number;
  /** DataSources destroyed since start. */
  destroyed: number;
  /** Hard cap on PostgreSQL connections of this pool: `maxDataSources × poolSizePerDataSource`. */
  maxConnections: number;
}

interface Entry {
  ref: TenantRef;
  promise: Promise<DataSource>;
  ds?: DataSource;
  failed?: boolean;
  leases: number;
  retired: boolean;
}

/** FIFO counting semaphore. */
class Semaphore {
  private waiters: (() => void)[] = [];
  constructor(private permits: number) {}
  acquire(): Promise<void> {
    if (this.permits > 0) {
      this.permits--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.permits++;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One TypeORM DataSource per tenant database, created lazily, cached in a bounded LRU, with a hard
 * process-wide cap on PostgreSQL connections (ARCHITECTURE.md §2 "Connections"; the habit twenty
 * regrets not having).
 *
 * - First use of a tenant opens a DataSource on `tenant_<slug>` (pool of `poolSizePerDataSource`) and
 *   runs pending `migrations` under an advisory lock. Concurrent callers for one tenant share one promise.
 *   A failed creation is not cached: the next call retries.
 * - The LRU holds at most `maxDataSources`. The least recently used one is evicted when a new tenant
 *   needs room; it is destroyed once its leases ({@link withDataSource}) are released and its pg pool
 *   has no checked-out client (or after `drainTimeoutMs`).
 * - **Hard cap**: a DataSource takes one of `maxDataSources` slots before it connects and gives it back
 *   only after `destroy()`; so at most `maxDataSources × poolSizePerDataSource` connections are open,
 *   whatever the number of tenants. A new tenant waits for a slot while an evicted one drains.
 *   Connections outside this pool (registry, `provisionTenantDatabase`) are not counted.
 *
 * Hold a DataSource only for one unit of work: prefer {@link withDataSource}; a DataSource kept across
 * evictions is destroyed under you. Do not open a second tenant while holding a lease when
 * `maxDataSources` is 1 (the drain timeout breaks that wait).
 */
export class TenantDataSourcePool {
  /** Hard cap on connections: `maxDataSources × poolSizePerDataSource`. */
  readonly maxConnections: number;
  private readonly cache: LRUCache<string, Entry>;
  private readonly slots: Semaphore;
  private readonly draining = new Set<Promise<void>>();
  private readonly o: Required<Omit<TenantDataSourcePoolOptions, 'dataSourceOptions'>> &
    Pick<TenantDataSourcePoolOptions, 'dataSourceOptions'>;
  /** Databases whose migrations this process already ran. */
  private readonly migrated = new Set<string>();
  private created = 0;
  private destroyed = 0;
  private alive = 0;
  private closed = false;

  constructor(opts: TenantDataSourcePoolOptions) {
    this.o = {
      migrations: [],
      maxDataSources: 20,
      poolSizePerDataSource: 5,
      idleTimeoutMs: 30_000,
      drainTimeoutMs: 30_000,
      ...opts,
    };
    if (this.o.maxDataSources < 1 || this.o.poolSizePerDataSource < 1) throw new Error('maxDataSources and poolSizePerDataSource must be >= 1');
    this.maxConnections = this.o.maxDataSources * this.o.poolSizePerDataSource;
    this.slots = new Semaphore(this.o.maxDataSources);
    this.cache = new LRUCache<string, Entry>({
      max: this.o.maxDataSources,
      dispose: (entry) => this.retire(entry),
    });
  }

  /**
   * The initialised DataSource of a tenant (slug: `dbName` derived as `tenant_<slug>`).
   * Marks it most recently used. @throws the connection/migration error (not cached).
   */
  forTenant(tenant: string | TenantRef): Promise<DataSource> {
    try {
      return this.entry(tenant).promise;
    } catch (err) {
      return Promise.reject(err); // invalid slug or destroyed pool: reject, never throw synchronously
    }
  }

  /** The DataSource of the tenant of the current `TenantContext`. @throws NoTenantContextError. */
  current(): Promise<DataSource> {
    return this.forTenant(currentTenant());
  }

  /**
   * Runs `fn` with the tenant's DataSource, holding a lease so that eviction waits for `fn` to settle.
   * Default tenant: the current `TenantContext`.
   */
  async withDataSource<T>(tenant: string | TenantRef | undefined, fn: (ds: DataSource) => Promise<T>): Promise<T> {
    const entry = this.entry(tenant ?? currentTenant());
    entry.leases++;
    try {
      return await fn(await entry.promise);
    } finally {
      entry.leases--;
    }
  }

  /** The initialised, not evicted DataSources with their tenant (e.g. for an outbox relay). */
  all(): { tenant: TenantRef; dataSource: DataSource }[] {
    const out: { tenant: TenantRef; dataSource: DataSource }[] = [];
    for (const e of this.cache.values()) if (e.ds && !e.retired) out.push({ tenant: e.ref, dataSource: e.ds });
    return out;
  }

  /** Counters and the connection cap. */
  stats(): TenantDataSourcePoolStats {
    return { cached: this.cache.size, alive: this.alive, created: this.created, destroyed: this.destroyed, maxConnections: this.maxConnections };
  }

  /** Evicts and destroys every DataSource (after in-flight work) and refuses new ones. */
  async destroy(): Promise<void> {
    this.closed = true;
    this.cache.clear();
    while (this.draining.size) await Promise.allSettled([...this.draining]);
  }

  private entry(tenant: string | TenantRef): Entry {
    if (this.closed) throw new Error('TenantDataSourcePool is destroyed');
    const ref = typeof tenant === 'string' ? tenantRefFromSlug(tenant) : tenant;
    const hit = this.cache.get(ref.dbName);
    if (hit) return hit;
    const entry: Entry = { ref, leases: 0, retired: false, promise: undefined as unknown as Promise<DataSource> };
    entry.promise = this.open(entry);
    entry.promise.catch(() => undefined);
    this.cache.set(ref.dbName, entry);
    return entry;
  }

  private async open(entry: Entry): Promise<DataSource> {
    await this.slots.acquire();
    this.alive++;
    let ds: DataSource | undefined;
    try {
      ds = new DataSource({
        ...(this.o.dataSourceOptions as object),
        type: 'postgres',
        url: databaseUrl(this.o.baseUrl, entry.ref.dbName),
        entities: this.o.entities,
        migrations: this.o.migrations,
        migrationsRun: false,
        poolSize: this.o.poolSizePerDataSource,
        applicationName: `cetate:${entry.ref.slug}`,
        extra: { ...((this.o.dataSourceOptions as { extra?: object } | undefined)?.extra ?? {}), idleTimeoutMillis: this.o.idleTimeoutMs },
      } as DataSourceOptions);
      this.created++;
      await ds.initialize();
      // Migrations run once per database per process; a DataSource reopened after eviction skips them.
      if (!this.migrated.has(entry.ref.dbName)) {
        await runMigrationsLocked(ds);
        this.migrated.add(entry.ref.dbName);
      }
      entry.ds = ds;
      return ds;
    } catch (err) {
      entry.failed = true;
      if (ds?.isInitialized) await ds.destroy().catch(() => undefined);
      this.alive--;
      this.slots.release();
      if (this.cache.peek(entry.ref.dbName) === entry) this.cache.delete(entry.ref.dbName);
      throw err;
    }
  }

  private retire(entry: Entry): void {
    if (entry.retired) return;
    entry.retired = true;
    const p = (async () => {
      const ds = await entry.promise.catch(() => undefined);
      if (!ds || entry.failed) return; // open() released its slot already
      const deadline = Date.now() + this.o.drainTimeoutMs;
      while (Date.now() < deadline && (entry.leases > 0 || busy(ds))) await sleep(20);
      await ds.destroy().catch(() => undefined);
      this.destroyed++;
      this.alive--;
      this.slots.release();
    })();
    this.draining.add(p);
    void p.finally(() => this.draining.delete(p));
  }
}

/** True while the DataSource's pg pool has a checked-out client or a waiting request. */
function busy(ds: DataSource): boolean {
  const pool = (ds.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } }).master;
  if (!pool) return false;
  return pool.totalCount - pool.idleCount > 0 || pool.waitingCount > 0;
}
