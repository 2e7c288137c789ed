import type { EntityManager } from 'typeorm';
import type { EfacturaSubmitPayload } from '@cetate/invoicing-contracts';

/** The tenant a request or message runs for (resolved once from the token's realm / `x-tenant-id`). */
export interface TenantInfo {
  slug: string;
  /** Romanian CUI (digits) of the tenant company; fallback `cif` for ANAF uploads. */
  cif: string;
}

/** Who asked (from the verified access token). */
export interface Actor {
  subject: string;
  username?: string;
  clientId?: string;
}


/** Writes the submit command into the tenant's outbox inside the caller's transaction. */
export interface CommandOutbox {
  enqueueSubmit(
    manager: EntityManager,
    payload: EfacturaSubmitPayload,
    meta: { tenantId: string; idempotencyKey: string; correlationId: string },
  ): Promise<void>;
  /** Asks the relay to publish now (after commit). */
  /** Asks the outbox relay to publish now (after the transaction committed). */
  kick(): void;
}

export type { InvoicingObjects, TenantDataSources } from '@cetate/invoicing-data-access';
