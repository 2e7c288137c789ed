import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { AnafAuthError, AnafAuthorizationRequiredError, AnafError, AnafHttpError, AnafProtocolError, AnafQuotaExceededError, readAnafZip, verifyAnafZip } from '@cetate/anaf-client';
import type { EfacturaInboundReceivedEvent, EfacturaInboxSyncPayload, ReceivedInvoice, SupplierCheck } from '@cetate/invoicing-contracts';
import { InboxRepository, type InboxFiltru, type InboxMessage, type InboxRunCounts, type InboxSyncRun, type ListedInboxMessage } from '@cetate/invoicing-data-access';
import { invoiceFromReceivedUbl } from '@cetate/invoicing-domain';
import { RetryableError } from '@cetate/platform-messaging';
import { CetateError } from '@cetate/shared-errors';
import type { Logger } from '@cetate/platform-observability';
import { ObjectNotFoundError } from '@cetate/platform-storage';
import type { InvoicingObjects, OutboxMeta, TenantDataSources } from './ports.js';

/** One entry of `listaMesajePaginatieFactura` as the inbox needs it (`AnafMessage` of `@cetate/anaf-client`). */
export interface InboxListMessage {
  id: string;
  idSolicitare: string;
  cif: string;
  tip: string;
  detalii: string;
  createdAt?: Date;
  cifEmitent?: string;
  cifBeneficiar?: string;
}

/** The calls the inbox sync makes for one company (an `AnafClient` with that company's tokens). */
export interface InboxAnafApi {
  listaMesajePaginatie(q: { cif: string; startTime: Date; endTime: Date; filtru: InboxFiltru }): AsyncIterable<InboxListMessage>;
  descarcare(idDescarcare: string): Promise<{ zip: Buffer }>;
}

/** The tenant outbox as the inbox sync writes to it (inside the caller's transaction). */
export interface InboxOutbox {
  /** An `invoicing.efactura.inbound-received` event for the purchases module. */
  inboundReceived(m: EntityManager, payload: EfacturaInboundReceivedEvent, meta: OutboxMeta): Promise<void>;
  /** Asks the relay to publish now (after commit). */
  kick(): void;
}

/** Whether a company may be synced now (its ANAF authorisation), and where a refusal is recorded. */
export interface InboxCompanyGate {
  /** `ok: false` skips the run with `reason` (not authorised, refused, expired). */
  check(tenant: string, cif: string, ds: DataSource): Promise<{ ok: true } | { ok: false; reason: string }>;
  /** ANAF refused the company (HTTP 403 on its CIF, or its refresh token refused): recorded so a person sees it. */
  refused(tenant: string, cif: string, ds: DataSource, reason: string): Promise<void>;
}

/** Tunables of the inbox sync; defaults suit the real ANAF, tests may shorten them. */
export interface InboxSyncConfig {
  /** Messages downloaded and handed over at once. Default 8. */
  concurrency: number;
  /**
   * Failed attempts after which a message whose error is not ANAF's or the network's (an unexpected bug) is left
   * `failed`. ANAF outages (HTTP 5xx, timeouts, an open circuit) never fail a message: it stays pending and every run
   * tries it again, however long the outage; an unreadable ZIP or invoice fails it at once. Default 5.
   */
  maxAttempts: number;
  /** How far before the cursor the next list starts, ms (ANAF's minute stamps, late indexing). Default 1 h. */
  overlapMs: number;
  /** How far back a full list reaches, ms: ANAF keeps messages 60 days. Default 59 days 23 h. */
  horizonMs: number;
  /** A scheduled run lists the whole horizon again when the last full sweep is older than this, ms. Default 24 h. */
  fullSweepEveryMs: number;
  /** Listed messages written per INSERT. Default 500 (one ANAF page). */
  batchSize: number;
}

