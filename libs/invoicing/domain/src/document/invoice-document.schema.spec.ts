import { InvoiceDocumentSchema } from '@cetate/invoicing-contracts';
import { describe, expect, it } from 'vitest';
import { DEMO_INVOICE_DOCUMENT } from './demo-invoice.js';
import { FIXTURES } from './test-fixtures.js';

/** Paths and messages of the issues of a failed parse (empty when it passes). */
function issues(input: unknown): Array<[string, string]> {
  const r = InvoiceDocumentSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => [i.path.join('.'), i.message]);
}
const clone = <T>(x: T): T => structuredClone(x);

describe('InvoiceDocumentSchema', () => {
  it.each(Object.entries(FIXTURES))('accepts the %s fixture unchanged', (_n, doc) => {
    expect(issues(doc)).toEqual([]);
    expect(InvoiceDocumentSchema.parse(doc)).toEqual(JSON.parse(JSON.stringify(doc)));
  });

  it('accepts the demo document', () => {
    expect(issues(DEMO_INVOICE_DOCUMENT)).toEqual([]);
  });

  it('rejects JSON numbers for amounts and quantities, with the path', () => {
    const doc = clone(DEMO_INVOICE_DOCUMENT) as unknown as { lines: Array<Record<string, unknown>> };
    doc.lines[1]!['priceAmount'] = 333.35;
    doc.lines[2]!['quantity'] = 5;
    const found = issues(doc);
    expect(found).toContainEqual(['lines.1.priceAmount', expect.stringMatching(/decimal string.*not a JSON number/)]);
    expect(found).toContainEqual(['lines.2.quantity', expect.stringMatching(/not a JSON number/)]);
  });

  it.each([
    ['1e3'], ['1,50'], [' 1.50'], ['+1'], ['01.5'], ['1.'], ['.5'], ['NaN'], ['Infinity'], ['1.1234567'], ['-1'],
  ])('rejects the price string %j', (price) => {
    const doc = clone(DEMO_INVOICE_DOCUMENT);
    doc.lines[0]!.priceAmount = price;
    expect(issues(doc).map((i) => i[0])).toContain('lines.0.priceAmount');
  });

  it('rejects amounts with more than 2 decimals (CIUS-RO BR-DEC-RO)', () => {
    const doc = clone(DEMO_INVOICE_DOCUMENT);
    doc.lines[0]!.allowances = [{ amount: '1.005', reason: 'x' }];
    expect(issues(doc).map((i) => i[0])).toContain('lines.0.allowances.0.amount');
  });

  it('BR-RO-030: a EUR invoice needs BT-6 RON and BT-111 (or an exchange rate)', () => {
    const doc = clone(DEMO_INVOICE_DOCUMENT);
    doc.currencyCode = 'EUR';
    expect(issues(doc)).toContainEqual(['taxCurrencyCode', expect.stringContaining('BR-RO-030')]);
    doc.taxCurrencyCode = 'RON';
    expect(issues(doc)).toContainEqual(['exchangeRate', expect.stringContaining('BR-53')]);
    doc.taxTotalInTaxCurrency = '4700.00';
    expect(issues(doc)).toEqual([]);
  });

  it('BR-RO-020: CreditNote ⇔ 381; 381 needs the preceding invoice (BG-3)', () => {
    const doc = clone(DEMO_INVOICE_DOCUMENT);
    doc.typeCode = '381';
    const found = issues(doc);
    expect(found).toContainEqual(['typeCode', expect.stringContaining('BR-RO-020')]);
    expect(found).toContainEqual(['precedingInvoice', expect.stringContaining('BT-25')]);
    const cn = clone(DEMO_INVOICE_DOCUMENT);
    cn.documentType = 'CreditNote';
    expect(issues(cn)).toContainEqual(['typeCode', expect.stringContaining('381')]);
  });

  it('VAT categories: rate rules and exemption reasons', () => {
    const doc = clone(DEMO_INVOICE_DOCUMENT);
    doc.lines[0]!.vatRate = '0'; // S with 0 %
    doc.lines[1]!.vatCategory = 'E'; // E with 19 %, no reason
    doc.lines[2]!.vatCategory = 'AE';
    doc.lines[2]!.vatRate = undefined;
    const found = issues(doc);
    expect(found).toContainEqual(['lines.0.vatRate', expect.stringContaining('BR-S-05')]);
    expect(found).toContainEqual(['lines.1.vatRate', expect.stringContaining('BR-E-05')]);
    expect(found).toContainEqual(['lines.2.vatRate', expect.stringContaining('BR-AE-05')]);
    expect(found).toContainEqual(['vatExemptions', expect.stringContaining('BR-E-10')]);
  });

  it('CIUS-RO addresses: ISO 3166-2:RO subdivision and SECTORn for Bucharest', () => {
    const doc = clone(DEMO_INVOICE_DOCUMENT);
    doc.seller.address.city = 'Bucuresti';
    doc.buyer.address.countrySubdivision = 'Cluj';
    const found = issues(doc);
    expect(found).toContainEqual(['seller.address.city', expect.stringContaining('BR-RO-100')]);
    expect(found).toContainEqual(['buyer.address.countrySubdivision', expect.stringContaining('BR-RO-110')]);
  });

  it('party identifiers: RO VAT id format (BR-CO-09), buyer id (BR-RO-120), seller id (BR-RO-065)', () => {
    const doc = clone(DEMO_INVOICE_DOCUMENT);
    doc.seller.vatIdentifier = '41832096';
    expect(issues(doc).map((i) => i[0])).toContain('seller.vatIdentifier');
    const noIds = clone(DEMO_INVOICE_DOCUMENT);
    noIds.seller.vatIdentifier = undefined;
    noIds.buyer.vatIdentifier = undefined;
    noIds.buyer.legalRegistrationId = undefined;
    const found = issues(noIds);
    expect(found).toContainEqual(['seller.vatIdentifier', expect.stringContaining('BR-RO-065')]);
    expect(found).toContainEqual(['buyer.legalRegistrationId', expect.stringContaining('BR-RO-120')]);
    const b2c = clone(noIds);
    b2c.seller.vatIdentifier = 'RO41832096';
    b2c.buyer.legalRegistrationId = '0000000000000';
    expect(issues(b2c)).toEqual([]);
  });

  it('number, notes, lines, payment: BR-RO-010, BR-RO-A020, BR-16, BR-61, BR-CO-25', () => {
    const doc = clone(DEMO_INVOICE_DOCUMENT);
    doc.number = 'FACT-A';
    doc.notes = Array.from({ length: 21 }, (_, i) => `n${i}`);
    doc.paymentMeans = { code: '30' };
    doc.dueDate = undefined;
    const found = issues(doc);
    expect(found).toContainEqual(['number', expect.stringContaining('BR-RO-010')]);
    expect(found).toContainEqual(['notes', expect.stringContaining('BR-RO-A020')]);
    const sem = clone(DEMO_INVOICE_DOCUMENT);
    sem.paymentMeans = { code: '30' };
    sem.dueDate = undefined;
    const semFound = issues(sem);
    expect(semFound).toContainEqual(['paymentMeans.account', expect.stringContaining('BR-61')]);
    expect(semFound).toContainEqual(['dueDate', expect.stringContaining('BR-CO-25')]);
    const empty = clone(DEMO_INVOICE_DOCUMENT);
    empty.lines = [];
    expect(issues(empty)).toContainEqual(['lines', expect.stringContaining('BR-16')]);
  });

  it('category K needs the delivery date and deliver-to address; BG-15 needs BT-79 (BR-IC-11/12, BR-RO-211)', () => {
    const k = clone(FIXTURES['INTRA_COMMUNITY']!);
    k.delivery = undefined;
    const found = issues(k);
    expect(found).toContainEqual(['delivery.actualDeliveryDate', expect.stringContaining('BR-IC-11')]);
    expect(found).toContainEqual(['delivery.address', expect.stringContaining('BR-IC-12')]);
    const noSub = clone(FIXTURES['INTRA_COMMUNITY']!);
    noSub.delivery!.address!.countrySubdivision = undefined;
    expect(issues(noSub)).toContainEqual(['delivery.address.countrySubdivision', expect.stringContaining('BR-RO-211')]);
  });

  it('category O stands alone and carries no VAT ids (BR-O-02, BR-O-11)', () => {
    const o = clone(FIXTURES['OUT_OF_SCOPE']!);
    o.seller.vatIdentifier = 'RO41832096';
    o.lines.push({ id: '2', quantity: '1', unitCode: 'H87', itemName: 'x', priceAmount: '1', vatCategory: 'S', vatRate: '19' });
    const found = issues(o);
    expect(found).toContainEqual(['lines', expect.stringContaining('BR-O-11')]);
    expect(found).toContainEqual(['seller.vatIdentifier', expect.stringContaining('BR-O-02')]);
  });

  it('dates are plain YYYY-MM-DD (BR-RO-DT001)', () => {
    const doc = clone(DEMO_INVOICE_DOCUMENT);
    doc.issueDate = '2025-03-14+02:00';
    expect(issues(doc).map((i) => i[0])).toContain('issueDate');
  });
});
