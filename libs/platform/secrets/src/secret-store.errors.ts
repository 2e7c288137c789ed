import { DomainError } from '@cetate/platform-observability';

/**
 * Stable codes of {@link SecretStoreError}, with the HTTP status each maps to:
 * - `SECRET_PATH_INVALID` (400): a path breaks {@link SECRET_PATH_PATTERN} or holds `.`/`..` segments;
 * - `SECRET_TENANT_INVALID` (400): a tenant slug breaks the slug rule `^[a-z][a-z0-9-]{1,30}$`;
 * - `SECRET_VALUE_INVALID` (400): a value is not a flat object of strings;
 * - `SECRET_TENANT_NOT_FOUND` (404): the tenant has no data key (call `ensureTenant` first);
 * - `SECRET_DECRYPT_FAILED` (500): a stored ciphertext does not authenticate (tampered, or moved to
 *   another tenant/path, or wrapped by another master key than the one its row names);
 * - `SECRET_MASTER_KEY_UNKNOWN` (500): a data key is wrapped by a master key id the process was not given
 *   (add it to `CETATE_MASTER_KEYS_OLD`);
 * - `SECRET_STORE_MISCONFIGURED` (500): bad `CETATE_MASTER_KEY*`, `SECRET_STORE` or `VAULT_*` settings;
 * - `SECRET_STORE_FAILED` (502): the backend (PostgreSQL, Vault) failed or answered something unexpected.
 */
export type SecretStoreErrorCode =
  | 'SECRET_PATH_INVALID'
  | 'SECRET_TENANT_INVALID'
  | 'SECRET_VALUE_INVALID'
  | 'SECRET_TENANT_NOT_FOUND'
  | 'SECRET_DECRYPT_FAILED'
  | 'SECRET_MASTER_KEY_UNKNOWN'
  | 'SECRET_STORE_MISCONFIGURED'
  | 'SECRET_STORE_FAILED';

const STATUS: Record<SecretStoreErrorCode, number> = {
  SECRET_PATH_INVALID: 400,
  SECRET_TENANT_INVALID: 400,
  SECRET_VALUE_INVALID: 400,
  SECRET_TENANT_NOT_FOUND: 404,
  SECRET_DECRYPT_FAILED: 500,
  SECRET_MASTER_KEY_UNKNOWN: 500,
  SECRET_STORE_MISCONFIGURED: 500,
  SECRET_STORE_FAILED: 502,
};

/**
 * The one error of the secrets port (both adapters). `code` is one of {@link SecretStoreErrorCode};
 * `status` follows from it. Messages never contain a secret value or key material.
 */
export class SecretStoreError extends DomainError {
  declare readonly code: SecretStoreErrorCode;

  constructor(code: SecretStoreErrorCode, message: string, opts: { cause?: unknown; field?: string } = {}) {
    super(code, message, {
      status: STATUS[code],
      ...(opts.cause === undefined ? {} : { cause: opts.cause }),
      ...(opts.field ? { errors: [{ path: opts.field, message }] } : {}),
    });
  }
}

/** `SECRET_TENANT_NOT_FOUND` for `tenant`. */
export function tenantNotFound(tenant: string): SecretStoreError {
  return new SecretStoreError(
    'SECRET_TENANT_NOT_FOUND',
    `Tenant "${tenant}" has no data key in the secret store: run ensureTenant("${tenant}") (the provisioning saga's secrets step) first`,
  );
}
