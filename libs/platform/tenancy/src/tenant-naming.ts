import { InvalidTenantError } from './tenancy.errors.js';

/** Reference to a tenant carried by `TenantContext` and used to reach its database and bucket. */
export interface TenantRef {
  /** Tenant slug, `[a-z][a-z0-9-]{1,30}`. */
  slug: string;
  /** PostgreSQL database, `tenant_<slug with - as _>`. */
  dbName: string;
  /** Object storage bucket, `cetate-<slug>`. */
  bucket: string;
  /** Keycloak realm (issuer path segment) of the tenant's users. */
  realm: string;
  /** Romanian CUI/CIF, digits only, no `RO` prefix. */
  cif: string;
  /** Name of the PostgreSQL server (`PG_CLUSTERS` entry) holding `dbName`; `default` unless moved. */
  dbCluster: string;
}

/** Tenant slug rule (ARCHITECTURE.md §2): lowercase letter, then 1-30 of `[a-z0-9-]`. */
export const TENANT_SLUG_PATTERN = /^[a-z][a-z0-9-]{1,30}$/;

/** @throws InvalidTenantError when `slug` breaks {@link TENANT_SLUG_PATTERN}. */
export function assertValidSlug(slug: string): void {
  if (!TENANT_SLUG_PATTERN.test(slug)) {
    throw new InvalidTenantError(`Tenant slug "${slug}" must match ${TENANT_SLUG_PATTERN.source}`, 'slug');
  }
}

/** `acme-srl` -> `tenant_acme_srl` (dashes become underscores: a valid unquoted identifier). */
export function tenantDbName(slug: string): string {
  assertValidSlug(slug);
  return `tenant_${slug.replace(/-/g, '_')}`;
}

/** `acme-srl` -> `cetate-acme-srl` (valid S3 bucket name: 3-63 chars, lowercase, digits, dashes). */
export function tenantBucket(slug: string): string {
  assertValidSlug(slug);
  return `cetate-${slug}`;
}

/**
 * Checks a Romanian CUI/CIF: 2-10 digits (an `RO` prefix is accepted and ignored), last digit is the
 * control digit: the other digits, left-padded to 9, are multiplied by the key 753217532, the sum
 * times 10 modulo 11 is the control digit (10 counts as 0). Source: ANAF CUI validation algorithm.
 */
export function isValidCif(cif: string): boolean {
  const digits = cif.trim().toUpperCase().replace(/^RO/, '');
  if (!/^\d{2,10}$/.test(digits)) return false;
  const body = digits.slice(0, -1).padStart(9, '0');
  const key = '753217532';
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(body[i]) * Number(key[i]);
  const control = ((sum * 10) % 11) % 10;
  return control === Number(digits[digits.length - 1]);
}

/** `RO 123` -> `123`. @throws InvalidTenantError when the CIF fails {@link isValidCif}. */
export function normalizeCif(cif: string): string {
  if (!isValidCif(cif)) throw new InvalidTenantError(`CIF "${cif}" is not a valid Romanian CUI`, 'cif');
  return cif.trim().toUpperCase().replace(/^RO/, '');
}

/** A {@link TenantRef} derived from the slug alone (realm = slug, cluster `default`) plus what is known. */
export function tenantRefFromSlug(slug: string, extra: Partial<Pick<TenantRef, 'realm' | 'cif' | 'dbCluster'>> = {}): TenantRef {
  return { slug, dbName: tenantDbName(slug), bucket: tenantBucket(slug), realm: extra.realm ?? slug, cif: extra.cif ?? '', dbCluster: extra.dbCluster ?? DEFAULT_DB_CLUSTER };
}

/** The cluster of a tenant that was never moved (`platform.tenant.db_cluster` default). */
export const DEFAULT_DB_CLUSTER = 'default';
