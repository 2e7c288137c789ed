import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { startEmbeddedS3, type EmbeddedS3 } from '@cetate/platform-testing';
import { runInTenant, tenantRefFromSlug } from '@cetate/platform-tenancy';
import {
  BucketNotFoundError,
  CrossTenantAccessError,
  InvalidObjectKeyError,
  ObjectNotFoundError,
  TenantContextRequiredError,
  TenantStorage,
  storageOptionsFromEnv,
} from './index.js';
import { startRequestCountingProxy, type RequestCountingProxy } from './request-counting-proxy.js';

describe('TenantStorage against the embedded s3rver', () => {
  let s3: EmbeddedS3;
  let storage: TenantStorage;
  const acme = tenantRefFromSlug('acme-srl');
  const beta = tenantRefFromSlug('beta');
  const gamma = tenantRefFromSlug('gamma');
  const asAcme = <T>(fn: () => Promise<T>): Promise<T> => runInTenant(acme, fn);
  const asBeta = <T>(fn: () => Promise<T>): Promise<T> => runInTenant(beta, fn);

  beforeAll(async () => {
    s3 = await startEmbeddedS3();
    storage = new TenantStorage(storageOptionsFromEnv({ S3_ENDPOINT: s3.url }));
  });
  afterAll(async () => {
    await s3?.close();
  });

  it('reads settings from env with the documented defaults', () => {
    expect(storageOptionsFromEnv({})).toEqual({
      endPoint: '127.0.0.1', port: 9000, useSSL: false, accessKey: 'S3RVER', secretKey: 'S3RVER', region: 'us-east-1',
    });
    expect(storageOptionsFromEnv({ S3_ENDPOINT: 'https://minio.example:9443', S3_REGION: 'eu-central-1' })).toMatchObject({
      endPoint: 'minio.example', port: 9443, useSSL: true, region: 'eu-central-1',
    });
  });

  it('creates buckets idempotently, also under concurrency', async () => {
    const results = await Promise.all([storage.ensureBucket(acme), storage.ensureBucket(acme), storage.ensureBucket(acme), storage.ensureBucket('beta')]);
    expect(results.map((r) => r.bucket)).toEqual(['cetate-acme-srl', 'cetate-acme-srl', 'cetate-acme-srl', 'cetate-beta']);
    // exactly one of the racing calls created the bucket; the others saw it exist
    expect(results.slice(0, 3).filter((r) => r.created)).toHaveLength(1);
    expect(results[3]).toEqual({ bucket: 'cetate-beta', created: true });
    expect(await storage.ensureBucket(acme)).toEqual({ bucket: 'cetate-acme-srl', created: false });
  });

  it('puts, gets, stats and lists under the module prefix', () => asAcme(async () => {
    const xml = Buffer.from('<Invoice><cbc:ID>F-1</cbc:ID><Name>Société Științe</Name></Invoice>');
    const put = await storage.putObject(acme, 'invoicing', '2025/F-1/v1.xml', xml, 'application/xml', {
      'invoice-id': 'F-1',
      supplier: 'Științe și Tehnică SRL',
    });
    expect(put).toEqual({
      bucket: 'cetate-acme-srl',
      objectKey: 'invoicing/2025/F-1/v1.xml',
      etag: expect.stringMatching(/^[0-9a-f]{32}$/),
      size: xml.length,
      sha256: createHash('sha256').update(xml).digest('hex'),
    });
    expect((await storage.getObject(acme, 'invoicing', '2025/F-1/v1.xml')).equals(xml)).toBe(true);
    expect((await storage.getObject(acme, put.objectKey)).equals(xml)).toBe(true);
    const st = await storage.statObject(acme, 'invoicing', '2025/F-1/v1.xml');
    expect(st).toMatchObject({
      size: xml.length,
      etag: put.etag,
      sha256: put.sha256,
      contentType: 'application/xml',
      metadata: { 'invoice-id': 'F-1', supplier: 'Științe și Tehnică SRL' },
    });
    expect(st.lastModified).toBeInstanceOf(Date);
    await storage.putObject(acme, 'invoicing', '2025/F-2/v1.xml', Buffer.from('<x/>'), 'application/xml');
    await storage.putObject(acme, 'documents', 'scan 1.pdf', Buffer.from('%PDF-1.7'), 'application/pdf');
    const list = await storage.listObjects(acme, 'invoicing/');
    expect(list.map((o) => o.objectKey)).toEqual(['invoicing/2025/F-1/v1.xml', 'invoicing/2025/F-2/v1.xml']);
    expect(list[0]).toMatchObject({ size: xml.length, etag: put.etag });
    expect((await storage.listObjects(acme, '')).map((o) => o.objectKey)).toContain('documents/scan 1.pdf');
    expect(await storage.objectExists(acme, 'documents', 'scan 1.pdf')).toBe(true);
    expect(await storage.objectExists(acme, 'documents', 'scan 2.pdf')).toBe(false);
  }));

  it('keeps tenants apart: same key, two buckets, no cross reads', async () => {
    await asAcme(() => storage.putObject(acme, 'documents', 'same.txt', Buffer.from('acme'), 'text/plain'));
    await asBeta(() => storage.putObject(beta, 'documents', 'same.txt', Buffer.from('beta'), 'text/plain'));
    expect((await asAcme(() => storage.getObject(acme, 'documents', 'same.txt'))).toString()).toBe('acme');
    expect((await asBeta(() => storage.getObject(beta, 'documents', 'same.txt'))).toString()).toBe('beta');
    expect((await asBeta(() => storage.listObjects(beta, ''))).map((o) => o.objectKey)).toEqual(['documents/same.txt']);
    await expect(asBeta(() => storage.getObject(beta, 'invoicing', '2025/F-1/v1.xml'))).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(asBeta(() => storage.statObject(beta, 'invoicing', '2025/F-1/v1.xml'))).rejects.toMatchObject({ status: 404 });
  });

  it('rejects keys that escape the module prefix and reports missing buckets', async () => {
    await asAcme(async () => {
    await expect(storage.putObject(acme, 'invoicing', '../documents/x', Buffer.from('x'), 'text/plain')).rejects.toBeInstanceOf(InvalidObjectKeyError);
    await expect(storage.putObject(acme, 'invoicing', '/abs', Buffer.from('x'), 'text/plain')).rejects.toBeInstanceOf(InvalidObjectKeyError);
    await expect(storage.putObject(acme, 'Invoicing', 'a', Buffer.from('x'), 'text/plain')).rejects.toBeInstanceOf(InvalidObjectKeyError);
    await expect(storage.getObject(acme, 'no-prefix')).rejects.toBeInstanceOf(InvalidObjectKeyError);
    });
    await runInTenant(gamma, async () => {
      await expect(storage.putObject('gamma', 'documents', 'a.txt', Buffer.from('x'), 'text/plain')).rejects.toBeInstanceOf(BucketNotFoundError);
      await expect(storage.getObject('gamma', 'documents', 'a.txt')).rejects.toBeInstanceOf(BucketNotFoundError);
      await expect(storage.listObjects('gamma', '')).rejects.toBeInstanceOf(BucketNotFoundError);
    });
  });

  it('stores objects above the minio default part size in one PUT (s3rver has no ListMultipartUploads)', async () => {
    const big = Buffer.alloc(70 * 1024 * 1024, 7);
    const put = await asBeta(() => storage.putObject(beta, 'analytics', 'big.parquet', big, 'application/octet-stream'));
    expect(put.size).toBe(big.length);
    expect((await asBeta(() => storage.statObject(beta, put.objectKey))).size).toBe(big.length);
  });
});

