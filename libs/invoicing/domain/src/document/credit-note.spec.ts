import { DOMParser, type Element } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { InvoiceDocumentSchema, type InvoiceDocument } from '@cetate/invoicing-contracts';
import { buildCiusRoUbl } from './build-ubl.js';
import { CreditNoteError, deriveCreditNote, type EarlierCreditNote } from './credit-note.js';
import { DEMO_INVOICE_DOCUMENT } from './demo-invoice.js';
import { computeTotals } from './totals.js';
import { CREDIT_NOTE, EUR_WITH_RON_VAT, TRICKY_ROUNDING } from './test-fixtures.js';
import { NS_CREDIT_NOTE } from '../ubl/ubl-namespaces.js';
import { validateUbl } from '../validation/validate-ubl.js';

const DEMO = DEMO_INVOICE_DOCUMENT;
const req = (over: Partial<Parameters<typeof deriveCreditNote>[1]> = {}) => ({ number: 'NC-2025-0001', issueDate: '2025-04-02', ...over });
const earlierOf = (doc: InvoiceDocument): EarlierCreditNote => ({ document: doc, payableAmount: computeTotals(doc).payableAmount });

function root(xml: string): Element {
  return new DOMParser().parseFromString(xml, 'text/xml').documentElement as unknown as Element;
}
const kids = (el: Element | undefined, name: string): Element[] => {
  const out: Element[] = [];
  for (let n = el?.firstChild; n; n = n.nextSibling) if (n.nodeType === 1 && (n as Element).localName === name) out.push(n as Element);
  return out;
};
const at = (el: Element | undefined, ...path: string[]) => path.reduce<Element | undefined>((e, p) => kids(e, p)[0], el);
const txt = (el: Element | undefined, ...path: string[]) => at(el, ...path)?.textContent ?? undefined;

/** The credit note is a valid JSON document, its UBL passes the local EN 16931 + CIUS-RO rules. */
function expectSendable(cn: InvoiceDocument): Element {
  expect(InvoiceDocumentSchema.safeParse(cn).error?.issues ?? []).toEqual([]);
  const xml = buildCiusRoUbl(cn);
  const report = validateUbl(xml);
  expect(report.fatal).toEqual([]);
  expect(report.documentType).toBe('CreditNote');
  return root(xml);
}

