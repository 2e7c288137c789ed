import type { DataSource } from 'typeorm';
import type { TenantDataSourcePool } from './tenant-data-source-pool.js';
import { TenantNotFoundError } from './tenancy.errors.js';
import type { TenantRecord, TenantRegistry } from './tenant-registry.service.js';

/**
 * Memoises an async lookup by key for `ttlMs`: concurrent callers share one call, failures are not cached.
 */
function memoize<T>(fn: (key: string) => Promise<T>, ttlMs: number): (key: string) => Promise<T> {
  const cache = new Map<string, { at: number; value: Promise<T> }>();
  return (key) => {
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < ttlMs) return hit.value;
    const value = fn(key);
    value.catch(() => cache.delete(key));
    cache.set(key, { at: Date.now(), value });
    return value;
  };
}

/** Cached reads of the tenant registry for hot paths (every request and message resolves its tenant). */
export interface TenantLookup {
  /** `registry.get(slug)`. Rejects with `TenantNotFoundError` (404) for unknown slugs. */
  bySlug(slug: string): Promise<TenantRecord>;
  /** `registry.findByRealm(realm)`. Rejects with `TenantNotFoundError` (404) for unknown realms. */
  byRealm(realm: string): Promise<TenantRecord>;
  /** `registry.list({ status: 'active' })`. */
  active(): Promise<TenantRecord[]>;
  /** Whether a tenant has this realm; an unknown realm is remembered as unknown too (so invented realms in
   * tokens cost one registry query per TTL, not one per request). Other errors reject. */
  isKnownRealm(realm: string): Promise<boolean>;
}

/**
 * The tenant of `realm` while it is `active`, else `null` (no tenant has the realm, or it is provisioning or
 * suspended: the caller answers 403). A failing registry rejects (500), never a misleading 403.
 */
export async function activeTenantOfRealm(tenants: Pick<TenantLookup, 'byRealm'>, realm: string): Promise<TenantRecord | null> {
  try {
    const t = await tenants.byRealm(realm);
    return t.status === 'active' ? t : null;
  } catch (err) {
    if (err instanceof TenantNotFoundError) return null;
    throw err;
  }
}

/**
 * {@link TenantLookup} over the registry, each answer reused for `ttlMs` (default 30 s): a suspended
 * tenant or a new one is seen within that time.
 */
export function cachedTenantLookup(registry: Pick<TenantRegistry, 'get' | 'findByRealm' | 'list'>, ttlMs = 30_000): TenantLookup {
  const active = memoize(() => registry.list({ status: 'active' }), ttlMs);
  const byRealm = memoize((realm) => registry.findByRealm(realm), ttlMs);
  const known = memoize(
    (realm) =>
      byRealm(realm).then(
        () => true,
        (err: unknown) => {
          if (err instanceof TenantNotFoundError) return false;
          throw err;
        },
      ),
    ttlMs,
  );
  return {
    bySlug: memoize((slug) => registry.get(slug), ttlMs),
    byRealm,
    active: () => active(''),
    isKnownRealm: known,
  };
}

/** Options of {@link activeTenantOutboxes}. */
export interface TenantOutboxesOptions {
  /**
   * Every active tenant is visited at least once per this many ms, also when its DataSource is not open here
   * (rows a crashed process left behind). Default 300 000. `0`: every pass visits every tenant.
   */
  sweepEveryMs?: number;
  /** Clock, ms (tests). Default `Date.now`. */
  now?: () => number;
}

/**
 * The outbox sources for `OutboxRelay.dataSources`, asked at each relay pass. A pass covers:
 * - the active tenants whose DataSource is open in this process (a tenant that just wrote an outbox row did so
 *   through its open DataSource, and its writer kicks the relay right after the commit), and
 * - a few more from a rotating sweep, as many as the time since the previous pass owes at the rate of all
 *   active tenants per `sweepEveryMs` (1,000 tenants, passes every second, 5 min: about 4 per pass), so rows of
 *   a process that crashed before relaying them are published within `sweepEveryMs`.
 * Opening every tenant database at every pass (once a second) kept a thousand tenants' DataSources churning
 * through the connection budget and starved requests (`npm run bench -- tenants`: 24 req/s).
 * Each source lends its tenant's DataSource through `pool.withDataSource` only while the relay drains it, one
 * tenant after the other.
 */
export function activeTenantOutboxes(
  tenants: Pick<TenantLookup, 'active'>,
  pool: Pick<TenantDataSourcePool, 'withDataSource' | 'all'>,
  opts: TenantOutboxesOptions = {},
): () => Promise<Array<{ tenantId: string; use<T>(fn: (dataSource: DataSource) => Promise<T>): Promise<T> }>> {
  const every = opts.sweepEveryMs ?? 300_000;
  const clock = opts.now ?? Date.now;
  let last: number | undefined;
  let owed = 0;
  let cursor = 0;
  return async () => {
    const active = await tenants.active();
    const now = clock();
    const swept = new Set<string>();
    if (every <= 0) {
      for (const t of active) swept.add(t.dbName);
    } else if (active.length) {
      owed = Math.min(active.length, owed + (last === undefined ? 0 : (active.length * (now - last)) / every));
      const take = Math.floor(owed);
      owed -= take;
      for (let i = 0; i < take; i++) swept.add(active[(cursor + i) % active.length]!.dbName);
      cursor = (cursor + take) % active.length;
    }
    last = now;
    const open = new Set(pool.all().map((x) => x.tenant.dbName));
    return active
      .filter((t) => swept.has(t.dbName) || open.has(t.dbName))
      .map((t) => ({
        tenantId: t.slug,
        use: <T>(fn: (dataSource: DataSource) => Promise<T>) => pool.withDataSource(t, fn),
      }));
  };
}
