import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { EfacturaInboxSyncPayload } from '@cetate/invoicing-contracts';
import { InboxRepository } from '@cetate/invoicing-data-access';
import type { Logger } from '@cetate/platform-observability';
import type { OutboxMeta } from './ports.js';

/** The tenant outbox as inbox-sync requests write to it. */
export interface InboxCommandOutbox {
  /** A `worker.request.anaf.efactura.inbox-sync` command, inside the caller's transaction. */
  inboxSync(m: EntityManager, payload: EfacturaInboxSyncPayload, meta: OutboxMeta): Promise<void>;
  /** Asks the relay to publish now (after commit). */
  kick(): void;
}

/** A requested run: its id (to wait for `efactura.inbox_sync_run`) and CIF. */
export interface RequestedInboxRun {
  runId: string;
  cif: string;
  /** False when a scheduled run of that slot existed already (nothing was enqueued). */
  created: boolean;
}

/** Default period of the scheduled inbox sync: every 15 minutes per company (2 list calls per run; ANAF allows 100,000 a day). */
export const DEFAULT_INBOX_SYNC_EVERY_MS = 15 * 60_000;

/**
 * Asks for inbox-sync runs (issue 10 point 2): each run is a row of `efactura.inbox_sync_run` and an
 * `anaf.efactura.inbox-sync` command written in the same transaction of the tenant database (the outbox relay publishes
 * it after commit), so a caller can wait for the row and no request is lost or sent twice.
 */
export class InboxSyncRequests {
  private readonly repo = new InboxRepository();

  constructor(private readonly outbox: InboxCommandOutbox) {}

  /**
   * A run now for each CIF (a person asked: CLI, API).
   * @param cifs the tenant companies to read, digits.
   */
  async requestNow(ds: DataSource, tenant: string, cifs: readonly string[], requestedBy: string | null, correlationId: string): Promise<RequestedInboxRun[]> {
    const runs = await ds.transaction(async (m) => {
      const out: RequestedInboxRun[] = [];
      for (const cif of cifs) {
        const runId = randomUUID();
        await this.repo.createRun(m, { id: runId, cif, trigger: 'manual', requestedBy });
        await this.outbox.inboxSync(m, { tenant, cif, runId, trigger: 'manual' }, { tenantId: tenant, idempotencyKey: `inbox-sync:${runId}`, correlationId, messageId: `inbox-sync:${runId}` });
        out.push({ runId, cif, created: true });
      }
      return out;
    });
    this.outbox.kick();
    return runs;
  }

  /**
   * The scheduled run of each CIF for the time slot `slot` (e.g. the ISO minute the period started): created once per
   * CIF and slot however many worker replicas ask, so the schedule never doubles a run.
   */
  async schedule(ds: DataSource, tenant: string, cifs: readonly string[], slot: string): Promise<RequestedInboxRun[]> {
    const runs = await ds.transaction(async (m) => {
      const out: RequestedInboxRun[] = [];
      for (const cif of cifs) {
        const runId = randomUUID();
        const created = await this.repo.createRun(m, { id: runId, cif, trigger: 'schedule', scheduleSlot: slot });
        if (created) {
          await this.outbox.inboxSync(m, { tenant, cif, runId, trigger: 'schedule' }, { tenantId: tenant, idempotencyKey: `inbox-sync:${cif}:${slot}`, correlationId: runId, messageId: `inbox-sync:${cif}:${slot}` });
        }
        out.push({ runId, cif, created });
      }
      return out;
    });
    if (runs.some((r) => r.created)) this.outbox.kick();
    return runs;
  }
}

/** What the schedule needs of the platform: the active tenants and each one's companies to sync. */
export interface InboxScheduleSources {
  tenants(): Promise<Array<{ slug: string }>>;
  withDataSource<T>(tenant: string, fn: (ds: DataSource) => Promise<T>): Promise<T>;
  /** The CIFs of a tenant whose inbox is read (its authorised companies). */
  companies(tenant: string, ds: DataSource): Promise<string[]>;
}

/**
 * The worker's schedule of inbox syncs: every `everyMs`, one run per authorised company of every active tenant (slot =
 * the period's start as an ISO instant). Each replica of `worker-anaf` runs it; the slot key keeps one run per slot.
 * A tenant whose database cannot be reached is logged and skipped until the next tick.
 */
export class InboxSyncSchedule {
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly requests: InboxSyncRequests,
    private readonly sources: InboxScheduleSources,
    private readonly log: Logger,
    private readonly everyMs: number = DEFAULT_INBOX_SYNC_EVERY_MS,
  ) {}

  /** Starts ticking: a first tick after `firstDelayMs` (default a tenth of the period), then every `everyMs`. */
  start(firstDelayMs = Math.floor(this.everyMs / 10)): void {
    const tick = () => {
      if (this.running) return; // the previous pass is still going: this one is skipped, the next slot comes
      this.running = this.tick().finally(() => {
        this.running = undefined;
      });
    };
    this.timers.push(setTimeout(tick, firstDelayMs), setInterval(tick, this.everyMs));
    for (const t of this.timers) t.unref();
  }

  /** Stops ticking and waits for a pass in progress. */
  async stop(): Promise<void> {
    for (const t of this.timers.splice(0)) clearTimeout(t);
    await this.running;
  }

  /** One pass over every active tenant (exposed for tests). @returns the runs created. */
  async tick(now = Date.now()): Promise<number> {
    const slot = new Date(Math.floor(now / this.everyMs) * this.everyMs).toISOString();
    let created = 0;
    for (const t of await this.sources.tenants()) {
      try {
        created += await this.sources.withDataSource(t.slug, async (ds) => {
          const cifs = await this.sources.companies(t.slug, ds);
          return (await this.requests.schedule(ds, t.slug, cifs, slot)).filter((r) => r.created).length;
        });
      } catch (err) {
        this.log.warn({ err, tenant: t.slug }, 'inbox sync schedule: tenant skipped this time');
      }
    }
    return created;
  }
}
