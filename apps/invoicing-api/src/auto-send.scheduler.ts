import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { addRomanianWorkingDays, romanianDate } from '@cetate/invoicing-domain';
import type { Logger } from '@cetate/platform-observability';
import type { TenantLookup } from '@cetate/platform-tenancy';
import type { EfacturaSettingsService } from './efactura-settings.js';
import type { InvoicingService } from './invoicing.service.js';
import type { Actor, TenantDataSources, TenantInfo } from './ports.js';

/** Who the automatic sending acts as (history `send-requested` entries say `by: auto-send`). */
export const AUTO_SEND_ACTOR: Actor = Object.freeze({ subject: 'auto-send', username: 'auto-send' });

/** Knobs of {@link AutoSendScheduler}. */
export interface AutoSendConfig {
  /** Time between two passes, ms; default 900 000 (15 min; main.ts: `INVOICING_AUTO_SEND_INTERVAL_MS`, tests shorten it). */
  intervalMs?: number;
  /** Most invoices sent for one tenant in one pass; default 100 (the rest waits for the next pass). */
  batchSize?: number;
  /** Most invoices sent in one pass over all tenants; default 1 000 (the next pass goes on with the next tenants). */
  maxPerPass?: number;
  /** Clock (tests). */
  now?: () => Date;
}

/** What one pass did. */
export interface AutoSendPassResult {
  /** Active tenants visited. */
  tenants: number;
  /** Invoices queued for sending. */
  sent: number;
  /** Tenants skipped because another `invoicing-api` process was passing over them at the same time. */
  busy: number;
  /** Tenants whose pass failed (logged, never stopping the loop). */
  failed: number;
}

/** Tenant-scoped advisory lock key of the pass (PostgreSQL `hashtext`, one lock per tenant database). */
const LOCK_SQL = `SELECT pg_try_advisory_xact_lock(hashtext('invoicing.auto-send')) AS locked`;

/**
 * The candidates of one tenant: `draft` invoices whose current version was never sent, issued on or before `$1`
 * (today in Romania; BT-2 compared on its date part), with a deadline on or before `$2`, most urgent first, `$3` at most.
 */
const CANDIDATES_SQL = `SELECT i.id FROM invoicing.invoice i
  JOIN invoicing.invoice_version v ON v.invoice_id = i.id AND v.version = i.current_version
  WHERE i.efactura_state = 'draft' AND v.send_requested_at IS NULL
    AND i.efactura_deadline IS NOT NULL AND left(i.issue_date, 10) <= $1 AND i.efactura_deadline <= $2::date
  ORDER BY i.efactura_deadline, i.created_at
  LIMIT $3`;

/**
 * Per-tenant automatic sending (issue 7 point 6): every `intervalMs`, for each active tenant whose settings have
 * `autoSend` on, sends every `draft` invoice whose issue date has come and whose legal deadline is within
 * `workingDaysBefore` Romanian working days (deadline ≤ today + `workingDaysBefore` working days, so an overdue invoice
 * is sent too), through the same {@link InvoicingService.sendInTransaction} as a user's "send" (actor `auto-send`).
 *
 * Never twice: one pass over a tenant runs in one transaction holding a transaction-level advisory lock of that tenant
 * database (`pg_try_advisory_xact_lock`), so a second `invoicing-api` replica skips the tenant meanwhile; and `send`
 * itself queues a version once (row lock + `send_requested_at`). Each invoice is sent under a savepoint: one that fails
 * is logged and skipped, the others are committed. Bounded work: `batchSize` per tenant and `maxPerPass` per pass
 * (tenants are visited round-robin, so a big tenant does not starve the others). A failing tenant is logged and the
 * loop goes on; passes never overlap in one process. Cost: each pass opens every active tenant's database once (one
 * settings read), through the bounded DataSource pool.
 */
export class AutoSendScheduler {
  private readonly intervalMs: number;
  private readonly batchSize: number;
  private readonly maxPerPass: number;
  private readonly now: () => Date;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;
  private cursor = 0;

