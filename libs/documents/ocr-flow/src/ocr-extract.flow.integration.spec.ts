/**
 * The OCR flow's bookkeeping against a real tenant database: leases, fencing, idempotency, progress events and failure
 * codes. The reader here is a scripted stand-in on purpose (a stalled run, an engine crash and a page-by-page pace
 * cannot be provoked with the real engine on demand); the real reader, the real worker process and the real OCR run in
 * tools/dev-stack/src/e2e/documents-ocr.e2e.spec.ts.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentEvents, type ExtractedFields, type OcrExtractPayload } from '@cetate/documents-contracts';
import { DOCUMENTS_ENTITIES, DOCUMENTS_MIGRATIONS, DocumentRepository } from '@cetate/documents-data-access';
import { NonRetryableError, Outbox, RetryableError } from '@cetate/platform-messaging';
import { createLogger } from '@cetate/platform-observability';
import { createTestDatabase, type TestDatabase } from '@cetate/platform-testing';
import { ObjectNotFoundError } from '@cetate/platform-storage';
import { OcrExtractFlow, classifyReadError, type DocumentReader, type DocumentsObjects, type DocumentsOutbox, type ReadOptions } from './index.js';

const FIELDS: ExtractedFields = {
  supplier: { cif: { value: 'RO18547290', confidence: 0.97, page: 1, bbox: { x0: 1, y0: 2, x1: 3, y1: 4 } } },
  buyer: {},
  number: { value: '123', confidence: 0.8, page: 1, bbox: { x0: 1, y0: 2, x1: 3, y1: 4 } },
  vat: [],
  warnings: [],
};

/** A reader whose every call waits for the test to say what it does. */
class ScriptedReader implements DocumentReader {
  calls: Array<{ opts: ReadOptions; resolve: (pages: number) => void; reject: (e: unknown) => void }> = [];
  private waiters: Array<() => void> = [];
  read(_bytes: Buffer, opts: ReadOptions) {
    return new Promise<{ fields: ExtractedFields; pages: number; source: string }>((res, reject) => {
      this.calls.push({
        opts,
        resolve: (pages) => {
          for (let p = 1; p <= pages; p++) opts.onPage({ page: p, pages, source: 'text-layer', ms: 5 });
          res({ fields: FIELDS, pages, source: 'text-layer' });
        },
        reject,
      });
      this.waiters.splice(0).forEach((w) => w());
    });
  }
  /** Resolves when call number `n` (1-based) has started. */
  async started(n: number) {
    while (this.calls.length < n) await new Promise<void>((r) => this.waiters.push(r));
    return this.calls[n - 1]!;
  }
}

