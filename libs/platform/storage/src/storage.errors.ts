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