/** Production tunables. */
export const DEFAULT_INBOX_SYNC_CONFIG: InboxSyncConfig = {
  concurrency: 8,
  maxAttempts: 5,
  overlapMs: 3600_000,
  horizonMs: 60 * 86_400_000 - 3600_000,
  fullSweepEveryMs: 86_400_000,
  batchSize: 500,
};

/** Where the inbox sync archives a message's signed ZIP, under the module prefix (`invoicing/`). */
export function inboxZipKey(cif: string, idDescarcare: string): string {
  return `efactura/inbox/${cif}/${idDescarcare}.zip`;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The list filters the inbox reads: received invoices, then buyer messages (ANAF-EFACTURA.md "listaMesajeFactura"). */
const FILTERS: readonly InboxFiltru[] = ['P', 'R'];

/** A run's end, as returned to the caller and kept in `efactura.inbox_sync_run`. */
export type InboxSyncRunResult = InboxSyncRun | { id: string; status: 'duplicate' };

/** A received message that can never become a purchase invoice (code `INBOX_MESSAGE_UNUSABLE`); kept `failed`, archived. */
export class InboxMessageUnusableError extends CetateError {
  declare readonly code: 'INBOX_MESSAGE_UNUSABLE';
  constructor(message: string) {
    super('INBOX_MESSAGE_UNUSABLE', message);
  }
}

/** Counters of a run added up in memory and written by {@link flush} (one UPDATE for many messages). */
class RunTally {
  private pendingCounts: InboxRunCounts = {};
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly write: (c: InboxRunCounts) => Promise<void>) {}

  add(c: InboxRunCounts): void {
    for (const [k, v] of Object.entries(c) as Array<[keyof InboxRunCounts, number]>) this.pendingCounts[k] = (this.pendingCounts[k] ?? 0) + v;
  }

  /** Writes what was added since the last flush (flushes never overlap). */
  flush(): Promise<void> {
    this.writing = this.writing.then(async () => {
      const c = this.pendingCounts;
      this.pendingCounts = {};
      if (Object.keys(c).length) await this.write(c);
    });
    return this.writing;
  }
}

/** Ends a run early with `status` (the company may not be synced now); `message` is the run's `error`. */
class RunAborted extends CetateError {
  constructor(
    readonly runStatus: 'skipped' | 'failed',
    message: string,
  ) {
    super('INBOX_SYNC_RUN_ABORTED', message);
  }
}

/**
 * The inbox sync (`anaf.efactura.inbox-sync`, issue 10 point 2; ARCHITECTURE.md §4 "Inbound"): one run reads the SPV
 * inbox of one tenant company (CIF) and hands every new supplier invoice to the purchases module exactly once.
 *
 * 1. Lists `listaMesajePaginatieFactura` for filters `P` (FACTURA PRIMITA) and `R` (buyer messages), every page, from
 *    each filter's cursor less `overlapMs` to now (the whole 60-day window on a run a person asked for, a first run,
 *    and once a day), and records each message once (`efactura.inbox_message`, keyed by its download id). A filter's
 *    cursor moves only after its whole list is stored.
 * 2. Downloads each new message once (`descarcare`; a ZIP archived by a run that died before recording it is found in
 *    the bucket and not downloaded again), checks its XMLDSig signature, and archives the ZIP at
 *    `invoicing/efactura/inbox/<cif>/<id>.zip`, before ANAF deletes it after 60 days.
 * 3. A received invoice is parsed (`invoiceFromReceivedUbl`: supplier, number, dates, currency, lines, allowances, VAT
 *    breakdown, totals, payment means), its supplier checked with the taxpayer lookup when one is given, and handed to
 *    purchases as an `invoicing.efactura.inbound-received` event through the outbox, in the same transaction that
 *    marks the message `recorded` (message id `efactura-inbound:<id_solicitare>`: one event per ANAF message). A buyer
 *    message is archived and recorded.
 *
 * Safety: one run per CIF at a time (a PostgreSQL advisory lock held for the run, released if the worker dies); a run
 * that dies half-way leaves every step it finished recorded, and the next run resumes from there. A message that fails
 * is tried again by every later run while ANAF or the network fails (an unreadable ZIP or invoice is left `failed` at once,
 * an unexpected error after `maxAttempts`); a daily quota reached leaves it for the next day; HTTP 403 on the
 * CIF (the certificate holder has no right on it) ends the run and marks the company refused, other CIFs go on.
 */
