export * from './received-invoice.js';
