import type { EntityManager } from 'typeorm';
import type { OcrExtractPayload } from '@cetate/documents-contracts';

/** Who asked (from the verified access token). */
export interface Actor {
  subject: string;
  username?: string;
  clientId?: string;
}

/** Writes the extraction command into the tenant's outbox inside the caller's transaction. */
export interface CommandOutbox {
  enqueueExtract(m: EntityManager, payload: OcrExtractPayload, meta: { tenantId: string; idempotencyKey: string; correlationId: string; messageId: string }): Promise<void>;
  /** Asks the outbox relay to publish now (after the transaction committed). */
  kick(): void;
}

export type { DocumentsObjects, TenantDataSources } from '@cetate/documents-data-access';
