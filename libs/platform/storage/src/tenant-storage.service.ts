import { createHash } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import { Client } from 'minio';
import { withSpan } from '@cetate/platform-observability';
import { tenantBucket, type TenantRef } from '@cetate/platform-tenancy';
import { BucketNotFoundError, InvalidObjectKeyError, ObjectNotFoundError } from './storage.errors.js';

/** Known module prefixes of a tenant bucket (ARCHITECTURE.md §2: one prefix per module); others allowed. */
export type StorageModule = 'invoicing' | 'documents' | 'analytics' | 'gdpr' | 'ocr' | (string & {});

/** Connection settings of the S3-compatible store (MinIO in production, s3rver embedded). */
export interface TenantStorageOptions {
  /** Host name or IP, no scheme. */
  endPoint: string;
  port: number;
  useSSL: boolean;
  accessKey: string;
  secretKey: string;
  /** Fixed region: the client then skips the GetBucketLocation lookup. Default `us-east-1`. */
  region: string;
  /**
   * Objects up to this size go in one PUT. Default 5 GiB (the S3 single-PUT maximum), because s3rver
   * lacks ListMultipartUploads, which the minio client calls before a multipart upload.
   */
  partSize?: number;
}

/**
 * Settings from env: `S3_ENDPOINT` (default `http://127.0.0.1:9000`; scheme gives `useSSL`),
 * `S3_ACCESS_KEY` / `S3_SECRET_KEY` (default `S3RVER` / `S3RVER`, the embedded server's), `S3_REGION`
 * (default `us-east-1`).
 */
export function storageOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): TenantStorageOptions {
  const url = new URL(env.S3_ENDPOINT ?? 'http://127.0.0.1:9000');
  const useSSL = url.protocol === 'https:';
  return {
    endPoint: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : useSSL ? 443 : 80,
    useSSL,
    accessKey: env.S3_ACCESS_KEY ?? 'S3RVER',
    secretKey: env.S3_SECRET_KEY ?? 'S3RVER',
    region: env.S3_REGION ?? 'us-east-1',
  };
}

/** Result of {@link TenantStorage.putObject}. */
export interface StoredObject {
  bucket: string;
  /** Full key in the bucket: `<module>/<key>`. */
  objectKey: string;
  /** ETag as returned by the server, without quotes. */
  etag: string;
  /** Bytes. */
  size: number;
  /** SHA-256 of the body, lowercase hex (also stored as `x-amz-meta-sha256`). */
  sha256: string;
}

/** Result of {@link TenantStorage.statObject}. */
export interface ObjectInfo extends StoredObject {
  contentType: string;
  lastModified: Date;
  /** User metadata (`x-amz-meta-*` without the prefix, lowercase keys), `sha256` excluded. */
  metadata: Record<string, string>;
}

/** One entry of {@link TenantStorage.listObjects}. */
export interface ObjectSummary {
  objectKey: string;
  size: number;
  etag: string;
  lastModified: Date;
}

type TenantArg = TenantRef | string;

const MODULE_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;
const META_KEY_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

function bucketOf(tenant: TenantArg): string {
  return typeof tenant === 'string' ? tenantBucket(tenant) : tenant.bucket;
}

/**
 * Full key from `(module, key)`, or from a full `objectKey` (as returned by `putObject`) when `key` is
 * omitted: its first segment must be a valid module. @throws InvalidObjectKeyError.
 */
export function resolveObjectKey(moduleOrObjectKey: string, key?: string): string {
  if (key !== undefined) return moduleObjectKey(moduleOrObjectKey, key);
  const slash = moduleOrObjectKey.indexOf('/');
  if (slash < 0) throw new InvalidObjectKeyError(`Object key "${moduleOrObjectKey}" has no module prefix`);
  return moduleObjectKey(moduleOrObjectKey.slice(0, slash), moduleOrObjectKey.slice(slash + 1));
}

