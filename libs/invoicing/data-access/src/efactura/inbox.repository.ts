import { rowsOf, type Queryable } from './queryable.js';

/** Filters of ANAF's message list the inbox reads (ANAF-EFACTURA.md "listaMesajeFactura"): received invoices, buyer messages. */
export type InboxFiltru = 'P' | 'R';

/** A run of the inbox sync (`efactura.inbox_sync_run`). Times are instants; counts are of this run. */
export interface InboxSyncRun {
  id: string;
  cif: string;
  trigger: 'schedule' | 'manual';
  status: 'queued' | 'running' | 'done' | 'failed' | 'skipped';
  requestedBy: string | null;
  requestedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  windowStart: Date | null;
  windowEnd: Date | null;
  listed: number;
  newMessages: number;
  archived: number;
  receivedInvoices: number;
  buyerMessages: number;
  failed: number;
  pending: number;
  error: string | null;
}

/** The counters a run adds to its row as it goes. */
export type InboxRunCounts = Partial<Pick<InboxSyncRun, 'listed' | 'newMessages' | 'archived' | 'receivedInvoices' | 'buyerMessages' | 'failed'>>;

/** One message of ANAF's list as the inbox keeps it (`efactura.inbox_message`). */
export interface InboxMessage {
  idDescarcare: string;
  idSolicitare: string;
  cif: string;
  filtru: InboxFiltru;
  tip: string;
  detalii: string | null;
  dataCreare: Date | null;
  cifEmitent: string | null;
  cifBeneficiar: string | null;
  status: 'listed' | 'archived' | 'recorded' | 'failed';
  attempts: number;
  zipObjectKey: string | null;
  xmlSha256: string | null;
  signatureValid: boolean | null;
  signatureReason: string | null;
  invoiceNumber: string | null;
  supplierCif: string | null;
  payableAmount: string | null;
  currency: string | null;
  errorCode: string | null;
  error: string | null;
  /** When a run first listed it. */
  listedAt: Date;
}

/** A listed message to record (what `listaMesajePaginatieFactura` says of it). */
export type ListedInboxMessage = Pick<InboxMessage, 'idDescarcare' | 'idSolicitare' | 'cif' | 'filtru' | 'tip' | 'detalii' | 'dataCreare' | 'cifEmitent' | 'cifBeneficiar'>;

const RUN_COLS = `id, cif, trigger, status, requested_by AS "requestedBy", requested_at AS "requestedAt", started_at AS "startedAt",
  finished_at AS "finishedAt", window_start AS "windowStart", window_end AS "windowEnd", listed,
  new_messages AS "newMessages", archived, received_invoices AS "receivedInvoices", buyer_messages AS "buyerMessages",
  failed, pending, error`;

const MSG_COLS = `id_descarcare AS "idDescarcare", id_solicitare AS "idSolicitare", cif, filtru, tip, detalii, data_creare AS "dataCreare",
  cif_emitent AS "cifEmitent", cif_beneficiar AS "cifBeneficiar", status, attempts, zip_object_key AS "zipObjectKey",
  xml_sha256 AS "xmlSha256", signature_valid AS "signatureValid", signature_reason AS "signatureReason",
  invoice_number AS "invoiceNumber", supplier_cif AS "supplierCif", payable_amount::text AS "payableAmount", currency,
  error_code AS "errorCode", error, listed_at AS "listedAt"`;

const RUN_COUNTERS: Record<keyof InboxRunCounts, string> = {
  listed: 'listed',
  newMessages: 'new_messages',
  archived: 'archived',
  receivedInvoices: 'received_invoices',
  buyerMessages: 'buyer_messages',
  failed: 'failed',
};

/**
 * SQL of the inbound e-Factura tables (`efactura.inbox_sync_run`, `inbox_cursor`, `inbox_message`; migration
 * `EfacturaInbox1765400000000`). Every write is idempotent: listing a message twice keeps one row; a scheduled run
 * is created once per CIF and slot; state moves only forward (`listed` → `archived` → `recorded`).
 */
