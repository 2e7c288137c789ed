import { bucharestDay } from './time.js';

/** Endpoints with daily ANAF quotas, and the key each is counted by. */
export type QuotaEndpoint = 'stareMesaj' | 'descarcare' | 'listaMesajeFactura' | 'listaMesajePaginatieFactura';

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
 * Default daily limits (ANAF-EFACTURA.md "Limits"): stareMesaj 20 per index (the conservative
 * figure), descarcare 10 per id, listaMesajeFactura 1,500 per CIF, paginated list 100,000 per CIF.
 */
export const DEFAULT_ANAF_QUOTAS: Readonly<Record<QuotaEndpoint, number>> = {
  stareMesaj: 20,
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
