import { bucharestDay } from '@cetate/anaf-client';
import { QuotaRepository, SubmissionRepository } from '@cetate/invoicing-data-access';
import type { Logger } from '@cetate/platform-observability';
import { runInTenant, type TenantRecord } from '@cetate/platform-tenancy';
import type { DataSource } from 'typeorm';
import type { StatusSyncScheduler } from './status-sync.scheduler.js';

/** Options of {@link StatusSyncSweeper}. */
export interface StatusSyncSweeperOptions {
  /** Active tenants (the cached registry lookup). */
  tenants: () => Promise<TenantRecord[]>;
  /** Lends a tenant's DataSource for one unit of work. */
  withDataSource<T>(tenant: TenantRecord, fn: (ds: DataSource) => Promise<T>): Promise<T>;
  scheduler: StatusSyncScheduler;
  log: Logger;
  /** Every tenant is visited once per this period, a slice at each tick, ms. Default 10 min. */
  sweepEveryMs?: number;
  /** Ticks per period. Default 10 (a tick a minute). */
  ticks?: number;
  /** A schedule whose run is due more than this long ago is lost (its message never came), ms. Default 10 min. */
  staleAfterMs?: number;
}

/**
 * The safety net of the status-sync schedule: every tenant CIF with outstanding uploads has a run scheduled, even
 * when a scheduling message was lost (a worker killed between its commit and the schedule, a purged queue). It
 * visits the active tenants in slices (all of them once per `sweepEveryMs`: bounded work whatever the number of
 * tenants), schedules a run for each CIF with outstanding uploads and no live schedule, and prunes quota counters
 * older than yesterday. Not the normal path: the submit job and every run schedule the next run themselves.
 */
export class StatusSyncSweeper {
  private timer: NodeJS.Timeout | undefined;
  private cursor = 0;
  private running: Promise<void> | undefined;
  private readonly subs = new SubmissionRepository();
  private readonly quota = new QuotaRepository();

  constructor(private readonly o: StatusSyncSweeperOptions) {}

  /** Starts ticking (first tick right away: after a restart every tenant is looked at within one period). */
  start(): void {
    const every = this.o.sweepEveryMs ?? 600_000;
    const ticks = this.o.ticks ?? 10;
    const tick = () => {
      this.running ??= this.sweep(ticks).then(
        () => undefined,
        () => undefined,
      ).finally(() => (this.running = undefined));
    };
    tick();
    this.timer = setInterval(tick, Math.max(1000, Math.floor(every / ticks)));
    this.timer.unref();
  }

  /** Stops ticking and waits for a running tick. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Visits the next slice of active tenants (`1/ticks` of them); with `ticks` 1, all. @returns runs scheduled. */
  async sweep(ticks = 1): Promise<number> {
    let scheduled = 0;
    let tenants: TenantRecord[];
    try {
      tenants = await this.o.tenants();
    } catch (err) {
      this.o.log.warn({ err }, 'status sync sweep: tenant registry unavailable');
      return 0;
    }
    const n = Math.ceil(tenants.length / Math.max(1, ticks));
    const staleBefore = new Date(Date.now() - (this.o.staleAfterMs ?? 600_000));
    const yesterday = bucharestDay(Date.now() - 24 * 3600_000);
    for (let i = 0; i < n && tenants.length; i++) {
      const t = tenants[(this.cursor + i) % tenants.length]!;
      try {
        scheduled += await runInTenant(t, () =>
          this.o.withDataSource(t, async (ds) => {
            let k = 0;
            for (const { cif } of await this.subs.outstandingCifs(ds)) {
              if (await this.o.scheduler.ensureScheduled(ds, t.slug, cif, `status-sync-sweep:${t.slug}`, staleBefore)) k++;
            }
            await this.quota.prune(ds, yesterday);
            return k;
          }),
        );
      } catch (err) {
        this.o.log.warn({ err, tenant: t.slug }, 'status sync sweep of a tenant failed');
      }
    }
    this.cursor = tenants.length ? (this.cursor + n) % tenants.length : 0;
    if (scheduled) this.o.log.info({ scheduled }, 'status sync sweep scheduled lost runs');
    return scheduled;
  }
}
