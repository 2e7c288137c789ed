import type { DataSource } from 'typeorm';
import type { TenantDataSourcePool } from './tenant-data-source-pool.js';
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
}

/**
 * {@link TenantLookup} over the registry, each answer reused for `ttlMs` (default 30 s): a suspended
 * tenant or a new one is seen within that time.
 */
export function cachedTenantLookup(registry: Pick<TenantRegistry, 'get' | 'findByRealm' | 'list'>, ttlMs = 30_000): TenantLookup {
  const active = memoize(() => registry.list({ status: 'active' }), ttlMs);
  return {
    bySlug: memoize((slug) => registry.get(slug), ttlMs),
    byRealm: memoize((realm) => registry.findByRealm(realm), ttlMs),
    active: () => active(''),
  };
}

/**
 * The outbox sources of every `active` tenant, for `OutboxRelay.dataSources` (asked at each relay pass;
 * the tenant list comes from the cached lookup). Each source lends its tenant's DataSource through
 * `pool.withDataSource` only while the relay drains it, one tenant after the other, so with more tenants
 * than `maxDataSources` the pool opens and evicts them in turn instead of closing one under the relay.
 */
export function activeTenantOutboxes(
  tenants: Pick<TenantLookup, 'active'>,
  pool: Pick<TenantDataSourcePool, 'withDataSource'>,
): () => Promise<Array<{ tenantId: string; use<T>(fn: (dataSource: DataSource) => Promise<T>): Promise<T> }>> {
  return async () =>
    (await tenants.active()).map((t) => ({
      tenantId: t.slug,
      use: <T>(fn: (dataSource: DataSource) => Promise<T>) => pool.withDataSource(t, fn),
    }));
}
