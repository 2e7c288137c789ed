/**
 * The RO e-Factura lifecycle of one invoice version (ARCHITECTURE.md §4, ANAF-EFACTURA.md).
 *
 * The module API stores the state; the e-invoicing worker moves it: every step it takes is checked
 * with {@link assertTransition} before its event is written, and the API applies the worker's events
 * in their `seq` order. Guarantees the table encodes:
 * - a second "send" of the same version never creates a second upload: `queued` is only reachable
 *   from `draft`, and once an upload may have reached ANAF (`uploading` onwards) the only way back
 *   to `uploading` is `unknown` → `uploading`, allowed solely after reconciliation through the
 *   message list proved that no upload reached ANAF (ANAF-EFACTURA.md pitfalls 2 and 3);
 * - a rejected or locally invalid invoice is corrected as a NEW version (`→ draft`), the previous
 *   version, its XML and its error report stay in history (pitfall 4);
 * - `accepted` is final: an accepted invoice is changed only by issuing another document (a credit
 *   note 381 or a corrected invoice 384), never by re-sending this one.
 */

import { CetateError } from '@cetate/shared-errors';

/** All e-Factura states, in lifecycle order. */
export const EFACTURA_STATES = [
  'draft',
  'queued',
  'validating',
  'invalid',
  'uploading',
  'submitted',
  'accepted',
  'rejected',
  'unknown',
  'failed',
] as const;

/**
 * One e-Factura state:
 * - `draft`: editable, nothing sent;
 * - `queued`: "send to ANAF" accepted, `worker.request.anaf.efactura.submit` written to the outbox;
 * - `validating`: the worker runs the local rules (CIUS-RO); kept for submissions recorded before issue 7 (the worker
 *   now validates without recording a step: `queued` → `uploading` | `invalid`);
 * - `invalid`: local rules failed (fatal rule ids kept), nothing was sent to ANAF;
 * - `uploading`: the XML is stored in the tenant bucket and the upload call is (about to be) made;
 * - `submitted`: ANAF answered the upload with `index_incarcare`; the status sync learns the verdict from the
 *   message list (`stareMesaj` as fallback);
 * - `accepted`: listed as `FACTURA TRIMISA` (or `stareMesaj` = `ok`); the signed ZIP (`id_descarcare`) is archived;
 * - `rejected`: listed as `ERORI FACTURA` (or `stareMesaj` = `nok`); the ZIP with ANAF's error XML is archived;
 * - `unknown`: the upload may or may not have reached ANAF (timeout, reset, 5xx after sending):
 *   reconcile through `listaMesajePaginatieFactura`, never upload blindly;
 * - `failed`: non-retryable failure, with a reason (e.g. upload answered `ExecutionStatus="1"`).
 */
export type EfacturaState = (typeof EFACTURA_STATES)[number];

/** Meaning of every allowed edge, keyed `"from->to"`; the keys ARE the transition table. */
export const EFACTURA_TRANSITION_MEANINGS = {
  'draft->queued': 'the accountant asked to send this version to ANAF; the submit command is written to the outbox in the same transaction',
  'queued->validating': 'the worker took the command and is building and validating the UBL',
  'queued->invalid': 'the worker validated the XML (EN 16931 / CIUS-RO) and found fatal errors; nothing was sent to ANAF (validation is not recorded as a step of its own: it has no side effect and is repeated on redelivery)',
  'queued->uploading': 'the worker validated the XML without fatal findings and records, before the upload call, that an upload may reach ANAF from now on',
  'queued->failed': 'the command cannot be executed at all (e.g. schema-invalid message, invoice version missing, tenant without ANAF authorisation after retries)',
  'validating->invalid': 'the local EN 16931 / CIUS-RO rules found fatal errors; nothing was sent to ANAF',
  'validating->uploading': 'the XML passed the local rules and is stored in the tenant bucket; the upload may start',
  'validating->failed': 'a non-retryable error while building or storing the XML',
  'uploading->submitted': 'ANAF answered the upload with ExecutionStatus="0" and an index_incarcare',
  'uploading->unknown': 'the upload request may have reached ANAF but no answer was received (timeout, connection reset, 5xx): the outcome is unknown',
  'uploading->failed': 'ANAF refused the upload itself (ExecutionStatus="1", e.g. file over 10 MB, cif not a number) or answered 403 for this CIF repeatedly',
  'unknown->submitted': 'reconciliation found the upload in the message list (id_solicitare) and recorded its index_incarcare',
  'unknown->uploading': 'reconciliation proved that no upload of this version reached ANAF (message list checked past the settling window); uploading again is safe',
  'unknown->failed': 'reconciliation could not settle the outcome within its budget; an operator must decide',
  'submitted->accepted': 'the message list shows the upload as FACTURA TRIMISA (or stareMesaj answered "ok") with id_descarcare; the signed ZIP is downloaded and archived',
  'submitted->rejected': 'the message list shows the upload as ERORI FACTURA (or stareMesaj answered "nok") with id_descarcare; the ZIP with the error XML is downloaded and archived',
  'submitted->failed': 'stareMesaj answered "XML cu erori nepreluat de sistem" (not taken in)',
  'invalid->draft': 'the accountant corrects the invoice: a new version is created, the invalid one stays in history',
  'rejected->draft': 'the accountant corrects the rejected invoice: a new version is created, the rejected one and its ANAF errors stay in history',
  'failed->draft': 'after reading the failure reason the accountant corrects and re-sends as a new version (the API offers this only when the reason shows nothing reached ANAF, or after an operator checked the message list)',
} as const satisfies Record<string, string>;

