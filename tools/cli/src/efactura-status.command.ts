import { parseArgs } from 'node:util';
import type { DataSource } from 'typeorm';
import { EXIT, UsageError, type CliIo } from './cli-io.js';

/** Usage of `cetate efactura status`. */
export const STATUS_USAGE = `usage: cetate efactura status --tenant SLUG [--json]

Where the tenant's e-Factura sending stands, read from its database (nothing is changed, ANAF is not called):
invoices per e-Factura state; submissions (uploads) per status; per seller CIF the outstanding uploads (ANAF's
verdict still to learn) and the oldest one's age, the status sync's next run, last run and last error; ANAF's
quotas used today (Europe/Bucharest day) per CIF: simple and paginated list calls, stareMesaj (sum, and the busiest
upload index against 100 a day), descarcare (sum, and the busiest download id against 10 a day); and the busiest
minute's calls against ANAF's 1,000 a minute. Limits: docs/anaf/limits.md.

  --tenant SLUG   tenant to report on; required
  --json          one JSON object (shape: EfacturaStatusReport in tools/cli/src/efactura-status.command.ts)
  -h, --help      this text

environment: DATABASE_URL, PLATFORM_DATABASE_URL, PG_CLUSTERS (see README)
exit: 0 ok, 1 unknown tenant or database not reachable / not migrated (the reason is printed), 2 usage error`;

/** ANAF's daily limit of one per-key quota, and how much of it is used. */
export interface KeyedQuotaUse {
  /** Calls today, every key together. */
  used: number;
  /** Keys with calls today (upload indexes for `stareMesaj`, download ids for `descarcare`). */
  keys: number;
  /** Calls today for the busiest key: what ANAF's per-key limit applies to. */
  maxPerKey: number;
  /** ANAF's limit per key and day (`DEFAULT_ANAF_QUOTAS`: 100 per index, 10 per id). */
  limitPerKey: number;
}

/** One seller CIF in {@link EfacturaStatusReport.cifs}. */
export interface CifStatus {
  /** The CIF as ANAF keys it: digits, without `RO`. */
  cif: string;
  /** Uploads whose ANAF verdict is still to learn, in all and per submission status. */
  outstanding: { total: number; submitted: number; unknown: number; 'upload-pending': number };
  /** Oldest outstanding upload (ISO 8601), null when none. */
  oldestOutstandingAt: string | null;
  /** Its age in whole seconds at {@link EfacturaStatusReport.at}, null when none. */
  oldestOutstandingAgeS: number | null;
  /** The CIF's row of `efactura.status_sync`, null when no run was ever scheduled. Times ISO 8601. */
  statusSync: {
    /** When the next run is due; null = none scheduled (no outstanding upload at the last run). */
    nextRunAt: string | null;
    lastRunAt: string | null;
    /** `CODE: message` of the last run, null when it went through. */
    lastError: string | null;
    runs: number;
    /** Whether a run holds the CIF now (a live lease). */
    running: boolean;
  } | null;
  /** ANAF's daily quotas used today by this CIF. */
  quota: {
    listaMesajeFactura: { used: number; limit: number };
    listaMesajePaginatieFactura: { used: number; limit: number };
    stareMesaj: KeyedQuotaUse;
    descarcare: KeyedQuotaUse;
  };
}

/**
 * What `cetate efactura status --tenant SLUG --json` prints (one JSON object on one line). Counts come from the
 * tenant database: `invoicing.invoice.efactura_state`, `efactura.submission`, `efactura.status_sync`,
 * `efactura.anaf_quota` (the counters every `worker-anaf` process draws on, `PostgresQuotaLedger`).
 */
export interface EfacturaStatusReport {
  /** Tenant slug, its CIF (digits) and registry status. */
  tenant: string;
  tenantCif: string;
  tenantStatus: string;
  /** When the report was read (ISO 8601). */
  at: string;
  /** The Europe/Bucharest day (`YYYY-MM-DD`) of the daily quota counters shown. */
  day: string;
  /** Invoices per e-Factura state of their current version: every state of `EFACTURA_STATES` (0 when none). */
  invoices: { total: number; byState: Record<string, number> };
  /** Submissions (one per invoice version sent) per status. */
  submissions: { total: number; byStatus: Record<string, number> };
  /** Uploads whose verdict is still to learn (`submitted`, `unknown`, `upload-pending`), every CIF together. */
  outstanding: number;
  /** Per seller CIF (the tenant's first, then in CIF order): every CIF with a submission outstanding, a status-sync
   * row or quota use today. */
  cifs: CifStatus[];
  /** `stareMesaj` / `descarcare` counters of today that belong to no known submission, null when none. */
  unattributedQuota: { stareMesaj: KeyedQuotaUse; descarcare: KeyedQuotaUse } | null;
  /** ANAF's overall limit (1,000 calls a minute, all endpoints together) over today's minutes. */
  apiCalls: {
    limitPerMinute: number;
    /** Minutes of today with calls, and the calls in all. */
    minutes: number;
    calls: number;
    /** Busiest minute of today (`YYYY-MM-DDTHH:MM`, UTC), null when none, and its calls. */
    busiestMinute: string | null;
    busiestMinuteCalls: number;
  };
}

