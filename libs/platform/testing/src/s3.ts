import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/** Access key s3rver accepts (its fixed default credentials). */
export const EMBEDDED_S3_ACCESS_KEY = 'S3RVER';
/** Secret key s3rver accepts. */
export const EMBEDDED_S3_SECRET_KEY = 'S3RVER';

/** A running embedded S3-compatible server (s3rver) on 127.0.0.1. */
export interface EmbeddedS3 {
  /** `http://127.0.0.1:<port>`: the `S3_ENDPOINT` value. */
  url: string;
  /** Host for the `minio` client: `127.0.0.1`. */
  endPoint: string;
  /** Listening port. */
  port: number;
  /** `S3RVER`. */
  accessKey: string;
  /** `S3RVER`. */
  secretKey: string;
  /** Directory holding buckets and objects. */
  directory: string;
  /** Stops the server; removes the directory when this helper created it. */
  close(): Promise<void>;
}

/**
 * Starts s3rver (silent) on 127.0.0.1, by default on a random free port and in a fresh temporary
 * directory. Used by tests and by the dev stack launcher as the embedded object store
 * (ARCHITECTURE.md §5). Credentials are s3rver's fixed `S3RVER`/`S3RVER`: it checks the access key id but does not verify
 * SigV4 signatures and accepts anonymous requests, so it is for tests and laptops only.
 * See libs/platform/storage/README.md for what s3rver does not implement.
 */
export async function startEmbeddedS3(opts: { port?: number; directory?: string } = {}): Promise<EmbeddedS3> {
  const owned = !opts.directory;
  const directory = opts.directory ?? (await mkdtemp(join(tmpdir(), 'cetate-s3-')));
  const server = new S3rver({ address: '127.0.0.1', port: opts.port ?? 0, silent: true, directory });
  const addr = await server.run();
  let closed = false;
  return {
    url: `http://127.0.0.1:${addr.port}`,
    endPoint: '127.0.0.1',
    port: addr.port,
    accessKey: EMBEDDED_S3_ACCESS_KEY,
    secretKey: EMBEDDED_S3_SECRET_KEY,
    directory,
    async close() {
      if (closed) return;
      closed = true;
      await server.close();
      if (owned) await rm(directory, { recursive: true, force: true });
    },
  };
}
