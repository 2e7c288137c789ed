import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { startTenantPlatform } from '@cetate/dev-stack/tenant-platform';
import { testEnv } from '@cetate/platform-testing';
import { percentile, summarize, type BenchRow } from './stats.js';

/** Options of {@link benchTenants}. */
export interface TenantsBenchOptions {
  /** Tenants to provision (default 1000). */
  tenants: number;
  /** Sagas running at once (default 4). */
  concurrency: number;
  /** HTTP requests across random tenants (default 5000). */
  requests: number;
  /** Requests in flight, one measured run per level (default [1, 4, 16]). */
  requestConcurrency: number[];
  /** `PG_MAX_CONNECTIONS` of the API process under test (default 50). */
  pgMaxConnections: number;
  /** Progress lines go here. */
  log: (line: string) => void;
}

async function du(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? await du(p) : (await stat(p)).size;
  }
  return total;
}

async function pool<T>(items: T[], width: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    for (let i = next++; i < items.length; i = next++) await fn(items[i]!, i);
  }));
}

/**
 * `npm run bench -- tenants` (issue 5): on the local services, provisions `tenants` tenants through the saga
 * (realm in the dev identity server, database with every module's migrations, bucket, secrets, event) and prints
 * median/p95 provisioning time per tenant (target median < 3 s); starts `invoicing-api` with `PG_MAX_CONNECTIONS`
 * and drives `requests` authenticated `GET /v1/invoices?limit=1` across random tenants at each concurrency level,
 * printing p50/p99 latency (target p99 < 50 ms) next to a reference run on one warm tenant and the most PostgreSQL connections to tenant databases seen at once (sampled from
 * `pg_stat_activity` every 10 ms; never above the cap); prints what one tenant costs on disk; then deletes every
 * tenant it created (timed) and drops its databases.
 */
