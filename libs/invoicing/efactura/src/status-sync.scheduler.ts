import type { DataSource } from 'typeorm';
import { STATUS_SYNC_DELAYS_MS, StatusSyncRepository } from '@cetate/invoicing-data-access';
import type { EfacturaOutbox } from './ports.js';

/**
 * The delay before the next status-sync run of a CIF whose newest outstanding upload is `ageMs` old: 2 s for a fresh
 * upload (the simulator and a quiet ANAF answer in seconds), 10 s within 10 min, 1 min within 2 h, then 5 min
 * (production ANAF takes minutes to hours). Values are the declared schedule delays ({@link STATUS_SYNC_DELAYS_MS}).
 * Quota check: 2 list calls (`T`, `E`) per run of a page each, at most 43,200 runs a day at 2 s: under the paginated
 * list's 100,000 a day per CIF.
 */
export function statusSyncDelayMs(ageMs: number): number {
  const [fresh, recent, hours, slow] = STATUS_SYNC_DELAYS_MS;
  if (ageMs < 60_000) return fresh;
  if (ageMs < 10 * 60_000) return recent;
  if (ageMs < 2 * 3600_000) return hours;
  return slow;
}

/**
 * Keeps one status-sync run scheduled per CIF while the CIF has outstanding uploads (protocol on
 * `StatusSyncRepository`). The run itself is a delayed `anaf.efactura.status-sync` message written to the tenant
 * outbox in the transaction that schedules it: nothing waits in a process, and a schedule is never half-written.
 */
export class StatusSyncScheduler {
  readonly repo = new StatusSyncRepository();

  constructor(private readonly outbox: EfacturaOutbox) {}

  /**
   * Makes sure a run is scheduled for `cif` (call it AFTER committing an outstanding upload). Cheap when one is
   * (one SELECT). With `staleBefore` (the sweeper), a schedule older than that whose message was lost is replaced.
   * @returns whether this call scheduled a run.
   */
  async ensureScheduled(ds: DataSource, tenant: string, cif: string, correlationId: string, staleBefore?: Date): Promise<boolean> {
    if (!staleBefore) {
      const row = await this.repo.get(ds, cif);
      if (row?.scheduledFor) return false;
    }
    const delayMs = STATUS_SYNC_DELAYS_MS[0];
    const scheduled = await ds.transaction(async (m) => {
      const generation = await this.repo.scheduleIfIdle(m, cif, new Date(Date.now() + delayMs), staleBefore);
      if (generation === null) return false;
      await this.outbox.statusSync(m, { tenant, cif, generation }, statusSyncMeta(tenant, cif, generation, correlationId, delayMs));
      return true;
    });
    if (scheduled) this.outbox.kick();
    return scheduled;
  }
}

/** Outbox metadata of the run `generation` of `cif`'s status sync (deterministic message id: enqueued once). */
export function statusSyncMeta(tenant: string, cif: string, generation: number, correlationId: string, delayMs: number) {
  return {
    tenantId: tenant,
    correlationId,
    idempotencyKey: `status-sync:${cif}:${generation}`,
    messageId: `efactura-status-sync:${tenant}:${cif}:${generation}`,
    delayMs,
  };
}
