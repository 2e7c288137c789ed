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
