import type { DataSource } from 'typeorm';
import type { TenantDataSourcePool } from './tenant-data-source-pool.js';
import type { TenantRecord, TenantRegistry } from './tenant-registry.service.js';

/**
 * Memoised `registry.get(slug)` for hot paths (every request and message resolves its tenant): a record
 * is reused for `ttlMs` (default 30 s), concurrent callers share one query, failures are not cached.
 * @returns `(slug) => Promise<TenantRecord>`; rejects with `TenantNotFoundError` (404) for unknown slugs.
 */
export function cachedTenantLookup(registry: Pick<TenantRegistry, 'get'>, ttlMs = 30_000): (slug: string) => Promise<TenantRecord> {
  const cache = new Map<string, { at: number; rec: Promise<TenantRecord> }>();
  return (slug) => {
    const hit = cache.get(slug);
    if (hit && Date.now() - hit.at < ttlMs) return hit.rec;
    const rec = registry.get(slug);
    rec.catch(() => cache.delete(slug));
    cache.set(slug, { at: Date.now(), rec });
    return rec;
  };
}

/**
 * The outbox sources of every `active` tenant, for `OutboxRelay.dataSources`: asked again at each relay
 * pass, so a newly provisioned tenant is drained without a restart. Opens DataSources through the pool
 * (bounded; with more tenants than `maxDataSources` the LRU rotates through them).
 */
export function activeTenantOutboxes(
  registry: Pick<TenantRegistry, 'list'>,
  pool: Pick<TenantDataSourcePool, 'forTenant'>,
): () => Promise<Array<{ tenantId: string; dataSource: DataSource }>> {
  return async () => {
    const tenants = await registry.list({ status: 'active' });
    return Promise.all(tenants.map(async (t) => ({ tenantId: t.slug, dataSource: await pool.forTenant(t) })));
  };
}