  constructor(
    private readonly deps: {
      tenants: Pick<TenantLookup, 'active'>;
      dataSources: TenantDataSources;
      invoicing: InvoicingService;
      settings: EfacturaSettingsService;
      /** Asks the outbox relay to publish now (after a pass committed sends). */
      kick: () => void;
      log: Logger;
    },
    cfg: AutoSendConfig = {},
  ) {
    this.intervalMs = cfg.intervalMs ?? 900_000;
    this.batchSize = cfg.batchSize ?? 100;
    this.maxPerPass = cfg.maxPerPass ?? 1_000;
    this.now = cfg.now ?? (() => new Date());
    if (!(this.intervalMs > 0)) throw new RangeError(`auto-send interval must be > 0 ms, got ${this.intervalMs}`);
  }

  /** Starts the passes: the first one `intervalMs` after start, each next one `intervalMs` after the previous ended. */
  start(): void {
    this.stopped = false;
    this.schedule();
  }

  /** Stops scheduling and waits for a pass in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce()
        .catch((err: unknown) => this.deps.log.error({ err }, 'auto-send pass failed'))
        .finally(() => this.schedule());
    }, this.intervalMs);
    this.timer.unref();
  }

  /** One pass over the active tenants (see the class comment). Never throws for a tenant's failure. */
  async runOnce(): Promise<AutoSendPassResult> {
    const active = await this.deps.tenants.active();
    const result: AutoSendPassResult = { tenants: 0, sent: 0, busy: 0, failed: 0 };
    const start = active.length ? this.cursor % active.length : 0;
    for (let i = 0; i < active.length && !this.stopped; i++) {
      const t = active[(start + i) % active.length]!;
      if (result.sent >= this.maxPerPass) {
        this.cursor = (start + i) % active.length; // the next pass begins with this tenant
        return result;
      }
      result.tenants += 1;
      try {
        const sent = await this.deps.dataSources.withDataSource(t.slug, (ds) =>
          this.runTenant(ds, { slug: t.slug, cif: t.cif }, Math.min(this.batchSize, this.maxPerPass - result.sent)),
        );
        if (sent === null) result.busy += 1;
        else result.sent += sent;
      } catch (err) {
        result.failed += 1;
        this.deps.log.error({ err, tenant: t.slug }, 'auto-send failed for this tenant');
      }
    }
    this.cursor = start + 1;
    return result;
  }

  /** Sends what is due for one tenant; `null` when another process holds the tenant's pass. */
  private async runTenant(ds: DataSource, tenant: TenantInfo, limit: number): Promise<number | null> {
    const settings = await this.deps.settings.read(ds.manager);
    if (!settings.autoSend || limit <= 0) return 0;
    const today = romanianDate(this.now());
    const cutoff = addRomanianWorkingDays(today, settings.workingDaysBefore);
    const correlationId = `auto-send:${randomUUID()}`;
    const sent = await ds.transaction(async (m) => {
      const [lock] = (await m.query(LOCK_SQL)) as Array<{ locked: boolean }>;
      if (!lock?.locked) return null;
      const rows = (await m.query(CANDIDATES_SQL, [today, cutoff, limit])) as Array<{ id: string }>;
      let n = 0;
      for (const { id } of rows) {
        await m.query('SAVEPOINT auto_send');
        try {
          const r = await this.deps.invoicing.sendInTransaction(m, tenant, AUTO_SEND_ACTOR, id, correlationId);
          await m.query('RELEASE SAVEPOINT auto_send');
          if (r.queued) n += 1;
        } catch (err) {
          await m.query('ROLLBACK TO SAVEPOINT auto_send');
          this.deps.log.error({ err, tenant: tenant.slug, invoiceId: id }, 'auto-send could not send this invoice');
        }
      }
      return n;
    });
    if (sent) {
      this.deps.log.info({ tenant: tenant.slug, sent, today, cutoff }, 'auto-send queued invoices');
      this.deps.kick();
    }
    return sent;
  }
}