const OUTSTANDING_KEYS = ['submitted', 'unknown', 'upload-pending'] as const;

/** CIF as ANAF keys it (the rule of `AnafClient`): trimmed, without a leading `RO`. */
const digitsCif = (cif: string) => cif.trim().replace(/^RO\s*/i, '');

/** `YYYY-MM-DD` of the day after `day` (calendar arithmetic, no time zone). */
function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/**
 * Reads the report of {@link EfacturaStatusReport} from a tenant database (read-only statements only).
 * @param ds the tenant's DataSource; @param tenant its registry record; @param now clock (epoch ms).
 */
export async function readEfacturaStatus(
  ds: DataSource,
  tenant: { slug: string; cif: string; status: string },
  now: number = Date.now(),
): Promise<EfacturaStatusReport> {
  const { bucharestDay, parseAnafTimestamp, minuteKey, DEFAULT_ANAF_QUOTAS } = await import('@cetate/anaf-client');
  const { SubmissionRepository, StatusSyncRepository, QuotaRepository } = await import('@cetate/invoicing-data-access');
  const { EFACTURA_STATES } = await import('@cetate/invoicing-domain');
  const subs = new SubmissionRepository();
  const quotas = new QuotaRepository();
  const day = bucharestDay(now);
  const dayStart = parseAnafTimestamp(`${day.replaceAll('-', '')}0000`)!;
  const dayEnd = parseAnafTimestamp(`${nextDay(day).replaceAll('-', '')}0000`)!;

  const [invoiceCounts, submissionCounts, outstanding, syncs, daily, minutes] = await Promise.all([
    subs.invoiceCountsByState(ds),
    subs.countsByStatus(ds),
    subs.outstandingByCif(ds),
    new StatusSyncRepository().all(ds),
    quotas.dailyUsageByCif(ds, day),
    quotas.minuteUsage(ds, minuteKey(dayStart), minuteKey(dayEnd)),
  ]);

  const byState: Record<string, number> = Object.fromEntries(EFACTURA_STATES.map((s) => [s, 0]));
  for (const [s, n] of Object.entries(invoiceCounts)) byState[s] = n;
  const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  const keyed = (limitPerKey: number): KeyedQuotaUse => ({ used: 0, keys: 0, maxPerKey: 0, limitPerKey });

  const cifs = new Map<string, CifStatus>();
  const cifOf = (raw: string): CifStatus => {
    const cif = digitsCif(raw);
    let c = cifs.get(cif);
    if (!c) {
      c = {
        cif,
        outstanding: { total: 0, submitted: 0, unknown: 0, 'upload-pending': 0 },
        oldestOutstandingAt: null,
        oldestOutstandingAgeS: null,
        statusSync: null,
        quota: {
          listaMesajeFactura: { used: 0, limit: DEFAULT_ANAF_QUOTAS.listaMesajeFactura },
          listaMesajePaginatieFactura: { used: 0, limit: DEFAULT_ANAF_QUOTAS.listaMesajePaginatieFactura },
          stareMesaj: keyed(DEFAULT_ANAF_QUOTAS.stareMesaj),
          descarcare: keyed(DEFAULT_ANAF_QUOTAS.descarcare),
        },
      };
      cifs.set(cif, c);
    }
    return c;
  };
  cifOf(tenant.cif);

  for (const g of outstanding) {
    const c = cifOf(g.cif);
    c.outstanding.total += g.count;
    if ((OUTSTANDING_KEYS as readonly string[]).includes(g.status)) c.outstanding[g.status as (typeof OUTSTANDING_KEYS)[number]] += g.count;
    if (!c.oldestOutstandingAt || g.oldestAt.getTime() < Date.parse(c.oldestOutstandingAt)) {
      c.oldestOutstandingAt = g.oldestAt.toISOString();
      c.oldestOutstandingAgeS = Math.max(0, Math.floor((now - g.oldestAt.getTime()) / 1000));
    }
  }
  for (const s of syncs) {
    const c = cifOf(s.cif);
    // two spellings of one CIF (with and without RO) would be two rows: the later run wins
    if (c.statusSync && s.lastRunAt && c.statusSync.lastRunAt && Date.parse(c.statusSync.lastRunAt) > s.lastRunAt.getTime()) continue;
    c.statusSync = {
      nextRunAt: iso(s.scheduledFor),
      lastRunAt: iso(s.lastRunAt),
      lastError: s.lastError,
      runs: s.runs,
      running: !!s.leaseUntil && s.leaseUntil.getTime() > now,
    };
  }
  let unattributed: EfacturaStatusReport['unattributedQuota'] = null;
  for (const u of daily) {
    const use = { used: u.used, keys: u.keys, maxPerKey: u.maxPerKey };
    if (u.cif === null) {
      unattributed ??= { stareMesaj: keyed(DEFAULT_ANAF_QUOTAS.stareMesaj), descarcare: keyed(DEFAULT_ANAF_QUOTAS.descarcare) };
      if (u.endpoint === 'stareMesaj' || u.endpoint === 'descarcare') Object.assign(unattributed[u.endpoint], use);
      continue;
    }
    const q = cifOf(u.cif).quota;
    if (u.endpoint === 'listaMesajeFactura' || u.endpoint === 'listaMesajePaginatieFactura') q[u.endpoint].used = u.used;
    else if (u.endpoint === 'stareMesaj' || u.endpoint === 'descarcare') Object.assign(q[u.endpoint], use);
  }

  const tenantCif = digitsCif(tenant.cif);
  return {
    tenant: tenant.slug,
    tenantCif,
    tenantStatus: tenant.status,
    at: new Date(now).toISOString(),
    day,
    invoices: { total: sum(byState), byState },
    submissions: { total: sum(submissionCounts), byStatus: submissionCounts },
    outstanding: [...cifs.values()].reduce((a, c) => a + c.outstanding.total, 0),
    cifs: [...cifs.values()].sort((a, b) => (a.cif === tenantCif ? -1 : b.cif === tenantCif ? 1 : a.cif.localeCompare(b.cif))),
    unattributedQuota: unattributed,
    apiCalls: { limitPerMinute: DEFAULT_ANAF_QUOTAS.apiCalls, ...minutes },
  };
}

