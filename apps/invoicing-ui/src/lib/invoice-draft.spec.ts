import { describe, expect, it } from 'vitest';
import { InvoiceDocumentSchema } from '@cetate/invoicing-contracts';
import { emptyDraft, fieldOfPath, ruleIdOf, toInvoiceDocument, validateDraft, type InvoiceDraft } from './invoice-draft.js';
import { normalizeDecimal } from './decimal-input.js';

function validDraft(): InvoiceDraft {
  const d = emptyDraft(new Date('2026-10-14T09:00:00Z'), {
    name: 'Cetate Demo Software SRL', cif: 'RO41832096', street: 'Strada Academiei nr. 7', city: 'SECTOR1', county: 'RO-B',
  });
  d.number = 'CTD-2026-1';
  d.buyer = { name: 'Transilvania Distributie SRL', cif: 'RO35246718', street: 'Calea Dorobantilor 98', city: 'Cluj-Napoca', county: 'RO-CJ', countryCode: 'RO' };
  d.lines[0] = { ...d.lines[0]!, itemName: 'Abonament', quantity: '2', priceAmount: '100,50', vat: 'S21' };
  return d;
}

describe('toInvoiceDocument + validateDraft (the API schema)', () => {
  it('a complete draft is a document the API schema accepts', () => {
    const d = validDraft();
    expect(validateDraft(d)).toEqual([]);
    const doc = InvoiceDocumentSchema.parse(toInvoiceDocument(d));
    expect(doc).toMatchObject({
      documentType: 'Invoice', typeCode: '380', currencyCode: 'RON', issueDate: '2026-10-14', dueDate: '2026-11-13',
      seller: { vatIdentifier: 'RO41832096', address: { countrySubdivision: 'RO-B', city: 'SECTOR1' } },
      buyer: { vatIdentifier: 'RO35246718' },
      lines: [{ id: '1', quantity: '2', priceAmount: '100.50', vatCategory: 'S', vatRate: '21' }],
    });
  });

  it('a number without a digit gives BR-RO-010 on the number field; correcting it clears the finding', () => {
    const d = validDraft();
    d.number = 'FACT';
    expect(validateDraft(d)).toEqual([{ path: 'number', field: 'number', ruleId: 'BR-RO-010', message: expect.stringContaining('BR-RO-010') }]);
    d.number = 'FACT1';
    expect(validateDraft(d)).toEqual([]);
  });

  it('empty required fields are "missing" findings on their fields', () => {
    const d = validDraft();
    d.buyer.name = '';
    d.lines[0]!.quantity = ' ';
    const f = validateDraft(d);
    expect(f).toContainEqual({ path: 'buyer.name', field: 'buyer.name', ruleId: null, message: null });
    expect(f).toContainEqual({ path: 'lines.0.quantity', field: 'lines.0.quantity', ruleId: null, message: null });
  });

  it('digits-only CIF is the buyer legal registration id (BT-47); none at all gives BR-RO-120 on the CIF field', () => {
    const d = validDraft();
    d.buyer.cif = '35246718';
    expect(toInvoiceDocument(d).buyer).toMatchObject({ legalRegistrationId: '35246718' });
    expect(validateDraft(d)).toEqual([]);
    d.buyer.cif = '';
    expect(validateDraft(d)).toEqual([expect.objectContaining({ field: 'buyer.cif', ruleId: 'BR-RO-120' })]);
  });

  it('an exempt line needs the exemption reason (BR-E-10)', () => {
    const d = validDraft();
    d.lines[0]!.vat = 'E';
    expect(validateDraft(d)).toEqual([expect.objectContaining({ field: 'exemptionReason', ruleId: 'BR-E-10' })]);
    d.exemptionReason = 'Scutit conform art. 292 Cod fiscal';
    expect(validateDraft(d)).toEqual([]);
  });

  it('Bucharest needs SECTOR1..6 as city (BR-RO-100) on the city field', () => {
    const d = validDraft();
    d.seller.city = 'Bucuresti';
    expect(validateDraft(d)).toEqual([expect.objectContaining({ field: 'seller.city', ruleId: 'BR-RO-100' })]);
  });
});

describe('ruleIdOf / fieldOfPath / normalizeDecimal', () => {
  it('finds the rule id in schema and ANAF messages', () => {
    expect(ruleIdOf('must contain at least one digit (CIUS-RO BR-RO-010)')).toBe('BR-RO-010');
    expect(ruleIdOf('give the due date (EN 16931 BR-CO-25)')).toBe('BR-CO-25');
    expect(ruleIdOf('category S needs a rate (EN 16931 BR-S-05)')).toBe('BR-S-05');
    expect(ruleIdOf('at least one invoice line (EN 16931 BR-16)')).toBe('BR-16');
    expect(ruleIdOf('at most 20 notes (CIUS-RO BR-RO-A020)')).toBe('BR-RO-A020');
    expect(ruleIdOf('Too small: expected string to have >=1 characters')).toBeNull();
  });
  it('maps document paths to editor fields', () => {
    expect(fieldOfPath('seller.vatIdentifier')).toBe('seller.cif');
    expect(fieldOfPath('buyer.legalRegistrationId')).toBe('buyer.cif');
    expect(fieldOfPath('buyer.address.countrySubdivision')).toBe('buyer.county');
    expect(fieldOfPath('lines.2.vatRate')).toBe('lines.2.vat');
    expect(fieldOfPath('vatExemptions')).toBe('exemptionReason');
    expect(fieldOfPath('delivery.address')).toBe('buyer.county');
    expect(fieldOfPath('lines')).toBe('');
    expect(fieldOfPath('taxCurrencyCode')).toBe('');
  });
  it('normalizes Romanian and English decimal text', () => {
    expect(normalizeDecimal('1.234,56')).toBe('1234.56');
    expect(normalizeDecimal('12,5')).toBe('12.5');
    expect(normalizeDecimal(' 12.5 ')).toBe('12.5');
    expect(normalizeDecimal('1\u00a0000')).toBe('1000');
  });
});
