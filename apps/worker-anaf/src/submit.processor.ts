import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { trace } from '@opentelemetry/api';
import { bucharestDay } from '@cetate/anaf-client';
import type { EfacturaEventState, EfacturaSubmitPayload } from '@cetate/invoicing-contracts';
import { UblParseError, type ValidationReport } from '@cetate/invoicing-domain';
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

const FINAL = new Set(['invalid', 'accepted', 'rejected', 'failed']);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const tracer = trace.getTracer('@cetate/worker-anaf');


/** Codes of `@cetate/anaf-client` errors after which ANAF may or may not have taken the upload. */
function outcomeUnknown(err: unknown): boolean {
  const e = err as { code?: string; status?: number; outcomeUnknown?: boolean };
  if (e?.outcomeUnknown) return true;
  if (e?.code === 'ANAF_TIMEOUT') return true;
  return e?.code === 'ANAF_HTTP' && typeof e.status === 'number' && e.status >= 500;
}

/** Errors after which ANAF certainly did not take the upload (refused, unauthorised, over quota, not connected). */
function notDelivered(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return (
    e?.code === 'ANAF_AUTH' ||
    e?.code === 'ANAF_AUTH_REQUIRED' ||
    e?.code === 'ANAF_QUOTA_EXCEEDED' ||
    e?.code === 'ANAF_CIRCUIT_OPEN' ||
    (e?.code === 'ANAF_NETWORK' && !(e as { outcomeUnknown?: boolean }).outcomeUnknown) ||
    e?.cause?.code === 'ECONNREFUSED' ||
    (e as { status?: number })?.status === 429
  );
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
    const ds = await this.dataSources.forTenant(cmd.tenant);
    let sub = await this.ensureSubmission(ds, cmd, meta);
    const ctx = { ds, cmd, meta };
    for (;;) {
      switch (sub.status) {
        case 'new':
        case 'validating':
          sub = await this.validateAndUpload(ctx, sub);
          break;
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
          if (FINAL.has(sub.status)) {
            this.events.kick(cmd.tenant);
            return;
          }
          throw new NonRetryableError(`submission ${sub.idempotencyKey} has unexpected status ${sub.status}`);
      }
    }
  }

  /**
   * Records a non-retryable failure of a command (its message goes to the DLQ next) as the final state
   * `failed`, with the reason, so the invoice does not stay in an intermediate state. A submission already
   * final is left as it is.
   */
  async fail(cmd: EfacturaSubmitPayload, meta: SubmitMeta, code: string, reason: string): Promise<void> {
    const ds = await this.dataSources.forTenant(cmd.tenant);
    const sub = await this.ensureSubmission(ds, cmd, meta);
    if (FINAL.has(sub.status)) return;
    await this.step({ ds, cmd, meta }, sub, 'failed', { code, reason });
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
   * and writes the matching event to the outbox, in one transaction.
   * @throws RetryableError when another delivery changed the submission first (it will resume from there).
   */
  private async step(
    ctx: { ds: DataSource; cmd: EfacturaSubmitPayload; meta: SubmitMeta },
    sub: SubmissionEntity,
    status: EfacturaEventState | 'new',
    eventFields: Record<string, unknown>,
    patch: Partial<SubmissionEntity> = {},
  ): Promise<SubmissionEntity> {
    const { ds, cmd, meta } = ctx;
    const next = await ds.transaction(async (m: EntityManager) => {
      const seq = status === 'new' ? sub.seq : sub.seq + 1;
      const res = await m
        .createQueryBuilder()
        .update(SubmissionEntity)
        .set({ ...patch, status, seq, reason: (eventFields.reason as string | undefined) ?? null, updatedAt: new Date() })
        .where('idempotency_key = :k AND status = :s AND seq = :q', { k: sub.idempotencyKey, s: sub.status, q: sub.seq })
        .execute();
      if (res.affected !== 1) throw new RetryableError(`submission ${sub.idempotencyKey} was changed concurrently`);
      if (status !== 'new') {
        await this.events.enqueue(
          m,
          status,
          { invoiceId: cmd.invoiceId, invoiceVersion: cmd.invoiceVersion, seq, occurredAt: new Date().toISOString(), ...eventFields },
          { tenantId: cmd.tenant, idempotencyKey: `${meta.idempotencyKey}:${seq}`, correlationId: meta.correlationId },
        );
      }
      return m.findOneByOrFail(SubmissionEntity, { idempotencyKey: sub.idempotencyKey });
    });
    if (status !== 'new') this.events.kick(cmd.tenant);
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
    sub = await this.step(ctx, sub, 'uploading', {}, { uploadStartedAt: new Date(), uploadAttempts: sub.uploadAttempts + 1 });
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
      if (outcomeUnknown(err)) {
        return this.step(ctx, sub, 'unknown', { reason: `upload outcome unknown (${code}: ${(err as Error).message}); reconciling through the message list` });
      }
      if (code === 'ANAF_UPLOAD_REFUSED') {
        return this.step(ctx, sub, 'failed', { code, reason: (err as Error).message });
      }
      if (notDelivered(err)) {
        // Certainly not taken by ANAF: allowed to try again later from `new`.
        await this.step(ctx, sub, 'new', { reason: `upload not delivered (${code})` });
        throw new RetryableError(`upload not delivered: ${(err as Error).message}`, { cause: err });
      }
      // Anything else: we cannot prove the upload did not arrive, so treat the outcome as unknown.
      return this.step(ctx, sub, 'unknown', { reason: `upload failed (${code}: ${(err as Error).message}); reconciling through the message list` });
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
    const claimedRows: Array<{ index_incarcare: string }> = await ds.query(
      `SELECT index_incarcare FROM efactura.submission WHERE cif = $1 AND index_incarcare IS NOT NULL`,
      [sub.cif],
    );
    const claimed = new Set(claimedRows.map((r) => r.index_incarcare));
    const candidates: AnafListMessage[] = [];
    try {
      for await (const msg of anaf.listaMesajePaginatie({
        cif: sub.cif,
        startTime: new Date(started.getTime() - 2 * 60_000),
        endTime: new Date(Date.now() + 60_000),
      })) {
        if ((msg.tip === 'FACTURA TRIMISA' || msg.tip === 'ERORI FACTURA') && !claimed.has(msg.idSolicitare)) candidates.push(msg);
      }
    } catch (err) {
      throw new RetryableError(`message list for reconciliation failed: ${(err as Error).message}`, { cause: err });
    }
    let match: AnafListMessage | undefined;
    for (const c of candidates.filter((x) => x.tip === 'FACTURA TRIMISA')) {
      const d = await anaf.descarcare(c.id).catch(() => undefined);
      if (d?.invoiceXml && sha256(d.invoiceXml) === sub.xmlSha256) {
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
    const xml = await this.loadXml(cmd);
    sub = await this.step(
      ctx,
      sub,
      'uploading',
      { reason: 'reconciled: the earlier upload never reached ANAF; uploading again' },
      { uploadStartedAt: new Date(), uploadAttempts: sub.uploadAttempts + 1 },
    );
    return this.upload(ctx, sub, xml);
  }
}
