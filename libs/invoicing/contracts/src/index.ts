export * from './efactura-messages.schema.js';
export * from './efactura.contracts.js';
export * from './invoice-document.schema.js';
export type * from './invoice-views.js';
export * from './efactura-inbound.schema.js';
export * from './efactura-authorization.schema.js';
export type * from './efactura-inbound-views.js';
