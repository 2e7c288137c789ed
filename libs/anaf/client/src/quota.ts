import { bucharestDay } from './time.js';

/**
 * ANAF's quotas and the key each is counted by: per day (Europe/Bucharest) `stareMesaj` per upload index,
 * `descarcare` per download id, the lists per CIF; and `apiCalls`, every call together per minute (key: the minute,
 * see {@link minuteKey}).
 */
export type QuotaEndpoint = 'stareMesaj' | 'descarcare' | 'listaMesajeFactura' | 'listaMesajePaginatieFactura' | 'apiCalls';

/** Key of the per-minute `apiCalls` quota: the UTC minute `YYYY-MM-DDTHH:MM` of `at`. */
export function minuteKey(at: Date | number): string {
  return new Date(at).toISOString().slice(0, 16);
}

/**
 * Local accounting of ANAF's daily quotas, consulted before each call so a worker never goes over
 * (ANAF-EFACTURA.md "Limits": stareMesaj per upload index, descarcare per download id, lists per CIF).
 * Implementations may be shared (e.g. PostgreSQL) across worker replicas.
 */
export interface QuotaLedger {
  /** Consumes one call for `endpoint`/`key` today; false (nothing consumed) when the day's quota is used up. */
  take(endpoint: QuotaEndpoint, key: string): boolean | Promise<boolean>;
  /** Calls left today for `endpoint`/`key`. */
  remaining(endpoint: QuotaEndpoint, key: string): number | Promise<number>;
  /** Marks the quota as used up for today (ANAF said so). Optional. */
  exhaust?(endpoint: QuotaEndpoint, key: string): void | Promise<void>;
}

/**
 * ANAF's published limits as of 2026 (ANAF-EFACTURA.md "Limits"; docs/anaf/limits.md): all calls together 1,000 per
 * minute; per day stareMesaj 100 per upload index (older clients assumed 20), descarcare 10 per download id,
 * listaMesajeFactura 1,500 per CIF (at most 500 messages per answer), paginated list 100,000 per CIF.
 */
export const DEFAULT_ANAF_QUOTAS: Readonly<Record<QuotaEndpoint, number>> = {
  apiCalls: 1000,
  stareMesaj: 100,
  descarcare: 10,
  listaMesajeFactura: 1500,
  listaMesajePaginatieFactura: 100_000,
};

/**
 * In-memory {@link QuotaLedger} counting per Europe/Bucharest calendar day (per process: run one per
 * worker only if each worker owns distinct keys, or use a shared ledger). Old days are pruned.
 */
export class InMemoryQuotaLedger implements QuotaLedger {
  private readonly limits: Record<QuotaEndpoint, number>;
  private readonly counts = new Map<string, number>();
  private day = '';

  /** @param limits overrides of {@link DEFAULT_ANAF_QUOTAS}; @param now clock (epoch ms), for tests. */
  constructor(
    limits: Partial<Record<QuotaEndpoint, number>> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.limits = { ...DEFAULT_ANAF_QUOTAS, ...limits };
  }

  private key(endpoint: QuotaEndpoint, key: string): string {
    const today = bucharestDay(this.now());
    if (endpoint === 'apiCalls') return `${endpoint}|${key}`; // keyed by its minute; pruned with the day
    if (today !== this.day) {
      this.counts.clear();
      this.day = today;
    }
    return `${endpoint}|${key}`;
  }

  /** Daily limit of `endpoint`. */
  limit(endpoint: QuotaEndpoint): number {
    return this.limits[endpoint];
  }

  take(endpoint: QuotaEndpoint, key: string): boolean {
    const k = this.key(endpoint, key);
    const used = this.counts.get(k) ?? 0;
    if (used >= this.limits[endpoint]) return false;
    this.counts.set(k, used + 1);
    return true;
  }

  remaining(endpoint: QuotaEndpoint, key: string): number {
    const k = this.key(endpoint, key);
    return Math.max(0, this.limits[endpoint] - (this.counts.get(k) ?? 0));
  }

  exhaust(endpoint: QuotaEndpoint, key: string): void {
    this.counts.set(this.key(endpoint, key), this.limits[endpoint]);
  }
}
