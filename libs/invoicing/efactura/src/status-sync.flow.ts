import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { bucharestDay } from '@cetate/anaf-client';
import { EfacturaSubmitPayloadSchema, type EfacturaStatusSyncPayload } from '@cetate/invoicing-contracts';
import { ObjectNotFoundError } from '@cetate/platform-storage';
import { AnafMessageRepository, type SubmissionEntity } from '@cetate/invoicing-data-access';
import { RetryableError } from '@cetate/platform-messaging';
import type { Logger } from '@cetate/platform-observability';
import type { AnafApi, AnafDownload, AnafListMessage, EfacturaOutbox, InvoicingObjects, TenantDataSources } from './ports.js';
import { SubmissionSteps, type FlowCtx } from './submission-steps.js';
import { StatusSyncScheduler, statusSyncDelayMs, statusSyncMeta } from './status-sync.scheduler.js';

/** Tunables of the status sync; defaults suit the real ANAF, tests shorten them. */
export interface StatusSyncConfig {
  /** How long a run holds its CIF (renewed every third of it while it works), ms. A killed worker's run is taken over
   * after it. Default 30 s. */
  leaseMs: number;
  /** After this long without the upload in the message list, ask `stareMesaj` for it, ms. Default 30 min. */
  stareFallbackAfterMs: number;
  /** Least time between two `stareMesaj` calls for one upload, ms. Default 30 min (48 a day, ANAF allows 100). */
  stareEveryMs: number;
  /** How long an `unknown` upload may take to appear in the message list before it is proven absent and uploaded
   * again, ms. Default 10 min. */
  reconcileGraceMs: number;
  /** Answers downloaded and archived at once. Default 8. */
  concurrency: number;
}

/** Production tunables. */
export const DEFAULT_STATUS_SYNC_CONFIG: StatusSyncConfig = {
  leaseMs: 30_000,
  stareFallbackAfterMs: 30 * 60_000,
  stareEveryMs: 30 * 60_000,
  reconcileGraceMs: 10 * 60_000,
  concurrency: 8,
};

/** What one run did (logs, tests, the CLI's `--wait`). */
export interface StatusSyncRunResult {
  outcome: 'ran' | 'stale';
  listed: number;
  accepted: number;
  rejected: number;
  reconciled: number;
  reuploads: number;
  stareCalls: number;
  stillOutstanding: number;
  error?: string;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** ANAF message types of our own uploads (ANAF-EFACTURA.md "listaMesajeFactura"). */
const ACCEPTED_TIP = 'FACTURA TRIMISA';
const REJECTED_TIP = 'ERORI FACTURA';
/** Messages stay in SPV 60 days; the list is not asked further back. */
const LIST_HORIZON_MS = 59 * 24 * 3600_000;
/** Start of the list window before the oldest outstanding upload (clock skew, ANAF's minute stamps). */
const LIST_MARGIN_MS = 2 * 60_000;

/**
 * The status sync (`anaf.efactura.status-sync`, issue 7 item 1): one run learns ANAF's verdict on every outstanding
 * upload of one tenant CIF from the paginated message list (`listaMesajePaginatieFactura`, filters `T` and `E`), in one
 * series of calls however many uploads are outstanding: an upload listed as `FACTURA TRIMISA` is accepted, as
 * `ERORI FACTURA` rejected; its answer ZIP is downloaded once (`descarcare`), archived in the tenant bucket, and the
 * invoice moves to `accepted` / `rejected`. `stareMesaj` is the fallback for an upload the list has not shown after
 * `stareFallbackAfterMs`. `unknown` uploads are reconciled with the same list (our upload is recognised by the
 * SHA-256 of the invoice ANAF returns); one proven absent after `reconcileGraceMs` goes back to the submit job.
 *
 * Runs are leased per CIF (`efactura.status_sync`): never two at once, a stale duplicate message is dropped, a killed
 * run is taken over after its lease. Every run ends by scheduling the next (a delayed message through the outbox, in
 * the same transaction) while uploads are outstanding: nothing is held while ANAF processes.
 */
export class StatusSyncFlow {
  private readonly steps: SubmissionSteps;
  private readonly scheduler: StatusSyncScheduler;
  private readonly messages = new AnafMessageRepository();

