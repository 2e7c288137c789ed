import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@cetate/platform-testing';
import { collectMigrations, pendingTenantMigrations } from '@cetate/platform-tenancy';
import {
  DOCUMENTS_ENTITIES,
  DOCUMENTS_MIGRATIONS,
  DOCUMENTS_TENANT_MODULE,
  DocumentRepository,
  PurchaseInvoiceRepository,
  purchaseNumberKey,
  type NewPurchaseInvoice,
} from './index.js';

const docs = new DocumentRepository();
const purchases = new PurchaseInvoiceRepository();

function newDoc(sha = 'a'.repeat(64)) {
  const id = randomUUID();
  return { id, objectKey: `documents/2026/05/${id}/original.pdf`, filename: 'f.pdf', mime: 'application/pdf' as const, size: 1234, sha256: sha, correlationId: 'c', createdBy: 'test' };
}

function draft(over: Partial<NewPurchaseInvoice> = {}): NewPurchaseInvoice {
  return {
    id: randomUUID(),
    source: 'ocr',
    supplierCif: '18547290',
    supplierVatId: 'RO18547290',
    supplierName: 'Furnizor SRL',
    number: 'ABC 00123',
    series: 'ABC',
    issueDate: '2026-03-15',
    dueDate: '2026-04-14',
    currency: 'RON',
    netTotal: '1000.00',
    vatTotal: '210.00',
    payableTotal: '1210.00',
    vat: [{ rate: '21', base: '1000.00', amount: '210.00' }],
    ...over,
  };
}

