import type { RetryPolicy } from '@cetate/platform-messaging';
import { startModuleRuntime, type ModuleRuntime, type ModuleRuntimeConfig } from '@cetate/platform-runtime';
import { documentsTopology } from './documents-topology.js';
import { documentsObjects, type DocumentsObjects } from './documents-objects.js';

export type { TenantDataSources } from '@cetate/platform-runtime';

/** What both documents processes (`documents-api`, `worker-ocr`) connect to: the module runtime's settings
 * (`@cetate/platform-runtime`), with the documents topology and the documents objects filled in. */
export interface DocumentsRuntimeConfig extends Omit<ModuleRuntimeConfig<DocumentsObjects>, 'topology' | 'objects'> {
  /** Retry policy of the documents queues (tests shorten it); default `OCR_RETRY`. */
  retry?: RetryPolicy;
}

/** The connected pieces of a documents process; `close()` stops them in reverse order of start. */
export type DocumentsRuntime = ModuleRuntime<DocumentsObjects>;

/**
 * Connects a documents process with {@link startModuleRuntime}, as the invoicing processes connect: tenant
 * registry, bounded tenant DataSource pool (schema checked, never migrated), RabbitMQ with the documents topology
 * ({@link documentsTopology}), a started outbox relay over every active tenant, and {@link documentsObjects} over
 * the tenant storage.
 * @throws as {@link startModuleRuntime} (bad `pgMaxConnections`; the first start-up error, after closing what was opened).
 */
export function startDocumentsRuntime(cfg: DocumentsRuntimeConfig): Promise<DocumentsRuntime> {
  const { retry, ...rest } = cfg;
  return startModuleRuntime({ ...rest, topology: documentsTopology(retry), objects: documentsObjects });
}
