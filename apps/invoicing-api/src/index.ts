export * from './invoicing-api.js';
export * from './invoicing.service.js';
export * from './invoicing.errors.js';
export type { InboxSyncRunView, InboxMessageView } from '@cetate/invoicing-contracts';
