export * from './tenancy.errors.js';
export * from './tenant-naming.js';
export * from './tenant-context.js';
export * from './tenant.entity.js';
export * from './tenant-registry.service.js';
export * from './tenant-data-source-pool.js';
export * from './provision-tenant-database.js';
export { ensureDatabase, databaseUrl, runMigrationsLocked } from './database-admin.js';
export { PlatformTenantRegistry1732100000000 } from './migrations/1732100000000-platform-tenant-registry.js';
