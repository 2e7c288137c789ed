import type { Client } from 'minio';
import { tenantBucket } from '@cetate/platform-tenancy';
import { BucketNotFoundError } from './storage.errors.js';
import { minioClient, storageOptionsFromEnv, type TenantArg, type TenantStorageOptions } from './tenant-storage.service.js';

/** Why per-tenant access could not be set up (`BucketAccessUnsupported.code`). */
export type BucketAccessUnsupportedCode =
  /** The store has no IAM users or bucket policies at all (s3rver). */
  | 'STORE_HAS_NO_IAM'
  /** The store has policies (MinIO, S3) but the adapter that writes users and policies is not built. */
  | 'ADAPTER_NOT_BUILT';

/** Answer of a {@link BucketAccess} call when nothing was (or could be) written. */
export interface BucketAccessUnsupported {
  supported: false;
  code: BucketAccessUnsupportedCode;
  /** One sentence for the operator and the provisioning log. */
  reason: string;
}

/** Answer of {@link BucketAccess.ensureTenantAccess} on a store that supports it. */
export interface TenantAccessGranted {
  supported: true;
  bucket: string;
  /** IAM user / access key id of the tenant, {@link tenantAccessKeyId}. */
  accessKey: string;
  /** Canned policy name, {@link tenantPolicyName}. */
  policyName: string;
  /** False when user and policy already existed as wanted. */
  created: boolean;
}

/**
 * Per-tenant credentials on the object store (issue 5 point 8: "where the object store supports it
 * (MinIO), each tenant gets its own access key and bucket policy, written by the saga"). Both calls
 * are idempotent; on a store without IAM they answer `{ supported: false, code, reason }` and change
 * nothing, so the saga records the step as not applicable instead of failing.
 */
export interface BucketAccess {
  /** Creates (or confirms) the tenant's access key and attaches {@link tenantBucketPolicy}. */
  ensureTenantAccess(tenant: TenantArg): Promise<TenantAccessGranted | BucketAccessUnsupported>;
  /** Removes the tenant's access key and policy; `removed: false` when there was none. */
  removeTenantAccess(tenant: TenantArg): Promise<{ supported: true; removed: boolean } | BucketAccessUnsupported>;
}

/** An IAM policy document (AWS IAM JSON policy grammar, which MinIO implements for its canned policies). */
export interface IamPolicyDocument {
  Version: '2012-10-17';
  Statement: Array<{ Sid: string; Effect: 'Allow' | 'Deny'; Action: string[]; Resource: string[] }>;
}

/**
 * Bucket-level actions a tenant key must not perform even on its own bucket: deleting it, or changing
 * its policy, versioning, object lock, lifecycle, replication or notifications (that is provisioning).
 * Action names from the AWS "Actions defined by Amazon S3" reference (service authorization reference).
 */
export const TENANT_DENIED_BUCKET_ACTIONS = [
  's3:DeleteBucket',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:PutBucketVersioning',
  's3:PutBucketObjectLockConfiguration',
  's3:PutLifecycleConfiguration',
  's3:PutReplicationConfiguration',
  's3:PutBucketNotification',
] as const;

function slugOf(tenant: TenantArg): string {
  return typeof tenant === 'string' ? tenant : tenant.slug;
}

/** Canned policy name of a tenant: `cetate-tenant-<slug>`. @throws InvalidTenantError for a bad slug. */
export function tenantPolicyName(tenant: TenantArg): string {
  const slug = slugOf(tenant);
  tenantBucket(slug); // validates the slug
  return `cetate-tenant-${slug}`;
}

/** Access key id (IAM user) of a tenant: `cetate-<slug>`, the bucket's name. @throws InvalidTenantError. */
export function tenantAccessKeyId(tenant: TenantArg): string {
  return tenantBucket(slugOf(tenant));
}

