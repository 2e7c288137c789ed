import { DomainError } from '@cetate/platform-observability';

/** No object at this key in the tenant's bucket. HTTP 404, code `OBJECT_NOT_FOUND`. */
export class ObjectNotFoundError extends DomainError {
  constructor(readonly bucket: string, readonly objectKey: string) {
    super('OBJECT_NOT_FOUND', `No object "${objectKey}" in bucket ${bucket}`, { status: 404 });
  }
}

/** The tenant's bucket does not exist (tenant not provisioned). HTTP 404, code `BUCKET_NOT_FOUND`. */
export class BucketNotFoundError extends DomainError {
  constructor(readonly bucket: string) {
    super('BUCKET_NOT_FOUND', `Bucket ${bucket} does not exist; provision the tenant (ensureBucket) first`, { status: 404 });
  }
}

/** A module name or object key that would escape the module prefix or break S3 rules. HTTP 400. */
export class InvalidObjectKeyError extends DomainError {
  constructor(message: string) {
    super('INVALID_OBJECT_KEY', message, { status: 400, errors: [{ path: 'key', message }] });
  }
}

/**
 * An object operation ran outside `runInTenant()` (no `TenantContext`). A programming error: the request
 * or message did not resolve its tenant first. HTTP 500, code `TENANT_CONTEXT_REQUIRED`. Raised before any
 * request to the object store. Source: issue 5 point 8 ("a tenant's bucket is reached only with that
 * tenant's context").
 */
export class TenantContextRequiredError extends DomainError {
  constructor(readonly operation: string, readonly bucket: string) {
    super(
      'TENANT_CONTEXT_REQUIRED',
      `${operation} on bucket ${bucket} needs a tenant context: resolve the tenant and wrap the work in runInTenant()`,
      { status: 500 },
    );
  }
}

/**
 * The current `TenantContext` belongs to another tenant than the bucket addressed. HTTP 403, code
 * `CROSS_TENANT_ACCESS`. Raised before any request to the object store (issue 5 point 8).
 */
export class CrossTenantAccessError extends DomainError {
  constructor(readonly contextTenant: string, readonly bucket: string, readonly operation: string) {
    super('CROSS_TENANT_ACCESS', `Tenant ${contextTenant} may not ${operation} in bucket ${bucket}`, { status: 403 });
  }
}

/**
 * Emptying or removing a tenant's bucket failed part way (the server refused to delete some objects, or
 * the bucket is still not empty after deleting what was listed, e.g. object versions on a versioned MinIO
 * bucket). HTTP 500, code `BUCKET_REMOVAL_FAILED`; re-running `removeBucket` continues where it stopped.
 */
export class BucketRemovalError extends DomainError {
  constructor(readonly bucket: string, detail: string) {
    super('BUCKET_REMOVAL_FAILED', `Could not remove bucket ${bucket}: ${detail}`, { status: 500 });
  }
}
