import { DataSource } from 'typeorm';
import { databaseUrl, dropDatabase, ensureDatabase, runMigrationsLocked } from './database-admin.js';
import { PlatformTenantRegistry1732100000000 } from './migrations/1732100000000-platform-tenant-registry.js';
import { adminExec, dumpAndRestore, tableCounts } from './copy-tenant-database.js';
import { DatabaseClusters } from './database-clusters.js';
import { InvalidTenantError, TenantMoveError, TenantNotFoundError } from './tenancy.errors.js';
import { ProvisioningLogEntity, TenantEntity, type TenantStatus } from './tenant.entity.js';
import { assertValidSlug, normalizeCif, tenantBucket, tenantDbName, type TenantRef } from './tenant-naming.js';

/** Name of the platform database (ARCHITECTURE.md §2). */
export const PLATFORM_DATABASE_NAME = 'cetate_platform';

/**
 * URL of the platform database: `PLATFORM_DATABASE_URL`, else `DATABASE_URL` with the database
 * replaced by `cetate_platform`, else `postgres://postgres@127.0.0.1:5432/cetate_platform`.
 */
export function platformDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PLATFORM_DATABASE_URL) return env.PLATFORM_DATABASE_URL;
  return databaseUrl(env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', PLATFORM_DATABASE_NAME);
}

/** Migrations of the platform database, in order. */
export const PLATFORM_MIGRATIONS = [PlatformTenantRegistry1732100000000];
/** Entities of the platform database. */
export const PLATFORM_ENTITIES = [TenantEntity, ProvisioningLogEntity];

/** A tenant as stored in `platform.tenant`. */
export interface TenantRecord extends TenantRef {
  displayName: string;
  dbCluster: string;
  status: TenantStatus;
  createdAt: Date;
  updatedAt: Date;
}

/** Input of {@link TenantRegistry.upsert}. `dbName` and `bucket` are derived from the slug. */
export interface TenantInput {
  slug: string;
  displayName: string;
  /** Romanian CUI; `RO` prefix accepted, stored as digits. */
  cif: string;
  /** Keycloak realm; default the slug. */
  realm?: string;
  /** Cluster of a new tenant, default `'default'`; ignored for an existing one (use `moveTenant`). */
  dbCluster?: string;
  /** Only applied on insert unless given; default `'provisioning'`. */
  status?: TenantStatus;
}

/** What {@link TenantRegistry.moveTenant} did. */
export interface TenantMoveResult {
  slug: string;
  /** Cluster before the move. */
  from: string;
  /** Cluster after the move. */
  to: string;
  /** `copied`: pg_dump | pg_restore to another server, verified, source dropped; `record-only`: both
   * clusters are the same server, only `db_cluster` changed; `none`: already on `to`. */
  action: 'copied' | 'record-only' | 'none';
  /** Tables compared after the copy (`copied` only), with their row counts. */
  tables?: Record<string, number>;
}

/** One row of the provisioning log. */
export interface ProvisioningLogEntry {
  id: string;
  tenantSlug: string;
  step: string;
  outcome: 'started' | 'succeeded' | 'failed' | 'skipped';
  detail: Record<string, unknown>;
  createdAt: Date;
}

const STATUSES: readonly TenantStatus[] = ['provisioning', 'active', 'suspended'];