describe('OCR extraction flow in a real tenant database', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const docs = new DocumentRepository();
  const files = new Map<string, Buffer>();
  const objects: DocumentsObjects = {
    async put() {
      throw new Error('not used');
    },
    async get(_t, key) {
      const b = files.get(key);
      if (!b) throw new ObjectNotFoundError('tenant-acme', key);
      return b;
    },
  };
  const outbox: DocumentsOutbox = {
    async event(m, kind, payload, meta) {
      await Outbox.enqueue(m, DocumentEvents[kind], payload as never, meta);
    },
    kick() {},
  };
  const dataSources = { forTenant: async () => ds, withDataSource: <T>(_s: string, fn: (d: DataSource) => Promise<T>) => fn(ds) };
  const log = createLogger('ocr-flow-spec');

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await new DataSource({ type: 'postgres', url: db.url, poolSize: 6, entities: DOCUMENTS_ENTITIES, migrations: [...DOCUMENTS_MIGRATIONS] }).initialize();
    await ds.runMigrations();
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  async function upload(bytes = Buffer.from('%PDF-1.7 test')): Promise<OcrExtractPayload> {
    const id = randomUUID();
    const objectKey = `documents/2026/05/${id}/original.pdf`;
    files.set(objectKey, bytes);
    await docs.insert(ds.manager, { id, objectKey, filename: 'f.pdf', mime: 'application/pdf', size: bytes.length, sha256: 'c'.repeat(64), correlationId: 'corr', createdBy: null });
    return { tenant: 'acme', documentId: id, objectKey };
  }
  const meta = (cmd: OcrExtractPayload) => ({ correlationId: 'corr', idempotencyKey: cmd.documentId });
  const events = async (id: string) =>
    (await ds.query(`SELECT routing_key, payload FROM messaging.outbox WHERE payload->>'documentId' = $1 ORDER BY created_at, message_id`, [id])) as Array<{ routing_key: string; payload: Record<string, unknown> }>;

  it('reads the document once: a progress event and the row progress per page, then the fields; a redelivery does nothing', async () => {
    const reader = new ScriptedReader();
    const flow = new OcrExtractFlow(dataSources, objects, reader, outbox, log, { pageConcurrency: 3 });
    const cmd = await upload();
    const run = flow.handle(cmd, meta(cmd));
    const call = await reader.started(1);
    expect(call.opts.pageConcurrency).toBe(3);
    expect((await docs.find(ds.manager, cmd.documentId))?.status).toBe('processing');
    call.resolve(3);
    expect(await run).toMatchObject({ outcome: 'extracted', run: 1, pages: 3, source: 'text-layer' });
    const row = await docs.find(ds.manager, cmd.documentId);
    expect(row).toMatchObject({ status: 'extracted', pages: 3, pagesDone: 3, progress: 1, source: 'text-layer' });
    expect(row?.fields?.supplier.cif?.value).toBe('RO18547290');
    const ev = await events(cmd.documentId);
    expect(ev.map((e) => e.routing_key)).toEqual([...Array(3).fill('documents.document.progress'), 'documents.document.extracted']);
    expect(ev.slice(0, 3).map((e) => [e.payload.page, e.payload.done, e.payload.progress])).toEqual([
      [1, 1, 1 / 3],
      [2, 2, 2 / 3],
      [3, 3, 1],
    ]);
    expect(ev[3]!.payload).toMatchObject({ pages: 3, fieldsFound: 2, minConfidence: 0.8 });

    expect(await flow.handle(cmd, meta(cmd))).toEqual({ outcome: 'skipped', status: 'extracted' });
    expect(reader.calls).toHaveLength(1); // never read twice
    expect(await events(cmd.documentId)).toHaveLength(4);
  });

  it('a second delivery while a run reads the document comes back later; a stalled run loses the document and writes nothing', async () => {
    const reader = new ScriptedReader();
    const flow = new OcrExtractFlow(dataSources, objects, reader, outbox, log, { leaseMs: 60_000 });
    const cmd = await upload();
    const first = flow.handle(cmd, meta(cmd));
    const stalled = await reader.started(1);
    await expect(flow.handle(cmd, meta(cmd))).rejects.toMatchObject({ code: 'DOCUMENT_BUSY' });
    await expect(flow.handle(cmd, meta(cmd))).rejects.toBeInstanceOf(RetryableError);

    await ds.query(`UPDATE documents.document SET lease_until = now() - interval '1 second' WHERE id = $1`, [cmd.documentId]); // run 1 stalled past its lease
    const second = flow.handle(cmd, meta(cmd));
    const takeover = await reader.started(2);
    takeover.resolve(2);
    expect(await second).toMatchObject({ outcome: 'extracted', run: 2 });
    stalled.resolve(2); // run 1 wakes up: its page writes are fenced off
    expect(await first).toEqual({ outcome: 'lost', run: 1 });
    const ev = await events(cmd.documentId);
    expect(ev.filter((e) => e.routing_key === 'documents.document.extracted')).toHaveLength(1);
    expect(await docs.find(ds.manager, cmd.documentId)).toMatchObject({ status: 'extracted', runs: 2 });
  });

  it("the document's own errors fail it with their code at once; engine errors release it for the next delivery; giving up fails it", async () => {
    const reader = new ScriptedReader();
    const flow = new OcrExtractFlow(dataSources, objects, reader, outbox, log);
    const corrupt = await upload();
    const r1 = flow.handle(corrupt, meta(corrupt));
    (await reader.started(1)).reject(Object.assign(new Error('pdfinfo cannot read it'), { code: 'DOCUMENT_CORRUPT', documentFault: true }));
    expect(await r1).toMatchObject({ outcome: 'failed', code: 'DOCUMENT_CORRUPT' });
    expect(await docs.find(ds.manager, corrupt.documentId)).toMatchObject({ status: 'failed', errorCode: 'DOCUMENT_CORRUPT', errorMessage: 'pdfinfo cannot read it' });
    expect((await events(corrupt.documentId)).map((e) => [e.routing_key, e.payload.code])).toEqual([['documents.document.failed', 'DOCUMENT_CORRUPT']]);

    const flaky = await upload();
    const r2 = flow.handle(flaky, meta(flaky));
    (await reader.started(2)).reject(Object.assign(new Error('tesseract was killed'), { code: 'OCR_TIMEOUT', documentFault: false }));
    await expect(r2).rejects.toMatchObject({ code: 'OCR_TIMEOUT' });
    const released = await docs.find(ds.manager, flaky.documentId);
    expect(released?.status).toBe('processing');
    expect(released!.leaseUntil!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    const r3 = flow.handle(flaky, meta(flaky)); // the retry takes it over at once
    (await reader.started(3)).reject(new Error('boom'));
    await expect(r3).rejects.toMatchObject({ code: 'OCR_FAILED' });
    expect(await flow.giveUp(flaky, meta(flaky), 'MAX_ATTEMPTS_EXCEEDED', 'gave up after 10 attempts')).toBe(true);
    expect(await docs.find(ds.manager, flaky.documentId)).toMatchObject({ status: 'failed', errorCode: 'MAX_ATTEMPTS_EXCEEDED' });
    expect(await flow.giveUp(flaky, meta(flaky), 'MAX_ATTEMPTS_EXCEEDED', 'again')).toBe(false); // already failed
  });

  it('a missing file fails the document; an unknown document or a command naming another file is refused for the DLQ', async () => {
    const reader = new ScriptedReader();
    const flow = new OcrExtractFlow(dataSources, objects, reader, outbox, log);
    const gone = await upload();
    files.delete(gone.objectKey);
    expect(await flow.handle(gone, meta(gone))).toMatchObject({ outcome: 'failed', code: 'DOCUMENT_OBJECT_MISSING' });
    const unknown = { tenant: 'acme', documentId: randomUUID(), objectKey: 'documents/x.pdf' };
    await expect(flow.handle(unknown, meta(unknown))).rejects.toSatisfy((e) => e instanceof NonRetryableError && (e as NonRetryableError).code === 'DOCUMENT_NOT_FOUND');
    const other = await upload();
    await expect(flow.handle({ ...other, objectKey: 'documents/elsewhere.pdf' }, meta(other))).rejects.toMatchObject({ code: 'DOCUMENT_OBJECT_MISMATCH' });
    expect((await docs.find(ds.manager, other.documentId))?.status).toBe('uploaded'); // untouched
    expect(reader.calls).toHaveLength(0);
  });

  it('a document that takes longer than the job bound fails with OCR_JOB_TIMEOUT and its read is aborted', async () => {
    const reader = new ScriptedReader();
    const flow = new OcrExtractFlow(dataSources, objects, reader, outbox, log, { jobTimeoutMs: 300 });
    const slow = await upload();
    const r = flow.handle(slow, meta(slow));
    const call = await reader.started(1);
    expect(await r).toMatchObject({ outcome: 'failed', code: 'OCR_JOB_TIMEOUT' });
    expect(call.opts.signal.aborted).toBe(true);
    expect((await docs.find(ds.manager, slow.documentId))?.errorCode).toBe('OCR_JOB_TIMEOUT');
  });

  it('sorts reader errors by code', () => {
    expect(classifyReadError(Object.assign(new Error('x'), { code: 'DOCUMENT_ENCRYPTED' }))).toEqual({ permanent: true, code: 'DOCUMENT_ENCRYPTED', message: 'x' });
    expect(classifyReadError(Object.assign(new Error('x'), { code: 'OCR_ENGINE_MISSING', documentFault: false })).permanent).toBe(false);
    expect(classifyReadError(Object.assign(new Error('x'), { code: 'OCR_SOMETHING', retryable: false })).permanent).toBe(true);
    expect(classifyReadError(Object.assign(new Error('x'), { code: 'not a code' })).code).toBe('OCR_FAILED');
  });
});
