import { DataSource } from 'typeorm';
import {
  AnafHttpError,
  AnafProtocolError,
  bucharestDay,
  TAXPAYER_ENDPOINT,
  TAXPAYER_MAX_CUIS_PER_CALL,
  TaxpayerClient,
  TaxpayerRequestError,
  taxpayerCuiDigits,
  type Taxpayer,
  type TaxpayerLookupAnswer,
  type TaxpayerRequest,
} from '@cetate/anaf-client';
import { CetateError } from '@cetate/platform-observability';
import { databaseUrl, ensureDatabase, platformDatabaseUrl, runMigrationsLocked } from '@cetate/platform-tenancy';
import { PostgresCallSlot } from './call-slot.js';
import { AnafPublicTaxpayerCache1765450000000 } from './migrations/1765450000000-anaf-public-taxpayer-cache.js';

/** Migrations of schema `anaf_public` in the platform database, in order (table `anaf_public_migrations`). */
export const ANAF_PUBLIC_MIGRATIONS = [AnafPublicTaxpayerCache1765450000000];

/** Migrations table of {@link ANAF_PUBLIC_MIGRATIONS} (its own: the platform database's `migrations` is tenancy's). */
export const ANAF_PUBLIC_MIGRATIONS_TABLE = 'anaf_public_migrations';

/** 24 h: how long a lookup answer (found or notFound) is reused. */
export const TAXPAYER_CACHE_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * What the lookup knows of one CUI on one day. `found: false` when ANAF listed it in `notFound` (a CUI it does not
 * know); `checkedAt` is when ANAF answered (`source: 'anaf'`: this call; `'cache'`: an earlier one, < 24 h ago).
 */
export type TaxpayerLookupResult =
  | { cui: string; date: string; found: true; taxpayer: Taxpayer; checkedAt: Date; source: 'cache' | 'anaf' }
  | { cui: string; date: string; found: false; taxpayer: null; checkedAt: Date; source: 'cache' | 'anaf' };

/** The one call {@link TaxpayerLookup} needs of ANAF ({@link TaxpayerClient.lookup}). */
export interface TaxpayerSource {
  lookup(requests: TaxpayerRequest[]): Promise<TaxpayerLookupAnswer>;
}

/** Options of {@link TaxpayerLookup}. */
export interface TaxpayerLookupOptions {
  /** Platform database URL; default `platformDatabaseUrl()` (`PLATFORM_DATABASE_URL`, else `cetate_platform` next to `DATABASE_URL`). */
  databaseUrl?: string;
  /** The ANAF client; default `new TaxpayerClient({ url: anafUrl })`. */
  client?: TaxpayerSource;
  /** URL of `PlatitorTvaRest/v9/tva` for the default client (env `ANAF_TAXPAYER_URL`); default ANAF's production URL. */
  anafUrl?: string;
  /** Per-call timeout of the default client, ms (default 15000). */
  timeoutMs?: number;
  /** Cache lifetime, ms (default {@link TAXPAYER_CACHE_TTL_MS}). */
  ttlMs?: number;
  /** How long a `get` waits for others to share its call, ms (default 50). */
  batchWindowMs?: number;
  /**
   * Time from the end of one call to the start of the next, across all processes, ms (default 1000: ANAF's 1 call per
   * second, counted from the answer so that the calls also arrive at least 1 s apart).
   */
  minIntervalMs?: number;
  /** Calls per batch when ANAF answers 429 (each after a new slot); default 4. */
  maxAttempts?: number;
  /** Clock (epoch ms) for `fetched_at`, freshness and the default date (tests move it 24 h on). */
  now?: () => number;
  /** PostgreSQL connections of this lookup's pool; default 2. */
  poolSize?: number;
}

/** The lookup was closed (`TAXPAYER_LOOKUP_CLOSED`): a queued CUI was never asked. */
export class TaxpayerLookupClosedError extends CetateError {
  constructor() {
    super('TAXPAYER_LOOKUP_CLOSED', 'the taxpayer lookup was closed before this CUI was asked of ANAF');
  }
}

