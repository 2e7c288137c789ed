import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import pg from 'pg';
import { ZipFile } from 'yazl';
import { DomainError, withSpan } from '@cetate/platform-observability';
import { databaseUrl, runInTenant, type TenantRef } from '@cetate/platform-tenancy';
import { BucketNotFoundError } from './storage.errors.js';
import type { ObjectSummary, TenantStorage } from './tenant-storage.service.js';

/** Name of the format in `manifest.json` (`format`). */
export const TENANT_EXPORT_FORMAT = 'cetate-tenant-export';
/** Version of the format in `manifest.json` (`formatVersion`); bumped on an incompatible change. */
export const TENANT_EXPORT_FORMAT_VERSION = 1;

/** Why an export failed (`TenantExportError.reason`). */
export type TenantExportFailure =
  | 'DATABASE_NOT_FOUND'
  | 'PG_DUMP_NOT_FOUND'
  | 'PG_DUMP_TOO_OLD'
  | 'PG_DUMP_FAILED'
  | 'OBJECT_NOT_EXPORTABLE'
  | 'OBJECT_READ_FAILED'
  | 'ARCHIVE_WRITE_FAILED';

/**
 * A tenant export failed; nothing is left at `outFile` (the partial `<outFile>.partial` is removed).
 * Code `TENANT_EXPORT_FAILED`; `reason` says which step: HTTP 404 for `DATABASE_NOT_FOUND` (the tenant
 * has no database on that server), 500 otherwise (`PG_DUMP_NOT_FOUND`: no `pg_dump` binary;
 * `PG_DUMP_TOO_OLD`: its major version is below the server's, which pg_dump refuses; `PG_DUMP_FAILED`:
 * non-zero exit, `detail` has the end of its stderr; `OBJECT_NOT_EXPORTABLE`: a key that is no safe zip
 * path; `OBJECT_READ_FAILED`; `ARCHIVE_WRITE_FAILED`).
 */
export class TenantExportError extends DomainError {
  constructor(readonly reason: TenantExportFailure, message: string, cause?: unknown) {
    super('TENANT_EXPORT_FAILED', message, { status: reason === 'DATABASE_NOT_FOUND' ? 404 : 500, cause });
  }
}

/** One file of the archive in `manifest.json`. */
export interface TenantExportEntry {
  /** Path in the zip: `database.sql` or `objects/<object key>`. */
  path: string;
  /** Uncompressed bytes. */
  size: number;
  /** SHA-256 of the uncompressed bytes, lowercase hex. */
  sha256: string;
  /** Objects only: the object's content type. */
  contentType?: string;
  /** Objects only: its user metadata (`x-amz-meta-*` without the prefix), as stored. */
  metadata?: Record<string, string>;
}

/** `manifest.json`, the last entry of the archive. */
export interface TenantExportManifest {
  format: typeof TENANT_EXPORT_FORMAT;
  formatVersion: typeof TENANT_EXPORT_FORMAT_VERSION;
  slug: string;
  /** ISO 8601 UTC, when the export started. */
  createdAt: string;
  database: {
    /** PostgreSQL database name, `tenant_<slug>`. */
    name: string;
    /** `server_version` of the server dumped, e.g. `15.20 (Debian 15.20-0+deb12u1)`. */
    serverVersion: string;
    /** First line of `pg_dump --version`. */
    pgDump: string;
    /** Arguments given to pg_dump (besides the connection). */
    options: string[];
  };
  /** Bucket name and whether it existed (a tenant whose bucket step never ran exports no objects). */
  bucket: { name: string; found: boolean };
  counts: { objects: number; objectBytes: number; databaseBytes: number };
  /** Every other entry of the archive (`database.sql` first, then the objects in key order). */
  entries: TenantExportEntry[];
}

/** Options of {@link exportTenant}. */
export interface ExportTenantOptions {
  /** The tenant: `slug`, `dbName`, `bucket` are used. */
  tenant: TenantRef;
  /** URL of the PostgreSQL server holding the tenant database (its database part is replaced by `dbName`). */
  serverUrl: string;
  /** Storage the bucket is read through (inside the tenant's own context). */
  storage: TenantStorage;
  /** Zip file to write; written as `<outFile>.partial` and renamed when complete. Overwritten if present. */
  outFile: string;
  /** Called with (objects written, objects total): once with 0 before the first object, then after each. */
  onProgress?: (done: number, total: number) => void;
  /** The pg_dump binary. Default `pg_dump` (PATH). */
  pgDump?: string;
}

/** Result of {@link exportTenant}. */
export interface TenantExportResult {
  /** `outFile`. */
  file: string;
  /** Size of the zip, bytes. */
  bytes: number;
  manifest: TenantExportManifest;
}

const PG_DUMP_OPTIONS = ['--no-owner', '--no-privileges', '--format=plain', '--encoding=UTF8'];
/** Content types stored, not deflated: already compressed. */
const STORED_TYPES = /^(application\/(zip|gzip|x-gzip|pdf|vnd\.apache\.parquet|x-7z-compressed)|image\/(jpeg|png|webp)|video\/|audio\/)/;