describe('TenantStorage: a bucket is reached only in its tenant context (issue 5 point 8)', () => {
  let s3: EmbeddedS3;
  let proxy: RequestCountingProxy;
  let storage: TenantStorage;
  const acme = tenantRefFromSlug('acme-srl');
  const beta = tenantRefFromSlug('beta');
  const secret = Buffer.from('acme secret ledger');

  beforeAll(async () => {
    s3 = await startEmbeddedS3();
    proxy = await startRequestCountingProxy(s3.port);
    storage = new TenantStorage(storageOptionsFromEnv({ S3_ENDPOINT: `http://127.0.0.1:${proxy.port}` }));
    await storage.ensureBucket(acme);
    await storage.ensureBucket(beta);
    await runInTenant(acme, () => storage.putObject(acme, 'documents', 'ledger.txt', secret, 'text/plain'));
  });
  afterAll(async () => {
    await proxy?.close();
    await s3?.close();
  });

  /** Every object operation on acme's bucket, each one refused in the context given. */
  const attempts: Array<[string, () => Promise<unknown>]> = [
    ['listObjects', () => storage.listObjects(acme, '')],
    ['getObject', () => storage.getObject(acme, 'documents', 'ledger.txt')],
    ['getObjectStream', () => storage.getObjectStream(acme, 'documents/ledger.txt')],
    ['statObject', () => storage.statObject(acme, 'documents', 'ledger.txt')],
    ['objectExists', () => storage.objectExists(acme, 'documents', 'ledger.txt')],
    ['putObject', () => storage.putObject(acme, 'documents', 'planted.txt', Buffer.from('x'), 'text/plain')],
    // the same bucket named by slug instead of TenantRef
    ['getObject by slug', () => storage.getObject('acme-srl', 'documents', 'ledger.txt')],
  ];

  it.each(attempts)('%s in tenant beta\'s context: CrossTenantAccessError (403), nothing sent to the server', async (_name, call) => {
    const before = proxy.requests.length;
    const err = await runInTenant(beta, call).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CrossTenantAccessError);
    expect(err).toMatchObject({ status: 403, code: 'CROSS_TENANT_ACCESS', contextTenant: 'beta', bucket: 'cetate-acme-srl' });
    expect(proxy.requests.slice(before)).toEqual([]);
  });

  it.each(attempts)('%s without a tenant context: TenantContextRequiredError, nothing sent to the server', async (_name, call) => {
    const before = proxy.requests.length;
    await expect(call()).rejects.toBeInstanceOf(TenantContextRequiredError);
    await expect(call()).rejects.toMatchObject({ status: 500, code: 'TENANT_CONTEXT_REQUIRED' });
    expect(proxy.requests.slice(before)).toEqual([]);
  });

  it('the same calls in acme\'s own context reach the server and see the object (the proxy forwards)', async () => {
    const before = proxy.requests.length;
    await runInTenant(acme, async () => {
      expect((await storage.listObjects(acme, '')).map((o) => o.objectKey)).toEqual(['documents/ledger.txt']);
      expect((await storage.getObject(acme, 'documents', 'ledger.txt')).equals(secret)).toBe(true);
      expect(await storage.objectExists(acme, 'documents', 'ledger.txt')).toBe(true);
    });
    expect(proxy.requests.slice(before).map((r) => r.method)).toEqual(['GET', 'GET', 'HEAD']);
    expect(proxy.requests.slice(before).every((r) => r.url.startsWith('/cetate-acme-srl'))).toBe(true);
    // the refused puts above planted nothing
    expect(await runInTenant(acme, () => storage.objectExists(acme, 'documents', 'planted.txt'))).toBe(false);
  });

  it('a context held across awaits and concurrent flows stays its own', async () => {
    const results = await Promise.allSettled([
      runInTenant(acme, async () => {
        await new Promise((r) => setTimeout(r, 20));
        return storage.getObject(acme, 'documents', 'ledger.txt');
      }),
      runInTenant(beta, async () => {
        await new Promise((r) => setTimeout(r, 5));
        return storage.getObject(acme, 'documents', 'ledger.txt');
      }),
    ]);
    expect(results[0]).toMatchObject({ status: 'fulfilled' });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: expect.any(CrossTenantAccessError) });
  });

  it('provisioning operations (ensureBucket, removeBucket) need no tenant context', async () => {
    expect(await storage.ensureBucket('delta')).toEqual({ bucket: 'cetate-delta', created: true });
    expect(await storage.removeBucket('delta')).toEqual({ bucket: 'cetate-delta', removed: true, objectsRemoved: 0 });
  });
});

