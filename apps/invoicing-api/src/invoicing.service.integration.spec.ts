/**
 * `InvoicingService` and `AutoSendScheduler` on a real tenant database (PostgreSQL, every invoicing migration), the real
 * outbox writer and the embedded S3 server: what the end-to-end tests cannot order at will: worker events arriving late
 * or for an older version, two credit notes of one line at the same time, two schedulers passing over one tenant, a
 * tenant whose database fails.
 */
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EfacturaSubmitCommand, type EfacturaEventState } from '@cetate/invoicing-contracts';
import { INVOICING_ENTITIES, INVOICING_MIGRATIONS, invoicingObjects } from '@cetate/invoicing-data-access';
import { DEMO_INVOICE_DOCUMENT, romanianDate } from '@cetate/invoicing-domain';
import { Outbox } from '@cetate/platform-messaging';
import { createLogger } from '@cetate/platform-observability';
import { TenantStorage } from '@cetate/platform-storage';
import { runInTenant, type TenantRecord } from '@cetate/platform-tenancy';
import { createTestDatabase, startEmbeddedS3, type EmbeddedS3, type TestDatabase } from '@cetate/platform-testing';
import { AutoSendScheduler } from './auto-send.scheduler.js';
import { EfacturaSettingsService } from './efactura-settings.js';
import { InvoicingService } from './invoicing.service.js';
import type { CommandOutbox, TenantDataSources, TenantInfo } from './ports.js';

let db: TestDatabase;
let ds: DataSource;
let s3: EmbeddedS3;
let service: InvoicingService;
let settings: EfacturaSettingsService;
let dataSources: TenantDataSources;
const slug = `svc-${randomBytes(3).toString('hex')}`;
const tenantRecord = { slug, dbName: 'n/a', bucket: `cetate-${slug}`, realm: slug, cif: '41832096', dbCluster: 'default', status: 'active', displayName: slug } as unknown as TenantRecord;
const tenant: TenantInfo = { slug, cif: '41832096' };
const actor = { subject: 'u-1', username: 'ana' };

beforeAll(async () => {
  db = await createTestDatabase('invoicing_service');
  ds = new DataSource({ type: 'postgres', url: db.url, entities: INVOICING_ENTITIES, migrations: [...INVOICING_MIGRATIONS] });
  await ds.initialize();
  await ds.runMigrations();
  s3 = await startEmbeddedS3();
  const storage = new TenantStorage({ endPoint: '127.0.0.1', port: s3.port, useSSL: false, accessKey: s3.accessKey, secretKey: s3.secretKey, region: 'us-east-1' });
  await storage.ensureBucket(tenantRecord);
  dataSources = { forTenant: async () => ds, withDataSource: async (_slug, fn) => fn(ds) };
  // the outbox writer invoicing-api uses (rows in messaging.outbox); no relay runs here
  const outbox: CommandOutbox = {
    async enqueueSubmit(m, payload, meta) {
      await Outbox.enqueue(m, EfacturaSubmitCommand, payload, { ...meta, messageId: `submit:${meta.idempotencyKey}` });
    },
    kick() {},
  };
  service = new InvoicingService(dataSources, invoicingObjects(storage, async () => tenantRecord), outbox);
  settings = new EfacturaSettingsService(dataSources);
}, 60_000);
afterAll(async () => {
  await ds?.destroy();
  await s3?.close();
  await db?.drop();
});

const inTenant = <T>(fn: () => Promise<T>) => runInTenant(tenantRecord, fn);
let seqOf = 0;
/** Applies one worker event the way the consumer does (one transaction). */
const event = (state: EfacturaEventState, invoiceId: string, invoiceVersion: number, seq: number, extra: Record<string, unknown> = {}) =>
  ds.transaction((m) => service.applyEvent(m, state, { invoiceId, invoiceVersion, seq, occurredAt: new Date(Date.now() + ++seqOf).toISOString(), ...extra }));
const outboxPayloads = async (invoiceId: string) =>
  ((await ds.query(`SELECT payload FROM messaging.outbox WHERE payload->>'invoiceId' = $1`, [invoiceId])) as Array<{ payload: Record<string, unknown> }>).map((r) => r.payload);