/** A `"from->to"` key of an allowed edge. */
export type EfacturaTransition = keyof typeof EFACTURA_TRANSITION_MEANINGS;

function buildTable(): Readonly<Record<EfacturaState, readonly EfacturaState[]>> {
  const table = Object.fromEntries(EFACTURA_STATES.map((s) => [s, [] as EfacturaState[]])) as Record<EfacturaState, EfacturaState[]>;
  for (const key of Object.keys(EFACTURA_TRANSITION_MEANINGS)) {
    const [from, to] = key.split('->') as [EfacturaState, EfacturaState];
    table[from].push(to);
  }
  for (const s of EFACTURA_STATES) Object.freeze(table[s]);
  return Object.freeze(table);
}

/** Transition table: for each state, the states it may move to (derived from the meanings above). */
export const EFACTURA_TRANSITIONS: Readonly<Record<EfacturaState, readonly EfacturaState[]>> = buildTable();

/** States with no outgoing edge. Only `accepted`: an accepted invoice is changed by another document. */
export const EFACTURA_FINAL_STATES: readonly EfacturaState[] = Object.freeze(
  EFACTURA_STATES.filter((s) => EFACTURA_TRANSITIONS[s].length === 0),
);

/**
 * States after which the e-invoicing worker does nothing more for this version: the outcome is known
 * (`accepted`, `rejected`), nothing was sent (`invalid`), or it gave up (`failed`). Only a user action
 * (a corrected new version) moves on from `rejected`, `invalid` or `failed`.
 */
export const EFACTURA_SETTLED_STATES: readonly EfacturaState[] = Object.freeze(['accepted', 'rejected', 'invalid', 'failed'] as const);

/** Whether the worker is done with a version in `state` (see {@link EFACTURA_SETTLED_STATES}). */
export function isSettled(state: string): boolean {
  return (EFACTURA_SETTLED_STATES as readonly string[]).includes(state);
}

/** Type guard: is `value` one of {@link EFACTURA_STATES}? */
export function isEfacturaState(value: unknown): value is EfacturaState {
  return typeof value === 'string' && (EFACTURA_STATES as readonly string[]).includes(value);
}

/** Whether the edge `from → to` exists in {@link EFACTURA_TRANSITIONS}. Unknown states give `false`. */
export function canTransition(from: EfacturaState, to: EfacturaState): boolean {
  return isEfacturaState(from) && isEfacturaState(to) && EFACTURA_TRANSITIONS[from].includes(to);
}

/** Whether `state` is final (no edge leaves it): true only for `accepted`. */
export function isFinal(state: EfacturaState): boolean {
  return EFACTURA_FINAL_STATES.includes(state);
}

/** Human meaning of an allowed edge, or `undefined` when the edge does not exist. */
export function describeTransition(from: EfacturaState, to: EfacturaState): string | undefined {
  return (EFACTURA_TRANSITION_MEANINGS as Record<string, string>)[`${from}->${to}`];
}

/** Stable code of {@link IllegalStateTransitionError}. */
export const EFACTURA_ILLEGAL_TRANSITION = 'EFACTURA_ILLEGAL_TRANSITION' as const;

/**
 * Thrown by {@link assertTransition} for an edge not in the table (e.g. a second "send" of a
 * submitted invoice, or an event arriving for a state it does not apply to). HTTP layers map it to
 * 409 Conflict.
 */
export class IllegalStateTransitionError extends CetateError {
  /** Always `EFACTURA_ILLEGAL_TRANSITION`. */
  declare readonly code: typeof EFACTURA_ILLEGAL_TRANSITION;
  /** The current state. */
  readonly from: string;
  /** The requested state. */
  readonly to: string;
  /** The states `from` may move to (empty for a final or unknown state). */
  readonly allowed: readonly EfacturaState[];
  constructor(from: string, to: string) {
    const allowed = isEfacturaState(from) ? EFACTURA_TRANSITIONS[from] : [];
    super(
      EFACTURA_ILLEGAL_TRANSITION,
      `e-Factura state cannot change from "${from}" to "${to}"` +
        (allowed.length ? ` (allowed: ${allowed.join(', ')})` : isEfacturaState(from) ? ' (final state)' : ' (unknown state)'),
    );
    this.from = from;
    this.to = to;
    this.allowed = allowed;
  }
}

/**
 * Checks an edge and returns `to` (so callers can write `row.state = assertTransition(row.state, 'queued')`).
 * @throws IllegalStateTransitionError (code `EFACTURA_ILLEGAL_TRANSITION`) when the edge is not allowed
 */
export function assertTransition(from: EfacturaState, to: EfacturaState): EfacturaState {
  if (!canTransition(from, to)) throw new IllegalStateTransitionError(from, to);
  return to;
}
