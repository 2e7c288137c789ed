import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import yauzl from 'yauzl';
import { createTestDatabase, startEmbeddedS3, testEnv, type EmbeddedS3, type TestDatabase } from '@cetate/platform-testing';
import { runInTenant, tenantRefFromSlug, type TenantRef } from '@cetate/platform-tenancy';
import { exportTenant, TenantExportError, TenantStorage, storageOptionsFromEnv, type TenantExportManifest } from './index.js';

const run = promisify(execFile);

/** Every entry of a zip: name -> uncompressed bytes (yauzl, lazy entries, checks CRC-32 as it reads). */
async function readZip(file: string): Promise<Map<string, Buffer>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, validateEntrySizes: true }, (err, z) => (err ? reject(err) : resolve(z))),
  );
  const out = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', reject);
        stream.on('end', () => {
          out.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
  zip.close();
  return out;
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

describe('exportTenant: one zip with database.sql, objects/ and manifest.json (real PostgreSQL, s3rver)', () => {
  let s3: EmbeddedS3;
  let storage: TenantStorage;
  let db: TestDatabase;
  let restored: TestDatabase | undefined;
  let dir: string;
  let tenant: TenantRef;
  const big = randomBytes(3 * 1024 * 1024);
  const objects: Record<string, { body: Buffer; contentType: string; metadata?: Record<string, string> }> = {
    'invoicing/invoices/F-1/v1.xml': { body: Buffer.from('<Invoice><Name>Științe și Tehnică SRL</Name></Invoice>'), contentType: 'application/xml', metadata: { 'invoice-id': 'F-1', supplier: 'Științe și Tehnică SRL' } },
    'invoicing/invoices/F-1/anaf-1.zip': { body: randomBytes(2048), contentType: 'application/zip' },
    'documents/scan 1.pdf': { body: Buffer.from('%PDF-1.7 scan'), contentType: 'application/pdf' },
    'analytics/big.bin': { body: big, contentType: 'application/octet-stream' },
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cetate-export-'));
    s3 = await startEmbeddedS3();
    storage = new TenantStorage(storageOptionsFromEnv({ S3_ENDPOINT: s3.url }));
    db = await createTestDatabase('cetate_export');
    tenant = { ...tenantRefFromSlug('export-acme'), dbName: db.name };
    await query(
      db.url,
      `CREATE SCHEMA invoicing;
       CREATE TABLE invoicing.invoice (id serial PRIMARY KEY, number text NOT NULL, buyer text, total numeric(14,2), issued date, doc jsonb);
       INSERT INTO invoicing.invoice (number, buyer, total, issued, doc)
         SELECT 'F-' || g, 'Cumpărător ' || g || ' – „țară”', g * 10.25, DATE '2025-01-01' + g, jsonb_build_object('n', g, 'tags', jsonb_build_array('a', g))
         FROM generate_series(1, 250) g;
       INSERT INTO invoicing.invoice (number, buyer) VALUES ('F-null', NULL), (E'F-tab\\tquote''', 'line1\nline2');`,
    );
    await storage.ensureBucket(tenant);
    await runInTenant(tenant, async () => {
      for (const [key, o] of Object.entries(objects)) {
        const slash = key.indexOf('/');
        await storage.putObject(tenant, key.slice(0, slash), key.slice(slash + 1), o.body, o.contentType, o.metadata);
      }
    });
  });
  afterAll(async () => {
    await s3?.close();
    await db?.drop();
    await restored?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('pg_dump on this machine can dump this server (major version ≥ the server\'s)', async () => {
    const { stdout } = await run('pg_dump', ['--version']);
    const [row] = await query<{ server_version_num: string }>(testEnv.databaseUrl, 'SHOW server_version_num');
    expect(Number(/(\d+)\.\d+/.exec(stdout)![1])).toBeGreaterThanOrEqual(Math.floor(Number(row!.server_version_num) / 10000));
  });

  it('exports, and every entry matches the manifest checksums, the stored objects and the database rows after a restore', async () => {
    const outFile = join(dir, 'export-acme.zip');
    const progress: Array<[number, number]> = [];
    const res = await exportTenant({ tenant, serverUrl: testEnv.databaseUrl, storage, outFile, onProgress: (d, t) => progress.push([d, t]) });

    expect(res.file).toBe(outFile);
    expect(existsSync(`${outFile}.partial`)).toBe(false);
    expect(progress).toEqual([[0, 4], [1, 4], [2, 4], [3, 4], [4, 4]]);

    const entries = await readZip(outFile);
    const keys = Object.keys(objects).sort();
    expect([...entries.keys()]).toEqual(['database.sql', ...keys.map((k) => `objects/${k}`), 'manifest.json']);

    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as TenantExportManifest;
    expect(manifest).toEqual(res.manifest);
    expect(manifest).toMatchObject({
      format: 'cetate-tenant-export',
      formatVersion: 1,
      slug: 'export-acme',
      database: { name: db.name, options: ['--no-owner', '--no-privileges', '--format=plain', '--encoding=UTF8'] },
      bucket: { name: 'cetate-export-acme', found: true },
      counts: { objects: 4, objectBytes: keys.reduce((n, k) => n + objects[k]!.body.length, 0), databaseBytes: entries.get('database.sql')!.length },
    });
    expect(manifest.database.pgDump).toMatch(/^pg_dump \(PostgreSQL\) \d+/);
    expect(Date.now() - Date.parse(manifest.createdAt)).toBeLessThan(60_000);
    // every entry but the manifest is listed with its size and SHA-256, and they match the bytes in the zip
    expect(manifest.entries.map((e) => e.path)).toEqual([...entries.keys()].filter((n) => n !== 'manifest.json'));
    for (const e of manifest.entries) {
      const bytes = entries.get(e.path)!;
      expect({ path: e.path, size: bytes.length, sha256: sha256(bytes) }).toEqual({ path: e.path, size: e.size, sha256: e.sha256 });
    }
    // the objects are byte for byte those stored, with their content type and metadata
    for (const k of keys) {
      expect(sha256(entries.get(`objects/${k}`)!)).toBe(sha256(objects[k]!.body));
      const e = manifest.entries.find((x) => x.path === `objects/${k}`)!;
      expect(e.contentType).toBe(objects[k]!.contentType);
      expect(e.metadata).toEqual(objects[k]!.metadata ?? {});
    }

    // restore database.sql into a new, empty database and compare every row
    const sql = entries.get('database.sql')!.toString('utf8');
    expect(sql).toMatch(/PostgreSQL database dump/);
    expect(sql).not.toMatch(/OWNER TO|GRANT /);
    restored = await createTestDatabase('cetate_restore');
    const sqlFile = join(dir, 'database.sql');
    await writeFile(sqlFile, sql);
    await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', restored.url, '-f', sqlFile]);
    const rowsSql = 'SELECT id, number, buyer, total::text, issued::text, doc::text FROM invoicing.invoice ORDER BY id';
    const before = await query(db.url, rowsSql);
    expect(before).toHaveLength(252);
    expect(await query(restored.url, rowsSql)).toEqual(before);
    // the sequence continues where it was
    const [next] = await query<{ id: number }>(restored.url, "INSERT INTO invoicing.invoice (number) VALUES ('F-next') RETURNING id");
    expect(next!.id).toBe(253);
  });

  it('a tenant whose bucket does not exist exports its database and no objects', async () => {
    const noBucket = { ...tenantRefFromSlug('export-nobucket'), dbName: db.name };
    const res = await exportTenant({ tenant: noBucket, serverUrl: testEnv.databaseUrl, storage, outFile: join(dir, 'nobucket.zip') });
    expect(res.manifest.bucket).toEqual({ name: 'cetate-export-nobucket', found: false });
    expect(res.manifest.counts.objects).toBe(0);
    expect([...(await readZip(res.file)).keys()]).toEqual(['database.sql', 'manifest.json']);
  });

  it('fails with typed errors and leaves no file: missing database, missing pg_dump, unwritable target', async () => {
    const missingDb = { ...tenant, dbName: 'tenant_does_not_exist_x' };
    const out1 = join(dir, 'missing-db.zip');
    await expect(exportTenant({ tenant: missingDb, serverUrl: testEnv.databaseUrl, storage, outFile: out1 })).rejects.toMatchObject({
      code: 'TENANT_EXPORT_FAILED',
      reason: 'DATABASE_NOT_FOUND',
      status: 404,
    });
    const out2 = join(dir, 'no-pg-dump.zip');
    const err2 = await exportTenant({ tenant, serverUrl: testEnv.databaseUrl, storage, outFile: out2, pgDump: join(dir, 'no-such-pg_dump') }).catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(TenantExportError);
    expect(err2).toMatchObject({ reason: 'PG_DUMP_NOT_FOUND', status: 500 });
    const out3 = join(dir, 'no-such-dir', 'x.zip');
    await expect(exportTenant({ tenant, serverUrl: testEnv.databaseUrl, storage, outFile: out3 })).rejects.toMatchObject({ reason: 'ARCHIVE_WRITE_FAILED' });
    for (const f of [out1, out2, out3]) {
      expect(existsSync(f)).toBe(false);
      expect(existsSync(`${f}.partial`)).toBe(false);
    }
  });

  it('a pg_dump that fails part way fails the export (PG_DUMP_FAILED, its stderr in the message) and removes the partial zip', async () => {
    // a stand-in pg_dump: answers --version like pg_dump 15, then writes some SQL and exits 1
    const fake = join(dir, 'failing-pg_dump');
    await writeFile(fake, '#!/bin/sh\nif [ "$1" = "--version" ]; then echo "pg_dump (PostgreSQL) 15.99"; exit 0; fi\necho "-- partial"\necho "pg_dump: error: connection lost" >&2\nexit 1\n', { mode: 0o755 });
    const outFile = join(dir, 'failing.zip');
    const err = await exportTenant({ tenant, serverUrl: testEnv.databaseUrl, storage, outFile, pgDump: fake }).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'PG_DUMP_FAILED' });
    expect((err as Error).message).toMatch(/connection lost/);
    expect(existsSync(outFile)).toBe(false);
    expect(existsSync(`${outFile}.partial`)).toBe(false);
  });
});
