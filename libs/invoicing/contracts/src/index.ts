export * from './efactura-messages.schema.js';
