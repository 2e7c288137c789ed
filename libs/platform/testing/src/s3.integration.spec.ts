import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { Client } from 'minio';
import { startEmbeddedS3 } from './index.js';

describe('startEmbeddedS3', () => {
  it('serves S3 on a random port, checks the access key id and cleans its directory on close', async () => {
    const a = await startEmbeddedS3();
    const b = await startEmbeddedS3().catch(async (err: unknown) => {
      await a.close();
      throw err;
    });
    try {
      expect(a.port).not.toBe(b.port);
      expect(a.url).toBe(`http://127.0.0.1:${a.port}`);
      const good = new Client({ endPoint: a.endPoint, port: a.port, useSSL: false, accessKey: a.accessKey, secretKey: a.secretKey, region: 'us-east-1' });
      await good.makeBucket('probe-bucket', 'us-east-1');
      expect(await good.bucketExists('probe-bucket')).toBe(true);
      const bad = new Client({ endPoint: a.endPoint, port: a.port, useSSL: false, accessKey: 'NOT-S3RVER', secretKey: a.secretKey, region: 'us-east-1' });
      await expect(bad.putObject('probe-bucket', 'x', Buffer.from('x'))).rejects.toMatchObject({ code: 'InvalidAccessKeyId' });
    } finally {
      await a.close();
      await b.close();
    }
    expect(existsSync(a.directory)).toBe(false);
    expect(existsSync(b.directory)).toBe(false);
    await expect(fetch(`${a.url}/`)).rejects.toThrow();
  });
});
