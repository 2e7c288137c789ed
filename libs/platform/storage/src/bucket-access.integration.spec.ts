import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmbeddedS3, type EmbeddedS3 } from '@cetate/platform-testing';
import { BucketNotFoundError, S3BucketAccess, TenantStorage, storageOptionsFromEnv } from './index.js';

describe('S3BucketAccess against the embedded s3rver', () => {
  let s3: EmbeddedS3;

  beforeAll(async () => {
    s3 = await startEmbeddedS3();
    await new TenantStorage(storageOptionsFromEnv({ S3_ENDPOINT: s3.url })).ensureBucket('acme');
  });
  afterAll(async () => {
    await s3?.close();
  });

  it('reports STORE_HAS_NO_IAM for ensure and remove (s3rver has no policies), writing nothing', async () => {
    const access = new S3BucketAccess(storageOptionsFromEnv({ S3_ENDPOINT: s3.url }));
    const ensured = await access.ensureTenantAccess('acme');
    expect(ensured).toMatchObject({ supported: false, code: 'STORE_HAS_NO_IAM' });
    expect((ensured as { reason: string }).reason).toMatch(/MethodNotAllowed/);
    expect(await access.removeTenantAccess('acme')).toMatchObject({ supported: false, code: 'STORE_HAS_NO_IAM' });
  });

  it('ensure needs the bucket (the saga creates it first); remove does not', async () => {
    const access = new S3BucketAccess(storageOptionsFromEnv({ S3_ENDPOINT: s3.url }));
    await expect(access.ensureTenantAccess('no-bucket')).rejects.toBeInstanceOf(BucketNotFoundError);
    expect(await access.removeTenantAccess('no-bucket')).toMatchObject({ supported: false });
  });
});

describe('S3BucketAccess on a store that has bucket policies (answers like MinIO, stand-in server)', () => {
  // MinIO cannot run on this machine; this server answers GetBucketPolicy the way MinIO does for a
  // bucket without a policy (404, S3 error code NoSuchBucketPolicy) and records what it was asked.
  let server: Server;
  const seen: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(404, { 'content-type': 'application/xml', server: 'MinIO' });
      res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchBucketPolicy</Code><Message>The bucket policy does not exist</Message><BucketName>cetate-acme</BucketName><Resource>/cetate-acme</Resource></Error>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
  });

  it('says ADAPTER_NOT_BUILT (not "unsupported store"), and sends nothing but the one read-only probe', async () => {
    const port = (server.address() as AddressInfo).port;
    const access = new S3BucketAccess(storageOptionsFromEnv({ S3_ENDPOINT: `http://127.0.0.1:${port}` }));
    expect(await access.ensureTenantAccess('acme')).toMatchObject({ supported: false, code: 'ADAPTER_NOT_BUILT' });
    expect(await access.removeTenantAccess('acme')).toMatchObject({ supported: false, code: 'ADAPTER_NOT_BUILT' });
    expect(seen).toEqual(['GET /cetate-acme?policy']);
  });
});
