/**
 * Corrections with history (issue 7 point 4): an invoice ANAF rejects is corrected with `POST /v1/invoices/:id/versions`
 * (JSON or UBL XML), sent again and accepted; the invoice keeps every version, every upload, both ANAF answer ZIPs and
 * its whole history. Real platform: PostgreSQL, RabbitMQ, S3 server, identity server, ANAF simulator, worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCiusRoUbl, DEMO_INVOICE_DOCUMENT, validateUbl } from '@cetate/invoicing-domain';
import type { InvoiceDetailView, InvoiceView } from '@cetate/invoicing-contracts';
import { startTestPlatform, type TestPlatform } from './test-platform.js';

/** A note ANAF (simulated) refuses although our own validation accepts it. */
const REJECTED_NOTE = 'REJECT-ME: regula noua ANAF';

let p: TestPlatform;

beforeAll(async () => {
  p = await startTestPlatform({
    simValidate: (xml) => {
      const own = validateUbl(xml);
      if (!xml.toString('utf8').includes(REJECTED_NOTE)) return own;
      const message = '[BR-RO-998]-Regula noua a ANAF (simulata): nota facturii nu este acceptata';
      return { valid: false, fatal: [message], messages: [{ ruleId: 'BR-RO-998', message, flag: 'fatal' }] };
    },
  });
}, 120_000);
afterAll(async () => {
  await p?.close();
});

/** One HTTP call as the tenant's accountant (`TestPlatform.apiCall`). */
const call: TestPlatform['apiCall'] = (...a) => p.apiCall(...a);

const doc = (number: string, notes?: string[]) => ({ ...DEMO_INVOICE_DOCUMENT, number, notes });

/** An invoice sent once and rejected by ANAF. */
async function rejectedInvoice(number: string): Promise<InvoiceView> {
  const inv = await p.client.create(doc(number, [REJECTED_NOTE]));
  await p.client.send(inv.id);
  const done = await p.client.waitForFinal(inv.id, { timeoutMs: 60_000 });
  expect(done.efactura.state).toBe('rejected');
  return done;
}

