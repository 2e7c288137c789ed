import type { DataSource, EntityManager } from 'typeorm';
import type { EfacturaEventState } from '@cetate/invoicing-contracts';
import { assertTransition, type EfacturaState } from '@cetate/invoicing-domain';
import { SubmissionRepository, type SubmissionEntity } from '@cetate/invoicing-data-access';
import { RetryableError } from '@cetate/platform-messaging';
import type { Logger } from '@cetate/platform-observability';
import type { EfacturaOutbox } from './ports.js';

/**
 * Submission statuses that are not e-Factura states: `new` (a row written before anything else; the API shows
 * `queued`) and `upload-pending` (an upload ANAF certainly did not take, to be repeated; the API shows `uploading`).
 */
export type InternalStatus = 'new' | 'upload-pending';
const VISIBLE: Record<InternalStatus, EfacturaState> = { new: 'queued', 'upload-pending': 'uploading' };

/** The e-Factura state the API shows for a submission status. */
export function visibleState(status: string): EfacturaState {
  return (VISIBLE[status as InternalStatus] ?? status) as EfacturaState;
}

/**
 * States whose event the worker publishes. `validating` and `uploading` are recorded in the submission (a worker
 * killed during an upload must find `uploading`), but not published: the API shows `queued` until ANAF has the upload
 * (`submitted`), which halves the events per invoice (ADR 0026, issue 7 item 3).
 */
const PUBLISHED: ReadonlySet<string> = new Set<EfacturaEventState>(['invalid', 'submitted', 'unknown', 'accepted', 'rejected', 'failed']);

/** Whether moving to `status` publishes an event. */
export function publishes(status: string): boolean {
  return PUBLISHED.has(status);
}

/**
 * Every status change of a submission, for both flows (submit and status sync): checked against the e-Factura state
 * table (`assertTransition` on the states the API shows), written with a compare-and-set, and, for a published
 * state, its event written to the tenant outbox in the same transaction (event `seq` = the submission's next seq).
 */
/** Where a flow works: the tenant's database and its slug. */
export interface FlowCtx {
  ds: DataSource;
  tenant: string;
}

export class SubmissionSteps {
  readonly repo = new SubmissionRepository();

  constructor(
    private readonly outbox: EfacturaOutbox,
    private readonly log: Logger,
  ) {}

  /**
   * Moves `sub` to `status` with `patch`, publishing `eventFields` as the event of a published state; `also` runs in
   * the same transaction (e.g. a command to repeat the upload).
   * @throws RetryableError when another delivery changed the submission first (it resumes from the stored row).
   * @throws IllegalStateTransitionError for an edge the table does not have (a bug: never swallowed).
   */
  async step(
    ctx: FlowCtx,
    sub: SubmissionEntity,
    status: EfacturaEventState | InternalStatus | 'uploading' | 'validating',
    eventFields: Record<string, unknown>,
    patch: Partial<SubmissionEntity> = {},
    also?: (m: EntityManager, next: SubmissionEntity) => Promise<void>,
  ): Promise<SubmissionEntity> {
    const from = visibleState(sub.status);
    const to = visibleState(status);
    if (from !== to || sub.status === status) assertTransition(from, to);
    const emits = publishes(status);
    const next = await ctx.ds.transaction(async (m) => {
      const seq = emits ? sub.seq + 1 : sub.seq;
      const row = await this.repo.transition(m, sub, status, seq, patch, (eventFields.reason as string | undefined) ?? null);
      if (!row) throw new RetryableError(`submission ${sub.idempotencyKey} was changed concurrently`);
      if (emits) await this.emit(m, ctx.tenant, row, status as EfacturaEventState, eventFields);
      if (also) await also(m, row);
      return row;
    });
    if (emits) this.outbox.kick();
    this.log.debug({ invoice_id: sub.invoiceId, version: sub.invoiceVersion, from: sub.status, to: status }, 'e-Factura step');
    return next;
  }

  /** Asks the outbox relay to publish now (after a transaction that wrote an event committed). */
  kick(): void {
    this.outbox.kick();
  }

  /** Writes the event of `row`'s current `seq` (inside `m`). */
  async emit(m: EntityManager, tenant: string, row: SubmissionEntity, state: EfacturaEventState, eventFields: Record<string, unknown>): Promise<void> {
    await this.outbox.event(
      m,
      state,
      { invoiceId: row.invoiceId, invoiceVersion: row.invoiceVersion, seq: row.seq, occurredAt: new Date().toISOString(), ...eventFields },
      {
        tenantId: tenant,
        idempotencyKey: `${row.idempotencyKey}:${row.seq}`,
        correlationId: row.correlationId ?? row.idempotencyKey,
        messageId: `efactura:${row.idempotencyKey}:${row.seq}`,
      },
    );
  }
}