/**
 * Writes everything a tenant owns into ONE zip (yazl), what a platform operator takes before
 * deprovisioning (issue 5: "deprovisioning offers an export first"; format: docs/adr/0016):
 * - `database.sql`: `pg_dump --no-owner --no-privileges` (plain SQL, UTF-8) of the tenant database,
 *   restorable with `psql -v ON_ERROR_STOP=1 -f database.sql` into an empty database of any owner;
 * - `objects/<object key>`: every object of the tenant bucket, streamed one at a time (never a whole
 *   object in memory; the key list is);
 * - `manifest.json` (last): slug, created at, counts, and size + SHA-256 of every other entry
 *   ({@link TenantExportManifest}).
 * The objects are read with `runInTenant(tenant)` (the storage refuses other contexts); pg_dump gets the
 * password through `PGPASSWORD`, never on its command line. pg_dump's major version must be ≥ the server's
 * (PostgreSQL docs, pg_dump: "cannot dump from PostgreSQL servers newer than its own major version").
 * @returns the file, its size and the manifest.
 * @throws TenantExportError (see its reasons); no file is left behind on failure.
 */
export async function exportTenant(opts: ExportTenantOptions): Promise<TenantExportResult> {
  return withSpan('tenant.export', () => exportTenantUntraced(opts), { attributes: { 'cetate.tenant': opts.tenant.slug } });
}

async function exportTenantUntraced(opts: ExportTenantOptions): Promise<TenantExportResult> {
  const { tenant, storage, outFile } = opts;
  const createdAt = new Date().toISOString();
  const dbUrl = databaseUrl(opts.serverUrl, tenant.dbName);
  const serverVersion = await readServerVersion(dbUrl, tenant.dbName);
  const pgDump = await checkPgDump(opts.pgDump ?? 'pg_dump', serverVersion);

  let objects: ObjectSummary[] = [];
  let bucketFound = true;
  try {
    objects = await runInTenant(tenant, () => storage.listObjects(tenant, ''));
  } catch (err) {
    if (!(err instanceof BucketNotFoundError)) throw err;
    bucketFound = false;
  }
  for (const o of objects) {
    if (!isSafeZipPath(o.objectKey)) {
      throw new TenantExportError('OBJECT_NOT_EXPORTABLE', `Object key "${o.objectKey}" of bucket ${tenant.bucket} is not a safe zip path`);
    }
  }

  const partial = `${outFile}.partial`;
  const zip = new ZipFile();
  const out = createWriteStream(partial);
  // An error of the file stream (disk full) fails the entry being written: once the file stops draining,
  // yazl stops reading, so without this the export would wait forever.
  const run: ArchiveRun = {};
  out.on('error', (err) => {
    run.writeError = err;
    run.current?.destroy(err);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      out.once('open', () => resolve());
      out.once('error', reject);
    });
  } catch (err) {
    throw new TenantExportError('ARCHIVE_WRITE_FAILED', `Could not create ${partial}: ${(err as Error).message}`, err);
  }
  zip.outputStream.pipe(out);
  try {
    const entries: TenantExportEntry[] = [];
    entries.push(await addDump(zip, opts.pgDump ?? 'pg_dump', dbUrl, run));

    let objectBytes = 0;
    opts.onProgress?.(0, objects.length);
    for (const [i, o] of objects.entries()) {
      const { body, contentType, metadata } = await runInTenant(tenant, () => storage.getObjectStream(tenant, o.objectKey)).catch((err: unknown) => {
        throw new TenantExportError('OBJECT_READ_FAILED', `Could not read ${o.objectKey} of bucket ${tenant.bucket}: ${(err as Error).message}`, err);
      });
      const path = `objects/${o.objectKey}`;
      const { size, sha256 } = await addStream(zip, body, path, { compress: !STORED_TYPES.test(contentType), mtime: o.lastModified }, run).catch((err: unknown) => {
        throw err instanceof TenantExportError ? err : new TenantExportError('OBJECT_READ_FAILED', `Could not read ${o.objectKey} of bucket ${tenant.bucket}: ${(err as Error).message}`, err);
      });
      const { sha256: _stored, ...userMetadata } = metadata;
      entries.push({ path, size, sha256, contentType, metadata: userMetadata });
      objectBytes += size;
      opts.onProgress?.(i + 1, objects.length);
    }

    const manifest: TenantExportManifest = {
      format: TENANT_EXPORT_FORMAT,
      formatVersion: TENANT_EXPORT_FORMAT_VERSION,
      slug: tenant.slug,
      createdAt,
      database: { name: tenant.dbName, serverVersion, pgDump, options: PG_DUMP_OPTIONS },
      bucket: { name: tenant.bucket, found: bucketFound },
      counts: { objects: objects.length, objectBytes, databaseBytes: entries[0]!.size },
      entries,
    };
    zip.addBuffer(Buffer.from(JSON.stringify(manifest, null, 2) + '\n'), 'manifest.json');
    zip.end();
    await finished(out);
    if (run.writeError) throw run.writeError;
    await rename(partial, outFile);
    return { file: outFile, bytes: (await stat(outFile)).size, manifest };
  } catch (err) {
    zip.outputStream.unpipe(out);
    out.destroy();
    await rm(partial, { force: true });
    if (err instanceof TenantExportError) throw err;
    throw new TenantExportError('ARCHIVE_WRITE_FAILED', `Could not write ${outFile}: ${(err as Error).message}`, err);
  }
}