/** `<module>/<key>` after checking both. @throws InvalidObjectKeyError. */
export function moduleObjectKey(module: StorageModule, key: string): string {
  if (!MODULE_PATTERN.test(module)) throw new InvalidObjectKeyError(`Module "${module}" must match ${MODULE_PATTERN.source}`);
  if (!key || key.startsWith('/') || key.split('/').some((s) => s === '..' || s === '.' || s === '')) {
    throw new InvalidObjectKeyError(`Object key "${key}" must be relative, without empty, "." or ".." segments`);
  }
  const full = `${module}/${key}`;
  if (Buffer.byteLength(full) > 1024) throw new InvalidObjectKeyError('Object key longer than 1024 bytes (S3 limit)');
  return full;
}

function s3Code(err: unknown): string | undefined {
  return (err as { code?: string }).code;
}

function mapError(err: unknown, bucket: string, objectKey?: string): unknown {
  const code = s3Code(err);
  if (code === 'NoSuchBucket') return new BucketNotFoundError(bucket);
  if (objectKey && (code === 'NoSuchKey' || code === 'NotFound')) return new ObjectNotFoundError(bucket, objectKey);
  return err;
}

/**
 * Object storage of tenants over the `minio` client (ARCHITECTURE.md §2, §5): bucket `cetate-<slug>`
 * per tenant, one prefix per module (`invoicing/`, `documents/`, ...). Every call names its tenant, so
 * a module can never address another tenant's bucket by key. Path-style requests, fixed region.
 * Metadata values are URI-encoded on write and decoded on read (HTTP headers are ASCII; names with
 * Romanian diacritics survive). Each call is a CLIENT span `s3.<Operation>`.
 */
export class TenantStorage {
  private readonly creatingBuckets = new Map<string, Promise<{ bucket: string; created: boolean }>>();
  /** The underlying minio client (for operations not wrapped here). */
  readonly client: Client;
  private readonly region: string;

  constructor(config: TenantStorageOptions = storageOptionsFromEnv()) {
    this.region = config.region;
    this.client = new Client({
      endPoint: config.endPoint,
      port: config.port,
      useSSL: config.useSSL,
      accessKey: config.accessKey,
      secretKey: config.secretKey,
      region: config.region,
      pathStyle: true,
      partSize: config.partSize ?? 5 * 1024 * 1024 * 1024,
    });
  }

  /**
   * Creates the tenant's bucket when missing. Idempotent and race-safe (`BucketAlreadyOwnedByYou` /
   * `BucketAlreadyExists` after our own existence check count as success).
   * @returns the bucket and whether this call created it.
   */
  async ensureBucket(tenant: TenantArg): Promise<{ bucket: string; created: boolean }> {
    const bucket = bucketOf(tenant);
    // Concurrent calls of this process share one attempt; only that attempt can report `created`.
    // Across processes the S3 server decides (BucketAlreadyOwnedByYou); s3rver does not check that
    // atomically, see README.
    const inFlight = this.creatingBuckets.get(bucket);
    if (inFlight) return inFlight.then(() => ({ bucket, created: false }));
    const attempt = this.span('CreateBucket', bucket, async () => {
      if (await this.client.bucketExists(bucket)) return { bucket, created: false };
      try {
        await this.client.makeBucket(bucket, this.region);
        return { bucket, created: true };
      } catch (err) {
        const code = s3Code(err);
        if (code === 'BucketAlreadyOwnedByYou' || code === 'BucketAlreadyExists') return { bucket, created: false };
        throw err;
      }
    }).finally(() => this.creatingBuckets.delete(bucket));
    this.creatingBuckets.set(bucket, attempt);
    return attempt;
  }

