export * from './storage.errors.js';
export * from './tenant-storage.service.js';
export * from './tenant-export.js';
export * from './bucket-access.js';