describe('deriveCreditNote: the whole invoice', () => {
  it('mirrors the invoice as a 381 CreditNote with BillingReference BT-25/BT-26, CreditNoteLine and CreditedQuantity', () => {
    const cn = deriveCreditNote(DEMO, req({ note: 'Retur integral' }));
    expect(cn).toMatchObject({ documentType: 'CreditNote', typeCode: '381', number: 'NC-2025-0001', issueDate: '2025-04-02', notes: ['Retur integral'] });
    expect(cn.precedingInvoice).toEqual({ number: DEMO.number, issueDate: DEMO.issueDate });
    expect(cn.lines).toEqual(DEMO.lines);
    expect(computeTotals(cn).payableAmount).toBe(computeTotals(DEMO).payableAmount); // 6496.34

    const el = expectSendable(cn);
    expect(el.namespaceURI).toBe(NS_CREDIT_NOTE);
    expect(el.localName).toBe('CreditNote');
    expect(txt(el, 'CreditNoteTypeCode')).toBe('381');
    expect(txt(el, 'BillingReference', 'InvoiceDocumentReference', 'ID')).toBe('CTD-2025-000142');
    expect(txt(el, 'BillingReference', 'InvoiceDocumentReference', 'IssueDate')).toBe('2025-03-14');
    expect(kids(el, 'InvoiceLine')).toHaveLength(0);
    const lines = kids(el, 'CreditNoteLine');
    expect(lines.map((l) => txt(l, 'CreditedQuantity'))).toEqual(['12', '3', '5']);
    expect(txt(el, 'PaymentMeans', 'PaymentDueDate')).toBe(DEMO.dueDate); // BT-9 of a CreditNote lives in PaymentMeans
    expect(txt(el, 'LegalMonetaryTotal', 'PayableAmount')).toBe('6496.34');
  });

  it('keeps document allowances and charges in a first whole credit (the invoice totals exactly)', () => {
    const cn = deriveCreditNote(TRICKY_ROUNDING, req());
    expect(cn.allowances).toEqual(TRICKY_ROUNDING.allowances);
    expect(cn.charges).toEqual(TRICKY_ROUNDING.charges);
    expect(cn.lines.find((l) => l.id === '5')?.quantity).toBe('-1'); // a storno line is mirrored as it is
    expect(computeTotals(cn).payableAmount).toBe(computeTotals(TRICKY_ROUNDING).payableAmount);
    expectSendable(cn);
  });

  it('credits what remains after earlier partial credits, and nothing once all is credited', () => {
    const first = deriveCreditNote(DEMO, req({ lines: [{ id: '2', quantity: '1' }] }));
    const rest = deriveCreditNote(DEMO, req({ number: 'NC-2025-0002' }), [earlierOf(first)]);
    expect(rest.lines.map((l) => [l.id, l.quantity])).toEqual([['1', '12'], ['2', '2'], ['3', '5']]);
    // crediting line 2 in two parts rounds its VAT twice: 63.34 + 126.67 = 190.01 against 190.01; the document VAT
    // of the rest is rounded on its own subtotal, so the parts may add up to a cent more than the invoice (not more)
    const credited = dec2(computeTotals(first).payableAmount) + dec2(computeTotals(rest).payableAmount);
    expect(credited - dec2(computeTotals(DEMO).payableAmount)).toBeGreaterThanOrEqual(0);
    expect(credited - dec2(computeTotals(DEMO).payableAmount)).toBeLessThanOrEqual(1);
    expectSendable(rest);
    const err = catchErr(() => deriveCreditNote(DEMO, req({ number: 'NC-2025-0003' }), [earlierOf(first), earlierOf(rest)]));
    expect(err.code).toBe('CREDIT_NOTHING_REMAINING');
  });

  it('a payment condition is kept: payment terms when the invoice has no payment means', () => {
    const { paymentMeans: _pm, ...noMeans } = DEMO;
    const cn = deriveCreditNote({ ...noMeans, dueDate: undefined, paymentTerms: undefined, lines: DEMO.lines } as InvoiceDocument, req());
    expect(cn.dueDate).toBeUndefined();
    expect(cn.paymentTerms).toBe('Stornare factura CTD-2025-000142 din 2025-03-14');
  });
});

