import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { trace } from '@opentelemetry/api';
import { AnafError, AnafUploadRefusedError, bucharestDay } from '@cetate/anaf-client';
import type { EfacturaEventState, EfacturaSubmitPayload } from '@cetate/invoicing-contracts';
import { assertTransition, isSettled, UblParseError, type EfacturaState, type ValidationReport } from '@cetate/invoicing-domain';
import { NonRetryableError, RetryableError } from '@cetate/platform-messaging';
import type { Logger } from '@cetate/platform-observability';
import { SubmissionEntity } from './submission.entity.js';
import type { AnafApi, AnafListMessage, EventOutbox, InvoicingObjects, TenantDataSources } from './ports.js';

/** Tunables of the submit flow; defaults suit the real ANAF, tests shorten them. */
export interface SubmitConfig {
  /** Waits between stareMesaj calls, ms; the last one repeats. Default 1 s, 2 s, 4 s, 8 s, 15 s, 30 s, 60 s. */
  pollDelaysMs: number[];
  /** How long one delivery keeps polling before handing the message back for a delayed retry, ms. */
  pollBudgetMs: number;
  /** stareMesaj calls allowed per upload index per day; ANAF allows 20 (ANAF-EFACTURA.md limits), we keep a margin. */
  maxPollsPerDay: number;
  /** After an unknown upload outcome, how long the upload may take to appear in the message list before
   * we conclude it never reached ANAF and upload again, ms (default 10 min). */
  reconcileGraceMs: number;
}

/** Production tunables: polling that covers ANAF's usual minutes inside its 20 stareMesaj calls a day. */
export const DEFAULT_SUBMIT_CONFIG: SubmitConfig = {
  pollDelaysMs: [1000, 2000, 4000, 8000, 15000, 30000, 60000],
  pollBudgetMs: 5 * 60_000,
  maxPollsPerDay: 18,
  reconcileGraceMs: 10 * 60_000,
};

