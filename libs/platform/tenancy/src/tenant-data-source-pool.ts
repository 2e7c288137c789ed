import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { CetateError } from '@cetate/shared-errors';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { databaseUrl } from './database-admin.js';
import { DatabaseClusters } from './database-clusters.js';
import { TenantDatabaseMissingError, TenantSchemaBehindError } from './tenancy.errors.js';
import { currentTenant } from './tenant-context.js';
import { pendingTenantMigrations, type MigrationCtor } from './tenant-migrations.js';
import { tenantRefFromSlug, type TenantRef } from './tenant-naming.js';

/** Default of `PG_MAX_CONNECTIONS`: PostgreSQL connections one process holds at most (issue 5 point 6). */
export const DEFAULT_PG_MAX_CONNECTIONS = 50;

/**
 * `PG_MAX_CONNECTIONS` (default 50, empty = unset): the most PostgreSQL connections a process holds,
 * registry and tenant pools together. @throws Error when it is not an integer >= 2.
 */
export function pgMaxConnectionsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.PG_MAX_CONNECTIONS?.trim();
  if (!raw) return DEFAULT_PG_MAX_CONNECTIONS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 2) throw new Error(`PG_MAX_CONNECTIONS must be an integer >= 2, got ${JSON.stringify(raw)}`);
  return n;
}

/**
 * `PG_POOL_PER_TENANT` (default `dflt`, empty = unset): PostgreSQL connections of one tenant's DataSource in a process.
 * More lets one busy tenant (a month-end send) work in parallel; fewer lets more tenants be open at once within
 * `PG_MAX_CONNECTIONS`. @throws Error when it is not an integer >= 1.
 */
export function pgPoolPerTenantFromEnv(dflt: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.PG_POOL_PER_TENANT?.trim();
  if (!raw) return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`PG_POOL_PER_TENANT must be an integer >= 1, got ${JSON.stringify(raw)}`);
  return n;
}

/** Options of {@link TenantDataSourcePool}. */
export interface TenantDataSourcePoolOptions {
  /** One PostgreSQL server for every tenant (any database path; replaced by the tenant's `dbName`). */
  baseUrl?: string;
  /** Several servers: each tenant opens on `clusters.urlFor(tenant.dbCluster)`. Wins over `baseUrl`. */
  clusters?: DatabaseClusters;
  /** TypeORM entities of the modules this process serves. */
  entities: NonNullable<DataSourceOptions['entities']>;
  /**
   * Migrations this process's code needs in a tenant database. Checked once per database per process
   * (never run: ADR 0015); a tenant with any of them pending is refused with `TenantSchemaBehindError`.
   */
  requiredMigrations?: readonly MigrationCtor[];
  /**
   * Budget: the most PostgreSQL connections this pool holds at once, all tenants together. Default 50.
   * The hard cap is `maxDataSources × poolSizePerDataSource` with
   * `maxDataSources = min(option, floor(maxConnections / poolSizePerDataSource))`.
   */
  maxConnections?: number;
  /** Further bound on DataSources alive at once (open + draining). Default: what the budget allows. */
  maxDataSources?: number;
  /** `pg` pool size of each DataSource. Default 2. */
  poolSizePerDataSource?: number;
  /**
   * A DataSource nobody used for this many ms (no lease, no checked-out connection) is destroyed and its
   * slot freed; idle connections inside a DataSource close after the same time (pg `idleTimeoutMillis`).
   * Default 60 000.
   */
  idleTimeoutMs?: number;
  /**
   * An evicted DataSource without leases but with a checked-out connection (a `forTenant()` caller still
   * querying) is destroyed after this many ms regardless. Leases are always waited for. Default 30 000.
   */
  drainTimeoutMs?: number;
  /**
   * A DataSource handed out by {@link TenantDataSourcePool.forTenant} outside a `unitOfWork` (no lease) is not
   * evicted, by pressure or idleness, for this many ms after it is handed out: time for a short piece of work
   * to run its queries. Requests use `unitOfWork`, longer work `withDataSource`. Default 1 000.
   */
  forTenantGraceMs?: number;
  /** `application_name` prefix of the connections: `<prefix>:<slug>`. Default `cetate`. */
  applicationName?: string;
  /** Extra TypeORM options (logging, namingStrategy...); never url/poolSize/entities/migrations. */
  dataSourceOptions?: Partial<Omit<DataSourceOptions, 'type' | 'url' | 'entities' | 'migrations'>>;
}

