import { createHash } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import { AnafError, AnafUploadRefusedError } from '@cetate/anaf-client';
import type { EfacturaSubmitPayload } from '@cetate/invoicing-contracts';
import { assertTransition, isSettled, UblParseError, type ValidationReport } from '@cetate/invoicing-domain';
import type { SubmissionEntity } from '@cetate/invoicing-data-access';
import { NonRetryableError, RetryableError } from '@cetate/platform-messaging';
import type { Logger } from '@cetate/platform-observability';
import type { AnafApi, EfacturaOutbox, InvoicingObjects, TenantDataSources } from './ports.js';
import { SubmissionSteps, type FlowCtx } from './submission-steps.js';
import { StatusSyncScheduler } from './status-sync.scheduler.js';

/** Message metadata the submit flow needs (from the consumer context). */
export interface SubmitMeta {
  idempotencyKey: string;
  correlationId: string;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const tracer = trace.getTracer('@cetate/invoicing-efactura');

/** What an upload error says about the upload, per `@cetate/anaf-client`'s typed errors. */
export type UploadOutcome = 'unknown' | 'refused' | 'not-delivered';

/**
 * Classifies a failed upload: `refused` (ANAF answered and will answer the same again: HTTP 400/403/413,
 * `ExecutionStatus="1"`), `not-delivered` (certainly not taken: retryable answer, authorisation to renew, no token yet,
 * open circuit), `unknown` (it may have reached ANAF: timeout, reset, 5xx after sending, anything unexpected).
 * Source: ANAF-EFACTURA.md "Upload timeouts leave the outcome unknown".
 */
export function uploadOutcome(err: unknown): UploadOutcome {
  if (err instanceof AnafUploadRefusedError) return 'refused';
  if (err instanceof AnafError) {
    if ((err as { outcomeUnknown?: boolean }).outcomeUnknown) return 'unknown';
    return err.retryable || err.code === 'ANAF_AUTH' ? 'not-delivered' : 'refused'; // retryable here: not sent, circuit open, connection refused, 429
  }
  if ((err as { code?: string })?.code === 'ANAF_AUTH_REQUIRED') return 'not-delivered'; // no token stored yet
  return 'unknown';
}

/**
 * The submit job (`anaf.efactura.submit`, issue 7 item 1): validate (CIUS-RO) → upload → `submitted` with
 * `index_incarcare`, then ack. It never waits for ANAF's verdict: that is the status sync's job, scheduled here for
 * the CIF once the upload is recorded. Two transactions per invoice: the submission is written as `uploading`
 * before the upload (so a worker killed during the upload finds it and never uploads blindly again), and moved to
 * `submitted` with its event after.
 *
 * On redelivery the stored submission decides: `uploading` → `unknown` (the status sync reconciles it through the
 * message list), `upload-pending` → upload again (ANAF certainly does not have it), anything else → nothing to do.
 *
 * @throws RetryableError when the upload was certainly not taken (ANAF unreachable, over quota, circuit open): the
 *   message comes back through the delay queues and uploads then.
 * @throws NonRetryableError when the stored XML is missing or does not match the command's SHA-256.
 */
export class SubmitFlow {
  private readonly steps: SubmissionSteps;
  private readonly scheduler: StatusSyncScheduler;

  constructor(
    private readonly dataSources: TenantDataSources,
    private readonly objects: InvoicingObjects,
    private readonly anafFor: (tenant: string) => AnafApi,
    outbox: EfacturaOutbox,
    private readonly validate: (xml: Buffer) => ValidationReport,
    private readonly log: Logger,
  ) {
    this.steps = new SubmissionSteps(outbox, log);
    this.scheduler = new StatusSyncScheduler(outbox);
  }

  /** Handles one command delivery (see class doc). */
  async handle(cmd: EfacturaSubmitPayload, meta: SubmitMeta): Promise<void> {
    await this.dataSources.withDataSource(cmd.tenant, async (ds) => {
      const ctx: FlowCtx = { ds, tenant: cmd.tenant };
      let sub = await this.steps.repo.find(ds.manager, meta.idempotencyKey);
      if (!sub) sub = await this.first(ctx, cmd, meta);
      for (;;) {
        if (sub.status === 'new' || sub.status === 'validating') {
          sub = await this.first(ctx, cmd, meta, sub);
        } else if (sub.status === 'uploading') {
          // a previous run died between "uploading" and the upload's answer: outcome unknown
          sub = await this.steps.step(ctx, sub, 'unknown', { reason: 'worker stopped during the upload; reconciling with ANAF' });
        } else if (sub.status === 'upload-pending') {
          sub = await this.uploadAgain(ctx, cmd, sub);
        } else break;
      }
      if (sub.status === 'submitted' || sub.status === 'unknown') {
        await this.scheduler.ensureScheduled(ds, cmd.tenant, cmd.cif, meta.correlationId);
      }
    });
  }

  /**
   * Records that the worker gives up on a command (non-retryable error, or the last retry) as `failed` with the
   * reason, so the invoice does not stay in an intermediate state; the message goes to the DLQ. A settled or
   * outstanding submission is left as it is (the status sync owns it).
   */
  async fail(cmd: EfacturaSubmitPayload, meta: SubmitMeta, code: string, reason: string): Promise<void> {
    await this.dataSources.withDataSource(cmd.tenant, async (ds) => {
      const ctx: FlowCtx = { ds, tenant: cmd.tenant };
      const { row } = await this.steps.repo.ensure(ds.manager, this.values(cmd, meta), 'new');
      if (isSettled(row.status) || row.status === 'submitted' || row.status === 'unknown') return;
      await this.steps.step(ctx, row, 'failed', { code, reason: `${reason} (last status ${row.status})` });
    });
  }

