import type { EntityManager } from 'typeorm';
import type { EfacturaEventState, EfacturaStatusSyncPayload, EfacturaSubmitPayload } from '@cetate/invoicing-contracts';

/** One entry of ANAF's message list (`listaMesajePaginatieFactura`), as `@cetate/anaf-client` types it. */
export interface AnafListMessage {
  /** `id`: the download id (`id_descarcare`). */
  id: string;
  /** `id_solicitare`: the upload index (`index_incarcare`). */
  idSolicitare: string;
  /** `tip`: `FACTURA TRIMISA` (accepted upload), `ERORI FACTURA` (rejected upload), `FACTURA PRIMITA`, ... */
  tip: string;
}

/** What `descarcare` gives: the ZIP and what it holds (ANAF-EFACTURA.md "descarcare"). */
export interface AnafDownload {
  zip: Buffer;
  /** The signed invoice (accepted upload). */
  invoiceXml?: Buffer;
  /** ANAF's error report (rejected upload). */
  errorReport?: { errors: Array<{ message: string; ruleId?: string }> };
}

/** The subset of `@cetate/anaf-client` the e-Factura flows use, for one tenant's ANAF authorisation. */
export interface AnafApi {
  /** State of the client's circuit breaker for an endpoint (no upload is started while it is open). */
  circuitState(endpoint: 'upload' | 'uploadb2c'): 'closed' | 'open' | 'halfOpen';
  upload(xml: Buffer, opts: { cif: string; standard: 'UBL' | 'CN'; extern?: boolean; autofactura?: boolean; b2c?: boolean }): Promise<{ indexIncarcare: string }>;
  stareMesaj(indexIncarcare: string): Promise<{ stare: string; idDescarcare?: string }>;
  listaMesajePaginatie(q: { cif: string; startTime: Date; endTime: Date; filtru?: 'E' | 'T' | 'P' | 'R' }): AsyncIterable<AnafListMessage>;
  descarcare(idDescarcare: string): Promise<AnafDownload>;
}

/** Headers of a message the flows write (ARCHITECTURE.md §3). */
export interface OutboxMeta {
  tenantId: string;
  idempotencyKey: string;
  correlationId: string;
  /** Deterministic AMQP message id (enqueueing twice stores one row). */
  messageId: string;
  /** Commands only: deliver after this many ms (a declared schedule delay). */
  delayMs?: number;
}

/** The tenant outbox, written inside the caller's transaction; published by the relay after commit. */
export interface EfacturaOutbox {
  /** An `invoicing.invoice.efactura-<state>` event. */
  event(m: EntityManager, state: EfacturaEventState, payload: Record<string, unknown>, meta: OutboxMeta): Promise<void>;
  /** A `worker.request.anaf.efactura.submit` command (to repeat an upload that never reached ANAF). */
  submit(m: EntityManager, payload: EfacturaSubmitPayload, meta: OutboxMeta): Promise<void>;
  /** A `worker.request.anaf.efactura.status-sync` command (usually delayed). */
  statusSync(m: EntityManager, payload: EfacturaStatusSyncPayload, meta: OutboxMeta): Promise<void>;
  /** Asks the outbox relay to publish now (after the transaction committed). */
  kick(): void;
}

export type { InvoicingObjects, TenantDataSources } from '@cetate/invoicing-data-access';
