import { TENANT_SLUG_PATTERN } from '@cetate/platform-tenancy';
import { SecretStoreError } from './secret-store.errors.js';
import type { SecretValue } from './secret-store.js';

/** One path segment: `[a-z0-9._-]+` (ARCHITECTURE.md §2: `tenants/<slug>/...`). */
export const SECRET_PATH_SEGMENT = /^[a-z0-9._-]+$/;
/** A whole secret path: `/`-separated segments, e.g. `anaf/oauth/default`, at most 512 characters. */
export const SECRET_PATH_PATTERN = /^[a-z0-9._-]+(\/[a-z0-9._-]+)*$/;

/**
 * @throws SecretStoreError `SECRET_PATH_INVALID` (400) unless `path` matches {@link SECRET_PATH_PATTERN},
 * is at most 512 characters and has no `.` or `..` segment (no traversal out of the tenant's subtree).
 */
export function assertSecretPath(path: string): void {
  const ok =
    typeof path === 'string' &&
    path.length <= 512 &&
    SECRET_PATH_PATTERN.test(path) &&
    path.split('/').every((s) => s !== '.' && s !== '..');
  if (!ok) {
    throw new SecretStoreError(
      'SECRET_PATH_INVALID',
      `Secret path ${JSON.stringify(path)} must be /-separated segments of [a-z0-9._-] without "." or ".." segments`,
      { field: 'path' },
    );
  }
}

/** @throws SecretStoreError `SECRET_TENANT_INVALID` (400) unless `tenant` follows the slug rule (`TENANT_SLUG_PATTERN`). */
export function assertSecretTenant(tenant: string): void {
  if (typeof tenant !== 'string' || !TENANT_SLUG_PATTERN.test(tenant)) {
    throw new SecretStoreError('SECRET_TENANT_INVALID', `Tenant slug ${JSON.stringify(tenant)} must match ${TENANT_SLUG_PATTERN.source}`, {
      field: 'tenant',
    });
  }
}

/** @throws SecretStoreError `SECRET_VALUE_INVALID` (400) unless `value` is a plain object whose every value is a string. */
export function assertSecretValue(value: SecretValue): void {
  const ok =
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string');
  if (!ok) throw new SecretStoreError('SECRET_VALUE_INVALID', 'A secret value must be a flat object of strings', { field: 'value' });
}
