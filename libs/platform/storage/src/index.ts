export * from './storage.errors.js';
export * from './tenant-storage.service.js';
