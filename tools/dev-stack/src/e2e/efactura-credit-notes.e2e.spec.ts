/**
 * Credit notes (issue 7 point 5): `POST /v1/invoices/:id/credit-note` on an accepted invoice makes a CreditNote (381)
 * with the BillingReference BT-25/BT-26, uploaded with `standard=CN` and accepted; the original shows its credit notes
 * and the amount still due. Real platform: PostgreSQL, RabbitMQ, S3 server, identity server, ANAF simulator, worker.
 *
 * `standard=CN`: the simulator refuses a document whose root does not match the upload's `standard` ("documentul
 * CreditNote nu corespunde standardului UBL", tools/anaf-sim), so an accepted CreditNote was uploaded with `CN`; the
 * signed ZIP ANAF answers holds the uploaded XML, where the BillingReference is read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unzipBuffer } from '@cetate/anaf-client';
import { buildCiusRoUbl, DEMO_INVOICE_DOCUMENT } from '@cetate/invoicing-domain';
import type { InvoiceDetailView, InvoiceView } from '@cetate/invoicing-contracts';
import { startTestPlatform, type TestPlatform } from './test-platform.js';

let p: TestPlatform;

beforeAll(async () => {
  p = await startTestPlatform();
}, 120_000);
afterAll(async () => {
  await p?.close();
});

/** One HTTP call as the tenant's accountant (`TestPlatform.apiCall`). */
const call: TestPlatform['apiCall'] = (...a) => p.apiCall(...a);
const creditNote = (id: string, body?: unknown) =>
  call('POST', `/v1/invoices/${id}/credit-note`, body === undefined ? undefined : { data: JSON.stringify(body), type: 'application/json' });

/** A demo invoice (BT-115 6,496.34 RON; lines 1: 12 MON, 2: 3 HUR at 333.35, 3: 5 H87) sent and accepted. */
async function acceptedInvoice(number: string): Promise<InvoiceView> {
  const inv = await p.client.create({ ...DEMO_INVOICE_DOCUMENT, number });
  await p.client.send(inv.id);
  const done = await p.client.waitForFinal(inv.id, { timeoutMs: 60_000 });
  expect(done.efactura.state).toBe('accepted');
  return done;
}

