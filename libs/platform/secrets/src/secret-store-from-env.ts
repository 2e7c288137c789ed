import { platformDatabaseUrl } from '@cetate/platform-tenancy';
import { LocalKeyringSecretStore } from './local-keyring-secret-store.js';
import { MasterKeyring } from './master-keyring.js';
import { SecretStoreError } from './secret-store.errors.js';
import type { SecretStore } from './secret-store.js';
import { VaultSecretStore } from './vault-secret-store.js';

/**
 * The {@link SecretStore} the environment asks for (README "Environment"):
 * - `SECRET_STORE=local` (default, also when empty): {@link LocalKeyringSecretStore} in the platform
 *   database (`platformDatabaseUrl(env)`), master keys from `CETATE_MASTER_KEY`, `CETATE_MASTER_KEY_ID`,
 *   `CETATE_MASTER_KEYS_OLD` (unset master key: the public development key, with a warning);
 * - `SECRET_STORE=vault`: {@link VaultSecretStore} at `VAULT_ADDR` (default `http://127.0.0.1:8200`) with
 *   `VAULT_TOKEN` (required), `VAULT_KV_MOUNT` (default `secret`), `VAULT_TRANSIT_MOUNT` (default `transit`).
 * Nothing is connected yet (the local store connects on first use).
 * @throws SecretStoreError `SECRET_STORE_MISCONFIGURED` (500) for another `SECRET_STORE`, a missing
 * `VAULT_TOKEN` or a malformed master key.
 */
export function secretStoreFromEnv(env: NodeJS.ProcessEnv = process.env): SecretStore {
  const kind = env.SECRET_STORE || 'local';
  if (kind === 'local') return new LocalKeyringSecretStore({ url: platformDatabaseUrl(env), keyring: MasterKeyring.fromEnv(env) });
  if (kind === 'vault') {
    return new VaultSecretStore({
      endpoint: env.VAULT_ADDR || 'http://127.0.0.1:8200',
      token: env.VAULT_TOKEN ?? '',
      kvMount: env.VAULT_KV_MOUNT || 'secret',
      transitMount: env.VAULT_TRANSIT_MOUNT || 'transit',
    });
  }
  throw new SecretStoreError('SECRET_STORE_MISCONFIGURED', `SECRET_STORE must be "local" or "vault", got ${JSON.stringify(kind)}`);
}
