export * from './documents-api.js';
export * from './documents.service.js';
export * from './documents.errors.js';
export * from './fields.js';
export * from './file-type.js';