/** A point-in-time view of the pool. */
export interface TenantDataSourcePoolStats {
  /** DataSources in the cache (waiting for a slot, initialising or ready). */
  cached: number;
  /** DataSources alive, counting those evicted and still draining; never above `maxDataSources`. */
  alive: number;
  /** DataSources created since start. */
  created: number;
  /** DataSources destroyed since start (pressure, idle timeout or `destroy()`). */
  destroyed: number;
  /** Of `destroyed`, those destroyed because nobody used them for `idleTimeoutMs`. */
  idleEvicted: number;
  /** Tenant opens waiting for a slot right now. */
  waiting: number;
  /** PostgreSQL connections open right now (counted at connect and at close of each pg client). */
  connections: number;
  /** The highest `connections` since start; never above `maxConnections`. */
  peakConnections: number;
  /** Slots: DataSources alive at once. */
  maxDataSources: number;
  /** Hard cap on PostgreSQL connections of this pool: `maxDataSources × poolSizePerDataSource`. */
  maxConnections: number;
}

interface Entry {
  key: string;
  ref: TenantRef;
  url: string;
  promise: Promise<DataSource>;
  ds?: DataSource;
  failed?: boolean;
  leases: number;
  /** `forTenant()` hand-outs still within `forTenantGraceMs`. */
  grace: number;
  /** Resolved when `leases` drops to 0 (the drain of a retired entry waits on them). */
  leaseWaiters: (() => void)[];
  retired: boolean;
  lastUsed: number;
  /** Connections of this DataSource open right now. */
  connections: number;
  /** Resolved when `connections` drops to 0 (a slot is freed only then). */
  closedWaiters: (() => void)[];
}