/** `12 s`, `4 min`, `3 h`, `2 d` (whole units, rounded down). */
function span(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.floor(s / 60)} min`;
  if (s < 172_800) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}

/** A time with how far it is from `now`: `2026-03-14 10:21:07Z (in 2 s)` / `(5 min ago)`; `-` when null. */
function when(isoTime: string | null, now: number): string {
  if (!isoTime) return '-';
  const t = Date.parse(isoTime);
  const rel = t >= now ? `in ${span(t - now)}` : `${span(now - t)} ago`;
  return `${isoTime.slice(0, 19).replace('T', ' ')}Z (${rel})`;
}

/** Lines of a left-aligned table: each column as wide as its widest cell, two spaces apart, indented by two. */
function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => `  ${r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}`.trimEnd());
}

/** `12 (busiest 3/100, 4 indexes)`: calls in all, the busiest key against its limit, the keys. */
const keyedCell = (k: KeyedQuotaUse, one: string, many: string) => `${k.used} (busiest ${k.maxPerKey}/${k.limitPerKey}, ${k.keys} ${k.keys === 1 ? one : many})`;

/** The human form of a report: headed tables (see {@link STATUS_USAGE}). */
export function formatEfacturaStatus(r: EfacturaStatusReport): string[] {
  const now = Date.parse(r.at);
  const out: string[] = [];
  out.push(`e-Factura status of tenant ${r.tenant} (CIF ${r.tenantCif}, ${r.tenantStatus}) at ${r.at}`);
  out.push('');
  out.push(`invoices per e-Factura state (${r.invoices.total} in all)`);
  out.push(...table(Object.entries(r.invoices.byState).map(([s, n]) => [s, String(n)])));
  out.push('');
  out.push(`submissions per status (${r.submissions.total} in all)`);
  const subRows = Object.entries(r.submissions.byStatus).map(([s, n]) => [s, String(n)]);
  out.push(...(subRows.length ? table(subRows) : ['  none']));
  out.push('');
  out.push(`outstanding uploads and status sync per CIF (${r.outstanding} outstanding in all)`);
  out.push(
    ...table([
      ['CIF', 'outstanding', 'oldest', 'next sync run', 'last run', 'runs', 'last error'],
      ...r.cifs.map((c) => {
        const parts = OUTSTANDING_KEYS.filter((k) => c.outstanding[k] > 0).map((k) => `${k} ${c.outstanding[k]}`);
        return [
          c.cif,
          `${c.outstanding.total}${parts.length ? ` (${parts.join(', ')})` : ''}`,
          c.oldestOutstandingAgeS === null ? '-' : span(c.oldestOutstandingAgeS * 1000),
          c.statusSync?.running ? 'running now' : when(c.statusSync?.nextRunAt ?? null, now),
          when(c.statusSync?.lastRunAt ?? null, now),
          String(c.statusSync?.runs ?? 0),
          c.statusSync?.lastError ?? '-',
        ];
      }),
    ]),
  );
  out.push('');
  out.push(`ANAF quota used today (${r.day}, Europe/Bucharest)`);
  const quotaRows = [
    ['CIF', 'list', 'paginated list', 'stareMesaj', 'descarcare'],
    ...r.cifs.map((c) => [
      c.cif,
      `${c.quota.listaMesajeFactura.used}/${c.quota.listaMesajeFactura.limit}`,
      `${c.quota.listaMesajePaginatieFactura.used}/${c.quota.listaMesajePaginatieFactura.limit}`,
      keyedCell(c.quota.stareMesaj, 'index', 'indexes'),
      keyedCell(c.quota.descarcare, 'id', 'ids'),
    ]),
  ];
  if (r.unattributedQuota) {
    quotaRows.push(['(no submission)', '-', '-', keyedCell(r.unattributedQuota.stareMesaj, 'index', 'indexes'), keyedCell(r.unattributedQuota.descarcare, 'id', 'ids')]);
  }
  out.push(...table(quotaRows));
  const a = r.apiCalls;
  out.push(
    a.busiestMinute
      ? `  all calls: busiest minute ${a.busiestMinute} UTC ${a.busiestMinuteCalls}/${a.limitPerMinute}; ${a.calls} call(s) in ${a.minutes} minute(s) today`
      : `  all calls: none today (limit ${a.limitPerMinute} a minute)`,
  );
  return out;
}

/**
 * `cetate efactura status --tenant SLUG [--json]` (issue 7): finds the tenant in the platform registry
 * (`PLATFORM_DATABASE_URL`), opens its database on its cluster (`DATABASE_URL` / `PG_CLUSTERS`; the invoicing
 * migrations must have run), prints {@link formatEfacturaStatus} or, with `--json`, one {@link EfacturaStatusReport}.
 * @returns 0 ok; 1 unknown tenant, database not reachable or schema behind (reason on stderr).
 * @throws UsageError on a bad command line (exit 2).
 */
export async function runStatus(args: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: false, options: { tenant: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values } = parsed;
  if (values.help) {
    io.out(STATUS_USAGE);
    return EXIT.OK;
  }
  const slug = values.tenant;
  if (!slug) throw new UsageError('efactura status needs --tenant SLUG');
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(slug)) throw new UsageError(`--tenant must be a tenant slug (lowercase letters, digits, -), got "${slug}"`);

  const { DatabaseClusters, TenantDataSourcePool, TenantRegistry, platformDatabaseUrl } = await import('@cetate/platform-tenancy');
  const { INVOICING_MIGRATIONS } = await import('@cetate/invoicing-data-access');
  let clusters: InstanceType<typeof DatabaseClusters>;
  try {
    clusters = DatabaseClusters.fromEnv(env);
  } catch (err) {
    io.err(`cetate efactura status: ${(err as Error).message}`);
    return EXIT.FAILED;
  }
  const registry = new TenantRegistry({ url: platformDatabaseUrl(env), poolSize: 1, clusters });
  const pool = new TenantDataSourcePool({
    clusters,
    entities: [],
    requiredMigrations: INVOICING_MIGRATIONS,
    maxConnections: 2,
    poolSizePerDataSource: 2,
    applicationName: 'cetate:cli',
  });
  try {
    const tenant = await registry.get(slug);
    const report = await pool.withDataSource(tenant, (ds) => readEfacturaStatus(ds, tenant));
    if (values.json) io.out(JSON.stringify(report));
    else for (const line of formatEfacturaStatus(report)) io.out(line);
    return EXIT.OK;
  } catch (err) {
    const e = err as Error & { code?: string };
    io.err(`cetate efactura status: ${e.code ? `${e.code}: ` : ''}${e.message}`);
    return EXIT.FAILED;
  } finally {
    await pool.destroy().catch(() => undefined);
    await registry.close().catch(() => undefined);
  }
}
