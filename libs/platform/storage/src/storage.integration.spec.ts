import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { startEmbeddedS3, type EmbeddedS3 } from '@cetate/platform-testing';
import { tenantRefFromSlug } from '@cetate/platform-tenancy';
import {
  BucketNotFoundError,
  InvalidObjectKeyError,
  ObjectNotFoundError,
  TenantStorage,
  storageOptionsFromEnv,
} from './index.js';

describe('TenantStorage against the embedded s3rver', () => {
  let s3: EmbeddedS3;
  let storage: TenantStorage;
  const acme = tenantRefFromSlug('acme-srl');
  const beta = tenantRefFromSlug('beta');

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

  it('puts, gets, stats and lists under the module prefix', async () => {
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
  });

  it('keeps tenants apart: same key, two buckets, no cross reads', async () => {
    await storage.putObject(acme, 'documents', 'same.txt', Buffer.from('acme'), 'text/plain');
    await storage.putObject(beta, 'documents', 'same.txt', Buffer.from('beta'), 'text/plain');
    expect((await storage.getObject(acme, 'documents', 'same.txt')).toString()).toBe('acme');
    expect((await storage.getObject(beta, 'documents', 'same.txt')).toString()).toBe('beta');
    expect((await storage.listObjects(beta, '')).map((o) => o.objectKey)).toEqual(['documents/same.txt']);
    await expect(storage.getObject(beta, 'invoicing', '2025/F-1/v1.xml')).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(storage.statObject(beta, 'invoicing', '2025/F-1/v1.xml')).rejects.toMatchObject({ status: 404 });
  });

  it('rejects keys that escape the module prefix and reports missing buckets', async () => {
    await expect(storage.putObject(acme, 'invoicing', '../documents/x', Buffer.from('x'), 'text/plain')).rejects.toBeInstanceOf(InvalidObjectKeyError);
    await expect(storage.putObject(acme, 'invoicing', '/abs', Buffer.from('x'), 'text/plain')).rejects.toBeInstanceOf(InvalidObjectKeyError);
    await expect(storage.putObject(acme, 'Invoicing', 'a', Buffer.from('x'), 'text/plain')).rejects.toBeInstanceOf(InvalidObjectKeyError);
    await expect(storage.getObject(acme, 'no-prefix')).rejects.toBeInstanceOf(InvalidObjectKeyError);
    await expect(storage.putObject('gamma', 'documents', 'a.txt', Buffer.from('x'), 'text/plain')).rejects.toBeInstanceOf(BucketNotFoundError);
    await expect(storage.getObject('gamma', 'documents', 'a.txt')).rejects.toBeInstanceOf(BucketNotFoundError);
    await expect(storage.listObjects('gamma', '')).rejects.toBeInstanceOf(BucketNotFoundError);
  });

  it('stores objects above the minio default part size in one PUT (s3rver has no ListMultipartUploads)', async () => {
    const big = Buffer.alloc(70 * 1024 * 1024, 7);
    const put = await storage.putObject(beta, 'analytics', 'big.parquet', big, 'application/octet-stream');
    expect(put.size).toBe(big.length);
    expect((await storage.statObject(beta, put.objectKey)).size).toBe(big.length);
  });
});
