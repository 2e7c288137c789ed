/** `@cetate/platform-api`: tenant lifecycle API, the provisioning composition root and the tenant module catalogue. */
export * from './tenant-modules.js';
export * from './platform-services.js';
export * from './platform-api.js';
export * from './tenants.controller.js';
export * from './tenant-users.js';
export * from './shell-modules.js';
export * from './shell.controller.js';