  constructor(
    private readonly dataSources: TenantDataSources,
    private readonly objects: InvoicingObjects,
    private readonly anafFor: (tenant: string) => AnafApi,
    private readonly outbox: EfacturaOutbox,
    private readonly log: Logger,
    private readonly cfg: StatusSyncConfig = DEFAULT_STATUS_SYNC_CONFIG,
    /** Whether the answer ZIP of a download id may already have been fetched (the quota ledger knows). */
    private readonly downloadedBefore: (tenant: string, idDescarcare: string) => Promise<boolean> = async () => true,
  ) {
    this.steps = new SubmissionSteps(outbox, log);
    this.scheduler = new StatusSyncScheduler(outbox);
  }

  /**
   * Handles one status-sync message (see class doc).
   * @throws RetryableError when another run holds the CIF's lease (the message comes back after the retry delay).
   */
  async handle(p: EfacturaStatusSyncPayload, meta: { correlationId: string }): Promise<StatusSyncRunResult> {
    return this.dataSources.withDataSource(p.tenant, async (ds) => {
      const ctx: FlowCtx = { ds, tenant: p.tenant };
      const owner = randomUUID();
      const lease = await this.scheduler.repo.lease(ds, p.cif, p.generation, owner, this.cfg.leaseMs);
      if (lease.kind === 'stale') {
        return { outcome: 'stale', listed: 0, accepted: 0, rejected: 0, reconciled: 0, reuploads: 0, stareCalls: 0, stillOutstanding: 0 };
      }
      if (lease.kind === 'busy') {
        throw new RetryableError(`status sync of CIF ${p.cif} is running elsewhere (lease until ${lease.leaseUntil.toISOString()})`);
      }
      let lost = false;
      const renew = setInterval(() => {
        this.scheduler.repo.renew(ds, p.cif, owner, this.cfg.leaseMs).then(
          (ok) => (lost ||= !ok),
          (err: unknown) => this.log.warn({ err, cif: p.cif }, 'status sync lease renewal failed'),
        );
      }, Math.max(1000, Math.floor(this.cfg.leaseMs / 3)));
      const result: StatusSyncRunResult = { outcome: 'ran', listed: 0, accepted: 0, rejected: 0, reconciled: 0, reuploads: 0, stareCalls: 0, stillOutstanding: 0 };
      try {
        await this.run(ctx, p.cif, result, () => lost);
      } catch (err) {
        result.error = `${(err as { code?: string }).code ?? 'ERROR'}: ${(err as Error).message}`;
        this.log.warn({ err, tenant: p.tenant, cif: p.cif }, 'status sync run failed; the next run retries');
      } finally {
        clearInterval(renew);
      }
      await this.finish(ctx, p.cif, owner, meta.correlationId, result);
      return result;
    });
  }

  /** Ends the run: schedules the next one while uploads are outstanding (fresh read), else leaves the CIF idle. */
  private async finish(ctx: FlowCtx, cif: string, owner: string, correlationId: string, result: StatusSyncRunResult): Promise<void> {
    const { ds, tenant } = ctx;
    const mine = await this.steps.repo.outstandingSummary(ds, cif);
    if (mine.count > 0) {
      result.stillOutstanding = mine.count;
      const age = Date.now() - (mine.newestUploadAt?.getTime() ?? Date.now());
      const delayMs = statusSyncDelayMs(age);
      const scheduled = await ds.transaction(async (m) => {
        const generation = await this.scheduler.repo.reschedule(m, cif, owner, new Date(Date.now() + delayMs), result.error ?? null);
        if (generation === null) return false; // lease lost: the run that took it over schedules
        await this.outbox.statusSync(m, { tenant, cif, generation }, statusSyncMeta(tenant, cif, generation, correlationId, delayMs));
        return true;
      });
      if (scheduled) this.outbox.kick();
      return;
    }
    if (await this.scheduler.repo.idle(ds, cif, owner)) {
      // an upload committed after the read above must not be left without a run
      if ((await this.steps.repo.outstandingSummary(ds, cif)).count > 0) await this.scheduler.ensureScheduled(ds, tenant, cif, correlationId);
    }
  }