describe('worker events land on the version they report', () => {
  it('a late event never moves a state back; an older version is updated without touching the invoice', async () => {
    const inv = await inTenant(() => service.createFromJson(tenant, actor, { ...DEMO_INVOICE_DOCUMENT, number: 'SVC-1' }));
    await service.send(tenant, actor, inv.id, 'c-1');
    expect(await event('submitted', inv.id, 1, 2, { indexIncarcare: '5001' })).toBe(true);
    expect(await event('uploading', inv.id, 1, 1)).toBe(false); // arrived late: history only
    expect(await event('invalid', inv.id, 1, 3, { fatal: ['BR-RO-010'], warnings: [], messages: [{ ruleId: 'BR-RO-010', flag: 'fatal', message: 'no digit' }] })).toBe(true);

    const v2 = await inTenant(() => service.createVersion(tenant, actor, inv.id, { json: { ...DEMO_INVOICE_DOCUMENT, number: 'SVC-1', notes: ['v2'] } }));
    expect(v2).toMatchObject({ version: 2, efactura: { state: 'draft', indexIncarcare: null, fatal: [] } });
    // version 1's last word arrives after the correction (e.g. the worker's failure on its last retry)
    expect(await event('failed', inv.id, 1, 4, { code: 'X', reason: 'gave up on v1' })).toBe(false);
    const detail = await service.get(tenant, inv.id);
    expect(detail.efactura).toMatchObject({ state: 'draft', reason: null });
    expect(detail.versions.map((v) => [v.version, v.efactura.state, v.efactura.reason, v.efactura.indexIncarcare])).toEqual([
      [1, 'failed', 'gave up on v1', '5001'],
      [2, 'draft', null, null],
    ]);
    expect(detail.versions[0]!.efactura.fatal).toEqual(['BR-RO-010']);

    // version 2 is sent under its own idempotency key; its events start their own seq
    expect(await service.send(tenant, actor, inv.id, 'c-2')).toMatchObject({ version: 2, queued: true });
    expect(await service.send(tenant, actor, inv.id, 'c-3')).toMatchObject({ version: 2, queued: false });
    expect((await outboxPayloads(inv.id)).map((p) => p.invoiceVersion).sort()).toEqual([1, 2]);
    expect(await event('submitted', inv.id, 2, 2, { indexIncarcare: '5002' })).toBe(true);
    expect(await event('accepted', inv.id, 2, 3, { indexIncarcare: '5002', idDescarcare: '3002', zipObjectKey: 'invoicing/x.zip' })).toBe(true);
    const after = await service.get(tenant, inv.id);
    expect(after.efactura).toMatchObject({ state: 'accepted', indexIncarcare: '5002', idDescarcare: '3002', anafZipAvailable: true });
    expect(after.versions.map((v) => v.efactura.state)).toEqual(['failed', 'accepted']);
    // every event is in the history, the late one included
    expect(after.history.filter((h) => h.version === 1).map((h) => h.state).sort()).toEqual(['draft', 'failed', 'invalid', 'queued', 'submitted', 'uploading']);
  });
});

describe('send', () => {
  it('puts b2c and standard into the submit command', async () => {
    const person = { ...DEMO_INVOICE_DOCUMENT, number: 'SVC-B2C-1', buyer: { name: 'Ion Popescu', legalRegistrationId: '0000000000000', address: DEMO_INVOICE_DOCUMENT.buyer.address } };
    const inv = await inTenant(() => service.createFromJson(tenant, actor, person));
    await service.send(tenant, actor, inv.id, 'c-b2c');
    expect(await outboxPayloads(inv.id)).toEqual([expect.objectContaining({ b2c: true, standard: 'UBL', cif: '41832096', invoiceVersion: 1 })]);
  });
});

