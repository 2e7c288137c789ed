/**
 * `@cetate/platform-identity`: per-realm JWT verification of Keycloak access tokens, tenant/role
 * authorization (plain functions + a thin NestJS guard), a client credentials token source, the
 * `IdentityAdmin` port with its Keycloak adapter, and the tenant-admin `v1/users` endpoints.
 */
export * from './errors.js';
export * from './realm-token-verifier.js';
export * from './realm-authorization.js';
export * from './realm-auth.nest.js';
export * from './client-credentials-token-source.js';
export * from './identity-admin.js';
export * from './keycloak-identity-admin.js';
export * from './tenant-users.controller.js';
export * from './health.controller.js';
