import type { RetryPolicy } from '@cetate/platform-messaging';
import { startModuleRuntime, type ModuleRuntime, type ModuleRuntimeConfig } from '@cetate/platform-runtime';
import { efacturaTopology } from './efactura-topology.js';
import { invoicingObjects, type InvoicingObjects } from './invoicing-objects.js';

export { REGISTRY_POOL_SIZE, type TenantDataSources } from '@cetate/platform-runtime';

/** What both invoicing processes (`invoicing-api`, `worker-anaf`) connect to: the module runtime's settings
 * (`@cetate/platform-runtime`), with the e-Factura topology and the invoicing objects filled in. */
export interface InvoicingRuntimeConfig extends Omit<ModuleRuntimeConfig<InvoicingObjects>, 'topology' | 'objects'> {
  /** Retry policy of the e-Factura queues (tests shorten it); default `EFACTURA_RETRY`. */
  retry?: RetryPolicy;
}

/** The connected pieces of an invoicing process; `close()` stops them in reverse order of start. */
export type InvoicingRuntime = ModuleRuntime<InvoicingObjects>;

/**
 * Connects an invoicing process with {@link startModuleRuntime}: tenant registry, bounded tenant DataSource pool
 * (schema checked, never migrated), RabbitMQ with the e-Factura topology ({@link efacturaTopology}), a started
 * outbox relay over every active tenant, and {@link invoicingObjects} over the tenant storage.
 * @throws as {@link startModuleRuntime} (bad `pgMaxConnections`; the first start-up error, after closing what was opened).
 */
export function startInvoicingRuntime(cfg: InvoicingRuntimeConfig): Promise<InvoicingRuntime> {
  const { retry, ...rest } = cfg;
  return startModuleRuntime({ ...rest, topology: efacturaTopology(retry), objects: invoicingObjects });
}
