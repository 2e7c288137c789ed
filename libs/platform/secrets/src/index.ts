export * from './secret-store.js';
export * from './secret-store.errors.js';
export * from './secret-path.js';
export * from './master-keyring.js';
export * from './local-keyring-secret-store.js';
export * from './vault-secret-store.js';
export * from './secret-store-from-env.js';
export { SecretsLocalKeyring1733100000000 } from './migrations/1733100000000-secrets-local-keyring.js';