/**
 * The IAM policy of a tenant's key: `s3:*` allowed on `arn:aws:s3:::cetate-<slug>` (bucket-level actions
 * such as ListBucket) and `arn:aws:s3:::cetate-<slug>/*` (objects), nothing elsewhere (IAM denies by
 * default), and an explicit Deny of {@link TENANT_DENIED_BUCKET_ACTIONS} on the bucket (an explicit deny
 * overrides any allow: AWS IAM policy evaluation logic). ARN format: `arn:aws:s3:::<bucket>[/<key>]`
 * (Amazon S3 resource types); MinIO accepts the same.
 * @throws InvalidTenantError for a bad slug.
 */
export function tenantBucketPolicy(tenant: TenantArg): IamPolicyDocument {
  const bucket = tenantBucket(slugOf(tenant));
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'TenantBucketOnly', Effect: 'Allow', Action: ['s3:*'], Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] },
      { Sid: 'NoBucketAdministration', Effect: 'Deny', Action: [...TENANT_DENIED_BUCKET_ACTIONS], Resource: [`arn:aws:s3:::${bucket}`] },
    ],
  };
}

/**
 * {@link BucketAccess} for the S3 store of {@link TenantStorageOptions}. It detects what the store supports
 * by asking for the tenant bucket's policy (GetBucketPolicy): s3rver answers `MethodNotAllowed` (it has
 * no IAM, users or policies; `NotImplemented` is treated the same) -> `STORE_HAS_NO_IAM`. Any other answer (MinIO: the policy or
 * `NoSuchBucketPolicy`) means the store has policies, but the MinIO admin adapter (add-user,
 * add-canned-policy, set-user-or-group-policy, whose request bodies madmin encrypts with argon2id +
 * DARE AES-GCM) is NOT built: `ADAPTER_NOT_BUILT`, nothing written. See the package README.
 * The detection is made once per instance (per process).
 */
export class S3BucketAccess implements BucketAccess {
  private readonly client: Client;
  private detected?: BucketAccessUnsupported;

  constructor(config: TenantStorageOptions = storageOptionsFromEnv()) {
    this.client = minioClient(config);
  }

  /** @throws BucketNotFoundError when the tenant's bucket does not exist (run `ensureBucket` first). */
  async ensureTenantAccess(tenant: TenantArg): Promise<TenantAccessGranted | BucketAccessUnsupported> {
    return this.detect(tenantBucket(slugOf(tenant)));
  }

  /** Never fails on a missing bucket (deprovisioning may run after the bucket is gone). */
  async removeTenantAccess(tenant: TenantArg): Promise<{ supported: true; removed: boolean } | BucketAccessUnsupported> {
    try {
      return await this.detect(tenantBucket(slugOf(tenant)));
    } catch (err) {
      if (!(err instanceof BucketNotFoundError)) throw err;
      return this.detected ?? { supported: false, code: 'ADAPTER_NOT_BUILT', reason: 'store not probed (bucket already removed); no per-tenant access was ever written by this build' };
    }
  }

  private async detect(bucket: string): Promise<BucketAccessUnsupported> {
    if (this.detected) return this.detected;
    try {
      await this.client.getBucketPolicy(bucket);
    } catch (err) {
      const code = (err as { code?: string }).code;
      // s3rver 3.7 answers GET ?policy with MethodNotAllowed and PUT/DELETE ?policy with NotImplemented
      if (code === 'NotImplemented' || code === 'MethodNotAllowed') {
        this.detected = {
          supported: false,
          code: 'STORE_HAS_NO_IAM',
          reason: `the object store implements no bucket policies or IAM users (GetBucketPolicy answered ${code}, as s3rver does); isolation rests on TenantStorage checking the tenant context`,
        };
        return this.detected;
      }
      if (code === 'NoSuchBucket') throw new BucketNotFoundError(bucket);
      if (code !== 'NoSuchBucketPolicy') throw err;
    }
    this.detected = {
      supported: false,
      code: 'ADAPTER_NOT_BUILT',
      reason: 'the object store supports bucket policies (MinIO/S3) but the MinIO admin adapter that writes per-tenant users and policies is not built; the platform key is used for every tenant',
    };
    return this.detected;
  }
}