/** State of one archive being written: the entry stream in flight and the output file's error, if any. */
interface ArchiveRun {
  current?: Transform;
  writeError?: unknown;
}

/** `database.sql` from pg_dump's stdout; rejects when pg_dump exits non-zero. */
async function addDump(zip: ZipFile, pgDump: string, dbUrl: string, run: ArchiveRun): Promise<TenantExportEntry> {
  const url = new URL(dbUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  const child = spawn(pgDump, [...PG_DUMP_OPTIONS, `--dbname=${url.toString()}`], {
    env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    stderr = (stderr + d).slice(-4000);
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? -1));
  });
  const adding = addStream(zip, child.stdout, 'database.sql', { compress: true }, run).catch((err: unknown) => {
    child.kill(); // nobody reads its stdout any more
    throw err;
  });
  const [added, code] = await Promise.allSettled([adding, exited]);
  if (added.status === 'rejected') throw added.reason;
  if (code.status === 'rejected') throw new TenantExportError('PG_DUMP_NOT_FOUND', `Could not run ${pgDump}: ${(code.reason as Error).message}`, code.reason);
  if (code.value !== 0) throw new TenantExportError('PG_DUMP_FAILED', `pg_dump exited with ${code.value}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`);
  return { path: 'database.sql', ...added.value };
}

/**
 * Adds `input` as `path` and resolves once yazl has read all of it, with its size and SHA-256 (computed
 * on the way in, so each entry is read once). Entries are added one after the other: only one object
 * stream is open at a time.
 */
async function addStream(
  zip: ZipFile,
  input: Readable,
  path: string,
  options: { compress: boolean; mtime?: Date },
  run: ArchiveRun,
): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  input.on('error', (err) => tap.destroy(err));
  input.pipe(tap);
  run.current = tap;
  if (run.writeError) tap.destroy(run.writeError as Error);
  zip.addReadStream(tap, path, { compress: options.compress, ...(options.mtime ? { mtime: options.mtime } : {}) });
  try {
    await finished(tap);
  } catch (err) {
    input.destroy();
    throw run.writeError ?? err;
  } finally {
    run.current = undefined;
  }
  return { size, sha256: hash.digest('hex') };
}

/** `server_version` of the tenant database's server. @throws TenantExportError DATABASE_NOT_FOUND. */
async function readServerVersion(dbUrl: string, dbName: string): Promise<string> {
  const client = new pg.Client({ connectionString: dbUrl });
  try {
    await client.connect();
    const res = await client.query<{ server_version: string }>('SHOW server_version');
    return res.rows[0]!.server_version;
  } catch (err) {
    if ((err as { code?: string }).code === '3D000') throw new TenantExportError('DATABASE_NOT_FOUND', `Database ${dbName} does not exist on that server`, err);
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** First line of `pg_dump --version`, after checking its major version is ≥ the server's. */
async function checkPgDump(pgDump: string, serverVersion: string): Promise<string> {
  const version = await new Promise<string>((resolve, reject) => {
    const child = spawn(pgDump, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out.trim().split('\n')[0]!) : reject(new Error(`exit code ${code}`))));
  }).catch((err: unknown) => {
    throw new TenantExportError('PG_DUMP_NOT_FOUND', `Could not run "${pgDump} --version" (install the PostgreSQL client, e.g. Debian postgresql-client): ${(err as Error).message}`, err);
  });
  const dumpMajor = Number(/(\d+)(?:\.\d+)?/.exec(version.replace(/^[^\d]*/, ''))?.[1] ?? NaN);
  const serverMajor = Number(/^(\d+)/.exec(serverVersion)?.[1] ?? NaN);
  if (!(dumpMajor >= serverMajor)) {
    throw new TenantExportError('PG_DUMP_TOO_OLD', `${version} cannot dump a PostgreSQL ${serverVersion} server: install a pg_dump of major version ≥ ${serverMajor}`);
  }
  return version;
}

/** A zip entry name yazl accepts and that cannot escape the extraction directory. */
function isSafeZipPath(key: string): boolean {
  return !!key && !key.startsWith('/') && !key.endsWith('/') && !key.includes('\\') && !/^[a-zA-Z]:/.test(key) && !key.split('/').includes('..');
}