interface Waiter {
  resolve(r: TaxpayerLookupResult): void;
  reject(e: unknown): void;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

interface CacheRow {
  cui: string;
  date: string;
  found: boolean;
  taxpayer: Taxpayer | null;
  fetched_at: Date;
}

/**
 * ANAF's taxpayer lookup (`PlatitorTvaRest/v9/tva`, ANAF-EFACTURA.md "Taxpayer lookup (v9)") behind a 24 h cache in
 * the platform database, shared by all tenants and processes (the data is public):
 * - cache `anaf_public.taxpayer_cache` keyed by (cui, date): found taxpayers and `notFound` CUIs alike (a typo is not
 *   asked again for 24 h);
 * - batching: the cache misses of concurrent {@link get} calls within `batchWindowMs`, and of a {@link getMany}, go in
 *   calls of at most 100 CUIs (one call per date); a CUI already being asked is not asked twice;
 * - pacing: one call at a time and `minIntervalMs` from one answer to the next call, across every process
 *   ({@link PostgresCallSlot} on row `PlatitorTvaRest`); a 429 is asked again in the next slot (up to `maxAttempts`
 *   calls); a 5xx, a timeout or a refused answer fails the batch's callers with the typed ANAF error;
 * - before taking its slot, a batch drops the CUIs another process cached meanwhile.
 * Call {@link open} first (creates the platform database when missing and runs the `anaf_public` migrations),
 * {@link close} at the end.
 */
export class TaxpayerLookup {
  /** The platform database DataSource (initialised by {@link open}). */
  readonly dataSource: DataSource;
  private readonly url: string;
  private readonly client: TaxpayerSource;
  private readonly ttlMs: number;
  private readonly batchWindowMs: number;
  private readonly maxAttempts: number;
  private readonly now: () => number;
  private readonly slot: PostgresCallSlot;
  private ready?: Promise<void>;
  private closed = false;
  /** Misses waiting for a call, per date, per CUI. */
  private readonly queued = new Map<string, Map<string, Waiter[]>>();
  /** Misses in a call, by `date|cui`, so a second ask joins the first. */
  private readonly asking = new Map<string, Promise<TaxpayerLookupResult>>();
  /** Cache reads about to run (next tick), per date. */
  private readonly reads = new Map<string, { wanted: Set<string>; result: Promise<Map<string, TaxpayerLookupResult>> }>();
  private timer?: NodeJS.Timeout;
  private readonly running = new Set<Promise<void>>();

  constructor(opts: TaxpayerLookupOptions = {}) {
    this.url = opts.databaseUrl ?? platformDatabaseUrl();
    this.client = opts.client ?? new TaxpayerClient({ ...(opts.anafUrl ? { url: opts.anafUrl } : {}), ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) });
    this.ttlMs = opts.ttlMs ?? TAXPAYER_CACHE_TTL_MS;
    this.batchWindowMs = opts.batchWindowMs ?? 50;
    this.maxAttempts = opts.maxAttempts ?? 4;
    this.now = opts.now ?? Date.now;
    this.dataSource = new DataSource({
      type: 'postgres',
      url: this.url,
      migrations: ANAF_PUBLIC_MIGRATIONS,
      migrationsTableName: ANAF_PUBLIC_MIGRATIONS_TABLE,
      poolSize: opts.poolSize ?? 2,
      applicationName: 'cetate:anaf-taxpayer',
    });
    this.slot = new PostgresCallSlot(this.dataSource, TAXPAYER_ENDPOINT, opts.minIntervalMs ?? 1000);
  }