  private async run(ctx: FlowCtx, cif: string, result: StatusSyncRunResult, lost: () => boolean): Promise<void> {
    const { ds, tenant } = ctx;
    const anaf = this.anafFor(tenant);
    const outstanding = (await this.steps.repo.outstanding(ds.manager, cif)).filter((s) => s.status === 'submitted' || s.status === 'unknown');
    if (!outstanding.length) return;
    const now = Date.now();
    const oldest = Math.min(...outstanding.map((s) => (s.uploadStartedAt ?? s.createdAt).getTime()));
    const startTime = new Date(Math.max(oldest - LIST_MARGIN_MS, now - LIST_HORIZON_MS));
    const listed = new Map<string, AnafListMessage>();
    for (const filtru of ['T', 'E'] as const) {
      for await (const msg of anaf.listaMesajePaginatie({ cif, startTime, endTime: new Date(now), filtru })) {
        if (msg.tip === ACCEPTED_TIP || msg.tip === REJECTED_TIP) listed.set(msg.idSolicitare, msg);
      }
    }
    result.listed = listed.size;
    const downloads = new Map<string, Promise<AnafDownload>>(); // one descarcare per id and run
    const download = (id: string) => {
      let d = downloads.get(id);
      if (!d) downloads.set(id, (d = anaf.descarcare(id)));
      return d;
    };

    const submitted = outstanding.filter((s) => s.status === 'submitted');
    await eachLimit(submitted, this.cfg.concurrency, async (sub) => {
      if (lost()) return;
      const msg = listed.get(sub.indexIncarcare!);
      if (msg) return this.settle(ctx, sub, msg.tip === ACCEPTED_TIP ? 'ok' : 'nok', msg.id, download, result);
      await this.stareFallback(ctx, sub, download, result);
    });

    const unknown = outstanding.filter((s) => s.status === 'unknown');
    if (unknown.length && !lost()) await this.reconcile(ctx, cif, unknown, listed, download, result);
  }

  /** `stareMesaj` for an upload the list has not shown after `stareFallbackAfterMs`, at most every `stareEveryMs`. */
  private async stareFallback(ctx: FlowCtx, sub: SubmissionEntity, download: (id: string) => Promise<AnafDownload>, result: StatusSyncRunResult): Promise<void> {
    const now = Date.now();
    const since = (sub.uploadStartedAt ?? sub.createdAt).getTime();
    if (now - since < this.cfg.stareFallbackAfterMs) return;
    if (sub.lastStareAt && now - sub.lastStareAt.getTime() < this.cfg.stareEveryMs) return;
    await this.steps.repo.recordStare(ctx.ds, sub.idempotencyKey, bucharestDay(now));
    result.stareCalls++;
    const r = await this.anafFor(ctx.tenant).stareMesaj(sub.indexIncarcare!); // quota per index: the ledger
    if ((r.stare === 'ok' || r.stare === 'nok') && r.idDescarcare) return this.settle(ctx, sub, r.stare, r.idDescarcare, download, result);
    if (r.stare === 'XML cu erori nepreluat de sistem') {
      await this.steps.step(ctx, sub, 'failed', { code: 'ANAF_NOT_TAKEN_IN', reason: 'ANAF did not take the XML in (XML cu erori nepreluat de sistem)' });
    }
  }

  /**
   * Downloads ANAF's answer (once: a ZIP already archived by an earlier, interrupted run is reused), archives it at
   * `invoices/<id>/v<n>/anaf-<id_descarcare>.zip` and moves the submission to `accepted` / `rejected`.
   */
  private async settle(
    ctx: FlowCtx,
    sub: SubmissionEntity,
    stare: 'ok' | 'nok',
    idDescarcare: string,
    download: (id: string) => Promise<AnafDownload>,
    result: StatusSyncRunResult,
  ): Promise<void> {
    const key = `invoices/${sub.invoiceId}/v${sub.invoiceVersion}/anaf-${idDescarcare}.zip`;
    let zipObjectKey: string | undefined;
    let errors: Array<{ ruleId?: string; flag: 'fatal'; message: string }> = [];
    if (stare === 'ok' && (await this.downloadedBefore(ctx.tenant, idDescarcare))) {
      zipObjectKey = await this.existing(ctx.tenant, `invoicing/${key}`);
    }
    if (!zipObjectKey) {
      const d = await download(idDescarcare);
      zipObjectKey = await this.objects.put(ctx.tenant, key, d.zip, 'application/zip');
      errors = (d.errorReport?.errors ?? []).map((e) => ({ ruleId: e.ruleId, flag: 'fatal' as const, message: e.message }));
    }
    const fields = { indexIncarcare: sub.indexIncarcare, idDescarcare, zipObjectKey };
    const patch = { idDescarcare, answerZipKey: zipObjectKey };
    if (stare === 'ok') {
      await this.steps.step(ctx, sub, 'accepted', fields, patch);
      result.accepted++;
    } else {
      await this.steps.step(ctx, sub, 'rejected', { ...fields, errors }, patch);
      result.rejected++;
    }
  }

  /** The full key of an archived object when it exists (a rejected answer is always re-read for its errors). */
  private async existing(tenant: string, fullKey: string): Promise<string | undefined> {
    try {
      await this.objects.get(tenant, fullKey);
      return fullKey;
    } catch (err) {
      if (err instanceof ObjectNotFoundError) return undefined;
      throw err;
    }
  }

