import { MessagingOutboxInbox1732200000000 } from '@cetate/platform-messaging';
import { InvoiceEntity } from './entities/invoice.entity.js';
import { InvoiceVersionEntity } from './entities/invoice-version.entity.js';
import { InvoiceHistoryEntity } from './entities/invoice-history.entity.js';
import { SubmissionEntity } from './efactura/submission.entity.js';
import { InvoicingSchema1732190000000 } from './migrations/1732190000000-invoicing-schema.js';
import { EfacturaSchema1732190100000 } from './migrations/1732190100000-efactura-schema.js';
import { EfacturaStatusSync1764700000000 } from './migrations/1764700000000-efactura-status-sync.js';
import { InvoicingSettingsEntity } from './entities/invoice-settings.entity.js';
import { InvoiceCorrectionsCreditNotesDeadline1764800000000 } from './migrations/1764800000000-invoice-corrections-credit-notes-deadline.js';
import { EfacturaAnafCompany1765350000000 } from './migrations/1765350000000-efactura-anaf-company.js';
import { EfacturaInbox1765400000000 } from './migrations/1765400000000-efactura-inbox.js';

export { InvoiceEntity, InvoiceVersionEntity, InvoiceHistoryEntity, SubmissionEntity, InvoicingSettingsEntity };
export { InvoicingSchema1732190000000, EfacturaSchema1732190100000, EfacturaStatusSync1764700000000 };
export { InvoiceCorrectionsCreditNotesDeadline1764800000000, EfacturaInbox1765400000000 };
export { EfacturaAnafCompany1765350000000 };

/**
 * TypeORM entities of the invoicing module in `tenant_<slug>`: schema `invoicing` (invoices, versions, history) and
 * schema `efactura` (the e-Factura worker's submissions).
 */
export const INVOICING_ENTITIES = [InvoiceEntity, InvoiceVersionEntity, InvoiceHistoryEntity, SubmissionEntity, InvoicingSettingsEntity];
/**
 * Every migration of the invoicing module, in order: the module owns every table it uses in a tenant database
 * (`invoicing.*`, `efactura.*`, and the shared `messaging` outbox/inbox), so `invoicing-api` and `worker-anaf` require the
 * same list and one runner (`cetate tenant migrate`, the provisioning saga) applies it (issue 7 item 7, ADR 0015).
 */
export const INVOICING_MIGRATIONS = [
  InvoicingSchema1732190000000,
  EfacturaSchema1732190100000,
  MessagingOutboxInbox1732200000000,
  EfacturaStatusSync1764700000000,
  InvoiceCorrectionsCreditNotesDeadline1764800000000,
  EfacturaAnafCompany1765350000000,
  EfacturaInbox1765400000000,
];
export * from './invoicing-objects.js';
export * from './invoicing-runtime.js';
export * from './efactura/submission.repository.js';
export * from './efactura/status-sync.repository.js';
export * from './efactura/quota.repository.js';
export * from './efactura/anaf-message.repository.js';
export * from './efactura/inbox.repository.js';
export type { Queryable } from './efactura/queryable.js';
export * from './efactura-topology.js';
