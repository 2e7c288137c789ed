import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { SpanKind } from '@opentelemetry/api';
import { Client } from 'minio';
import { withSpan } from '@cetate/platform-observability';
import { maybeCurrentTenant, tenantBucket, type TenantRef } from '@cetate/platform-tenancy';
import {
  BucketNotFoundError,
  BucketRemovalError,
  CrossTenantAccessError,
  InvalidObjectKeyError,
  ObjectNotFoundError,
  TenantContextRequiredError,
} from './storage.errors.js';

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

/** A tenant: its {@link TenantRef} or its slug. */
export type TenantArg = TenantRef | string;

const MODULE_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;
const META_KEY_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

function bucketOf(tenant: TenantArg): string {
  return typeof tenant === 'string' ? tenantBucket(tenant) : tenant.bucket;
}

/**
 * The bucket of `tenant` after checking that the current `TenantContext` (`runInTenant`) is that tenant.
 * Called by every object operation before any request to the server (issue 5 point 8).
 * @throws TenantContextRequiredError outside `runInTenant`; CrossTenantAccessError when the context is
 *   another tenant's (compared by bucket, the resource addressed).
 */
export function assertTenantContext(tenant: TenantArg, operation: string): string {
  const bucket = bucketOf(tenant);
  const context = maybeCurrentTenant();
  if (!context) throw new TenantContextRequiredError(operation, bucket);
  if (context.bucket !== bucket) throw new CrossTenantAccessError(context.slug, bucket, operation);
  return bucket;
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
 * The `minio` client every storage class uses, configured so the same code runs on MinIO and on s3rver
 * (README "The embedded server"): path-style requests, a fixed `region` (no GetBucketLocation), `partSize`
 * 5 GiB by default so a Buffer is always sent in one PUT (s3rver has no ListMultipartUploads).
 */
export function minioClient(config: TenantStorageOptions): Client {
  return new Client({
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
 * Object storage of tenants over the `minio` client (ARCHITECTURE.md §2, §5): bucket `cetate-<slug>`
 * per tenant, one prefix per module (`invoicing/`, `documents/`, ...). Every call names its tenant, so
 * a module can never address another tenant's bucket by key, and every object operation (put, get,
 * stream, stat, exists, list) runs only inside that tenant's `TenantContext` (`runInTenant`): no context
 * -> `TenantContextRequiredError`, another tenant's context -> `CrossTenantAccessError` (403), both before
 * any request to the server (issue 5 point 8). `ensureBucket` and `removeBucket` are platform
 * (provisioning) operations and need no context. Path-style requests, fixed region.
 * Metadata values are URI-encoded on write and decoded on read (HTTP headers are ASCII; names with
 * Romanian diacritics survive). Each call is a CLIENT span `s3.<Operation>`.
 */
export class TenantStorage {
  private readonly creatingBuckets = new Map<string, Promise<{ bucket: string; created: boolean }>>();
  /** The minio client. Private: every object operation goes through the tenant-context check. */
  private readonly client: Client;
  private readonly region: string;

  constructor(config: TenantStorageOptions = storageOptionsFromEnv()) {
    this.region = config.region;
    this.client = minioClient(config);
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
   * Deletes every object of the tenant's bucket, then the bucket (deprovisioning step; a platform
   * operation, no tenant context needed). Repeats "list the first ListObjects page (≤ 1000 keys), delete
   * it with one DeleteObjects request (≤ 1000 keys, the S3 limit)" until the bucket is empty, so the key
   * list is never held in memory and no list request overlaps a delete.
   * Idempotent: a missing bucket answers `{ removed: false }`; a run stopped part way is finished by the
   * next one. Object versions and incomplete multipart uploads are not removed (s3rver implements neither
   * versioning nor ListMultipartUploads; `ensureBucket` never enables versioning): on a versioned MinIO
   * bucket the final DeleteBucket fails with `BucketNotEmpty`.
   * @returns the bucket, whether this call removed it and how many objects it deleted.
   * @throws BucketRemovalError when the server refuses to delete some object or the bucket stays non-empty.
   */
  async removeBucket(tenant: TenantArg): Promise<{ bucket: string; removed: boolean; objectsRemoved: number }> {
    const bucket = bucketOf(tenant);
    return this.span('DeleteBucket', bucket, async () => {
      if (!(await this.client.bucketExists(bucket))) return { bucket, removed: false, objectsRemoved: 0 };
      let objectsRemoved = 0;
      // Always the first page (≤ 1000 keys) of what is left, deleted before the next list request: no list
      // runs while a delete does, and no continuation token is needed. Ends when a list comes back empty.
      for (;;) {
        let page: string[];
        try {
          const first = await this.listPages(bucket, '').next();
          page = first.done ? [] : first.value.map((o) => o.objectKey);
        } catch (err) {
          if (s3Code(err) === 'NoSuchBucket') return { bucket, removed: false, objectsRemoved };
          throw err;
        }
        if (page.length === 0) break;
        const res = await this.client.removeObjects(bucket, page);
        const failed = res.filter((r) => r && r.Error);
        if (failed.length > 0) {
          const first = failed[0]!.Error!;
          throw new BucketRemovalError(bucket, `${failed.length} object(s) not deleted, first ${first.Key}: ${first.Code} ${first.Message ?? ''}`.trim());
        }
        objectsRemoved += page.length;
      }
      try {
        await this.client.removeBucket(bucket);
      } catch (err) {
        const code = s3Code(err);
        if (code === 'NoSuchBucket') return { bucket, removed: false, objectsRemoved };
        if (code === 'BucketNotEmpty') throw new BucketRemovalError(bucket, 'the bucket is still not empty (object versions or objects written meanwhile)');
        throw err;
      }
      return { bucket, removed: true, objectsRemoved };
    });
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
    const bucket = assertTenantContext(tenant, 'PutObject');
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
    const bucket = assertTenantContext(tenant, 'GetObject');
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

  /**
   * The object's body as a stream (not buffered), with its content type and user metadata taken from
   * the GET answer's headers (no extra HEAD). Addressed like `getObject`. Consume or destroy the stream.
   * @throws ObjectNotFoundError, BucketNotFoundError.
   */
  async getObjectStream(
    tenant: TenantArg,
    module: StorageModule,
    key?: string,
  ): Promise<{ objectKey: string; body: Readable; contentType: string; metadata: Record<string, string> }> {
    const bucket = assertTenantContext(tenant, 'GetObject');
    const objectKey = resolveObjectKey(module, key);
    return this.span('GetObject', bucket, async () => {
      try {
        const body = await this.client.getObject(bucket, objectKey);
        const headers = (body as Partial<IncomingMessage>).headers ?? {};
        const metadata: Record<string, string> = {};
        for (const [k, v] of Object.entries(headers)) {
          if (k.startsWith('x-amz-meta-') && typeof v === 'string') metadata[k.slice('x-amz-meta-'.length)] = k === 'x-amz-meta-sha256' ? v : safeDecode(v);
        }
        const contentType = typeof headers['content-type'] === 'string' ? headers['content-type'] : 'application/octet-stream';
        return { objectKey, body, contentType, metadata };
      } catch (err) {
        throw mapError(err, bucket, objectKey);
      }
    });
  }

  /** Size, ETag, content type, metadata and SHA-256 of an object (addressed like `getObject`). @throws ObjectNotFoundError, BucketNotFoundError. */
  async statObject(tenant: TenantArg, module: StorageModule, key?: string): Promise<ObjectInfo> {
    const bucket = assertTenantContext(tenant, 'HeadObject');
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
   * bucket), recursively, in key order. Pages of ≤ 1000 keys with ListObjects (V1, `marker`), one request
   * after the other: s3rver cannot page ListObjectsV2 on Node ≥ 17 (its continuation token uses DES, which
   * OpenSSL 3 no longer loads: 500 beyond the first 1000 keys). The summaries are held in memory (about
   * 200 bytes a key); bodies are not. @throws BucketNotFoundError.
   */
  async listObjects(tenant: TenantArg, prefix: string): Promise<ObjectSummary[]> {
    const bucket = assertTenantContext(tenant, 'ListObjects');
    return this.span('ListObjects', bucket, async () => {
      const out: ObjectSummary[] = [];
      try {
        for await (const page of this.listPages(bucket, prefix)) out.push(...page);
      } catch (err) {
        throw mapError(err, bucket);
      }
      return out.sort((a, b) => (a.objectKey < b.objectKey ? -1 : a.objectKey > b.objectKey ? 1 : 0));
    });
  }

  /** Pages of ListObjects (V1) from `marker` on; the next request is sent only when the caller asks for it. */
  private async *listPages(bucket: string, prefix: string, marker = ''): AsyncGenerator<ObjectSummary[]> {
    for (;;) {
      const res = await this.client.listObjectsQuery(bucket, prefix, marker, { Delimiter: '', MaxKeys: 1000 });
      const page: ObjectSummary[] = [];
      for (const o of res.objects) {
        if (o.name) page.push({ objectKey: o.name, size: o.size ?? 0, etag: (o.etag ?? '').replace(/"/g, ''), lastModified: o.lastModified ?? new Date(0) });
      }
      yield page;
      const next = res.nextMarker ?? page[page.length - 1]?.objectKey;
      if (!res.isTruncated || !next || next === marker) return;
      marker = next;
    }
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