  /**
   * Reconciles uploads whose answer was lost (ANAF-EFACTURA.md "Upload timeouts leave the outcome unknown") with the
   * listed messages: ours is the unclaimed `FACTURA TRIMISA` whose invoice has our SHA-256; an unclaimed
   * `ERORI FACTURA` is ours only when the CIF has exactly one upload of unknown outcome. Found → `submitted` with its
   * index, then settled from the same download. Not found after `reconcileGraceMs` → proven absent: `upload-pending`
   * and a submit command (same transaction) so the submit job uploads again.
   */
  private async reconcile(
    ctx: FlowCtx,
    cif: string,
    unknown: SubmissionEntity[],
    listed: Map<string, AnafListMessage>,
    download: (id: string) => Promise<AnafDownload>,
    result: StatusSyncRunResult,
  ): Promise<void> {
    const { ds } = ctx;
    const claimed = await this.steps.repo.claimedIndexes(ds, [...listed.keys()]);
    const candidates = [...listed.values()].filter((m) => !claimed.has(m.idSolicitare));
    // each candidate is downloaded once, ever: what it holds is recorded (a message of another program for this CIF
    // would otherwise use up its 10 downloads a day and block reconciliation)
    const bySha = new Map<string, AnafListMessage>();
    const accepted = candidates.filter((x) => x.tip === ACCEPTED_TIP);
    const inspected = await this.messages.byDownloadIds(ds, accepted.map((c) => c.id));
    let uninspected = 0;
    for (const c of accepted) {
      let sha = inspected.get(c.id)?.invoiceSha256;
      if (sha === undefined) {
        try {
          const d = await download(c.id);
          sha = d.invoiceXml ? sha256(d.invoiceXml) : null;
          await this.messages.record(ds, { idDescarcare: c.id, idSolicitare: c.idSolicitare, cif, tip: c.tip, invoiceSha256: sha });
        } catch (err) {
          // a candidate we cannot inspect might be ours: never conclude "absent" while one is left
          uninspected++;
          this.log.warn({ err, cif, id_descarcare: c.id }, 'reconciliation could not inspect an ANAF message; trying again next run');
          continue;
        }
      }
      if (sha) bySha.set(sha, c);
    }
    const errs = candidates.filter((x) => x.tip === REJECTED_TIP);
    const unknownUploads = await this.steps.repo.countUnknownUploads(ds, cif);
    for (const sub of unknown) {
      let match = bySha.get(sub.xmlSha256);
      if (!match && errs.length === 1 && unknownUploads === 1) match = errs[0];
      if (match) {
        const found = await this.steps.step(ctx, sub, 'submitted', { indexIncarcare: match.idSolicitare, reason: 'reconciled: found in the ANAF message list' }, { indexIncarcare: match.idSolicitare, pollCount: 0, pollDay: null });
        result.reconciled++;
        await this.settle(ctx, found, match.tip === ACCEPTED_TIP ? 'ok' : 'nok', match.id, download, result);
        continue;
      }
      const started = (sub.uploadStartedAt ?? sub.createdAt).getTime();
      if (Date.now() - started < this.cfg.reconcileGraceMs) continue; // may still appear
      if (uninspected > 0) continue; // absence is not proven while a candidate is uninspected
      const cmd = EfacturaSubmitPayloadSchema.safeParse(sub.command);
      if (!cmd.success) {
        await this.steps.step(ctx, sub, 'failed', { code: 'RECONCILE_NO_COMMAND', reason: 'the upload never reached ANAF, and the submission has no command to repeat it: send a new version' });
        continue;
      }
      await this.steps.step(ctx, sub, 'upload-pending', { reason: 'reconciled: the earlier upload never reached ANAF; uploading again' }, {}, async (m: EntityManager, next) => {
        await this.outbox.submit(m, cmd.data, {
          tenantId: ctx.tenant,
          idempotencyKey: sub.idempotencyKey,
          correlationId: sub.correlationId ?? sub.idempotencyKey,
          messageId: `efactura-reupload:${sub.idempotencyKey}:${next.uploadAttempts}`,
        });
      });
      this.steps.kick();
      result.reuploads++;
    }
  }
}

/** Runs `fn` over `items`, at most `limit` at once; the first error is thrown after the started ones finish. */
async function eachLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const lane = async () => {
    while (next < items.length && failure === undefined) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure !== undefined) throw failure;
}