export class InboxRepository {
  /**
   * Creates a run row. A scheduled run (`scheduleSlot` given) is created once per CIF and slot.
   * @returns true when this call created it (false: the slot's run exists).
   */
  async createRun(q: Queryable, r: { id: string; cif: string; trigger: 'schedule' | 'manual'; requestedBy?: string | null; scheduleSlot?: string | null }): Promise<boolean> {
    const rows = rowsOf<{ id: string }>(
      await q.query(
        `INSERT INTO efactura.inbox_sync_run (id, cif, trigger, requested_by, schedule_slot) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING RETURNING id`,
        [r.id, r.cif, r.trigger, r.requestedBy ?? null, r.scheduleSlot ?? null],
      ),
    );
    return rows.length === 1;
  }

  /** One run, or null. */
  async run(q: Queryable, id: string): Promise<InboxSyncRun | null> {
    const [row] = (await q.query(`SELECT ${RUN_COLS} FROM efactura.inbox_sync_run WHERE id = $1`, [id])) as InboxSyncRun[];
    return row ?? null;
  }

  /** The newest runs, newest first (of one CIF when given). */
  async recentRuns(q: Queryable, limit = 20, cif?: string): Promise<InboxSyncRun[]> {
    return q.query(
      `SELECT ${RUN_COLS} FROM efactura.inbox_sync_run WHERE ($1::text IS NULL OR cif = $1) ORDER BY requested_at DESC, id LIMIT $2`,
      [cif ?? null, limit],
    );
  }

  /** Marks a run running (from `queued`, or again after a redelivery of a run that died). @returns false when it had ended. */
  async start(q: Queryable, id: string): Promise<boolean> {
    const rows = rowsOf<{ id: string }>(
      await q.query(
        `UPDATE efactura.inbox_sync_run SET status = 'running', started_at = coalesce(started_at, now()), error = NULL
         WHERE id = $1 AND status IN ('queued', 'running') RETURNING id`,
        [id],
      ),
    );
    return rows.length === 1;
  }

  /** Adds to a run's counters. */
  async count(q: Queryable, id: string, c: InboxRunCounts): Promise<void> {
    const sets: string[] = [];
    const args: unknown[] = [id];
    for (const [k, col] of Object.entries(RUN_COUNTERS) as Array<[keyof InboxRunCounts, string]>) {
      const v = c[k];
      if (!v) continue;
      args.push(v);
      sets.push(`${col} = ${col} + $${args.length}`);
    }
    if (sets.length) await q.query(`UPDATE efactura.inbox_sync_run SET ${sets.join(', ')} WHERE id = $1`, args);
  }

  /** Records the list window of a run. */
  async window(q: Queryable, id: string, start: Date, end: Date): Promise<void> {
    await q.query(`UPDATE efactura.inbox_sync_run SET window_start = $2, window_end = $3 WHERE id = $1`, [id, start, end]);
  }

  /**
   * Ends a run. Its message counts are recounted from the messages it listed first, archived, recorded or failed, so
   * they are exact even when a worker died in the middle of it (the counters written as it went may have lost a second).
   */
  async finish(q: Queryable, id: string, status: 'done' | 'failed' | 'skipped', pending: number, error: string | null): Promise<void> {
    await q.query(
      `UPDATE efactura.inbox_sync_run r SET status = $2, pending = $3, error = $4, finished_at = now(),
         new_messages = c.fresh, archived = c.archived, received_invoices = c.invoices, buyer_messages = c.buyer, failed = c.failed
       FROM (SELECT count(*) FILTER (WHERE first_run_id = $1)::int AS fresh,
                    count(*) FILTER (WHERE archived_run_id = $1)::int AS archived,
                    count(*) FILTER (WHERE recorded_run_id = $1 AND filtru = 'P')::int AS invoices,
                    count(*) FILTER (WHERE recorded_run_id = $1 AND filtru = 'R')::int AS buyer,
                    count(*) FILTER (WHERE failed_run_id = $1)::int AS failed
             FROM efactura.inbox_message WHERE $1 IN (first_run_id, archived_run_id, recorded_run_id, failed_run_id)) c
       WHERE r.id = $1`,
      [id, status, pending, error],
    );
  }