/** FIFO counting semaphore that knows how many wait. */
class Semaphore {
  private readonly waiters: (() => void)[] = [];
  constructor(private permits: number) {}
  get waiting(): number {
    return this.waiters.length;
  }
  tryAcquire(): boolean {
    if (this.permits > 0) {
      this.permits--;
      return true;
    }
    return false;
  }
  wait(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.permits++;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Pool was destroyed (process shutting down): no new DataSource. Code `TENANT_POOL_DESTROYED`. */
class PoolDestroyedError extends CetateError {
  constructor() {
    super('TENANT_POOL_DESTROYED', 'TenantDataSourcePool is destroyed');
  }
}

/**
 * One TypeORM DataSource per tenant database, created lazily, with a hard process-wide cap on PostgreSQL
 * connections whatever the number of tenants (ARCHITECTURE.md §2 "Connections", issue 5 point 6).
 *
 * - **Slots.** A DataSource takes one of `maxDataSources` slots before it connects and gives it back only
 *   after `destroy()`; each holds at most `poolSizePerDataSource` connections. So at most
 *   `maxConnections = maxDataSources × poolSizePerDataSource` (≤ the budget) are open at any instant.
 * - **Waiting, not failing.** A tenant that finds no free slot waits (FIFO); the least recently used
 *   DataSource without leases is evicted for it. Leased DataSources are never evicted: if every slot is
 *   leased, the request waits for a lease to end.
 * - **Leases.** {@link withDataSource} holds a lease for the whole unit of work: its DataSource is not
 *   destroyed before `fn` settles (eviction drains first, without deadline). So does {@link forTenant}
 *   inside {@link unitOfWork} (until the unit settles). Outside a unit, `forTenant` gives no lease: the
 *   DataSource is protected for `forTenantGraceMs`, then destroyed after eviction once no connection is
 *   checked out (or after `drainTimeoutMs`).
 * - **Idle eviction.** A DataSource unused for `idleTimeoutMs` is destroyed even without pressure.
 * - **Schema check, no migration.** The first open of a database in this process checks that
 *   `requiredMigrations` are applied ({@link pendingTenantMigrations}); if not, the open fails with
 *   `TenantSchemaBehindError` (503) and the next call checks again. Success is remembered for the process.
 * - **Clusters.** Each tenant opens on its `dbCluster`'s URL ({@link DatabaseClusters}); a tenant whose
 *   cluster changed (moved) gets a new DataSource, the old one is evicted.
 *   Concurrent callers for one tenant share one promise; a failed open is not cached.
 *
 * Connections outside this pool (the registry's, the migration runner's) are not counted: give this pool
 * `PG_MAX_CONNECTIONS - registry pool size` (what `startInvoicingRuntime` does).
 */
export class TenantDataSourcePool {
  /** Hard cap on connections: `maxDataSources × poolSizePerDataSource`. */
  readonly maxConnections: number;
  /** Slots: DataSources alive at once. */
  readonly maxDataSources: number;
  private readonly cache = new Map<string, Entry>(); // insertion order = least recently used first
  private readonly slots: Semaphore;
  private readonly draining = new Set<Promise<void>>();
  private readonly clusters: DatabaseClusters;
  private readonly o: Required<Omit<TenantDataSourcePoolOptions, 'dataSourceOptions' | 'baseUrl' | 'clusters' | 'maxDataSources'>> &
    Pick<TenantDataSourcePoolOptions, 'dataSourceOptions'>;
  /** Databases (url) whose required migrations this process found applied. */
  private readonly verified = new Set<string>();
  private readonly sweeper: NodeJS.Timeout;
  /** Entries leased by `forTenant()` in the current {@link unitOfWork}. */
  private readonly units = new AsyncLocalStorage<Set<Entry>>();
  private created = 0;
  private destroyed = 0;
  private idleEvicted = 0;
  private alive = 0;
  private retiring = 0;
  private connections = 0;
  private peakConnections = 0;
  private closed = false;

  constructor(opts: TenantDataSourcePoolOptions) {
    this.o = {
      requiredMigrations: [],
      maxConnections: DEFAULT_PG_MAX_CONNECTIONS,
      poolSizePerDataSource: 2,
      idleTimeoutMs: 60_000,
      drainTimeoutMs: 30_000,
      forTenantGraceMs: 1_000,
      applicationName: 'cetate',
      ...opts,
    };
    if (!opts.clusters && !opts.baseUrl) throw new Error('TenantDataSourcePool needs baseUrl or clusters');
    this.clusters = opts.clusters ?? DatabaseClusters.single(opts.baseUrl!);
    const perDs = this.o.poolSizePerDataSource;
    if (perDs < 1 || this.o.maxConnections < perDs) throw new Error(`maxConnections (${this.o.maxConnections}) must be >= poolSizePerDataSource (${perDs}) >= 1`);
    this.maxDataSources = Math.min(opts.maxDataSources ?? Infinity, Math.floor(this.o.maxConnections / perDs));
    if (this.maxDataSources < 1) throw new Error('maxDataSources must be >= 1');
    this.maxConnections = this.maxDataSources * perDs;
    this.slots = new Semaphore(this.maxDataSources);
    const every = Math.max(10, Math.min(5_000, Math.floor(this.o.idleTimeoutMs / 2)));
    this.sweeper = setInterval(() => this.sweepIdle(), every);
    this.sweeper.unref();
  }

  /**
   * The initialised DataSource of a tenant (slug: `tenant_<slug>` on cluster `default`). Inside
   * {@link unitOfWork} it is leased until the unit settles; outside, it has no lease, only
   * `forTenantGraceMs` of protection. Marks it most recently used; waits for a slot when all are taken.
   * @throws TenantSchemaBehindError (503), TenantDatabaseMissingError (404), DatabaseClusterError (500),
   *   connection errors; none is cached.
   */
  forTenant(tenant: string | TenantRef): Promise<DataSource> {
    try {
      const entry = this.entry(tenant);
      const unit = this.units.getStore();
      if (unit) {
        if (!unit.has(entry)) {
          unit.add(entry);
          entry.leases++;
        }
      } else if (this.o.forTenantGraceMs > 0) {
        entry.grace++;
        const end = () => {
          entry.grace--;
          if (entry.grace === 0) this.pump();
        };
        void entry.promise.then(
          () => setTimeout(end, this.o.forTenantGraceMs).unref(),
          end,
        );
      }
      return entry.promise;
    } catch (err) {
      return Promise.reject(err); // invalid slug or destroyed pool: reject, never throw synchronously
    }
  }

  /**
   * Runs `fn` as one unit of work (e.g. an HTTP request, from its first middleware to the response's
   * `close`): every DataSource that {@link forTenant} hands out inside it (in its async flow,
   * AsyncLocalStorage) is leased until `fn` settles, so no eviction destroys it mid-request.
   * @returns what `fn` returns.
   */
  unitOfWork<T>(fn: () => Promise<T>): Promise<T> {
    const leased = new Set<Entry>();
    return this.units.run(leased, async () => {
      try {
        return await fn();
      } finally {
        for (const e of leased) this.unlease(e);
      }
    });
  }

  /** The DataSource of the tenant of the current `TenantContext`. @throws NoTenantContextError. */
  current(): Promise<DataSource> {
    return this.forTenant(currentTenant());
  }

  /**
   * Runs `fn` with the tenant's DataSource, holding a lease so that no eviction (pressure or idle) destroys
   * it before `fn` settles. Default tenant: the current `TenantContext`. Errors as {@link forTenant}.
   */
  async withDataSource<T>(tenant: string | TenantRef | undefined, fn: (ds: DataSource) => Promise<T>): Promise<T> {
    const entry = this.entry(tenant ?? currentTenant());
    entry.leases++;
    try {
      return await fn(await entry.promise);
    } finally {
      this.unlease(entry);
    }
  }

  private unlease(entry: Entry): void {
    entry.leases--;
    entry.lastUsed = Date.now();
    if (entry.leases === 0) {
      for (const w of entry.leaseWaiters.splice(0)) w();
      this.pump();
    }
  }

  /** The initialised, not evicted DataSources with their tenant (e.g. for an outbox relay). */
  all(): { tenant: TenantRef; dataSource: DataSource }[] {
    const out: { tenant: TenantRef; dataSource: DataSource }[] = [];
    for (const e of this.cache.values()) if (e.ds && !e.retired) out.push({ tenant: e.ref, dataSource: e.ds });
    return out;
  }

  /** Counters, the connection cap and the peak of connections held at once. */
  stats(): TenantDataSourcePoolStats {
    return {
      cached: this.cache.size,
      alive: this.alive,
      created: this.created,
      destroyed: this.destroyed,
      idleEvicted: this.idleEvicted,
      waiting: this.slots.waiting,
      connections: this.connections,
      peakConnections: this.peakConnections,
      maxDataSources: this.maxDataSources,
      maxConnections: this.maxConnections,
    };
  }

  /** Evicts and destroys every DataSource (after in-flight leases) and refuses new ones. */
  async destroy(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    for (const e of [...this.cache.values()]) this.retire(e);
    while (this.draining.size) await Promise.allSettled([...this.draining]);
  }

  private entry(tenant: string | TenantRef): Entry {
    if (this.closed) throw new PoolDestroyedError();
    const ref = typeof tenant === 'string' ? tenantRefFromSlug(tenant) : tenant;
    const url = databaseUrl(this.clusters.urlFor(ref.dbCluster), ref.dbName);
    const hit = this.cache.get(ref.dbName);
    if (hit && hit.url === url) {
      this.cache.delete(hit.key); // re-insert: most recently used last
      this.cache.set(hit.key, hit);
      hit.lastUsed = Date.now();
      return hit;
    }
    if (hit) this.retire(hit); // the tenant moved to another cluster
    const entry: Entry = { key: ref.dbName, ref, url, leases: 0, grace: 0, leaseWaiters: [], connections: 0, closedWaiters: [], retired: false, lastUsed: Date.now(), promise: undefined as unknown as Promise<DataSource> };
    entry.promise = this.open(entry);
    entry.promise.catch(() => undefined);
    this.cache.set(entry.key, entry);
    return entry;
  }

  private async acquireSlot(): Promise<void> {
    if (this.slots.tryAcquire()) return;
    const granted = this.slots.wait();
    this.pump();
    await granted;
  }

  /** Evicts least recently used DataSources without leases while more opens wait than slots are being freed. */
  private pump(): void {
    let need = this.slots.waiting - this.retiring;
    if (need <= 0) return;
    for (const e of [...this.cache.values()]) {
      if (need <= 0) break;
      if (e.ds && !e.retired && e.leases === 0 && e.grace === 0) {
        this.retire(e);
        need--;
      }
    }
  }

  private sweepIdle(): void {
    const now = Date.now();
    for (const e of [...this.cache.values()]) {
      if (e.ds && !e.retired && e.leases === 0 && e.grace === 0 && now - e.lastUsed >= this.o.idleTimeoutMs && !busy(e.ds)) {
        this.idleEvicted++;
        this.retire(e);
      }
    }
    this.pump(); // safety net: waiters and evictable entries left by a missed trigger
  }

  private async open(entry: Entry): Promise<DataSource> {
    await this.acquireSlot();
    this.alive++;
    let ds: DataSource | undefined;
    try {
      if (this.closed || entry.retired) throw new PoolDestroyedError();
      const extra = (this.o.dataSourceOptions as { extra?: object } | undefined)?.extra ?? {};
      ds = new DataSource({
        ...(this.o.dataSourceOptions as object),
        type: 'postgres',
        url: entry.url,
        entities: this.o.entities,
        migrationsRun: false,
        poolSize: this.o.poolSizePerDataSource,
        applicationName: `${this.o.applicationName}:${entry.ref.slug}`,
        extra: { ...extra, idleTimeoutMillis: this.o.idleTimeoutMs, Client: this.countingClient(entry) },
      } as DataSourceOptions);
      this.created++;
      try {
        await ds.initialize();
      } catch (err) {
        if ((err as { code?: string }).code === '3D000') throw new TenantDatabaseMissingError(entry.ref.dbName, entry.ref.dbCluster);
        throw err;
      }
      if (this.o.requiredMigrations.length && !this.verified.has(entry.url)) {
        const pending = await pendingTenantMigrations(ds, this.o.requiredMigrations);
        if (pending.length) throw new TenantSchemaBehindError(entry.ref.slug, pending);
        this.verified.add(entry.url);
      }
      entry.ds = ds;
      entry.lastUsed = Date.now();
      return ds;
    } catch (err) {
      entry.failed = true;
      if (ds?.isInitialized) {
        await ds.destroy().catch(() => undefined);
        this.destroyed++;
      }
      await this.allClosed(entry);
      this.alive--;
      this.slots.release();
      if (this.cache.get(entry.key) === entry) this.cache.delete(entry.key);
      throw err;
    }
  }

  /**
   * A `pg.Client` class counting the established connections of `entry` and of the pool (pg-pool takes the
   * client class from its `Client` option, which TypeORM passes through `extra`). A connection counts from
   * its successful connect to the client's `end` event (socket closed).
   */
  private countingClient(entry: Entry): typeof pg.Client {
    const onOpen = () => {
      entry.connections++;
      this.connections++;
      this.peakConnections = Math.max(this.peakConnections, this.connections);
    };
    const onClose = () => {
      entry.connections--;
      this.connections--;
      if (entry.connections === 0) for (const w of entry.closedWaiters.splice(0)) w();
    };
    return class CountingClient extends pg.Client {
      override connect(): Promise<pg.Client>;
      override connect(callback: (err: Error) => void): void;
      override connect(callback?: (err: Error) => void): Promise<pg.Client> | void {
        const p = super.connect().then(() => {
          onOpen();
          this.once('end', onClose);
          return this as pg.Client;
        });
        if (!callback) return p;
        p.then(() => callback(null as unknown as Error), (err: Error) => callback(err));
      }
    };
  }

  /**
   * Waits until every connection of `entry` is closed: `DataSource.destroy()` (pg-pool `end()`) resolves
   * before the sockets are, and a slot given back earlier would let the next tenant exceed the cap. At most 10 s.
   */
  private async allClosed(entry: Entry): Promise<void> {
    if (entry.connections === 0) return;
    await Promise.race([new Promise<void>((r) => entry.closedWaiters.push(r)), sleep(10_000)]);
  }

  private retire(entry: Entry): void {
    if (entry.retired) return;
    entry.retired = true;
    if (this.cache.get(entry.key) === entry) this.cache.delete(entry.key);
    const counted = entry.ds !== undefined;
    if (counted) this.retiring++;
    const p = (async () => {
      try {
        const ds = await entry.promise.catch(() => undefined);
        if (!ds || entry.failed) return; // open() released its slot already
        const deadline = Date.now() + this.o.drainTimeoutMs;
        for (;;) {
          if (entry.leases > 0) await new Promise<void>((r) => entry.leaseWaiters.push(r));
          else if (busy(ds) && Date.now() < deadline) await sleep(5);
          else break;
        }
        await ds.destroy().catch(() => undefined);
        await this.allClosed(entry);
        this.destroyed++;
        this.alive--;
        this.slots.release();
      } finally {
        if (counted) this.retiring--;
      }
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

/**
 * Express/Connect middleware making each HTTP request one {@link TenantDataSourcePool.unitOfWork}: every tenant
 * DataSource the request's handlers take with `forTenant()` stays leased until the response emits `close`
 * (sent or aborted). Mount it after the body parsers (their stream callbacks run outside the request's async
 * context) and before the routes.
 */
export function unitOfWorkPerRequest(
  pool: Pick<TenantDataSourcePool, 'unitOfWork'>,
): (req: unknown, res: { once(event: 'close', listener: () => void): unknown }, next: () => void) => void {
  return (_req, res, next) => {
    void pool.unitOfWork(
      () =>
        new Promise<void>((resolve) => {
          res.once('close', () => resolve());
          next();
        }),
    );
  };
}