export class InboxSyncFlow {
  readonly repo = new InboxRepository();

  constructor(
    private readonly dataSources: TenantDataSources,
    private readonly objects: InvoicingObjects,
    private readonly anafFor: (tenant: string, cif: string) => InboxAnafApi,
    private readonly outbox: InboxOutbox,
    private readonly log: Logger,
    private readonly opts: {
      cfg?: Partial<InboxSyncConfig>;
      /**
       * PEM certificates a ZIP's signature must be made with (production: the Ministry of Finance's); absent: checked
       * with the certificate it carries (`verifyAnafZip` of `@cetate/anaf-client`).
       */
      trustedCertificates?: string[];
      companies?: InboxCompanyGate;
      /**
       * Taxpayer lookup of a supplier CUI for the invoice's issue date; null when it cannot answer now. Its optional
       * `warm(cuis)` is given the suppliers a run is about to download (ANAF's `cif_emitent`), to ask ANAF in batches.
       */
      supplierCheck?: ((cui: string, issueDate: string) => Promise<SupplierCheck | null>) & { warm?: (cuis: string[]) => Promise<void> };
      now?: () => number;
    } = {},
  ) {}

  private get cfg(): InboxSyncConfig {
    return { ...DEFAULT_INBOX_SYNC_CONFIG, ...this.opts.cfg };
  }

  /**
   * Runs one inbox-sync command (see class doc); the run row `p.runId` reports it (created here when the asker did
   * not). A run that ended before (a redelivered command) is not run again.
   * @returns the run as it ended, or `duplicate`.
   * @throws RetryableError when another run holds the CIF (the message comes back after the retry delay).
   */
  async handle(p: EfacturaInboxSyncPayload): Promise<InboxSyncRunResult> {
    return this.dataSources.withDataSource(p.tenant, async (ds) => {
      const lock = ds.createQueryRunner();
      await lock.connect();
      try {
        const [got] = (await lock.query(`SELECT pg_try_advisory_lock(hashtext('efactura.inbox-sync'), hashtext($1)) AS ok`, [p.cif])) as Array<{ ok: boolean }>;
        if (!got?.ok) throw new RetryableError(`inbox sync of CIF ${p.cif} is running elsewhere`, { code: 'INBOX_SYNC_BUSY' });
        try {
          return await this.runLocked(ds, p);
        } finally {
          await lock.query(`SELECT pg_advisory_unlock(hashtext('efactura.inbox-sync'), hashtext($1))`, [p.cif]);
        }
      } finally {
        await lock.release();
      }
    });
  }

  private async runLocked(ds: DataSource, p: EfacturaInboxSyncPayload): Promise<InboxSyncRunResult> {
    const deliveredAt = Date.now();
    await this.repo.createRun(ds, { id: p.runId, cif: p.cif, trigger: p.trigger });
    if (!(await this.repo.start(ds, p.runId))) return { id: p.runId, status: 'duplicate' };
    let status: 'done' | 'failed' | 'skipped' = 'done';
    let error: string | null = null;
    try {
      const gate = await this.opts.companies?.check(p.tenant, p.cif, ds);
      if (gate && !gate.ok) throw new RunAborted('skipped', gate.reason);
      const anaf = this.anafFor(p.tenant, p.cif);
      for (const filtru of FILTERS) await this.list(ds, anaf, p, filtru);
      await this.processPending(ds, anaf, p, deliveredAt);
    } catch (err) {
      const aborted = await this.abortReason(ds, p, err);
      status = aborted.status;
      error = aborted.message;
      this.log.warn({ err, tenant: p.tenant, cif: p.cif, run: p.runId }, `e-Factura inbox sync ${status}`);
    }
    await this.repo.finish(ds, p.runId, status, await this.repo.pendingCount(ds, p.cif), error);
    return (await this.repo.run(ds, p.runId))!;
  }

