import { resolve as resolvePath } from 'node:path';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseUblDocument, UblParseError } from '../ubl/index.js';
import { buildCiusRoUbl } from './build-ubl.js';
import { summarizeParsedUbl, summarizeUbl, UblSummaryError } from './summarize-ubl.js';
import { CREDIT_NOTE, EUR_WITH_RON_VAT, FIXTURES, RON_MIXED, TRICKY_ROUNDING } from './test-fixtures.js';
import { validateParsedUbl } from '../validation/validate-ubl.js';
import { computeTotals } from './totals.js';

/** Shared corpus: $CONFORMANCE_DIR, else `<repo root>/../shared/conformance` (from this file, not the cwd). */
const CONFORMANCE = resolvePath(
  process.env['CONFORMANCE_DIR'] ?? fileURLToPath(new URL('../../../../../../shared/conformance/', import.meta.url)),
  'invoices/ro-anaf',
);

describe('summarizeUbl', () => {
  it.each(Object.entries(FIXTURES))('gives back the inputs of the built %s', (_name, doc) => {
    const totals = computeTotals(doc);
    const s = summarizeUbl(buildCiusRoUbl(doc));
    expect(s).toEqual({
      documentType: doc.documentType,
      number: doc.number,
      issueDate: doc.issueDate,
      typeCode: doc.typeCode,
      currencyCode: doc.currencyCode,
      sellerName: doc.seller.name,
      sellerVatId: doc.seller.vatIdentifier ?? null,
      sellerCif: doc.seller.vatIdentifier?.slice(2) ?? doc.seller.taxRegistrationId,
      buyerName: doc.buyer.name,
      buyerVatId: doc.buyer.vatIdentifier ?? null,
      lineCount: doc.lines.length,
      taxExclusiveAmount: totals.taxExclusiveAmount,
      taxAmount: totals.taxAmount,
      payableAmount: totals.payableAmount,
    });
  });

  it('reads BT-110 in the document currency, not the RON BT-111', () => {
    const s = summarizeUbl(buildCiusRoUbl(EUR_WITH_RON_VAT));
    expect(s.currencyCode).toBe('EUR');
    expect(s.taxAmount).toBe('471.20');
  });

  it('accepts bytes (Buffer)', () => {
    const s = summarizeUbl(Buffer.from(buildCiusRoUbl(CREDIT_NOTE), 'utf8'));
    expect(s).toMatchObject({ documentType: 'CreditNote', typeCode: '381', number: 'CTD-NC-2025-0003' });
  });

  it('summarizeParsedUbl gives the same summary from an already parsed document (and leaves it valid)', () => {
    const xml = buildCiusRoUbl(TRICKY_ROUNDING);
    const parsed = parseUblDocument(xml);
    expect(summarizeParsedUbl(parsed)).toEqual(summarizeUbl(xml));
    expect(validateParsedUbl(parsed).fatal).toEqual([]);
    const noNumber = parseUblDocument(xml.replace(/<cbc:ID>CTD-2025-000143<\/cbc:ID>/, ''));
    expect(() => summarizeParsedUbl(noNumber)).toThrow(UblSummaryError);
  });

  it('takes the CUI from BT-32 or BT-30 when the seller has no RO VAT id', () => {
    const noVat = { ...RON_MIXED, seller: { ...RON_MIXED.seller, vatIdentifier: undefined, taxRegistrationId: '41832096' } };
    expect(summarizeUbl(buildCiusRoUbl(noVat)).sellerCif).toBe('41832096');
    const legal = { ...RON_MIXED, seller: { ...RON_MIXED.seller, vatIdentifier: undefined, legalRegistrationId: 'RO41832096' } };
    expect(summarizeUbl(buildCiusRoUbl(legal))).toMatchObject({ sellerCif: '41832096', sellerVatId: null });
  });

  it("summarises ANAF's invoice example eInvoice_ex.xml", () => {
    const s = summarizeUbl(readFileSync(`${CONFORMANCE}/eInvoice_ex.xml`));
    expect(s).toEqual({
      documentType: 'Invoice',
      number: '6422451356',
      issueDate: '2022-05-31',
      typeCode: '380',
      currencyCode: 'RON',
      sellerName: 'Seller SRL',
      sellerVatId: 'RO1234567890',
      sellerCif: '1234567890',
      buyerName: 'Buyer SRL',
      buyerVatId: 'RO987456123',
      lineCount: 35,
      taxExclusiveAmount: '34741984.11',
      taxAmount: '6598592.6',
      payableAmount: '41340576.71',
    });
  });

  it("summarises ANAF's credit note example creditNote_ex.xml (foreign seller: no CUI)", () => {
    const s = summarizeUbl(readFileSync(`${CONFORMANCE}/creditNote_ex.xml`, 'utf8'));
    expect(s).toEqual({
      documentType: 'CreditNote',
      number: '2018-112',
      issueDate: '2018-07-31',
      typeCode: '381',
      currencyCode: 'SEK',
      sellerName: 'Säljbolaget AB',
      sellerVatId: 'SE123451234501',
      sellerCif: null,
      buyerName: 'Centrala Inköps Handelsbolag',
      buyerVatId: null,
      lineCount: 1,
      taxExclusiveAmount: '400',
      taxAmount: '100',
      payableAmount: '500',
    });
  });

  it('throws typed errors for malformed XML and missing mandatory terms', () => {
    expect(() => summarizeUbl('<Invoice')).toThrow(UblParseError);
    const noNumber = buildCiusRoUbl(RON_MIXED).replace('<cbc:ID>CTD-2025-000142</cbc:ID>', '');
    let err: unknown;
    try {
      summarizeUbl(noNumber);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UblSummaryError);
    expect((err as UblSummaryError).code).toBe('UBL_SUMMARY_MISSING_FIELD');
    expect((err as UblSummaryError).term).toBe('BT-1');
  });
});