  /**
   * Stores `body` at `<module>/<key>` of the tenant's bucket with its content type, user metadata and
   * its SHA-256 (`x-amz-meta-sha256`). Overwrites an existing object.
   * @throws BucketNotFoundError, InvalidObjectKeyError.
   */
  async putObject(
    tenant: TenantArg,
    module: StorageModule,
    key: string,
    body: Buffer,
    contentType: string,
    metadata: Record<string, string> = {},
  ): Promise<StoredObject> {
    const bucket = bucketOf(tenant);
    const objectKey = moduleObjectKey(module, key);
    const sha256 = createHash('sha256').update(body).digest('hex');
    const meta: Record<string, string> = { 'Content-Type': contentType };
    for (const [k, v] of Object.entries(metadata)) {
      const name = k.toLowerCase();
      if (!META_KEY_PATTERN.test(name) || name === 'sha256') throw new InvalidObjectKeyError(`Metadata key "${k}" is not allowed`);
      meta[`x-amz-meta-${name}`] = encodeURIComponent(v);
    }
    meta['x-amz-meta-sha256'] = sha256;
    return this.span('PutObject', bucket, async () => {
      try {
        const res = await this.client.putObject(bucket, objectKey, body, body.length, meta);
        return { bucket, objectKey, etag: res.etag.replace(/"/g, ''), size: body.length, sha256 };
      } catch (err) {
        throw mapError(err, bucket);
      }
    });
  }

  /**
   * The whole object as a Buffer. Address it by `(module, key)` or by the full `objectKey` that
   * `putObject` returned (`getObject(tenant, 'invoicing/2025/F1.xml')`). @throws ObjectNotFoundError, BucketNotFoundError. */
  async getObject(tenant: TenantArg, module: StorageModule, key?: string): Promise<Buffer> {
    const bucket = bucketOf(tenant);
    const objectKey = resolveObjectKey(module, key);
    return this.span('GetObject', bucket, async () => {
      try {
        const stream = await this.client.getObject(bucket, objectKey);
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks);
      } catch (err) {
        throw mapError(err, bucket, objectKey);
      }
    });
  }

  /** Size, ETag, content type, metadata and SHA-256 of an object (addressed like `getObject`). @throws ObjectNotFoundError, BucketNotFoundError. */
  async statObject(tenant: TenantArg, module: StorageModule, key?: string): Promise<ObjectInfo> {
    const bucket = bucketOf(tenant);
    const objectKey = resolveObjectKey(module, key);
    return this.span('HeadObject', bucket, async () => {
      try {
        const st = await this.client.statObject(bucket, objectKey);
        const metadata: Record<string, string> = {};
        let contentType = 'application/octet-stream';
        let sha256 = '';
        for (const [k, v] of Object.entries(st.metaData ?? {})) {
          const name = k.toLowerCase();
          if (name === 'content-type') contentType = String(v);
          else if (name === 'sha256') sha256 = String(v);
          else metadata[name] = safeDecode(String(v));
        }
        return { bucket, objectKey, etag: st.etag.replace(/"/g, ''), size: st.size, sha256, contentType, lastModified: st.lastModified, metadata };
      } catch (err) {
        // a HEAD answer has no body, so a missing bucket also reads as NotFound
        throw mapError(err, bucket, objectKey);
      }
    });
  }

  /** True when the object exists (addressed like `getObject`). @throws BucketNotFoundError only if the server says so explicitly. */
  async objectExists(tenant: TenantArg, module: StorageModule, key?: string): Promise<boolean> {
    try {
      await this.statObject(tenant, module, key);
      return true;
    } catch (err) {
      if (err instanceof ObjectNotFoundError) return false;
      throw err;
    }
  }

  /**
   * Every object whose key starts with `prefix` (full key, e.g. `invoicing/2025/`; `''` lists the whole
   * bucket), recursively, in key order (ListObjectsV2). @throws BucketNotFoundError.
   */
  async listObjects(tenant: TenantArg, prefix: string): Promise<ObjectSummary[]> {
    const bucket = bucketOf(tenant);
    return this.span('ListObjectsV2', bucket, () =>
      new Promise<ObjectSummary[]>((resolve, reject) => {
        const out: ObjectSummary[] = [];
        const stream = this.client.listObjectsV2(bucket, prefix, true);
        stream.on('data', (o: { name?: string; size: number; etag?: string; lastModified: Date }) => {
          if (o.name) out.push({ objectKey: o.name, size: o.size, etag: (o.etag ?? '').replace(/"/g, ''), lastModified: o.lastModified });
        });
        stream.on('error', (err) => reject(mapError(err, bucket)));
        stream.on('end', () => resolve(out.sort((a, b) => (a.objectKey < b.objectKey ? -1 : a.objectKey > b.objectKey ? 1 : 0))));
      }),
    );
  }

  private span<T>(operation: string, bucket: string, fn: () => Promise<T>): Promise<T> {
    return withSpan(`s3.${operation}`, fn, {
      kind: SpanKind.CLIENT,
      attributes: { 'rpc.system': 'aws-api', 'rpc.method': operation, 'aws.s3.bucket': bucket },
    });
  }
}

function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}
