import type { EntityManager } from 'typeorm';
import type { EfacturaEventState } from '@cetate/invoicing-contracts';

/** One entry of ANAF's message list (`listaMesajePaginatieFactura`), as `@cetate/anaf-client` types it. */
export interface AnafListMessage {
  /** `id`: the download id (`id_descarcare`). */
  id: string;
  /** `id_solicitare`: the upload index (`index_incarcare`). */
  idSolicitare: string;
  /** `tip`: `FACTURA TRIMISA`, `FACTURA PRIMITA`, `ERORI FACTURA`, ... */
  tip: string;
}

/** The subset of `@cetate/anaf-client` the submit flow uses, for one tenant's ANAF authorisation. */
export interface AnafApi {
  /** State of the client's circuit breaker for an endpoint (no upload is started while it is open). */
  circuitState(endpoint: 'upload'): 'closed' | 'open' | 'halfOpen';
  upload(xml: Buffer, opts: { cif: string; standard: 'UBL' | 'CN'; extern?: boolean; autofactura?: boolean }): Promise<{ indexIncarcare: string }>;
  stareMesaj(indexIncarcare: string): Promise<{ stare: string; idDescarcare?: string }>;
  listaMesajePaginatie(q: { cif: string; startTime: Date; endTime: Date }): AsyncIterable<AnafListMessage>;
  descarcare(idDescarcare: string): Promise<{
    zip: Buffer;
    invoiceXml?: Buffer;
    errorReport?: { errors: Array<{ message: string; ruleId?: string }> };
  }>;
}


/** Writes an `invoicing.invoice.efactura-*` event into the tenant's outbox in the caller's transaction. */
export interface EventOutbox {
  enqueue(
    m: EntityManager,
    state: EfacturaEventState,
    payload: Record<string, unknown>,
    meta: { tenantId: string; idempotencyKey: string; correlationId: string },
  ): Promise<void>;
  /** Asks the outbox relay to publish now (after the transaction committed). */
  kick(): void;
}

export type { InvoicingObjects, TenantDataSources } from '@cetate/invoicing-data-access';