describe('documents data access in a real tenant database', () => {
  let db: TestDatabase;
  let ds: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await new DataSource({ type: 'postgres', url: db.url, poolSize: 6, entities: DOCUMENTS_ENTITIES, migrations: collectMigrations([DOCUMENTS_TENANT_MODULE]) }).initialize();
    await ds.runMigrations({ transaction: 'all' });
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('the module migrations apply and leave nothing pending; columns carry their EN 16931 terms', async () => {
    expect(await pendingTenantMigrations(ds, DOCUMENTS_MIGRATIONS)).toEqual([]);
    const [c] = await ds.query(`SELECT col_description('purchases.purchase_invoice'::regclass, attnum) AS d FROM pg_attribute WHERE attrelid = 'purchases.purchase_invoice'::regclass AND attname = 'payable_total'`);
    expect(c.d).toMatch(/^BT-115 /);
  });

  it('one run holds a document: a second claim is refused while the lease lives, taken over when it ran out; a stale run writes nothing', async () => {
    const d = await docs.insert(ds.manager, newDoc());
    expect(d.status).toBe('uploaded');
    const first = await docs.claim(ds, d.id, 60_000);
    expect(first).toMatchObject({ claimed: true, run: 1, objectKey: d.objectKey });
    const second = await docs.claim(ds, d.id, 60_000);
    expect(second).toMatchObject({ claimed: false, status: 'processing' });
    expect(await docs.pageDone(ds, d.id, 1, 3, 60_000)).toEqual({ pagesDone: 1, pages: 3, progress: 1 / 3 });

    await ds.query(`UPDATE documents.document SET lease_until = now() - interval '1 second' WHERE id = $1`, [d.id]); // run 1 stalled
    const takeover = await docs.claim(ds, d.id, 60_000);
    expect(takeover).toMatchObject({ claimed: true, run: 2 });
    const row = await docs.find(ds.manager, d.id);
    expect([row?.pagesDone, row?.progress]).toEqual([0, 0]); // the new run starts over
    expect(await docs.pageDone(ds, d.id, 1, 3, 60_000)).toBeNull(); // run 1 woke up: fenced off
    expect(await docs.extracted(ds, d.id, 1, { fields: { supplier: {}, buyer: {}, vat: [], warnings: [] }, pages: 3, source: 'ocr' })).toBe(false);
    expect(await docs.failed(ds, d.id, undefined, 'X', 'giving up')).toBe(false); // a live run holds it
    for (let i = 0; i < 3; i++) await docs.pageDone(ds, d.id, 2, 3, 60_000);
    expect(await docs.extracted(ds, d.id, 2, { fields: { supplier: {}, buyer: {}, vat: [], warnings: ['w'] }, pages: 3, source: 'text-layer' })).toBe(true);
    const done = await docs.find(ds.manager, d.id);
    expect(done).toMatchObject({ status: 'extracted', pages: 3, pagesDone: 3, progress: 1, source: 'text-layer', leaseUntil: null });
    expect(done?.fields?.warnings).toEqual(['w']);
    expect(await docs.claim(ds, d.id, 60_000)).toMatchObject({ claimed: false, status: 'extracted' }); // redelivery: nothing to do
  });

  it('failing: by the run holding it, or by the consumer giving up when no run holds it', async () => {
    const a = await docs.insert(ds.manager, newDoc());
    expect(await docs.failed(ds, a.id, undefined, 'MAX_ATTEMPTS_EXCEEDED', 'gave up')).toBe(true);
    expect(await docs.find(ds.manager, a.id)).toMatchObject({ status: 'failed', errorCode: 'MAX_ATTEMPTS_EXCEEDED' });
    const b = await docs.insert(ds.manager, newDoc());
    const run = await docs.claim(ds, b.id, 60_000);
    expect(run.claimed).toBe(true);
    expect(await docs.failed(ds, b.id, 7, 'DOCUMENT_CORRUPT', 'wrong run')).toBe(false);
    expect(await docs.failed(ds, b.id, 1, 'DOCUMENT_CORRUPT', 'not a PDF')).toBe(true);
    expect(await docs.find(ds.manager, b.id)).toMatchObject({ status: 'failed', errorCode: 'DOCUMENT_CORRUPT', errorMessage: 'not a PDF' });
    expect(await docs.claim(ds, 'ffffffff-ffff-4fff-8fff-ffffffffffff', 1000)).toEqual({ claimed: false, status: 'missing', leaseUntil: null });
  });

  it('the same bytes uploaded again point at the first upload', async () => {
    const sha = 'b'.repeat(64);
    const first = await docs.insert(ds.manager, newDoc(sha));
    const second = await docs.insert(ds.manager, newDoc(sha));
    expect(await docs.sameFile(ds, second.id, sha)).toBe(first.id);
    expect(await docs.sameFile(ds, first.id, sha)).toBeNull();
  });

  it('the same supplier CUI + number + issue date is never recorded twice, even by 10 concurrent transactions; spacing and case of BT-1 do not matter', async () => {
    const numbers = ['XYZ-0042', 'xyz 0042', 'XYZ0042', 'Xyz/0042', 'XYZ 0042', 'XYZ.0042', 'xyz-0042', 'XYZ_0042', 'XYZ  0042', 'XYZ0042 '];
    const results = await Promise.all(numbers.map((n) => ds.transaction((m) => purchases.record(m, draft({ number: n, supplierCif: '14399840' })))));
    const created = results.filter((r) => r.outcome === 'created');
    expect(created).toHaveLength(1);
    const id = (created[0] as { id: string }).id;
    expect(results.filter((r) => r.outcome === 'duplicate').map((r) => (r as { existingId: string }).existingId)).toEqual(Array(9).fill(id));
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM purchases.purchase_invoice WHERE supplier_cif = '14399840'`);
    expect(n).toBe(1);
    expect(await purchases.findIdentity(ds, '14399840', 'xyz0042', '2026-03-15')).toBe(id);
    // another date, another supplier or another number is another invoice
    expect((await ds.transaction((m) => purchases.record(m, draft({ number: 'XYZ-0042', supplierCif: '14399840', issueDate: '2026-03-16' })))).outcome).toBe('created');
    expect((await ds.transaction((m) => purchases.record(m, draft({ number: 'XYZ-0042', supplierCif: '18547290' })))).outcome).toBe('created');
    expect((await ds.transaction((m) => purchases.record(m, draft({ number: 'XYZ-0043', supplierCif: '14399840' })))).outcome).toBe('created');
  });

  it('flag mode stores a second arrival as a flagged duplicate of the first, which stays the only invoice of that identity', async () => {
    const first = await ds.transaction((m) => purchases.record(m, draft({ number: 'F-1', supplierCif: '6859662', source: 'ocr' })));
    const again = await ds.transaction((m) => purchases.record(m, draft({ number: 'F-1', supplierCif: '6859662', source: 'efactura', sourceReference: '3001' }), 'flag'));
    expect(first.outcome).toBe('created');
    expect(again).toMatchObject({ outcome: 'flagged', existingId: (first as { id: string }).id });
    const rec = await purchases.get(ds.manager, (again as { id: string }).id);
    expect(rec?.invoice.duplicateOf).toBe((first as { id: string }).id);
    expect(await purchases.findIdentity(ds, '6859662', 'F-1', '2026-03-15')).toBe((first as { id: string }).id);
  });

  it('stores and reads back the VAT breakdown, lines, dates and amounts exactly', async () => {
    const v = draft({
      number: 'L-7',
      supplierCif: '2816464',
      vat: [
        { rate: '21', base: '100.00', amount: '21.00' },
        { rate: '11', base: '50.00', amount: '5.50' },
      ],
      lines: [{ lineId: '1', name: 'Hârtie A4', quantity: '10.0000', unitCode: 'H87', unitPrice: '15.0000', netAmount: '150.00', vatCategoryCode: 'S', vatRate: '21.00' }],
      netTotal: '150.00',
      vatTotal: '26.50',
      payableTotal: '176.50',
    });
    await ds.transaction((m) => purchases.record(m, v));
    const rec = await purchases.get(ds.manager, v.id);
    expect(rec?.invoice).toMatchObject({ issueDate: '2026-03-15', dueDate: '2026-04-14', netTotal: '150.00', vatTotal: '26.50', payableTotal: '176.50', numberKey: purchaseNumberKey('L-7'), status: 'draft' });
    expect(rec?.vat.map((x) => [x.rate, x.base, x.amount, x.categoryCode])).toEqual([
      ['21.00', '100.00', '21.00', 'S'],
      ['11.00', '50.00', '5.50', 'S'],
    ]);
    expect(rec?.lines[0]).toMatchObject({ lineId: '1', name: 'Hârtie A4', quantity: '10.0000', netAmount: '150.00' });
    const page = await purchases.list(ds.manager, { supplierCif: '2816464', limit: 10, offset: 0 });
    expect(page.total).toBe(1);
    expect(page.items[0]?.vat).toHaveLength(2);
  });
});