export async function benchTenants(o: TenantsBenchOptions): Promise<BenchRow[]> {
  const S = 'tenants';
  const rows: BenchRow[] = [];
  const p = await startTenantPlatform();
  const run = Math.random().toString(36).slice(2, 6);
  const slugs = Array.from({ length: o.tenants }, (_, i) => `bench-${run}-${i}`);
  const created: string[] = [];
  const admin = new pg.Client({ connectionString: testEnv.databaseUrl, application_name: 'cetate:bench-sampler' });
  await admin.connect();
  try {
    // ---- provisioning -------------------------------------------------------------------------------
    const provMs: number[] = [];
    const t0 = performance.now();
    await pool(slugs, o.concurrency, async (slug, i) => {
      const t = performance.now();
      await p.services.saga.create({ slug, displayName: `Bench ${i} SRL`, cif: '41832096', admin: { email: `admin@${slug}.example` } });
      provMs.push(performance.now() - t);
      created.push(slug);
      if ((i + 1) % 100 === 0) o.log(`tenants: ${i + 1}/${o.tenants} provisioned (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    });
    const prov = summarize(provMs);
    rows.push({ section: S, metric: 'provision, median per tenant', value: prov.medianMs, unit: 'ms', note: `target < 3000; ${o.tenants} tenants, ${o.concurrency} at once` });
    rows.push({ section: S, metric: 'provision, p95 per tenant', value: prov.p95Ms, unit: 'ms', note: `max ${prov.maxMs.toFixed(0)} ms` });
    rows.push({ section: S, metric: 'provision, throughput', value: (o.tenants * 1000) / (performance.now() - t0), unit: 'tenants/s' });

    // ---- disk per tenant ----------------------------------------------------------------------------
    const { rows: sizes } = await admin.query<{ n: string; bytes: string }>(
      `SELECT count(*) n, coalesce(sum(pg_database_size(datname)), 0) bytes FROM pg_database WHERE datname LIKE $1`,
      [`tenant_bench_${run}_%`],
    );
    const dbBytes = Number(sizes[0]!.bytes) / Math.max(1, Number(sizes[0]!.n));
    const { rows: shared } = await admin.query<{ platform: string; identity: string }>(
      `SELECT pg_database_size($1) platform, pg_database_size($2) identity`,
      [p.platformDb.name, p.identityDb.name],
    );
    const s3Bytes = await du(p.s3.directory);
    rows.push({ section: S, metric: 'disk per tenant, tenant database', value: dbBytes / 1024 / 1024, unit: 'MiB', note: 'pg_database_size, empty tenant with all migrations' });
    rows.push({
      section: S,
      metric: 'disk per tenant, registry + identity',
      value: (Number(shared[0]!.platform) + Number(shared[0]!.identity)) / o.tenants / 1024,
      unit: 'KiB',
      note: 'platform and identity databases / tenants (includes their fixed size)',
    });
    rows.push({ section: S, metric: 'disk per tenant, bucket', value: s3Bytes / o.tenants, unit: 'bytes', note: 's3rver directory / tenants (empty buckets)' });

    // ---- requests across random tenants --------------------------------------------------------------
    const api = await p.startInvoicingApi({ pgMaxConnections: o.pgMaxConnections });
    try {
      const tokens = new Map<string, string>();
      await pool(created, 8, async (slug) => void tokens.set(slug, await p.apiToken(slug)));
      // Warm-up, not measured: one request per tenant, so each realm's JWKS is cached and each tenant's schema
      // checked once, as in a process that has been up a while. DataSources stay cold: only the cap's worth fit.
      const tw = performance.now();
      await pool(created, 8, async (slug) => {
        const res = await fetch(`${api.url}/v1/invoices?limit=1`, { headers: { authorization: `Bearer ${tokens.get(slug)}` } });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`warm-up GET /v1/invoices for ${slug}: HTTP ${res.status}`);
      });
      rows.push({ section: S, metric: 'first request per tenant (warm-up)', value: (performance.now() - tw) / created.length, unit: 'ms', note: 'mean wall time / tenant, 8 in flight: JWKS fetch + schema check + open' });
      let peak = 0;
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          const { rows: r } = await admin.query<{ n: number }>(`SELECT count(*)::int n FROM pg_stat_activity WHERE datname LIKE $1`, [`tenant_bench_${run}_%`]);
          peak = Math.max(peak, r[0]!.n);
          await new Promise((res) => setTimeout(res, 10));
        }
      })();
      /** `o.requests` authenticated GETs, `inFlight` at a time, each for the tenant `pick()` names. */
      const drive = async (label: string, inFlight: number, pick: () => string, note: string) => {
        const lat: number[] = [];
        let failures = 0;
        const t1 = performance.now();
        await pool(Array.from({ length: o.requests }, (_, i) => i), inFlight, async () => {
          const slug = pick();
          const t = performance.now();
          const res = await fetch(`${api.url}/v1/invoices?limit=1`, { headers: { authorization: `Bearer ${tokens.get(slug)}` } });
          await res.arrayBuffer();
          lat.push(performance.now() - t);
          if (res.status !== 200) failures++;
        });
        const wall = performance.now() - t1;
        rows.push({ section: S, metric: `${label}, ${inFlight} in flight: p50`, value: percentile(lat, 50), unit: 'ms', note });
        rows.push({ section: S, metric: `${label}, ${inFlight} in flight: p99`, value: percentile(lat, 99), unit: 'ms', note: `${((o.requests * 1000) / wall).toFixed(0)} req/s, ${failures} non-200` });
      };
      const random = () => created[Math.floor(Math.random() * created.length)]!;
      const one = created[0]!;
      // Reference in the same run: every request for one tenant, whose DataSource stays open.
      await drive('one warm tenant (reference)', 4, () => one, `GET /v1/invoices?limit=1, ${o.requests} requests`);
      for (const inFlight of o.requestConcurrency) {
        await drive('random tenant', inFlight, random, `GET /v1/invoices?limit=1 over ${created.length} tenants; target p99 < 50 ms`);
      }
      sampling = false;
      await sampler;
      rows.push({ section: S, metric: 'peak PG connections to tenant DBs', value: peak, unit: 'conn', note: `sampled from pg_stat_activity every 10 ms; cap PG_MAX_CONNECTIONS=${o.pgMaxConnections} (registry takes 2)` });
    } finally {
      await api.close();
    }
  } finally {
    // ---- deletion: every tenant this run created ---------------------------------------------------------
    const delMs: number[] = [];
    const t2 = performance.now();
    await pool([...slugs], o.concurrency, async (slug, i) => {
      const t = performance.now();
      await p.services.saga.delete(slug).catch(() => undefined);
      delMs.push(performance.now() - t);
      if ((i + 1) % 100 === 0) o.log(`tenants: ${i + 1}/${slugs.length} deleted (${((performance.now() - t2) / 1000).toFixed(0)} s)`);
    });
    const { rows: left } = await admin.query<{ n: number }>(`SELECT count(*)::int n FROM pg_database WHERE datname LIKE $1`, [`tenant_bench_${run}_%`]);
    if (delMs.length) rows.push({ section: S, metric: 'delete, median per tenant', value: summarize(delMs).medianMs, unit: 'ms', note: `${left[0]!.n} tenant databases left` });
    await admin.end();
    await p.close();
  }
  return rows;
}