  /** Runs of a CIF still queued or running, oldest first. */
  async openRuns(q: Queryable, cif: string): Promise<InboxSyncRun[]> {
    return q.query(`SELECT ${RUN_COLS} FROM efactura.inbox_sync_run WHERE cif = $1 AND status IN ('queued','running') ORDER BY requested_at`, [cif]);
  }

  /**
   * A CIF's cursor under `filtru`: the instant up to which its list is recorded and the last full sweep of the 60-day
   * window; null when never listed.
   */
  async cursor(q: Queryable, cif: string, filtru: InboxFiltru): Promise<{ syncedUntil: Date; fullSweepAt: Date | null } | null> {
    const [row] = (await q.query(
      `SELECT synced_until AS "syncedUntil", full_sweep_at AS "fullSweepAt" FROM efactura.inbox_cursor WHERE cif = $1 AND filtru = $2`,
      [cif, filtru],
    )) as Array<{ syncedUntil: Date; fullSweepAt: Date | null }>;
    return row ?? null;
  }

  /** Moves a cursor forward (never back); `fullSweep`: the list covered the whole window, recorded as such. */
  async advanceCursor(q: Queryable, cif: string, filtru: InboxFiltru, syncedUntil: Date, fullSweep: boolean): Promise<void> {
    await q.query(
      `INSERT INTO efactura.inbox_cursor AS c (cif, filtru, synced_until, full_sweep_at) VALUES ($1, $2, $3, CASE WHEN $4 THEN $3::timestamptz END)
       ON CONFLICT (cif, filtru) DO UPDATE SET synced_until = greatest(c.synced_until, EXCLUDED.synced_until),
         full_sweep_at = CASE WHEN $4 THEN greatest(c.full_sweep_at, EXCLUDED.synced_until) ELSE c.full_sweep_at END, updated_at = now()`,
      [cif, filtru, syncedUntil, fullSweep],
    );
  }

  /**
   * Records listed messages (one multi-row INSERT; a message already known is left as it is).
   * @returns how many were new.
   */
  async recordListed(q: Queryable, runId: string, messages: readonly ListedInboxMessage[]): Promise<number> {
    if (!messages.length) return 0;
    const rows = rowsOf<{ id: string }>(
      await q.query(
        `INSERT INTO efactura.inbox_message (id_descarcare, id_solicitare, cif, filtru, tip, detalii, data_creare, cif_emitent, cif_beneficiar, first_run_id)
         SELECT m.id, m.sol, m.cif, m.filtru, m.tip, m.detalii, m.dc, m.em, m.ben, $10
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[], $9::text[])
           AS m(id, sol, cif, filtru, tip, detalii, dc, em, ben)
         ON CONFLICT (id_descarcare) DO NOTHING RETURNING id_descarcare AS id`,
        [
          messages.map((m) => m.idDescarcare),
          messages.map((m) => m.idSolicitare),
          messages.map((m) => m.cif),
          messages.map((m) => m.filtru),
          messages.map((m) => m.tip),
          messages.map((m) => m.detalii),
          messages.map((m) => m.dataCreare),
          messages.map((m) => m.cifEmitent),
          messages.map((m) => m.cifBeneficiar),
          runId,
        ],
      ),
    );
    return rows.length;
  }