  private values(cmd: EfacturaSubmitPayload, meta: SubmitMeta) {
    return {
      idempotencyKey: meta.idempotencyKey,
      invoiceId: cmd.invoiceId,
      invoiceVersion: cmd.invoiceVersion,
      cif: cmd.cif,
      xmlSha256: cmd.xmlSha256,
      command: cmd,
      correlationId: meta.correlationId,
    };
  }

  /**
   * First run of a command: validate, then write the submission as `uploading` (or `invalid` with its event) and
   * upload. `existing`: a row left in `new`/`validating` by an earlier version of the worker or by {@link fail}.
   */
  private async first(ctx: FlowCtx, cmd: EfacturaSubmitPayload, meta: SubmitMeta, existing?: SubmissionEntity): Promise<SubmissionEntity> {
    const xml = await this.loadXml(cmd);
    const verdict = this.runValidation(xml);
    if (verdict.kind === 'invalid') {
      if (existing) return this.steps.step(ctx, existing, 'invalid', verdict.fields);
      assertTransition('queued', 'invalid');
      return ctx.ds.transaction(async (m) => {
        const { row, created } = await this.steps.repo.ensure(m, this.values(cmd, meta), 'invalid', { seq: 0, reason: null });
        if (created) await this.steps.emit(m, ctx.tenant, row, 'invalid', verdict.fields);
        return row;
      }).finally(() => this.steps.kick());
    }
    this.assertUploadPossible(cmd);
    let sub: SubmissionEntity;
    if (existing) {
      sub = await this.steps.step(ctx, existing, 'uploading', {}, { uploadStartedAt: new Date(), uploadAttempts: existing.uploadAttempts + 1 });
    } else {
      assertTransition('queued', 'uploading');
      const { row, created } = await this.steps.repo.ensure(ctx.ds.manager, this.values(cmd, meta), 'uploading', { uploadStartedAt: new Date(), uploadAttempts: 1 });
      if (!created) return row; // another delivery got there first: resume from its row
      sub = row;
    }
    return this.upload(ctx, cmd, sub, xml);
  }

  /** Repeats an upload ANAF certainly does not have (`upload-pending`). */
  private async uploadAgain(ctx: FlowCtx, cmd: EfacturaSubmitPayload, sub: SubmissionEntity): Promise<SubmissionEntity> {
    const xml = await this.loadXml(cmd);
    this.assertUploadPossible(cmd);
    sub = await this.steps.step(ctx, sub, 'uploading', {}, { uploadStartedAt: new Date(), uploadAttempts: sub.uploadAttempts + 1 });
    return this.upload(ctx, cmd, sub, xml);
  }

  /** No upload is started while the client's upload circuit is open (nothing recorded; the message comes back). */
  private assertUploadPossible(cmd: EfacturaSubmitPayload): void {
    if (this.anafFor(cmd.tenant).circuitState(cmd.b2c ? 'uploadb2c' : 'upload') === 'open') {
      throw new RetryableError('ANAF upload circuit is open after repeated failures; not starting an upload now');
    }
  }

  private runValidation(xml: Buffer): { kind: 'valid' } | { kind: 'invalid'; fields: Record<string, unknown> } {
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
        const at = { ...(err.line !== undefined ? { line: err.line } : {}), ...(err.column !== undefined ? { column: err.column } : {}) };
        return { kind: 'invalid', fields: { fatal: [err.code], warnings: [], messages: [{ ruleId: err.code, flag: 'fatal', message: err.message, ...at }] } };
      }
      throw err;
    }
    if (report.valid) return { kind: 'valid' };
    return {
      kind: 'invalid',
      fields: {
        fatal: report.fatal,
        warnings: report.warnings,
        // every field of the findings (terms, xpath, line/column, en/ro): the invoice's messages show what to fix where
        messages: report.messages,
      },
    };
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

  private async upload(ctx: FlowCtx, cmd: EfacturaSubmitPayload, sub: SubmissionEntity, xml: Buffer): Promise<SubmissionEntity> {
    let indexIncarcare: string;
    try {
      ({ indexIncarcare } = await this.anafFor(cmd.tenant).upload(xml, {
        cif: cmd.cif,
        standard: cmd.standard,
        extern: cmd.extern,
        autofactura: cmd.autofactura,
        b2c: cmd.b2c,
      }));
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'ANAF_ERROR';
      const message = `${code}: ${(err as Error).message}`;
      switch (uploadOutcome(err)) {
        case 'refused':
          return this.steps.step(ctx, sub, 'failed', { code, reason: `ANAF refused the upload (${message})` });
        case 'not-delivered':
          await this.steps.step(ctx, sub, 'upload-pending', { reason: `upload not taken by ANAF (${message})` });
          throw new RetryableError(`upload not taken by ANAF: ${message}`, { cause: err });
        case 'unknown':
          this.log.warn({ invoice_id: cmd.invoiceId, err }, 'upload outcome unknown; the status sync reconciles it');
          return this.steps.step(ctx, sub, 'unknown', { reason: `upload outcome unknown (${message}); reconciling through the message list` });
      }
    }
    // if this write fails (database away), the row stays `uploading`: the redelivery reconciles it, never re-uploads blindly
    return this.steps.step(ctx, sub, 'submitted', { indexIncarcare }, { indexIncarcare, pollCount: 0, pollDay: null });
  }
}