/** Message metadata the handler needs (from the consumer context). */
export interface SubmitMeta {
  idempotencyKey: string;
  correlationId: string;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const tracer = trace.getTracer('@cetate/worker-anaf');

/**
 * Submission statuses that are not e-Factura states (no event): `new` (nothing done yet; the API shows
 * `queued`) and `upload-pending` (an upload ANAF certainly did not take, to be repeated; the API shows
 * `uploading`).
 */
type InternalStatus = 'new' | 'upload-pending';
const VISIBLE: Record<InternalStatus, EfacturaState> = { new: 'queued', 'upload-pending': 'uploading' };
const visible = (status: string) => (VISIBLE[status as InternalStatus] ?? status) as EfacturaState;

/** What an upload error says about the upload, per `@cetate/anaf-client`'s typed errors. */
type UploadOutcome = 'unknown' | 'refused' | 'not-delivered';
function uploadOutcome(err: unknown): UploadOutcome {
  if (err instanceof AnafUploadRefusedError) return 'refused';
  if (err instanceof AnafError) {
    if ((err as { outcomeUnknown?: boolean }).outcomeUnknown) return 'unknown';
    // ANAF answered (or was never reached): a retryable answer, or an authorisation to renew, may be
    // tried again; any other definite answer (e.g. HTTP 400/403/413) will not change by repeating it.
    return err.retryable || err.code === 'ANAF_AUTH' ? 'not-delivered' : 'refused';
  }
  if ((err as { code?: string })?.code === 'ANAF_AUTH_REQUIRED') return 'not-delivered'; // no token stored yet
  return 'unknown'; // anything unexpected: we cannot prove the upload did not arrive
}

/**
 * Carries one `anaf.efactura.submit` command to a final state: validate (CIUS-RO) → upload → poll
 * `stareMesaj` → download (`descarcare`) and archive the ZIP → event. Every step is recorded in
 * `efactura.submission` (tenant database) together with its event in the outbox, in one transaction,
 * before the next step starts. So a redelivered command resumes where the last run stopped:
 * - `uploading` found on redelivery (killed during upload) or an upload timeout/5xx → `unknown`, then
 *   reconciled through `listaMesajePaginatieFactura`: our upload is recognised by the SHA-256 of the
 *   invoice ANAF returns; only when it has not appeared after `reconcileGraceMs` is it uploaded again
 *   (ARCHITECTURE.md §4: never upload blindly again).
 * - `submitted` → polling resumes with the recorded `index_incarcare` (no second upload).
 * - a final state → nothing to do (its event is already in the outbox).
 *
 * @throws RetryableError when ANAF is still processing after `pollBudgetMs`, the outcome is still unknown,
 *   or ANAF is unreachable/over quota (the message comes back later via the delay queues).
 * @throws NonRetryableError when the stored XML is missing or does not match the command's SHA-256.
 */
export class SubmitProcessor {
  constructor(
    private readonly dataSources: TenantDataSources,
    private readonly objects: InvoicingObjects,
    private readonly anafFor: (tenant: string) => AnafApi,
    private readonly events: EventOutbox,
    private readonly validate: (xml: Buffer) => ValidationReport,
    private readonly log: Logger,
    private readonly cfg: SubmitConfig = DEFAULT_SUBMIT_CONFIG,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Handles one command delivery (see class doc). */
  async handle(cmd: EfacturaSubmitPayload, meta: SubmitMeta): Promise<void> {
    await this.dataSources.withDataSource(cmd.tenant, async (ds) => {
      let sub = await this.ensureSubmission(ds, cmd, meta);
      const ctx = { ds, cmd, meta };
      while (!isSettled(sub.status)) {
        switch (sub.status) {
          case 'new':
          case 'validating':
            sub = await this.validateAndUpload(ctx, sub);
            break;
          case 'upload-pending': {
            sub = await this.startUpload(ctx, sub, await this.loadXml(cmd));
            break;
          }
          case 'uploading':
            // A previous run died between "uploading" and the upload's answer: outcome unknown.
            sub = await this.step(ctx, sub, 'unknown', { reason: 'worker stopped during the upload; reconciling with ANAF' });
            break;
          case 'unknown':
            sub = await this.reconcile(ctx, sub);
            break;
          case 'submitted':
            sub = await this.poll(ctx, sub);
            break;
          default:
            throw new NonRetryableError(`submission ${sub.idempotencyKey} has unexpected status ${sub.status}`);
        }
      }
    });
  }

  /**
   * Records that the worker gives up on a command (a non-retryable error, or the last retry attempt) as
   * `failed` with the reason, so the invoice does not stay in an intermediate state; the message itself
   * goes to the DLQ. A settled submission is left as it is.
   */
  async fail(cmd: EfacturaSubmitPayload, meta: SubmitMeta, code: string, reason: string): Promise<void> {
    await this.dataSources.withDataSource(cmd.tenant, async (ds) => {
      const sub = await this.ensureSubmission(ds, cmd, meta);
      if (isSettled(sub.status)) return;
      await this.step({ ds, cmd, meta }, sub, 'failed', { code, reason: `${reason} (last status ${sub.status})` });
    });
  }

  private async ensureSubmission(ds: DataSource, cmd: EfacturaSubmitPayload, meta: SubmitMeta): Promise<SubmissionEntity> {
    await ds
      .createQueryBuilder()
      .insert()
      .into(SubmissionEntity)
      .values({
        idempotencyKey: meta.idempotencyKey,
        invoiceId: cmd.invoiceId,
        invoiceVersion: cmd.invoiceVersion,
        status: 'new',
        cif: cmd.cif,
        xmlSha256: cmd.xmlSha256,
      })
      .orIgnore()
      .execute();
    return ds.getRepository(SubmissionEntity).findOneByOrFail({ idempotencyKey: meta.idempotencyKey });
  }

  /**
   * Moves the submission from its current status to `status` (only if nobody else moved it meanwhile)
   * and, for an e-Factura state, writes its event to the outbox in the same transaction. The edge is
   * checked against the state table first (`assertTransition` on the states the API shows).
   * @throws RetryableError when another delivery changed the submission first (it will resume from there).
   * @throws IllegalStateTransitionError for an edge the table does not have (a bug: never swallowed).
   */
  private async step(
    ctx: { ds: DataSource; cmd: EfacturaSubmitPayload; meta: SubmitMeta },
    sub: SubmissionEntity,
    status: EfacturaEventState | InternalStatus,
    eventFields: Record<string, unknown>,
    patch: Partial<SubmissionEntity> = {},
  ): Promise<SubmissionEntity> {
    const { ds, cmd, meta } = ctx;
    const emits = !(status in VISIBLE);
    if (visible(status) !== visible(sub.status)) assertTransition(visible(sub.status), visible(status));
    const next = await ds.transaction(async (m: EntityManager) => {
      const seq = emits ? sub.seq + 1 : sub.seq;
      const res = await m
        .createQueryBuilder()
        .update(SubmissionEntity)
        .set({ ...patch, status, seq, reason: (eventFields.reason as string | undefined) ?? null, updatedAt: new Date() })
        .where('idempotency_key = :k AND status = :s AND seq = :q', { k: sub.idempotencyKey, s: sub.status, q: sub.seq })
        .execute();
      if (res.affected !== 1) throw new RetryableError(`submission ${sub.idempotencyKey} was changed concurrently`);
      if (emits) {
        await this.events.enqueue(
          m,
          status as EfacturaEventState,
          { invoiceId: cmd.invoiceId, invoiceVersion: cmd.invoiceVersion, seq, occurredAt: new Date().toISOString(), ...eventFields },
          { tenantId: cmd.tenant, idempotencyKey: `${meta.idempotencyKey}:${seq}`, correlationId: meta.correlationId },
        );
      }
      return m.findOneByOrFail(SubmissionEntity, { idempotencyKey: sub.idempotencyKey });
    });
    if (emits) this.events.kick();
    this.log.info({ invoice_id: cmd.invoiceId, version: cmd.invoiceVersion, from: sub.status, to: status }, 'e-Factura step');
    return next;
  }

  private async loadXml(cmd: EfacturaSubmitPayload): Promise<Buffer> {
    let xml: Buffer;
    try {
      xml = await this.objects.get(cmd.tenant, cmd.xmlObjectKey);
    } catch (err) {
      throw new NonRetryableError(`invoice XML ${cmd.xmlObjectKey} cannot be read: ${(err as Error).message}`);
    }
    if (sha256(xml) !== cmd.xmlSha256) throw new NonRetryableError(`invoice XML ${cmd.xmlObjectKey} does not match its SHA-256`);
    return xml;
  }

  private async validateAndUpload(ctx: { ds: DataSource; cmd: EfacturaSubmitPayload; meta: SubmitMeta }, sub: SubmissionEntity): Promise<SubmissionEntity> {
    const { cmd } = ctx;
    if (sub.status === 'new') sub = await this.step(ctx, sub, 'validating', {});
    const xml = await this.loadXml(cmd);
    let report: ValidationReport;
    try {
      report = tracer.startActiveSpan('efactura.validate', (span) => {
        try {
          const r = this.validate(xml);
          span.setAttribute('efactura.fatal_count', r.fatal.length);
          return r;
        } finally {
          span.end();
        }
      });
    } catch (err) {
      if (err instanceof UblParseError) {
        return this.step(ctx, sub, 'invalid', { fatal: [err.code], warnings: [], messages: [{ ruleId: err.code, flag: 'fatal', message: err.message }] });
      }
      throw err;
    }
    if (!report.valid) {
      return this.step(ctx, sub, 'invalid', {
        fatal: report.fatal,
        warnings: report.warnings,
        messages: report.messages.map((mm) => ({ ruleId: mm.ruleId, flag: mm.flag, message: mm.message })),
      });
    }
    return this.startUpload(ctx, sub, xml);
  }

  /**
   * Marks the submission `uploading` (an upload may reach ANAF from now on) and uploads — unless the
   * client's upload circuit is open: then nothing is started (no state change, no event) and the message
   * comes back after the retry delay.
   */
  private async startUpload(ctx: { ds: DataSource; cmd: EfacturaSubmitPayload; meta: SubmitMeta }, sub: SubmissionEntity, xml: Buffer, eventFields: Record<string, unknown> = {}): Promise<SubmissionEntity> {
    if (this.anafFor(ctx.cmd.tenant).circuitState('upload') === 'open') {
      throw new RetryableError('ANAF upload circuit is open after repeated failures; not starting an upload now');
    }
    sub = await this.step(ctx, sub, 'uploading', eventFields, { uploadStartedAt: new Date(), uploadAttempts: sub.uploadAttempts + 1 });
    return this.upload(ctx, sub, xml);
  }

  private async upload(ctx: { ds: DataSource; cmd: EfacturaSubmitPayload; meta: SubmitMeta }, sub: SubmissionEntity, xml: Buffer): Promise<SubmissionEntity> {
    const { cmd } = ctx;
    try {
      const res = await this.anafFor(cmd.tenant).upload(xml, {
        cif: cmd.cif,
        standard: cmd.standard,
        extern: cmd.extern,
        autofactura: cmd.autofactura,
      });
      return this.step(ctx, sub, 'submitted', { indexIncarcare: res.indexIncarcare }, { indexIncarcare: res.indexIncarcare, pollCount: 0, pollDay: null });
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'ANAF_ERROR';
      const message = `${code}: ${(err as Error).message}`;
      switch (uploadOutcome(err)) {
        case 'refused':
          return this.step(ctx, sub, 'failed', { code, reason: `ANAF refused the upload (${message})` });
        case 'not-delivered':
          // ANAF certainly did not take it: upload again on the next delivery (after the retry delay).
          await this.step(ctx, sub, 'upload-pending', { reason: `upload not taken by ANAF (${message})` });
          throw new RetryableError(`upload not taken by ANAF: ${message}`, { cause: err });
        case 'unknown':
          return this.step(ctx, sub, 'unknown', { reason: `upload outcome unknown (${message}); reconciling through the message list` });
      }
    }
  }

  private async poll(ctx: { ds: DataSource; cmd: EfacturaSubmitPayload; meta: SubmitMeta }, sub: SubmissionEntity): Promise<SubmissionEntity> {
    const { ds, cmd } = ctx;
    const anaf = this.anafFor(cmd.tenant);
    const index = sub.indexIncarcare!;
    const deadline = Date.now() + this.cfg.pollBudgetMs;
    for (let attempt = 0; ; attempt++) {
      const today = bucharestDay(new Date());
      const used = sub.pollDay === today ? sub.pollCount : 0;
      if (used >= this.cfg.maxPollsPerDay) {
        throw new RetryableError(`stareMesaj quota for index_incarcare ${index} used up today (${used}); resuming tomorrow`);
      }
      await ds.getRepository(SubmissionEntity).update({ idempotencyKey: sub.idempotencyKey }, { pollDay: today, pollCount: used + 1 });
      sub.pollDay = today;
      sub.pollCount = used + 1;
      let r: { stare: string; idDescarcare?: string };
      try {
        r = await anaf.stareMesaj(index);
      } catch (err) {
        throw new RetryableError(`stareMesaj ${index} failed: ${(err as Error).message}`, { cause: err });
      }
      if (r.stare === 'ok' || r.stare === 'nok') return this.download(ctx, sub, r.stare, r.idDescarcare!);
      if (r.stare === 'XML cu erori nepreluat de sistem') {
        return this.step(ctx, sub, 'failed', { code: 'ANAF_NOT_TAKEN_IN', reason: 'ANAF did not take the XML in (XML cu erori nepreluat de sistem)' });
      }
      const delays = this.cfg.pollDelaysMs;
      const wait = delays[Math.min(attempt, delays.length - 1)] ?? 1000;
      if (Date.now() + wait > deadline) {
        throw new RetryableError(`ANAF is still processing index_incarcare ${index}`);
      }
      await this.sleep(wait);
    }
  }

  private async download(
    ctx: { ds: DataSource; cmd: EfacturaSubmitPayload; meta: SubmitMeta },
    sub: SubmissionEntity,
    stare: 'ok' | 'nok',
    idDescarcare: string,
  ): Promise<SubmissionEntity> {
    const { cmd } = ctx;
    let d: Awaited<ReturnType<AnafApi['descarcare']>>;
    try {
      d = await this.anafFor(cmd.tenant).descarcare(idDescarcare);
    } catch (err) {
      throw new RetryableError(`descarcare ${idDescarcare} failed: ${(err as Error).message}`, { cause: err });
    }
    const key = await this.objects.put(
      cmd.tenant,
      `invoices/${cmd.invoiceId}/v${cmd.invoiceVersion}/anaf-${idDescarcare}.zip`,
      d.zip,
      'application/zip',
    );
    const fields = { indexIncarcare: sub.indexIncarcare, idDescarcare, zipObjectKey: key };
    if (stare === 'ok') return this.step(ctx, sub, 'accepted', fields, { idDescarcare });
    const errors = (d.errorReport?.errors ?? []).map((e) => ({ ruleId: e.ruleId, flag: 'fatal' as const, message: e.message }));
    return this.step(ctx, sub, 'rejected', { ...fields, errors }, { idDescarcare });
  }

  /**
   * Finds out whether an upload whose answer was lost reached ANAF, through the paginated message list
   * of the seller CIF around the upload time (ANAF-EFACTURA.md, "Upload timeouts leave the outcome
   * unknown"). Our upload is the unclaimed `FACTURA TRIMISA` whose downloaded invoice has our SHA-256;
   * an unclaimed `ERORI FACTURA` is ours only when we have exactly one unknown upload for that CIF.
   */
  private async reconcile(ctx: { ds: DataSource; cmd: EfacturaSubmitPayload; meta: SubmitMeta }, sub: SubmissionEntity): Promise<SubmissionEntity> {
    const { ds, cmd } = ctx;
    const anaf = this.anafFor(cmd.tenant);
    const started = sub.uploadStartedAt ?? sub.createdAt;
    const listed: AnafListMessage[] = [];
    try {
      for await (const msg of anaf.listaMesajePaginatie({
        cif: sub.cif,
        startTime: new Date(started.getTime() - 2 * 60_000),
        endTime: new Date(Date.now() + 60_000),
      })) {
        if (msg.tip === 'FACTURA TRIMISA' || msg.tip === 'ERORI FACTURA') listed.push(msg);
      }
    } catch (err) {
      throw new RetryableError(`message list for reconciliation failed: ${(err as Error).message}`, { cause: err });
    }
    // Uploads already known as another submission's are not candidates.
    const claimedRows: Array<{ index_incarcare: string }> = listed.length
      ? await ds.query(`SELECT index_incarcare FROM efactura.submission WHERE index_incarcare = ANY($1::text[])`, [listed.map((m) => m.idSolicitare)])
      : [];
    const claimed = new Set(claimedRows.map((r) => r.index_incarcare));
    const candidates = listed.filter((m) => !claimed.has(m.idSolicitare));
    let match: AnafListMessage | undefined;
    for (const c of candidates.filter((x) => x.tip === 'FACTURA TRIMISA')) {
      let d: Awaited<ReturnType<AnafApi['descarcare']>>;
      try {
        d = await anaf.descarcare(c.id);
      } catch (err) {
        // A candidate we cannot inspect might be ours: never conclude "absent" from a failed download.
        throw new RetryableError(`descarcare ${c.id} during reconciliation failed: ${(err as Error).message}`, { cause: err });
      }
      if (d.invoiceXml && sha256(d.invoiceXml) === sub.xmlSha256) {
        match = c;
        break;
      }
    }
    if (!match) {
      const errs = candidates.filter((x) => x.tip === 'ERORI FACTURA');
      const [row] = (await ds.query(
        `SELECT count(*)::int AS n FROM efactura.submission WHERE cif = $1 AND status IN ('unknown','uploading')`,
        [sub.cif],
      )) as Array<{ n: number }>;
      if (errs.length === 1 && row?.n === 1) match = errs[0];
    }
    if (match) {
      return this.step(
        ctx,
        sub,
        'submitted',
        { indexIncarcare: match.idSolicitare, reason: 'reconciled: found in the ANAF message list' },
        { indexIncarcare: match.idSolicitare, pollCount: 0, pollDay: null },
      );
    }
    if (Date.now() - started.getTime() < this.cfg.reconcileGraceMs) {
      throw new RetryableError(`upload of ${sub.idempotencyKey} not (yet) in the ANAF message list`);
    }
    // Proven absent after the grace period: the upload never reached ANAF, so uploading is safe.
    return this.startUpload(ctx, sub, await this.loadXml(cmd), { reason: 'reconciled: the earlier upload never reached ANAF; uploading again' });
  }
}
