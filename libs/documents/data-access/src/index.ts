import { MessagingOutboxInbox1732200000000 } from '@cetate/platform-messaging';
import type { TenantModule } from '@cetate/platform-tenancy';
import { DocumentEntity } from './entities/document.entity.js';
import { PurchaseInvoiceEntity, PurchaseInvoiceLineEntity, PurchaseInvoiceVatEntity } from './entities/purchase-invoice.entity.js';
import { DocumentsSchema1765300000000 } from './migrations/1765300000000-documents-schema.js';
import { PurchasesSchema1765300100000 } from './migrations/1765300100000-purchases-schema.js';
import { PurchasesEfactura1765400100000 } from './migrations/1765400100000-purchases-efactura.js';

export { DocumentEntity, PurchaseInvoiceEntity, PurchaseInvoiceLineEntity, PurchaseInvoiceVatEntity };
export { DocumentsSchema1765300000000, PurchasesSchema1765300100000, PurchasesEfactura1765400100000 };

/**
 * TypeORM entities of the documents module in `tenant_<slug>`: schema `documents` (uploaded files and what was read in
 * them) and schema `purchases` (supplier invoices received, also filled by the inbound e-Factura sync).
 */
export const DOCUMENTS_ENTITIES = [DocumentEntity, PurchaseInvoiceEntity, PurchaseInvoiceVatEntity, PurchaseInvoiceLineEntity];

/**
 * Every migration the documents module needs in a tenant database, in order: `documents.*`, `purchases.*` and the
 * shared `messaging` outbox/inbox (declared by several modules, applied once). `documents-api` and `worker-ocr` check
 * this list; the one runner (`cetate tenant migrate`, the provisioning saga) applies it through
 * {@link DOCUMENTS_TENANT_MODULE} (ADR 0015, ADR 0017).
 */
export const DOCUMENTS_MIGRATIONS = [MessagingOutboxInbox1732200000000, DocumentsSchema1765300000000, PurchasesSchema1765300100000, PurchasesEfactura1765400100000];

/** The documents module as the composition root lists it (`apps/platform-api/src/tenant-modules.ts`). */
export const DOCUMENTS_TENANT_MODULE: TenantModule = { name: 'documents', migrations: [...DOCUMENTS_MIGRATIONS] };

export * from './queryable.js';
export * from './document.repository.js';
export * from './purchase-invoice.repository.js';
export * from './documents-objects.js';
export * from './documents-topology.js';
export * from './documents-runtime.js';