describe('deriveCreditNote: given lines', () => {
  it('credits a part of a line with its allowance in proportion; the last part takes the exact rest', () => {
    const a = deriveCreditNote(DEMO, req({ lines: [{ id: '1', quantity: '5' }] }));
    expect(a.lines).toHaveLength(1);
    expect(a.lines[0]).toMatchObject({ id: '1', quantity: '5', priceAmount: '349.90' });
    expect(a.lines[0]!.allowances).toEqual([{ amount: '87.48', reason: 'Discount fidelitate 5%', reasonCode: '95' }]); // 209.94 × 5/12 = 87.475
    expect(a.allowances).toBeUndefined();
    expectSendable(a);

    const b = deriveCreditNote(DEMO, req({ number: 'NC-2025-0002', lines: [{ id: '1' }] }), [earlierOf(a)]);
    expect(b.lines[0]).toMatchObject({ id: '1', quantity: '7' });
    expect(b.lines[0]!.allowances?.[0]?.amount).toBe('122.46'); // 209.94 − 87.48
    const lineNet = (d: InvoiceDocument) => dec2(computeTotals(d).lines[0]!.netAmount);
    expect(lineNet(a) + lineNet(b)).toBe(dec2(computeTotals(DEMO).lines[0]!.netAmount));
    expectSendable(b);
  });

  it('refuses more than remains of a line, with the line and the quantities in the message', () => {
    const err = catchErr(() => deriveCreditNote(DEMO, req({ lines: [{ id: '2', quantity: '4' }] })));
    expect(err.code).toBe('CREDIT_EXCEEDS_REMAINING');
    expect(err.lineId).toBe('2');
    expect(err.message).toContain('only 3 of 3 remain');
    const first = deriveCreditNote(DEMO, req({ lines: [{ id: '2', quantity: '2.5' }] }));
    const again = catchErr(() => deriveCreditNote(DEMO, req({ lines: [{ id: '2', quantity: '1' }] }), [earlierOf(first)]));
    expect(again.code).toBe('CREDIT_EXCEEDS_REMAINING');
    expect(again.message).toContain('only 0.5 of 3 remain');
    expect(deriveCreditNote(DEMO, req({ lines: [{ id: '2', quantity: '0.5' }] }), [earlierOf(first)]).lines[0]!.quantity).toBe('0.5');
  });

  it('refuses unknown, repeated and non-positive lines', () => {
    expect(catchErr(() => deriveCreditNote(DEMO, req({ lines: [{ id: '9' }] }))).code).toBe('CREDIT_NOTE_UNKNOWN_LINE');
    expect(catchErr(() => deriveCreditNote(DEMO, req({ lines: [{ id: '1' }, { id: '1' }] }))).code).toBe('CREDIT_NOTE_DUPLICATE_LINE');
    expect(catchErr(() => deriveCreditNote(DEMO, req({ lines: [{ id: '1', quantity: '0' }] }))).code).toBe('CREDIT_NOTE_LINE_NOT_CREDITABLE');
    expect(catchErr(() => deriveCreditNote(TRICKY_ROUNDING, req({ lines: [{ id: '5' }] }))).code).toBe('CREDIT_NOTE_LINE_NOT_CREDITABLE');
  });

  it('refuses to credit more than the invoice total (BT-112) when a document allowance made it smaller', () => {
    const discounted: InvoiceDocument = { ...DEMO, allowances: [{ amount: '1000.00', vatCategory: 'S', vatRate: '19', reason: 'Discount volum' }] };
    const first = deriveCreditNote(discounted, req({ lines: [{ id: '1' }] })); // 4746.74 of 5306.34
    const err = catchErr(() => deriveCreditNote(discounted, req({ number: 'NC-2' }), [earlierOf(first)]));
    expect(err.code).toBe('CREDIT_EXCEEDS_REMAINING');
    expect(err.message).toContain('(BT-112)');
  });

  it('foreign currency: BT-5, BT-6 and the exchange rate are the invoice\'s, BT-111 follows', () => {
    const cn = deriveCreditNote(EUR_WITH_RON_VAT, req({ lines: [{ id: '1', quantity: '1' }] }));
    expect(cn).toMatchObject({ currencyCode: 'EUR', taxCurrencyCode: 'RON', exchangeRate: EUR_WITH_RON_VAT.exchangeRate });
    expect(computeTotals(cn).taxAmountInTaxCurrency).not.toBeNull();
    expectSendable(cn);
  });

  it('a given BT-111 amount is credited in proportion to BT-110', () => {
    const { exchangeRate: _r, ...rest } = EUR_WITH_RON_VAT;
    const inv = { ...rest, taxTotalInTaxCurrency: '1000.00' } as InvoiceDocument;
    const totalVat = Number(computeTotals(inv).taxAmount);
    const cn = deriveCreditNote(inv, req({ lines: [{ id: '1', quantity: '1' }] }));
    expect(Number(cn.taxTotalInTaxCurrency)).toBeCloseTo((1000 * Number(computeTotals(cn).taxAmount)) / totalVat, 2);
    expectSendable(cn);
  });

  it('a credit note is not credited', () => {
    expect(catchErr(() => deriveCreditNote(CREDIT_NOTE, req())).code).toBe('CREDIT_NOTE_ORIGINAL_NOT_INVOICE');
  });
});

function catchErr(fn: () => unknown): CreditNoteError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CreditNoteError) return err;
    throw err;
  }
  throw new Error('expected a CreditNoteError');
}

/** Cents of a decimal string, as an integer (exact for amounts with 2 decimals). */
function dec2(s: string): number {
  return Math.round(Number(s) * 100);
}
