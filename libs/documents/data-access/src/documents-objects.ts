import type { TenantStorage } from '@cetate/platform-storage';
import type { TenantRef } from '@cetate/platform-tenancy';

/**
 * The documents module's objects in the tenant bucket, under the module prefix `documents/`. Call only inside
 * `runInTenant()` of that same tenant: `TenantStorage` refuses otherwise (`TenantContextRequiredError` 500,
 * `CrossTenantAccessError` 403) before any request to the store.
 */
export interface DocumentsObjects {
  /** Stores bytes under `documents/<key>` with the file's SHA-256 in its metadata; returns the full object key. */
  put(tenant: string, key: string, body: Buffer, contentType: string, metadata?: Record<string, string>): Promise<string>;
  /** Reads an object by its full key (as `put` returned it). @throws ObjectNotFoundError (404). */
  get(tenant: string, objectKey: string): Promise<Buffer>;
}

/** {@link DocumentsObjects} over `TenantStorage`, resolving tenant slugs with `tenantRef`. */
export function documentsObjects(storage: TenantStorage, tenantRef: (slug: string) => Promise<TenantRef>): DocumentsObjects {
  return {
    async put(tenant, key, body, contentType, metadata) {
      return (await storage.putObject(await tenantRef(tenant), 'documents', key, body, contentType, metadata)).objectKey;
    },
    async get(tenant, objectKey) {
      return storage.getObject(await tenantRef(tenant), objectKey);
    },
  };
}