  /**
   * Creates the platform database when missing, connects, and runs the `anaf_public` migrations under the platform
   * migration advisory lock (`runMigrationsLocked`). Idempotent; concurrent callers share one promise.
   * @throws the PostgreSQL error (a later call tries again).
   */
  open(): Promise<void> {
    this.ready ??= (async () => {
      const dbName = decodeURIComponent(new URL(this.url).pathname.slice(1));
      await ensureDatabase(databaseUrl(this.url, 'postgres'), dbName);
      if (!this.dataSource.isInitialized) await this.dataSource.initialize();
      await runMigrationsLocked(this.dataSource);
    })().catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  /**
   * What ANAF says of `cui` on `date`: from the cache when asked < 24 h ago, else in the next batch call.
   * @param cui digits, an `RO` prefix is allowed (the check digit is not checked here: ANAF answers `notFound`)
   * @param date `YYYY-MM-DD`; default today in Europe/Bucharest (by the `now` clock)
   * @throws TaxpayerRequestError (bad CUI/date), AnafHttpError (5xx; 429 after `maxAttempts` calls),
   *   AnafTimeoutError, AnafNetworkError, AnafProtocolError, AnafRequestRejectedError, a PostgreSQL error.
   */
  async get(cui: string, date?: string): Promise<TaxpayerLookupResult> {
    return (await this.getMany([cui], date))[0]!;
  }

  /**
   * {@link get} for many CUIs of one date: the cache misses go in calls of at most 100 CUIs (250 misses: 3 calls).
   * @returns one result per entry of `cuis`, in the same order (a repeated CUI gets the same result).
   * @throws as {@link get}; the first failure of any of its calls.
   */
  async getMany(cuis: string[], date?: string): Promise<TaxpayerLookupResult[]> {
    if (this.closed) throw new TaxpayerLookupClosedError();
    const day = date ?? bucharestDay(this.now());
    if (!DATE_RE.test(day)) throw new TaxpayerRequestError(`date ${JSON.stringify(day)} is not YYYY-MM-DD`);
    const digits = cuis.map((c) => taxpayerCuiDigits(c));
    if (digits.length === 0) return [];
    await this.open();
    const unique = [...new Set(digits)];
    const cached = await this.readCoalesced(unique, day);
    const misses = unique.filter((c) => !cached.has(c));
    if (misses.length > 0 && this.closed) throw new TaxpayerLookupClosedError();
    const asked = new Map(misses.map((c) => [c, this.ask(c, day)] as const));
    if (misses.length >= TAXPAYER_MAX_CUIS_PER_CALL) this.flush();
    const results = new Map<string, TaxpayerLookupResult>(cached);
    await Promise.all([...asked].map(async ([c, p]) => results.set(c, await p)));
    return digits.map((c) => results.get(c)!);
  }

  /**
   * Deletes cache rows fetched more than `ttlMs` ago (they are never served). @returns how many rows went.
   */
  async purgeExpired(): Promise<number> {
    await this.open();
    const [, count]: [unknown, number] = await this.dataSource.query(`DELETE FROM anaf_public.taxpayer_cache WHERE fetched_at <= $1`, [new Date(this.now() - this.ttlMs)]);
    return count;
  }

  /**
   * Stops: CUIs still queued (not yet in a call) are rejected with {@link TaxpayerLookupClosedError}, calls already
   * running finish, then the pool closes.
   */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const [date, byCui] of this.queued) {
      for (const [cui, waiters] of byCui) {
        this.asking.delete(`${date}|${cui}`);
        for (const w of waiters) w.reject(new TaxpayerLookupClosedError());
      }
    }
    this.queued.clear();
    await Promise.allSettled([...this.running]);
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  /**
   * {@link readCache} shared by every caller of the same tick and date: concurrent `get`s make one query, so their
   * misses reach the batch window together.
   */
  private readCoalesced(cuis: string[], date: string): Promise<Map<string, TaxpayerLookupResult>> {
    let read = this.reads.get(date);
    if (!read) {
      const wanted = new Set<string>();
      const result = new Promise<Map<string, TaxpayerLookupResult>>((resolve, reject) =>
        setImmediate(() => {
          this.reads.delete(date);
          this.readCache([...wanted], date).then(resolve, reject);
        }),
      );
      read = { wanted, result };
      this.reads.set(date, read);
    }
    for (const c of cuis) read.wanted.add(c);
    return read.result;
  }

  /** Fresh cache rows of `cuis` on `date`, by CUI. */
  private async readCache(cuis: string[], date: string): Promise<Map<string, TaxpayerLookupResult>> {
    const rows: CacheRow[] = await this.dataSource.query(
      `SELECT cui, to_char(date, 'YYYY-MM-DD') AS date, found, taxpayer, fetched_at
         FROM anaf_public.taxpayer_cache WHERE date = $1 AND cui = ANY($2) AND fetched_at > $3`,
      [date, cuis, new Date(this.now() - this.ttlMs)],
    );
    return new Map(rows.map((r) => [r.cui, toResult(r, 'cache')]));
  }

