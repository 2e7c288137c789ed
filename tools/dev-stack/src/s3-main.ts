/** Embedded S3-compatible server (s3rver) for the dev stack. Env: S3_PORT (9000), CETATE_DATA_DIR (.cetate). */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startEmbeddedS3 } from '@cetate/platform-testing';

const directory = path.resolve(process.env.CETATE_DATA_DIR ?? '.cetate', 's3');
await mkdir(directory, { recursive: true });
const s3 = await startEmbeddedS3({ port: Number(process.env.S3_PORT ?? 9000), directory });
console.log(JSON.stringify({ msg: 'embedded S3 (s3rver) listening', url: s3.url, directory }));
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void s3.close().then(() => process.exit(0)));