  /** Messages of a CIF still to download or record (`listed`, `archived`), oldest first. */
  async pending(q: Queryable, cif: string, limit = 100_000): Promise<InboxMessage[]> {
    return q.query(
      `SELECT ${MSG_COLS} FROM efactura.inbox_message WHERE cif = $1 AND status IN ('listed','archived')
       ORDER BY data_creare NULLS FIRST, id_descarcare LIMIT $2`,
      [cif, limit],
    );
  }

  /** How many messages of a CIF are still to download or record. */
  async pendingCount(q: Queryable, cif: string): Promise<number> {
    const [row] = (await q.query(`SELECT count(*)::int AS n FROM efactura.inbox_message WHERE cif = $1 AND status IN ('listed','archived')`, [cif])) as Array<{ n: number }>;
    return row?.n ?? 0;
  }

  /** One message, or null. */
  async message(q: Queryable, idDescarcare: string): Promise<InboxMessage | null> {
    const [row] = (await q.query(`SELECT ${MSG_COLS} FROM efactura.inbox_message WHERE id_descarcare = $1`, [idDescarcare])) as InboxMessage[];
    return row ?? null;
  }

  /** Messages of a CIF (newest first), for the CLI and tests. */
  async messages(q: Queryable, cif: string, limit = 1000): Promise<InboxMessage[]> {
    return q.query(`SELECT ${MSG_COLS} FROM efactura.inbox_message WHERE cif = $1 ORDER BY data_creare DESC NULLS LAST, id_descarcare LIMIT $2`, [cif, limit]);
  }

  /** A message's ZIP is archived: `listed` → `archived`. */
  async archived(q: Queryable, idDescarcare: string, runId: string, a: { zipObjectKey: string; xmlSha256: string; signatureValid: boolean; signatureReason: string | null }): Promise<void> {
    await q.query(
      `UPDATE efactura.inbox_message SET status = 'archived', zip_object_key = $2, xml_sha256 = $3, signature_valid = $4, signature_reason = $5,
         archived_at = now(), archived_run_id = $6, error_code = NULL, error = NULL
       WHERE id_descarcare = $1 AND status = 'listed'`,
      [idDescarcare, a.zipObjectKey, a.xmlSha256, a.signatureValid, a.signatureReason, runId],
    );
  }

  /**
   * A message is handed over (`archived` → `recorded`), with what the invoice says (null for a buyer message).
   * @returns false when it was recorded already (a concurrent or earlier run): the caller must not hand it over again.
   */
  async recorded(q: Queryable, idDescarcare: string, runId: string, inv: { invoiceNumber: string; supplierCif: string | null; payableAmount: string; currency: string } | null): Promise<boolean> {
    const rows = rowsOf<{ id: string }>(
      await q.query(
        `UPDATE efactura.inbox_message SET status = 'recorded', recorded_at = now(), recorded_run_id = $6, invoice_number = $2, supplier_cif = $3,
           payable_amount = $4::numeric, currency = $5, error_code = NULL, error = NULL
         WHERE id_descarcare = $1 AND status = 'archived' RETURNING id_descarcare AS id`,
        [idDescarcare, inv?.invoiceNumber ?? null, inv?.supplierCif ?? null, inv?.payableAmount ?? null, inv?.currency ?? null, runId],
      ),
    );
    return rows.length === 1;
  }

  /** A step failed: counted, and retried by later runs unless `final` ends it (`failed`, with the reason). */
  async failedAttempt(q: Queryable, idDescarcare: string, runId: string, code: string, error: string, final: boolean): Promise<void> {
    await q.query(
      `UPDATE efactura.inbox_message SET attempts = attempts + 1, error_code = $2, error = $3,
         status = CASE WHEN $4 THEN 'failed' ELSE status END, failed_run_id = CASE WHEN $4 THEN $5::uuid ELSE failed_run_id END
       WHERE id_descarcare = $1 AND status IN ('listed','archived')`,
      [idDescarcare, code, error.slice(0, 2000), final, runId],
    );
  }
}