  /** Why a run stops: a refusal of the company is recorded on it (skipped), anything else fails the run. */
  private async abortReason(ds: DataSource, p: EfacturaInboxSyncPayload, err: unknown): Promise<{ status: 'skipped' | 'failed'; message: string }> {
    if (err instanceof RunAborted) return { status: err.runStatus, message: err.message };
    if (err instanceof AnafAuthorizationRequiredError) return { status: 'skipped', message: `${err.code}: company ${p.cif} has not authorised the application at ANAF` };
    if (err instanceof AnafHttpError && err.status === 403) {
      const reason = `ANAF refused CIF ${p.cif} (HTTP 403): the certificate holder has no right on it`;
      await this.opts.companies?.refused(p.tenant, p.cif, ds, reason);
      return { status: 'skipped', message: `${err.code}: ${reason}` };
    }
    if (err instanceof AnafAuthError) {
      // a refused refresh token: the token provider has marked the company (revoked / expired); it must authorise again
      return { status: 'skipped', message: `${err.code}: ANAF refused the authorisation of CIF ${p.cif} (${err.oauthError ?? err.status}): authorise again` };
    }
    const code = (err as { code?: string }).code ?? 'ERROR';
    return { status: 'failed', message: `${code}: ${(err as Error).message}` };
  }

  /**
   * Lists one filter and records every message, then moves the cursor. A scheduled run lists from the cursor less the
   * overlap; a run a person asked for, a first run, and a run whose last full sweep is older than `fullSweepEveryMs`
   * list ANAF's whole 60-day window (one page call per 500 messages), so a message indexed late is never missed.
   */
  private async list(ds: DataSource, anaf: InboxAnafApi, p: EfacturaInboxSyncPayload, filtru: InboxFiltru): Promise<void> {
    const now = this.opts.now?.() ?? Date.now();
    const cursor = await this.repo.cursor(ds, p.cif, filtru);
    const full = p.trigger === 'manual' || !cursor || !cursor.fullSweepAt || now - cursor.fullSweepAt.getTime() >= this.cfg.fullSweepEveryMs;
    const startTime = new Date(full ? now - this.cfg.horizonMs : Math.max(now - this.cfg.horizonMs, cursor!.syncedUntil.getTime() - this.cfg.overlapMs));
    const endTime = new Date(now);
    if (filtru === 'P') await this.repo.window(ds, p.runId, startTime, endTime);
    let batch: ListedInboxMessage[] = [];
    const flush = async () => {
      if (!batch.length) return;
      const fresh = await this.repo.recordListed(ds, p.runId, batch);
      await this.repo.count(ds, p.runId, { listed: batch.length, newMessages: fresh });
      batch = [];
    };
    for await (const m of anaf.listaMesajePaginatie({ cif: p.cif, startTime, endTime, filtru })) {
      batch.push({
        idDescarcare: m.id,
        idSolicitare: m.idSolicitare,
        cif: p.cif,
        filtru,
        tip: m.tip,
        detalii: m.detalii || null,
        dataCreare: m.createdAt ?? null,
        cifEmitent: m.cifEmitent ?? null,
        cifBeneficiar: m.cifBeneficiar ?? null,
      });
      if (batch.length >= this.cfg.batchSize) await flush();
    }
    await flush();
    await this.repo.advanceCursor(ds, p.cif, filtru, endTime, full);
  }