describe('credit notes of one invoice at the same time', () => {
  it('never credit the same quantity twice (the original is locked)', async () => {
    const inv = await inTenant(() => service.createFromJson(tenant, actor, { ...DEMO_INVOICE_DOCUMENT, number: 'SVC-CN-1' }));
    await service.send(tenant, actor, inv.id, 'c-cn');
    await event('submitted', inv.id, 1, 2, { indexIncarcare: '6001' });
    await event('accepted', inv.id, 1, 3, { indexIncarcare: '6001', idDescarcare: '7001', zipObjectKey: 'invoicing/y.zip' });
    const results = await Promise.allSettled(
      [1, 2, 3].map((n) => inTenant(() => service.createCreditNote(tenant, actor, inv.id, { lines: [{ id: '2', quantity: '2' }], number: `SVC-NC-${n}` }))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) {
      expect(r.reason).toMatchObject({ code: 'CREDIT_EXCEEDS_REMAINING', status: 409 });
    }
    const detail = await service.get(tenant, inv.id);
    expect(detail.creditNotes).toHaveLength(1);
    expect(detail.amountDue).toBe('6496.34'); // the credit note is not accepted yet
    const cn = detail.creditNotes[0]!;
    await service.send(tenant, actor, cn.id, 'c-cn-send');
    expect((await outboxPayloads(cn.id))[0]).toMatchObject({ documentType: 'CreditNote', standard: 'CN' });
    await event('accepted', cn.id, 1, 3, { indexIncarcare: '6002', idDescarcare: '7002', zipObjectKey: 'invoicing/z.zip' });
    expect((await service.get(tenant, inv.id)).amountDue).toBe('5702.97'); // 6,496.34 − (666.70 + 126.67 VAT)
  });
});

describe('AutoSendScheduler', () => {
  const log = createLogger('auto-send-test');
  log.level = 'fatal'; // the failing tenant's errors are expected here
  const today = romanianDate(new Date());
  const overdue = new Date(Date.parse(`${today}T12:00:00Z`) - 20 * 86_400_000).toISOString().slice(0, 10);

  it('two schedulers over one tenant send each due draft once; a failing tenant does not stop the pass', async () => {
    await ds.manager.query(`DELETE FROM invoicing.settings`);
    const due = await Promise.all([1, 2, 3, 4, 5].map((n) => inTenant(() => service.createFromJson(tenant, actor, { ...DEMO_INVOICE_DOCUMENT, number: `SVC-AUTO-${n}`, issueDate: overdue }))));
    const later = await inTenant(() => service.createFromJson(tenant, actor, { ...DEMO_INVOICE_DOCUMENT, number: 'SVC-AUTO-9', issueDate: today }));
    const broken = { ...tenantRecord, slug: 'svc-broken' } as TenantRecord;
    const wiring: TenantDataSources = {
      forTenant: async () => ds,
      // a tenant whose database cannot be opened (e.g. behind on migrations, or its server down)
      withDataSource: async (s, fn) => {
        if (s === 'svc-broken') throw new Error('database of svc-broken unreachable');
        return fn(ds);
      },
    };
    let kicks = 0;
    const make = () =>
      new AutoSendScheduler(
        { tenants: { active: async () => [broken, tenantRecord] }, dataSources: wiring, invoicing: service, settings, kick: () => kicks++, log },
        { batchSize: 3, intervalMs: 60_000 },
      );
    const [a, b] = [make(), make()];

    expect(await a.runOnce()).toEqual({ tenants: 2, sent: 0, busy: 0, failed: 1 }); // autoSend is off by default
    await settings.put(tenant, actor, { autoSend: true, workingDaysBefore: 0 });
    const first = await Promise.all([a.runOnce(), b.runOnce()]);
    for (const r of first) expect(r.failed).toBe(1);
    // batchSize 3: each pass sends at most 3; while one holds the tenant's lock the other skips it (busy)
    const sentFirst = first.reduce((n, r) => n + r.sent, 0);
    expect(sentFirst).toBeGreaterThanOrEqual(3);
    expect(sentFirst).toBeLessThanOrEqual(5);
    await a.runOnce();
    await b.runOnce();
    for (const inv of due) {
      const d = await service.get(tenant, inv.id);
      expect(d.efactura.state, inv.number).toBe('queued');
      expect(d.history.filter((h) => h.event === 'send-requested').map((h) => h.detail.by), inv.number).toEqual(['auto-send']);
      expect(await outboxPayloads(inv.id), inv.number).toHaveLength(1);
    }
    expect((await service.get(tenant, later.id)).efactura.state).toBe('draft');
    expect(kicks).toBeGreaterThanOrEqual(2);
  });
});
