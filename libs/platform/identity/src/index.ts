/**
 * `@cetate/platform-identity`: per-realm JWT verification of Keycloak access tokens, tenant/role
 * authorization (plain functions + a thin NestJS guard), and a client credentials token source.
 */
export * from './errors.js';
export * from './realm-token-verifier.js';
export * from './realm-authorization.js';
export * from './realm-auth.nest.js';
export * from './client-credentials-token-source.js';
export * from './identity-admin.js';