  /** Downloads, archives and hands over every pending message of the CIF, `concurrency` at once. */
  private async processPending(ds: DataSource, anaf: InboxAnafApi, p: EfacturaInboxSyncPayload, deliveredAt: number): Promise<void> {
    const pending = await this.repo.pending(ds, p.cif);
    const suppliers = [...new Set(pending.filter((m) => m.filtru === 'P' && m.cifEmitent && /^\d{2,10}$/.test(m.cifEmitent)).map((m) => m.cifEmitent!))];
    if (suppliers.length && this.opts.supplierCheck?.warm) {
      await this.opts.supplierCheck.warm(suppliers).catch((err: unknown) => this.log.warn({ err, suppliers: suppliers.length }, 'taxpayer lookup warm-up failed; each invoice asks on its own'));
    }
    // the run's counters are written once a second, not once per message (8 lanes would queue on the run's row);
    // the run's end recounts them exactly from the messages (InboxRepository.finish)
    const tally = new RunTally((c) => this.repo.count(ds, p.runId, c));
    const flusher = setInterval(() => void tally.flush().catch((err: unknown) => this.log.warn({ err }, 'inbox run counters not written')), 1000);
    try {
      await this.processAll(ds, anaf, p, deliveredAt, pending, tally);
    } finally {
      clearInterval(flusher);
      await tally.flush();
    }
  }

