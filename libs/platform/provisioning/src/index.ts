/**
 * `@cetate/platform-provisioning`: the tenant provisioning saga (realm -> database + migrations -> bucket ->
 * secrets -> `platform.tenant.provisioned`), its step states in `cetate_platform`, deletion, the tenant events.
 */
export * from './provisioning.errors.js';
export * from './provisioning-state.store.js';
export * from './provisioning.saga.js';
export * from './tenant-events.js';
export * from './tenant-database.admin.js';
export * from './progress-format.js';
