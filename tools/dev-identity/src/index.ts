/**
 * `@cetate/dev-identity`: a Keycloak-layout OpenID Provider for development and tests, built on
 * oidc-provider v9. See README.md for the seeded realms, clients and users.
 */
export {
  startDevIdentity,
  PROVISIONER_CLIENT_ID,
  ADMIN_CLI_CLIENT_ID,
  type DevIdentityOptions,
  type DevIdentityServer,
} from './server.js';
export { MASTER_REALM, ADMIN_ROLE } from './admin-api.js';
export { identityDatabaseUrlFromEnv, DEFAULT_IDENTITY_DATABASE } from './store.js';
export { DEV_DEFAULT_DB_KEY } from './crypto.js';
export {
  parseRealmSeed,
  realmSeedSchema,
  seedFileSchema,
  REALM_NAME_PATTERN,
  type RealmSeed,
  type ClientSeed,
  type UserSeed,
  type GrantType,
} from './realm-seed.js';
export {
  CETATE_API_RESOURCE,
  DEFAULT_AUDIENCE,
  DEFAULT_ACCESS_TOKEN_TTL_SEC,
  KEYCLOAK_ROUTES,
  stableUuid,
  redirectUriMatches,
  webOriginAllowed,
} from './realm.js';
export { loadSeedFile, DEFAULT_SEED_PATH } from './seed-file.js';
