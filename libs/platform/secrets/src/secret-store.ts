/**
 * The `SecretStore` port (ARCHITECTURE.md §2 "secrets", §5): per-tenant secrets such as ANAF OAuth
 * tokens, never in clear in any database. Two adapters:
 * - `LocalKeyringSecretStore` (embedded default): AES-256-GCM envelope encryption in `cetate_platform`,
 *   one data key per tenant wrapped by a master key from the environment, master key rotation;
 * - `VaultSecretStore` on `node-vault`: KV v2 at `tenants/<slug>/<path>` for secrets, transit key
 *   `tenant-<slug>` for the tenant's data key.
 *
 * Paths are `/`-separated segments of `[a-z0-9._-]` (e.g. `anaf/oauth/default`); values are JSON objects
 * of strings (what KV v2 stores).
 */

/** A secret's value: a flat JSON object of strings, like a KV v2 secret's `data`. */
export type SecretValue = Record<string, string>;

/** What {@link SecretStore.ensureTenant} did. */
export interface EnsureTenantSecretsResult {
  /** True when this call created the tenant's data key (false: it existed). */
  created: boolean;
}

/** Per-tenant secret storage. Every method may throw `SecretStoreError`. */
export interface SecretStore {
  /** Creates the tenant's data key (idempotent). Must run before {@link put} for that tenant. */
  ensureTenant(tenant: string): Promise<EnsureTenantSecretsResult>;
  /** True when the tenant has a data key. */
  hasTenant(tenant: string): Promise<boolean>;
  /** Stores (replaces) the secret at `path`. @throws SecretStoreError 404 when the tenant has no data key. */
  put(tenant: string, path: string, value: SecretValue): Promise<void>;
  /** The secret at `path`, or `undefined` when none. */
  get(tenant: string, path: string): Promise<SecretValue | undefined>;
  /** Deletes the secret at `path`. @returns false when there was none. */
  delete(tenant: string, path: string): Promise<boolean>;
  /** Paths of the tenant's secrets, sorted. */
  list(tenant: string): Promise<string[]>;
  /** Deletes every secret and the data key of the tenant (deprovisioning). @returns how many secrets went. */
  deleteTenant(tenant: string): Promise<number>;
  /** Releases connections. */
  close(): Promise<void>;
}