describe('corrections with history', () => {
  it('rejected → version 2 from JSON → sent once → accepted; both uploads, both ZIPs and the whole history kept', async () => {
    const v1 = await rejectedInvoice('CORR-2026-0001');
    expect(v1.efactura.fatal).toEqual(['BR-RO-998']);

    const created = await call('POST', `/v1/invoices/${v1.id}/versions`, { data: JSON.stringify(doc('CORR-2026-0001', ['Factura corectata'])), type: 'application/json' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ id: v1.id, version: 2, source: 'json', efactura: { state: 'draft', indexIncarcare: null, fatal: [], anafZipAvailable: false } });

    const [a, b] = await Promise.all([p.client.send(v1.id), p.client.send(v1.id)]);
    expect([a.queued, b.queued].sort()).toEqual([false, true]);
    expect(a.version).toBe(2);
    const done = await p.client.waitForFinal(v1.id, { timeoutMs: 60_000 });
    expect(done.efactura.state).toBe('accepted');
    expect(done.version).toBe(2);
    await new Promise((r) => setTimeout(r, 1000));
    expect(p.uploadsOf(done)).toBe(2); // one upload per version, never a second one of the same version

    const detail: InvoiceDetailView = await p.client.get(v1.id);
    expect(detail.versions.map((v) => [v.version, v.efactura.state, v.efactura.anafZipAvailable])).toEqual([
      [1, 'rejected', true],
      [2, 'accepted', true],
    ]);
    expect(detail.versions[0]!.efactura.fatal).toEqual(['BR-RO-998']);
    expect(detail.versions[0]!.efactura.messages[0]?.message).toContain('nota facturii nu este acceptata');
    expect(detail.versions[1]!.efactura.fatal).toEqual([]);
    const indexes = detail.versions.map((v) => v.efactura.indexIncarcare);
    expect(indexes.every((i) => /^\d+$/.test(i ?? ''))).toBe(true);
    expect(new Set(indexes).size).toBe(2);

    // history: both uploads (one submitted entry per version), the correction between them
    const submitted = detail.history.filter((h) => h.state === 'submitted').map((h) => [h.version, h.detail.indexIncarcare]);
    expect(submitted).toEqual([[1, indexes[0]], [2, indexes[1]]]);
    const events = detail.history.map((h) => `${h.version}:${h.event}`);
    expect(events.indexOf('2:version-created')).toBeGreaterThan(events.indexOf('1:invoicing.invoice.efactura-rejected'));
    expect(events.filter((e) => e.endsWith(':send-requested'))).toEqual(['1:send-requested', '2:send-requested']);
    const correction = detail.history.find((h) => h.event === 'version-created')!;
    expect(correction.detail).toMatchObject({ previousVersion: 1, previousState: 'rejected', source: 'json' });
    expect(detail.history.at(-1)).toMatchObject({ version: 2, state: 'accepted' });

    // both answer ZIPs are downloadable, each its own
    const zip1 = await call('GET', `/v1/invoices/${v1.id}/anaf-zip?version=1`);
    const zip2 = await call('GET', `/v1/invoices/${v1.id}/anaf-zip?version=2`);
    const current = await call('GET', `/v1/invoices/${v1.id}/anaf-zip`);
    for (const z of [zip1, zip2, current]) {
      expect(z.status).toBe(200);
      expect(z.headers.get('content-type')).toBe('application/zip');
      expect(z.bytes.subarray(0, 2).toString()).toBe('PK');
    }
    expect(zip1.bytes.equals(zip2.bytes)).toBe(false);
    expect(current.bytes.equals(zip2.bytes)).toBe(true);
    expect(zip1.headers.get('content-disposition')).toContain(`${detail.versions[0]!.efactura.idDescarcare}.zip`);
    // and both XML versions
    expect((await call('GET', `/v1/invoices/${v1.id}/xml?version=1`)).bytes.toString()).toContain(REJECTED_NOTE);
    expect((await call('GET', `/v1/invoices/${v1.id}/xml?version=2`)).bytes.toString()).toContain('Factura corectata');

    // sending again uploads nothing; an accepted invoice is never corrected (409 with the allowed states)
    expect(await p.client.send(v1.id)).toMatchObject({ queued: false, state: 'accepted', version: 2 });
    const refused = await call('POST', `/v1/invoices/${v1.id}/versions`, { data: JSON.stringify(doc('CORR-2026-0001')), type: 'application/json' });
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.json).toMatchObject({ code: 'INVOICE_STATE_CONFLICT' });
    expect(String(refused.json?.detail)).toContain('only from invalid, rejected, failed');
    expect(refused.json?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(p.uploadsOf(done)).toBe(2);
  });

  it('a correction from UBL XML is stored byte for byte and accepted', async () => {
    const v1 = await rejectedInvoice('CORR-2026-0002');
    const xml = buildCiusRoUbl({ ...doc('CORR-2026-0002'), notes: ['Corectie din XML'] });
    const created = await call('POST', `/v1/invoices/${v1.id}/versions`, { data: xml, type: 'application/xml' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ version: 2, source: 'xml', efactura: { state: 'draft' } });
    expect((await call('GET', `/v1/invoices/${v1.id}/xml`)).bytes.toString('utf8')).toBe(xml);
    await p.client.send(v1.id);
    const done = await p.client.waitForFinal(v1.id, { timeoutMs: 60_000 });
    expect(done.efactura.state).toBe('accepted');
    const detail = await p.client.get(v1.id);
    expect(detail.versions.map((v) => [v.source, v.efactura.state])).toEqual([['json', 'rejected'], ['xml', 'accepted']]);
  });

  it('refuses a correction of a draft, a malformed body and another media type, storing nothing', async () => {
    const draft = await p.client.create(doc('CORR-2026-0003'));
    const conflict = await call('POST', `/v1/invoices/${draft.id}/versions`, { data: JSON.stringify(doc('CORR-2026-0003')), type: 'application/json' });
    expect(conflict.status).toBe(409);
    expect(conflict.json).toMatchObject({ code: 'INVOICE_STATE_CONFLICT', errors: [{ path: 'efactura.state', message: 'allowed: invalid' }, { path: 'efactura.state', message: 'allowed: rejected' }, { path: 'efactura.state', message: 'allowed: failed' }] });

    const v1 = await rejectedInvoice('CORR-2026-0004');
    const bad = await call('POST', `/v1/invoices/${v1.id}/versions`, { data: JSON.stringify({ ...doc('CORR-2026-0004'), lines: [] }), type: 'application/json' });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ code: 'VALIDATION_FAILED' });
    const notUbl = await call('POST', `/v1/invoices/${v1.id}/versions`, { data: '<Order xmlns="urn:x"/>', type: 'application/xml' });
    expect(notUbl.status).toBe(400);
    expect(notUbl.json).toMatchObject({ code: 'UBL_UNKNOWN_ROOT' });
    const text = await call('POST', `/v1/invoices/${v1.id}/versions`, { data: 'hello', type: 'text/plain' });
    expect(text.status).toBe(415);
    expect(text.json).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    const unknown = await call('POST', `/v1/invoices/00000000-0000-4000-8000-000000000000/versions`, { data: JSON.stringify(doc('X-1')), type: 'application/json' });
    expect(unknown.status).toBe(404);
    const after = await p.client.get(v1.id);
    expect(after.versions).toHaveLength(1);
    expect(after.efactura.state).toBe('rejected');
    expect((await call('GET', `/v1/invoices/${v1.id}/anaf-zip?version=2`)).json).toMatchObject({ code: 'INVOICE_VERSION_NOT_FOUND' });
  });

  it('a reader may not correct (403)', async () => {
    const res = await fetch(`${p.api.url}/v1/invoices/00000000-0000-4000-8000-000000000000/versions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await p.token('reader')}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(403);
  });
});