describe('TenantStorage.removeBucket', () => {
  let s3: EmbeddedS3;
  let storage: TenantStorage;
  const gone = tenantRefFromSlug('gone-srl');
  const kept = tenantRefFromSlug('kept-srl');

  beforeAll(async () => {
    s3 = await startEmbeddedS3();
    storage = new TenantStorage(storageOptionsFromEnv({ S3_ENDPOINT: s3.url }));
  });
  afterAll(async () => {
    await s3?.close();
  });

  it('deletes every object over several DeleteObjects pages, then the bucket; other buckets untouched; idempotent', async () => {
    await storage.ensureBucket(gone);
    await storage.ensureBucket(kept);
    const count = 1205; // more than one ListObjectsV2 page and one DeleteObjects request (1000 each)
    await runInTenant(gone, async () => {
      for (let i = 0; i < count; i += 50) {
        await Promise.all(
          Array.from({ length: Math.min(50, count - i) }, (_, j) =>
            storage.putObject(gone, i + j < 600 ? 'invoicing' : 'documents', `o/${String(i + j).padStart(5, '0')}.txt`, Buffer.from(`#${i + j}`), 'text/plain'),
          ),
        );
      }
      expect(await storage.listObjects(gone, '')).toHaveLength(count);
    });
    await runInTenant(kept, () => storage.putObject(kept, 'documents', 'stay.txt', Buffer.from('stay'), 'text/plain'));

    expect(await storage.removeBucket(gone)).toEqual({ bucket: 'cetate-gone-srl', removed: true, objectsRemoved: count });
    await expect(runInTenant(gone, () => storage.listObjects(gone, ''))).rejects.toBeInstanceOf(BucketNotFoundError);
    expect(await storage.removeBucket(gone)).toEqual({ bucket: 'cetate-gone-srl', removed: false, objectsRemoved: 0 });
    expect(await storage.removeBucket('never-made')).toEqual({ bucket: 'cetate-never-made', removed: false, objectsRemoved: 0 });
    expect((await runInTenant(kept, () => storage.getObject(kept, 'documents', 'stay.txt'))).toString()).toBe('stay');
    // the slot can be provisioned again from scratch
    expect(await storage.ensureBucket(gone)).toEqual({ bucket: 'cetate-gone-srl', created: true });
    expect(await runInTenant(gone, () => storage.listObjects(gone, ''))).toEqual([]);
  });
});
