import { InvoiceEntity } from './entities/invoice.entity.js';
import { InvoiceVersionEntity } from './entities/invoice-version.entity.js';
import { InvoiceHistoryEntity } from './entities/invoice-history.entity.js';
import { InvoicingSchema1732190000000 } from './migrations/1732190000000-invoicing-schema.js';

export { InvoiceEntity, InvoiceVersionEntity, InvoiceHistoryEntity, InvoicingSchema1732190000000 };

/** TypeORM entities of the invoicing module (schema `invoicing` in `tenant_<slug>`). */
export const INVOICING_ENTITIES = [InvoiceEntity, InvoiceVersionEntity, InvoiceHistoryEntity];
/** Migrations of the invoicing module, in order. */
export const INVOICING_MIGRATIONS = [InvoicingSchema1732190000000];
export * from './invoicing-objects.js';
export * from './invoicing-runtime.js';