  private async processAll(ds: DataSource, anaf: InboxAnafApi, p: EfacturaInboxSyncPayload, deliveredAt: number, pending: InboxMessage[], tally: RunTally): Promise<void> {
    let stop: unknown;
    let next = 0;
    const lane = async () => {
      while (next < pending.length && stop === undefined) {
        const msg = pending[next++]!;
        try {
          await this.processOne(ds, anaf, p, msg, deliveredAt, tally);
        } catch (err) {
          if (err instanceof AnafQuotaExceededError) continue; // this message waits for tomorrow's quota; others go on
          if (isRunStopper(err)) {
            stop ??= err;
            return;
          }
          const final = isPermanent(err) || (!isTransient(err) && msg.attempts + 1 >= this.cfg.maxAttempts);
          await this.repo.failedAttempt(ds, msg.idDescarcare, p.runId, (err as { code?: string }).code ?? 'ERROR', (err as Error).message, final);
          if (final) tally.add({ failed: 1 });
          this.log.warn({ err, tenant: p.tenant, cif: p.cif, id_descarcare: msg.idDescarcare, final }, 'e-Factura inbox message not processed');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.cfg.concurrency, pending.length) }, lane));
    if (stop !== undefined) throw stop;
  }

  private async processOne(ds: DataSource, anaf: InboxAnafApi, p: EfacturaInboxSyncPayload, msg: InboxMessage, deliveredAt: number, tally: RunTally): Promise<void> {
    let zipObjectKey = msg.zipObjectKey;
    let signatureValid = msg.signatureValid ?? false;
    let xml: Buffer | undefined;
    if (msg.status === 'listed') {
      const key = inboxZipKey(p.cif, msg.idDescarcare);
      // listed before this delivery began: an earlier (killed) run may have archived it without recording that
      let zip = msg.listedAt.getTime() < deliveredAt || msg.attempts > 0 ? await this.archivedZip(p.tenant, `invoicing/${key}`) : undefined;
      zipObjectKey = zip ? `invoicing/${key}` : null;
      if (!zip) {
        zip = (await anaf.descarcare(msg.idDescarcare)).zip;
        zipObjectKey = await this.objects.put(p.tenant, key, zip, 'application/zip');
      }
      const files = await this.readZip(zip);
      const sig = files.verification;
      signatureValid = sig.valid;
      xml = files.xml;
      await this.repo.archived(ds, msg.idDescarcare, p.runId, { zipObjectKey: zipObjectKey!, xmlSha256: sha256(files.xml), signatureValid: sig.valid, signatureReason: sig.valid ? null : (sig.reason ?? 'invalid') });
      tally.add({ archived: 1 });
      if (!sig.valid) this.log.warn({ tenant: p.tenant, cif: p.cif, id_descarcare: msg.idDescarcare, reason: sig.reason }, 'e-Factura inbox: ZIP signature does not verify (archived, flagged)');
    }
    if (msg.filtru === 'R') {
      if (await ds.transaction((m) => this.repo.recorded(m, msg.idDescarcare, p.runId, null))) tally.add({ buyerMessages: 1 });
      return;
    }
    // archived by an earlier run: the invoice is read back from the archive (its signature was checked then)
    xml ??= (await readAnafZip(await this.objects.get(p.tenant, zipObjectKey!))).xml;
    const files = { xml };
    const invoice = invoiceFromReceivedUbl(files.xml);
    if (!invoice.supplier.cif) {
      // purchases are keyed by the supplier's Romanian CUI (BT-31/BT-32); the archived ZIP stays for a person to book
      throw new InboxMessageUnusableError(`received invoice ${invoice.number} has no Romanian supplier CUI (BT-31/BT-32: ${invoice.supplier.vatId ?? 'none'})`);
    }
    const supplierCheck = invoice.supplier.cif ? await this.checkSupplier(invoice) : null;
    const event: EfacturaInboundReceivedEvent = {
      tenant: p.tenant,
      cif: p.cif,
      idSolicitare: msg.idSolicitare,
      idDescarcare: msg.idDescarcare,
      dataCreare: (msg.dataCreare ?? new Date()).toISOString(),
      zipObjectKey: zipObjectKey!,
      xmlSha256: sha256(files.xml),
      signatureVerified: signatureValid,
      invoice,
      supplierCheck,
    };
    const handed = await ds.transaction(async (m) => {
      const ok = await this.repo.recorded(m, msg.idDescarcare, p.runId, { invoiceNumber: invoice.number, supplierCif: invoice.supplier.cif, payableAmount: invoice.totals.payable, currency: invoice.currency });
      if (!ok) return false;
      const key = `efactura-inbound:${msg.idSolicitare}`;
      await this.outbox.inboundReceived(m, event, { tenantId: p.tenant, idempotencyKey: key, correlationId: p.runId, messageId: key });
      return true;
    });
    if (handed) {
      this.outbox.kick();
      tally.add({ receivedInvoices: 1 });
    }
  }

  /** The taxpayer check of a received invoice's supplier; a lookup that cannot answer leaves it null (never blocks). */
  private async checkSupplier(invoice: ReceivedInvoice): Promise<SupplierCheck | null> {
    if (!this.opts.supplierCheck || !invoice.supplier.cif) return null;
    try {
      return await this.opts.supplierCheck(invoice.supplier.cif, invoice.issueDate);
    } catch (err) {
      this.log.warn({ err, cui: invoice.supplier.cif }, 'taxpayer lookup failed; the received invoice is recorded without the supplier check');
      return null;
    }
  }

  /** The ZIP's files and signature check (a missing signature file is `valid: false`, not an error). */
  private readZip(zip: Buffer) {
    return verifyAnafZip(zip, this.opts.trustedCertificates ? { trustedCertificates: this.opts.trustedCertificates } : {});
  }

  private async archivedZip(tenant: string, fullKey: string): Promise<Buffer | undefined> {
    try {
      return await this.objects.get(tenant, fullKey);
    } catch (err) {
      if (err instanceof ObjectNotFoundError) return undefined;
      throw err;
    }
  }
}

/** Errors that stop the whole run (the company's authorisation), not just one message. */
function isRunStopper(err: unknown): boolean {
  return err instanceof AnafAuthorizationRequiredError || err instanceof AnafAuthError || (err instanceof AnafHttpError && err.status === 403);
}

/** ANAF or the network failing for now (HTTP 5xx/429, timeout, connection, open circuit): never a reason to give up. */
function isTransient(err: unknown): boolean {
  return err instanceof AnafError && !(err instanceof AnafProtocolError);
}

/** Errors that trying the same bytes again cannot fix: an unreadable ZIP or a document that is not a readable invoice. */
function isPermanent(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return /^(UBL_|XML_|RECEIVED_UBL|ANAF_ZIP|INBOX_MESSAGE_UNUSABLE)/.test(code);
}