describe('credit notes', () => {
  it('credits one line of an accepted invoice: CreditNote 381 with BillingReference, uploaded with standard=CN, accepted; the amount due drops', async () => {
    const inv = await acceptedInvoice('CN-BASE-2026-1');
    const made = await creditNote(inv.id, { lines: [{ id: '2', quantity: '1' }], note: 'Retur o ora de instruire' });
    expect(made.status).toBe(201);
    const cn = made.json as unknown as InvoiceView;
    expect(cn).toMatchObject({
      documentType: 'CreditNote',
      typeCode: '381',
      number: 'CN-BASE-2026-1-NC1',
      creditedInvoiceId: inv.id,
      totals: { taxExclusiveAmount: '333.35', taxAmount: '63.34', payableAmount: '396.69' },
      efactura: { state: 'draft' },
    });
    expect(cn.id).not.toBe(inv.id);

    // not accepted yet: listed, but the amount due is still the whole invoice
    let original: InvoiceDetailView = await p.client.get(inv.id);
    expect(original.creditNotes).toEqual([{ id: cn.id, number: 'CN-BASE-2026-1-NC1', issueDate: cn.issueDate, state: 'draft', payableAmount: '396.69' }]);
    expect(original.amountDue).toBe('6496.34');
    expect(original.history.at(-1)).toMatchObject({ event: 'credit-note-created', state: 'accepted', detail: { creditNoteId: cn.id } });

    expect(await p.client.send(cn.id)).toMatchObject({ queued: true });
    const done = await p.client.waitForFinal(cn.id, { timeoutMs: 60_000 });
    expect(done.efactura.state).toBe('accepted'); // the simulator accepts a CreditNote only under standard=CN
    expect(p.uploadsOf(done)).toBe(1);

    // the XML ANAF received and signed: a CreditNote with the BillingReference to the original (BT-25, BT-26)
    const zip = await call('GET', `/v1/invoices/${cn.id}/anaf-zip`);
    expect(zip.status).toBe(200);
    const files = await unzipBuffer(zip.bytes);
    const uploaded = files.find((f) => !f.name.startsWith('semnatura_'))!.content.toString('utf8');
    expect(uploaded).toContain('<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"');
    expect(uploaded).toContain('<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>');
    expect(uploaded).toMatch(/<cac:BillingReference>\s*<cac:InvoiceDocumentReference>\s*<cbc:ID>CN-BASE-2026-1<\/cbc:ID>\s*<cbc:IssueDate>2025-03-14<\/cbc:IssueDate>/);
    expect(uploaded).toMatch(/<cac:CreditNoteLine>\s*<cbc:ID>2<\/cbc:ID>\s*<cbc:CreditedQuantity unitCode="HUR">1<\/cbc:CreditedQuantity>/);
    expect(uploaded).toContain('Retur o ora de instruire');
    expect(uploaded).toBe((await call('GET', `/v1/invoices/${cn.id}/xml`)).bytes.toString('utf8'));

    original = await p.client.get(inv.id);
    expect(original.creditNotes.map((c) => [c.number, c.state])).toEqual([['CN-BASE-2026-1-NC1', 'accepted']]);
    expect(original.amountDue).toBe('6099.65'); // 6,496.34 − 396.69
    expect(original.efactura.state).toBe('accepted');
  });

  it('never credits more than remains: 409 with a clear code, then the rest, then nothing', async () => {
    const inv = await acceptedInvoice('CN-BASE-2026-2');
    expect((await creditNote(inv.id, { lines: [{ id: '2', quantity: '2' }] })).status).toBe(201);
    const tooMuch = await creditNote(inv.id, { lines: [{ id: '2', quantity: '1.5' }] });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.headers.get('content-type')).toContain('application/problem+json');
    expect(tooMuch.json).toMatchObject({ code: 'CREDIT_EXCEEDS_REMAINING', errors: [{ path: 'lines' }] });
    expect(String(tooMuch.json?.detail)).toContain('only 1 of 3 remain');

    const rest = await creditNote(inv.id, { number: 'NC-REST-2026-2', issueDate: '2026-11-27' });
    expect(rest.status).toBe(201);
    expect(rest.json).toMatchObject({ number: 'NC-REST-2026-2', issueDate: '2026-11-27', efactura: { deadline: '2026-12-08' } });
    const xml = (await call('GET', `/v1/invoices/${String(rest.json?.id)}/xml`)).bytes.toString('utf8');
    expect(xml.match(/<cbc:CreditedQuantity unitCode="[A-Z0-9]+">[^<]+</g)).toEqual([
      '<cbc:CreditedQuantity unitCode="MON">12<',
      '<cbc:CreditedQuantity unitCode="HUR">1<',
      '<cbc:CreditedQuantity unitCode="H87">5<',
    ]);
    const nothing = await creditNote(inv.id);
    expect(nothing.status).toBe(409);
    expect(nothing.json).toMatchObject({ code: 'CREDIT_NOTHING_REMAINING' });
    expect((await p.client.get(inv.id)).creditNotes).toHaveLength(2);
  });

  it('refuses what cannot be credited, with stable codes', async () => {
    const draft = await p.client.create({ ...DEMO_INVOICE_DOCUMENT, number: 'CN-BASE-2026-3' });
    expect((await creditNote(draft.id)).json).toMatchObject({ status: 409, code: 'INVOICE_STATE_CONFLICT' });

    const inv = await acceptedInvoice('CN-BASE-2026-4');
    expect((await creditNote(inv.id, { lines: [{ id: '9' }] })).json).toMatchObject({ status: 422, code: 'CREDIT_NOTE_UNKNOWN_LINE' });
    expect((await creditNote(inv.id, { lines: [{ id: '1' }, { id: '1' }] })).json).toMatchObject({ status: 422, code: 'CREDIT_NOTE_DUPLICATE_LINE' });
    const bad = await creditNote(inv.id, { lines: [{ id: '1', quantity: 2 }], extra: true });
    expect(bad.json).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect((await call('POST', `/v1/invoices/${inv.id}/credit-note`, { data: '<x/>', type: 'application/xml' })).status).toBe(415);

    // an invoice imported as UBL XML: a clear problem, not a guess (import its credit note as XML instead)
    const imported = await p.client.importXml(buildCiusRoUbl({ ...DEMO_INVOICE_DOCUMENT, number: 'CN-BASE-2026-5' }));
    await p.client.send(imported.id);
    expect((await p.client.waitForFinal(imported.id, { timeoutMs: 60_000 })).efactura.state).toBe('accepted');
    expect((await creditNote(imported.id)).json).toMatchObject({ status: 422, code: 'CREDIT_NOTE_NEEDS_JSON_SOURCE' });

    expect((await p.client.get(inv.id)).creditNotes).toEqual([]);
  });
});