function toRecord(e: TenantEntity): TenantRecord {
  return {
    slug: e.slug,
    displayName: e.displayName,
    cif: e.cif,
    realm: e.realm,
    dbName: e.dbName,
    bucket: e.bucket,
    dbCluster: e.dbCluster,
    status: e.status,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

/**
 * The tenant registry in `cetate_platform` (`platform.tenant`, `platform.provisioning_log`).
 * Uses its own small DataSource (pool of `poolSize`, default 2). Call {@link ensureSchema} once at
 * start-up (creates the database if missing and runs the platform migrations), {@link close} at the end.
 */
export class TenantRegistry {
  /** The platform database DataSource (initialised by {@link ensureSchema}). */
  readonly dataSource: DataSource;
  private ready?: Promise<void>;

  /** Servers of the tenant databases (`db_cluster` -> URL), used by {@link moveTenant}. */
  readonly clusters: DatabaseClusters;

  /**
   * @param opts.url platform database URL (default {@link platformDatabaseUrl}); `poolSize` default 2;
   *   `clusters` default `DatabaseClusters.fromEnv()` (`PG_CLUSTERS`, else `default` = `DATABASE_URL`).
   */
  constructor(private readonly opts: { url?: string; poolSize?: number; clusters?: DatabaseClusters } = {}) {
    this.clusters = opts.clusters ?? DatabaseClusters.fromEnv();
    this.dataSource = new DataSource({
      type: 'postgres',
      url: opts.url ?? platformDatabaseUrl(),
      entities: PLATFORM_ENTITIES,
      migrations: PLATFORM_MIGRATIONS,
      poolSize: opts.poolSize ?? 2,
      applicationName: 'cetate:platform',
    });
  }

  /**
   * Creates the platform database when missing, connects, runs pending platform migrations.
   * Idempotent; concurrent callers share one promise.
   */
  ensureSchema(): Promise<void> {
    this.ready ??= (async () => {
      const url = this.opts.url ?? platformDatabaseUrl();
      const dbName = decodeURIComponent(new URL(url).pathname.slice(1));
      await ensureDatabase(databaseUrl(url, 'postgres'), dbName);
      if (!this.dataSource.isInitialized) await this.dataSource.initialize();
      await runMigrationsLocked(this.dataSource);
    })().catch((err) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  private async repo() {
    await this.ensureSchema();
    return this.dataSource.getRepository(TenantEntity);
  }

  /** @throws TenantNotFoundError (404) when no tenant has this slug. */
  async get(slug: string): Promise<TenantRecord> {
    const e = await (await this.repo()).findOneBy({ slug });
    if (!e) throw new TenantNotFoundError(slug);
    return toRecord(e);
  }

  /** All tenants ordered by slug, optionally only those in `status`. */
  async list(filter: { status?: TenantStatus } = {}): Promise<TenantRecord[]> {
    const rows = await (await this.repo()).find({ where: filter.status ? { status: filter.status } : {}, order: { slug: 'ASC' } });
    return rows.map(toRecord);
  }

  /**
   * The tenant of a Keycloak realm (how a request resolves its tenant from the token issuer).
   * @throws TenantNotFoundError (404).
   */
  async findByRealm(realm: string): Promise<TenantRecord> {
    const e = await (await this.repo()).findOneBy({ realm });
    if (!e) throw new TenantNotFoundError(realm, 'realm');
    return toRecord(e);
  }

  /**
   * Inserts the tenant or updates display name, CIF and realm (and status when given). The cluster of an
   * existing tenant never changes here (its data would stay behind): {@link moveTenant} does that.
   * `dbName` = `tenant_<slug>`, `bucket` = `cetate-<slug>`.
   * @throws InvalidTenantError (400) on a bad slug, CIF, status or a cluster not in {@link clusters}.
   */
  async upsert(input: TenantInput): Promise<TenantRecord> {
    assertValidSlug(input.slug);
    const cif = normalizeCif(input.cif);
    if (input.status && !STATUSES.includes(input.status)) throw new InvalidTenantError(`Unknown status ${input.status}`, 'status');
    if (input.dbCluster !== undefined && !this.clusters.has(input.dbCluster)) {
      throw new InvalidTenantError(`Unknown database cluster ${input.dbCluster} (PG_CLUSTERS: ${this.clusters.names().join(', ')})`, 'dbCluster');
    }
    await this.ensureSchema();
    const rows = (await this.dataSource.query(
      `INSERT INTO platform.tenant (slug, display_name, cif, realm, db_name, bucket, db_cluster, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, COALESCE($8, 'provisioning'))
       ON CONFLICT (slug) DO UPDATE SET display_name = EXCLUDED.display_name, cif = EXCLUDED.cif,
         realm = EXCLUDED.realm,
         status = COALESCE($8, platform.tenant.status), updated_at = now()
       RETURNING slug`,
      [input.slug, input.displayName, cif, input.realm ?? input.slug, tenantDbName(input.slug), tenantBucket(input.slug), input.dbCluster ?? 'default', input.status ?? null],
    )) as { slug: string }[];
    return this.get(rows[0]!.slug);
  }

  /**
   * Removes the tenant's registry row (last step of a deletion; its provisioning log and step rows go with it,
   * ON DELETE CASCADE). @returns false when there was none.
   */
  async remove(slug: string): Promise<boolean> {
    await this.ensureSchema();
    const res = await this.dataSource.createQueryBuilder().delete().from(TenantEntity).where('slug = :slug', { slug }).execute();
    return (res.affected ?? 0) > 0;
  }

  /** Sets the status. @throws TenantNotFoundError (404), InvalidTenantError (400). */
  async setStatus(slug: string, status: TenantStatus): Promise<TenantRecord> {
    if (!STATUSES.includes(status)) throw new InvalidTenantError(`Unknown status ${status}`, 'status');
    const res = await (await this.repo())
      .createQueryBuilder()
      .update()
      .set({ status, updatedAt: () => 'now()' })
      .where('slug = :slug', { slug })
      .execute();
    if (!res.affected) throw new TenantNotFoundError(slug);
    return this.get(slug);
  }

  /** Appends a step outcome of the provisioning saga. @throws TenantNotFoundError (404). */
  async logProvisioning(
    slug: string,
    step: string,
    outcome: ProvisioningLogEntry['outcome'],
    detail: Record<string, unknown> = {},
  ): Promise<void> {
    await this.ensureSchema();
    try {
      await this.dataSource.query(
        `INSERT INTO platform.provisioning_log (tenant_slug, step, outcome, detail) VALUES ($1, $2, $3, $4)`,
        [slug, step, outcome, JSON.stringify(detail)],
      );
    } catch (err) {
      if ((err as { code?: string }).code === '23503') throw new TenantNotFoundError(slug);
      throw err;
    }
  }

  /** The provisioning log of a tenant, oldest first. */
  async provisioningLog(slug: string): Promise<ProvisioningLogEntry[]> {
    await this.ensureSchema();
    const rows = await this.dataSource.getRepository(ProvisioningLogEntity).find({ where: { tenantSlug: slug }, order: { id: 'ASC' } });
    return rows.map((r) => ({ ...r }));
  }

  /**
   * Moves a tenant's database to cluster `toCluster` (ARCHITECTURE.md §6 scale-out, issue 5 point 7).
   * The tenant must be `suspended` (nothing writes meanwhile; processes refuse suspended tenants).
   * - Same physical server (same port, host names whose DNS addresses intersect, e.g. `127.0.0.1` and
   *   `localhost`): only `db_cluster` changes; the database is not touched.
   * - Another server: `CREATE DATABASE` there (refused if it already exists), `pg_dump | pg_restore`, then
   *   every table's exact row count compared on both sides; only then `db_cluster` flips, and the source
   *   database is dropped (`WITH (FORCE)`). A failure before the flip drops the partial copy and leaves the
   *   tenant where it was. Each outcome is written to the provisioning log (step `move`).
   * @throws TenantNotFoundError (404); TenantMoveError (409) when not suspended, the target database exists
   *   or the copy differs; DatabaseClusterError (500) for a cluster `PG_CLUSTERS` does not name; pg_dump /
   *   pg_restore errors.
   */
  async moveTenant(slug: string, toCluster: string): Promise<TenantMoveResult> {
    const t = await this.get(slug);
    const from = t.dbCluster;
    const toUrl = this.clusters.urlFor(toCluster);
    if (from === toCluster) return { slug, from, to: toCluster, action: 'none' };
    if (t.status !== 'suspended') throw new TenantMoveError(slug, `Tenant "${slug}" is ${t.status}: suspend it before moving its database`);
    const fromUrl = this.clusters.urlFor(from);
    await this.logProvisioning(slug, 'move', 'started', { from, to: toCluster });
    try {
      if (await this.clusters.sameServer(from, toCluster)) {
        await this.flipCluster(slug, from, toCluster);
        await this.logProvisioning(slug, 'move', 'succeeded', { from, to: toCluster, action: 'record-only' });
        return { slug, from, to: toCluster, action: 'record-only' };
      }
      const exists = await adminExec(toUrl, 'SELECT 1 FROM pg_database WHERE datname = $1', [t.dbName]);
      if (exists.rowCount) throw new TenantMoveError(slug, `Database "${t.dbName}" already exists on cluster "${toCluster}": drop it or move elsewhere`);
      await adminExec(toUrl, `CREATE DATABASE "${t.dbName}"`);
      let tables: Record<string, number>;
      try {
        await dumpAndRestore(fromUrl, toUrl, t.dbName);
        const [src, dst] = await Promise.all([tableCounts(databaseUrl(fromUrl, t.dbName)), tableCounts(databaseUrl(toUrl, t.dbName))]);
        if (JSON.stringify(src) !== JSON.stringify(dst)) {
          throw new TenantMoveError(slug, `Copy of "${t.dbName}" differs: source ${JSON.stringify(src)}, target ${JSON.stringify(dst)}`);
        }
        tables = src;
        await this.flipCluster(slug, from, toCluster);
      } catch (err) {
        await dropDatabase(toUrl, t.dbName).catch(() => undefined);
        throw err;
      }
      await dropDatabase(fromUrl, t.dbName);
      await this.logProvisioning(slug, 'move', 'succeeded', { from, to: toCluster, action: 'copied', tables });
      return { slug, from, to: toCluster, action: 'copied', tables };
    } catch (err) {
      await this.logProvisioning(slug, 'move', 'failed', { from, to: toCluster, reason: (err as Error).message }).catch(() => undefined);
      throw err;
    }
  }

  /** `db_cluster` from -> to, only while the tenant is still suspended on `from`. */
  private async flipCluster(slug: string, from: string, to: string): Promise<void> {
    const rows = (await this.dataSource.query(
      `UPDATE platform.tenant SET db_cluster = $3, updated_at = now() WHERE slug = $1 AND db_cluster = $2 AND status = 'suspended' RETURNING slug`,
      [slug, from, to],
    )) as unknown[][];
    const affected = Array.isArray(rows[0]) ? rows[0].length : rows.length;
    if (!affected) throw new TenantMoveError(slug, `Tenant "${slug}" changed during the move (no longer suspended on "${from}")`);
  }

  /** Closes the platform DataSource. */
  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    this.ready = undefined;
  }
}
