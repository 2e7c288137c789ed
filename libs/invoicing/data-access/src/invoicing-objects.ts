import type { TenantStorage } from '@cetate/platform-storage';
import type { TenantRef } from '@cetate/platform-tenancy';

/**
 * The invoicing module's objects in the tenant bucket, under the module prefix `invoicing/`. Call only
 * inside `runInTenant()` of that same tenant: `TenantStorage` refuses otherwise
 * (`TenantContextRequiredError` 500, `CrossTenantAccessError` 403) before any request to the store.
 */
export interface InvoicingObjects {
  /** Stores bytes under `invoicing/<key>`; returns the full object key. */
  put(tenant: string, key: string, body: Buffer, contentType: string): Promise<string>;
  /** Reads an object by its full key (as `put` returned it). @throws ObjectNotFoundError. */
  get(tenant: string, objectKey: string): Promise<Buffer>;
}

/** {@link InvoicingObjects} over `TenantStorage`, resolving tenant slugs with `tenantRef`. */
export function invoicingObjects(storage: TenantStorage, tenantRef: (slug: string) => Promise<TenantRef>): InvoicingObjects {
  return {
    async put(tenant, key, body, contentType) {
      return (await storage.putObject(await tenantRef(tenant), 'invoicing', key, body, contentType)).objectKey;
    },
    async get(tenant, objectKey) {
      return storage.getObject(await tenantRef(tenant), objectKey);
    },
  };
}
