/**
 * Issue 9 end to end: a supplier invoice PDF uploaded through `documents-api` is read by `worker-ocr` running as its
 * own process with the real engine (`@cetate/documents-ocr`: PDF text layer, pdftoppm + Tesseract), then confirmed into
 * a draft purchase invoice; the same invoice uploaded again is flagged as a duplicate and never recorded twice; a
 * corrupt PDF fails with `DOCUMENT_CORRUPT`; poisoned messages land in the DLQ. Real PostgreSQL, RabbitMQ, S3 server
 * and identity server.
 */
import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OcrExtractCommand, type ConfirmResult, type DocumentView, type PurchaseInvoiceView } from '@cetate/documents-contracts';
import { documentsTopology } from '@cetate/documents-data-access';
import { encodePng, rasterizePdfPage, randomInvoice, renderInvoicePdf, type TestInvoice } from '@cetate/documents-ocr/test-set';
import { runInTenant } from '@cetate/platform-tenancy';
import { AmqpConnection, listDlq, Publisher, type DlqMessage } from '@cetate/platform-messaging';
import { startTestPlatform, TEST_RETRY, type TestPlatform } from './test-platform.js';

let p: TestPlatform;
let worker: ChildProcess;
let amqp: AmqpConnection;
/** A generated invoice whose text-layer PDF the extraction reads completely (the truth is known). */
let invoice: TestInvoice;
let pdf: Buffer;

beforeAll(async () => {
  p = await startTestPlatform({ documents: true, worker: 'none' });
  worker = p.spawnWorker('worker-ocr');
  amqp = new AmqpConnection({ url: p.workerEnv.AMQP_URL!, name: 'e2e-documents', topology: documentsTopology(TEST_RETRY) });
  await amqp.connect();
  invoice = randomInvoice('e2e-documents-1');
  pdf = Buffer.from(await renderInvoicePdf(invoice));
});
afterAll(async () => {
  await amqp?.close();
  await p?.close();
});

const pdfBody = (data: Buffer) => ({ data, type: 'application/pdf' });

async function upload(data: Buffer, filename = 'factura.pdf'): Promise<DocumentView> {
  const r = await p.documentsCall('POST', `/v1/documents?filename=${encodeURIComponent(filename)}`, pdfBody(data));
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return r.json as unknown as DocumentView;
}

