import { bucharestDay, DEFAULT_ANAF_QUOTAS, type QuotaEndpoint, type QuotaLedger } from '@cetate/anaf-client';
import { QuotaRepository, type Queryable } from '@cetate/invoicing-data-access';

/**
 * ANAF's quotas counted in the tenant database (`efactura.anaf_quota`), so that every `worker-anaf` process working
 * for the tenant draws on the same counters (issue 7 item 2): the daily quotas per Europe/Bucharest day and key
 * (upload index, download id, CIF), and the 1,000 calls per minute (`apiCalls`, keyed by the minute).
 * Limits: {@link DEFAULT_ANAF_QUOTAS} (ANAF's published figures, docs/anaf/limits.md), overridable.
 */
export class PostgresQuotaLedger implements QuotaLedger {
  private readonly limits: Record<QuotaEndpoint, number>;
  private readonly repo = new QuotaRepository();

  /**
   * @param db the tenant database (called per use: the worker holds the tenant's DataSource while it calls ANAF)
   * @param limits overrides of {@link DEFAULT_ANAF_QUOTAS}
   * @param now clock (epoch ms), for tests
   */
  constructor(
    private readonly db: () => Promise<Queryable>,
    limits: Partial<Record<QuotaEndpoint, number>> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.limits = { ...DEFAULT_ANAF_QUOTAS, ...limits };
  }

  /** Limit of `endpoint` (per day; per minute for `apiCalls`). */
  limit(endpoint: QuotaEndpoint): number {
    return this.limits[endpoint];
  }

  /** The counter period of `endpoint` and `key` now: the minute for `apiCalls` (its key), else the Bucharest day. */
  private period(endpoint: QuotaEndpoint, key: string): { period: string; key: string } {
    return endpoint === 'apiCalls' ? { period: key, key: '*' } : { period: bucharestDay(this.now()), key };
  }

  async take(endpoint: QuotaEndpoint, key: string): Promise<boolean> {
    const p = this.period(endpoint, key);
    return this.repo.take(await this.db(), p.period, endpoint, p.key, this.limits[endpoint]);
  }

  async remaining(endpoint: QuotaEndpoint, key: string): Promise<number> {
    const p = this.period(endpoint, key);
    return Math.max(0, this.limits[endpoint] - (await this.repo.used(await this.db(), p.period, endpoint, p.key)));
  }

  async exhaust(endpoint: QuotaEndpoint, key: string): Promise<void> {
    const p = this.period(endpoint, key);
    await this.repo.exhaust(await this.db(), p.period, endpoint, p.key, this.limits[endpoint]);
  }

  /** Calls of `endpoint`/`key` already taken today (0 when none). */
  async usedToday(endpoint: Exclude<QuotaEndpoint, 'apiCalls'>, key: string): Promise<number> {
    return this.repo.used(await this.db(), bucharestDay(this.now()), endpoint, key);
  }
}