  /** Queues `cui` for the next call on `date` (or joins the ask already queued or running). */
  private ask(cui: string, date: string): Promise<TaxpayerLookupResult> {
    const key = `${date}|${cui}`;
    const existing = this.asking.get(key);
    if (existing) return existing;
    const p = new Promise<TaxpayerLookupResult>((resolve, reject) => {
      let byCui = this.queued.get(date);
      if (!byCui) this.queued.set(date, (byCui = new Map()));
      byCui.set(cui, [{ resolve, reject }]);
      if (byCui.size >= TAXPAYER_MAX_CUIS_PER_CALL) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.batchWindowMs);
    });
    this.asking.set(key, p);
    void p.then(
      () => this.asking.delete(key),
      () => this.asking.delete(key),
    );
    return p;
  }

  /** Sends every queued CUI now, in calls of at most 100 per date. */
  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const [date, byCui] of this.queued) {
      const entries = [...byCui];
      for (let i = 0; i < entries.length; i += TAXPAYER_MAX_CUIS_PER_CALL) {
        const batch = new Map(entries.slice(i, i + TAXPAYER_MAX_CUIS_PER_CALL));
        const run = this.send(date, batch).finally(() => this.running.delete(run));
        this.running.add(run);
      }
    }
    this.queued.clear();
  }

  /** One batch: drops what another process cached meanwhile, waits for its slot, calls ANAF, caches, answers. */
  private async send(date: string, batch: Map<string, Waiter[]>): Promise<void> {
    const settle = (cui: string, r: TaxpayerLookupResult) => {
      for (const w of batch.get(cui) ?? []) w.resolve(r);
      batch.delete(cui);
    };
    try {
      for (let attempt = 1; ; attempt++) {
        // what another process cached meanwhile is not asked
        for (const [cui, r] of await this.readCache([...batch.keys()], date)) settle(cui, r);
        if (batch.size === 0) return;
        let answer: TaxpayerLookupAnswer;
        try {
          answer = await this.slot.run(() => this.client.lookup([...batch.keys()].map((cui) => ({ cui, date }))));
        } catch (err) {
          if (err instanceof AnafHttpError && err.status === 429 && attempt < this.maxAttempts) continue;
          throw err;
        }
        const fetchedAt = new Date(this.now());
        // one row per asked CUI (a CUI listed twice keeps its found entry); CUIs not asked are ignored
        const byCui = new Map<string, CacheRow>();
        for (const cui of answer.notFound) if (batch.has(cui)) byCui.set(cui, { cui, date, found: false, taxpayer: null, fetched_at: fetchedAt });
        for (const t of answer.found) if (batch.has(t.cui)) byCui.set(t.cui, { cui: t.cui, date, found: true, taxpayer: t, fetched_at: fetchedAt });
        const rows = [...byCui.values()];
        await this.writeCache(rows);
        for (const r of rows) settle(r.cui, toResult(r, 'anaf'));
        if (batch.size > 0) {
          throw new AnafProtocolError(TAXPAYER_ENDPOINT, `answer names neither in found nor in notFound: ${[...batch.keys()].join(', ')}`);
        }
        return;
      }
    } catch (err) {
      for (const waiters of batch.values()) for (const w of waiters) w.reject(err);
    }
  }

  private async writeCache(rows: CacheRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO anaf_public.taxpayer_cache (cui, date, found, taxpayer, fetched_at)
       SELECT r.cui, r.date::date, r.found, r.taxpayer, r.fetched_at
         FROM jsonb_to_recordset($1::jsonb) AS r(cui text, date text, found boolean, taxpayer jsonb, fetched_at timestamptz)
       ON CONFLICT (cui, date) DO UPDATE SET found = EXCLUDED.found, taxpayer = EXCLUDED.taxpayer, fetched_at = EXCLUDED.fetched_at`,
      [JSON.stringify(rows)],
    );
  }
}

function toResult(r: CacheRow, source: 'cache' | 'anaf'): TaxpayerLookupResult {
  const base = { cui: r.cui, date: r.date, checkedAt: new Date(r.fetched_at), source };
  return r.found && r.taxpayer ? { ...base, found: true, taxpayer: r.taxpayer } : { ...base, found: false, taxpayer: null };
}