/** Polls the document until it leaves `uploaded`/`processing` (or `timeoutMs` passes). */
async function settled(id: string, timeoutMs = 90_000): Promise<DocumentView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await p.documentsCall('GET', `/v1/documents/${id}`);
    expect(r.status).toBe(200);
    const d = r.json as unknown as DocumentView;
    if (d.status !== 'uploaded' && d.status !== 'processing') return d;
    if (worker.exitCode !== null) throw new Error(`worker-ocr exited (${worker.exitCode})`);
    if (Date.now() > deadline) throw new Error(`document ${id} still ${d.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Polls the DLQ of the OCR queue until `pred` finds a message. */
async function inDlq(pred: (m: DlqMessage) => boolean, timeoutMs = 30_000): Promise<DlqMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await listDlq(amqp, OcrExtractCommand.tag)).find(pred);
    if (found) return found;
    if (Date.now() > deadline) throw new Error('message not in the DLQ in time');
    await new Promise((r) => setTimeout(r, 300));
  }
}

describe('documents and OCR, end to end (documents-api, worker-ocr as its own process, the real OCR)', () => {
  let first: DocumentView;
  let purchase: PurchaseInvoiceView;

  it('an uploaded invoice PDF is read by the worker (progress per page, fields with confidence and position) and becomes a draft purchase invoice', async () => {
    first = await upload(pdf);
    expect(first).toMatchObject({ status: 'uploaded', mime: 'application/pdf', size: pdf.length, filename: 'factura.pdf', sameFileAs: null });
    expect(first.objectKey).toMatch(new RegExp(`^documents/\\d{4}/\\d{2}/${first.id}/original\\.pdf$`));

    const done = await settled(first.id);
    expect(done.status, JSON.stringify(done.error)).toBe('extracted');
    expect(done).toMatchObject({ pages: 1, pagesDone: 1, progress: 1, source: 'text-layer', error: null });
    const t = invoice.truth;
    const f = done.fields!;
    expect({
      supplierCif: f.supplier.cif?.value,
      series: f.series?.value,
      number: f.number?.value,
      issueDate: f.issueDate?.value,
      dueDate: f.dueDate?.value,
      currency: f.currency?.value,
      payableTotal: f.payableTotal?.value,
    }).toEqual({ supplierCif: t.supplier.cif, series: t.series, number: t.number, issueDate: t.issueDate, dueDate: t.dueDate, currency: t.currency, payableTotal: t.payableTotal });
    for (const field of [f.supplier.cif!, f.number!, f.issueDate!, f.payableTotal!]) {
      expect(field.confidence).toBeGreaterThan(0);
      expect(field.confidence).toBeLessThanOrEqual(1);
      expect(field.page).toBe(1);
      expect(field.bbox!.x1).toBeGreaterThan(field.bbox!.x0);
      expect(field.bbox!.y1).toBeGreaterThan(field.bbox!.y0);
    }
    // the command and the worker's events went through the tenant outbox: the command, one progress event for the one
    // page, then extracted
    const events = await p.tenantQuery<{ routing_key: string; payload: { page?: number; progress?: number } }>(
      `SELECT routing_key, payload FROM messaging.outbox WHERE payload->>'documentId' = $1 ORDER BY created_at`,
      [first.id],
    );
    expect(events.map((e) => e.routing_key)).toEqual(['worker.request.ocr.extract', 'documents.document.progress', 'documents.document.extracted']);
    expect(events[1]!.payload).toMatchObject({ page: 1, progress: 1 });
    const stored = await runInTenant(p.tenant, () => p.storage.listObjects(p.tenant, `documents/`));
    expect(stored.map((o) => o.objectKey)).toContain(first.objectKey);
    const file = await p.documentsCall('GET', `/v1/documents/${first.id}/file`, undefined, { clientId: 'reader' });
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.bytes.equals(pdf)).toBe(true);

    const confirmed = await p.documentsCall('POST', `/v1/documents/${first.id}/confirm`);
    expect(confirmed.status, JSON.stringify(confirmed.json)).toBe(201);
    const r = confirmed.json as unknown as ConfirmResult;
    purchase = r.purchaseInvoice;
    expect(r.document).toMatchObject({ status: 'confirmed', purchaseInvoiceId: purchase.id });
    expect(purchase).toMatchObject({
      status: 'draft',
      source: 'ocr',
      sourceDocumentId: first.id,
      supplier: { cif: t.supplier.cif.replace(/^RO/, '') },
      number: `${t.series}${t.number}`,
      issueDate: t.issueDate,
      currency: t.currency,
      totals: { payable: t.payableTotal },
    });
    const list = await p.documentsCall('GET', `/v1/purchase-invoices?supplierCif=${t.supplier.cif}`, undefined, { clientId: 'reader' });
    expect(list.status).toBe(200);
    expect((list.json as { items: PurchaseInvoiceView[] }).items.map((i) => i.id)).toEqual([purchase.id]);
  });

  it('the same invoice uploaded again is flagged as a duplicate: 409 naming the existing purchase invoice, never a second row', async () => {
    const again = await upload(pdf, 'factura-copie.pdf');
    expect(again.sameFileAs).toBe(first.id);
    const done = await settled(again.id);
    expect(done.status).toBe('extracted');
    expect(done.duplicateOf).toBe(purchase.id); // seen before confirming
    const [a, b] = await Promise.all([p.documentsCall('POST', `/v1/documents/${again.id}/confirm`), p.documentsCall('POST', `/v1/documents/${again.id}/confirm`)]);
    for (const r of [a, b]) {
      expect(r.status).toBe(409);
      expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(r.json).toMatchObject({ code: 'PURCHASE_INVOICE_DUPLICATE', existingId: purchase.id, status: 409 });
      expect(r.json!.traceId).toMatch(/^[0-9a-f]{32}$/);
    }
    const flagged = (await p.documentsCall('GET', `/v1/documents/${again.id}`)).json as unknown as DocumentView;
    expect(flagged).toMatchObject({ status: 'extracted', duplicateOf: purchase.id, purchaseInvoiceId: null });
    const rows = await p.tenantQuery<{ n: number }>(`SELECT count(*)::int AS n FROM purchases.purchase_invoice WHERE supplier_cif = $1`, [purchase.supplier.cif]);
    expect(rows[0]!.n).toBe(1);
    // confirmed documents stay confirmed: a second confirmation of the first one is a conflict, not a second invoice
    const twice = await p.documentsCall('POST', `/v1/documents/${first.id}/confirm`);
    expect(twice.json).toMatchObject({ status: 409, code: 'DOCUMENT_STATE_CONFLICT' });
  });

  it('a scan of the same invoice (PNG, no text layer) is read by Tesseract in the worker and flagged as the same invoice', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cetate-e2e-scan-'));
    let png: Buffer;
    try {
      await writeFile(join(dir, 'f.pdf'), pdf);
      png = Buffer.from(encodePng(await rasterizePdfPage(join(dir, 'f.pdf'), 300)));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const scan = await upload(png, 'scan.png');
    expect(scan.mime).toBe('image/png');
    const done = await settled(scan.id);
    expect(done.status, JSON.stringify(done.error)).toBe('extracted');
    expect(done).toMatchObject({ source: 'ocr', pages: 1, progress: 1 });
    const f = done.fields!;
    expect([f.supplier.cif?.value, f.number?.value, f.issueDate?.value]).toEqual([invoice.truth.supplier.cif, invoice.truth.number, invoice.truth.issueDate]);
    expect(f.number!.confidence).toBeLessThan(1); // an OCR reading, not a text layer
    const r = await p.documentsCall('POST', `/v1/documents/${scan.id}/confirm`);
    expect(r.json).toMatchObject({ status: 409, code: 'PURCHASE_INVOICE_DUPLICATE', existingId: purchase.id });
  });

  it('fields can be corrected before confirming; the draft carries the corrections', async () => {
    const other = randomInvoice('e2e-documents-3');
    const doc = await upload(Buffer.from(await renderInvoicePdf(other)), 'alta.pdf');
    expect((await settled(doc.id)).status).toBe('extracted');
    const bad = await p.documentsCall('PATCH', `/v1/documents/${doc.id}/fields`, { data: JSON.stringify({ supplier: { cif: '18547291' } }), type: 'application/json' });
    expect(bad.json).toMatchObject({ status: 422, code: 'DOCUMENT_FIELDS_INVALID', errors: [{ path: 'supplier.cif' }] });
    const readerTry = await p.documentsCall('PATCH', `/v1/documents/${doc.id}/fields`, { data: '{}', type: 'application/json' }, { clientId: 'reader' });
    expect(readerTry.status).toBe(403);
    const fixed = await p.documentsCall('PATCH', `/v1/documents/${doc.id}/fields`, { data: JSON.stringify({ dueDate: '2026-12-31', payableTotal: '100.00' }), type: 'application/json' });
    expect(fixed.status).toBe(200);
    expect((fixed.json as unknown as DocumentView).fields!.payableTotal).toMatchObject({ value: '100.00', confidence: 1, corrected: true });
    const ok = await p.documentsCall('POST', `/v1/documents/${doc.id}/confirm`, { data: JSON.stringify({ buyer: { name: 'Cumpărător Corectat SRL' } }), type: 'application/json' });
    expect(ok.status, JSON.stringify(ok.json)).toBe(201);
    expect((ok.json as unknown as ConfirmResult).purchaseInvoice).toMatchObject({ dueDate: '2026-12-31', totals: { payable: '100.00' }, buyer: { name: 'Cumpărător Corectat SRL' } });
  });

  it('a corrupt PDF ends failed with DOCUMENT_CORRUPT; a wrong type is 415 and an oversized file 413, nothing stored', async () => {
    const corrupt = await upload(Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> this is not a PDF body at all\n'), 'stricat.pdf');
    const done = await settled(corrupt.id);
    expect(done).toMatchObject({ status: 'failed', error: { code: 'DOCUMENT_CORRUPT' } });
    // read again on request (e.g. after fixing the engine): a new run, the same verdict for the same bytes
    const again = await p.documentsCall('POST', `/v1/documents/${corrupt.id}/extract`);
    expect(again.status).toBe(202);
    expect(again.json).toMatchObject({ status: 'uploaded', error: null });
    expect(await settled(corrupt.id)).toMatchObject({ status: 'failed', error: { code: 'DOCUMENT_CORRUPT' } });
    const runs = await p.tenantQuery<{ runs: number }>('SELECT runs FROM documents.document WHERE id = $1', [corrupt.id]);
    expect(runs[0]?.runs).toBe(2);
    expect((await p.documentsCall('POST', `/v1/documents/${first.id}/extract`)).json).toMatchObject({ status: 409, code: 'DOCUMENT_STATE_CONFLICT' });

    const before = await p.tenantQuery<{ n: number }>('SELECT count(*)::int AS n FROM documents.document');
    const gif = await p.documentsCall('POST', '/v1/documents', { data: Buffer.from('GIF89a........'), type: 'application/pdf' });
    expect(gif.status).toBe(415);
    expect(gif.json).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    const big = Buffer.alloc(21 * 1024 * 1024, 0x20);
    big.write('%PDF-1.7\n');
    const tooBig = await p.documentsCall('POST', '/v1/documents', pdfBody(big));
    expect(tooBig.status).toBe(413);
    expect(tooBig.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const asReader = await p.documentsCall('POST', '/v1/documents', pdfBody(pdf), { clientId: 'reader' });
    expect(asReader.status).toBe(403);
    const after = await p.tenantQuery<{ n: number }>('SELECT count(*)::int AS n FROM documents.document');
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('poisoned messages land in the DLQ (invalid payload, unknown tenant, unknown document); a redelivered command does nothing twice', async () => {
    const publisher = new Publisher(amqp);
    const junkId = randomUUID();
    await publisher.publishRaw('cetate.commands', OcrExtractCommand.routingKey, Buffer.from(JSON.stringify({ tenant: p.tenant.slug, documentId: 'not-a-uuid' })), {
      messageId: junkId,
      headers: {
        'x-tenant-id': p.tenant.slug,
        'x-correlation-id': 'e2e',
        'x-idempotency-key': 'junk',
        'x-message-type': OcrExtractCommand.type,
        'x-schema-version': 1,
        'x-headers-version': 1,
      },
    });
    const strangerId = randomUUID();
    await publisher.publish(OcrExtractCommand, { tenant: 'nosuch-tenant', documentId: randomUUID(), objectKey: 'documents/x.pdf' }, { tenantId: 'nosuch-tenant', correlationId: 'e2e', idempotencyKey: 'x', messageId: strangerId });
    // the first document's command once more (a broker redelivery / relay re-send): acknowledged, nothing done again
    const replayId = randomUUID();
    await publisher.publish(OcrExtractCommand, { tenant: p.tenant.slug, documentId: first.id, objectKey: first.objectKey }, { tenantId: p.tenant.slug, correlationId: 'e2e', idempotencyKey: first.id, messageId: replayId });
    const ghostId = randomUUID();
    await publisher.publish(OcrExtractCommand, { tenant: p.tenant.slug, documentId: randomUUID(), objectKey: 'documents/ghost.pdf' }, { tenantId: p.tenant.slug, correlationId: 'e2e', idempotencyKey: 'g', messageId: ghostId });

    expect((await inDlq((m) => m.messageId === junkId)).errorCode).toBe('MESSAGE_VALIDATION_FAILED');
    expect((await inDlq((m) => m.messageId === strangerId)).errorCode).toBe('TENANT_NOT_FOUND');
    expect((await inDlq((m) => m.messageId === ghostId)).errorCode).toBe('DOCUMENT_NOT_FOUND');
    // one message at a time (prefetch 1), in order: the replay was acknowledged before the ghost was delivered, and it
    // changed nothing on the document
    const rows = await p.tenantQuery<{ runs: number; status: string }>('SELECT runs, status FROM documents.document WHERE id = $1', [first.id]);
    expect(rows[0]).toEqual({ runs: 1, status: 'confirmed' });
    expect((await listDlq(amqp, OcrExtractCommand.tag)).some((m) => m.messageId === replayId)).toBe(false);
    expect(worker.exitCode).toBeNull(); // the worker survived all of it
  });
});
