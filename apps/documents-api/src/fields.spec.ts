import { describe, expect, it } from 'vitest';
import type { ExtractedFields } from '@cetate/documents-contracts';
import { applyCorrections, fieldProblems, invoiceNumber, purchaseInvoiceFrom } from './fields.js';
import { detectDocumentMime, uploadFilename } from './file-type.js';

const at = { page: 1, bbox: { x0: 10, y0: 20, x1: 90, y1: 30 } };
const read: ExtractedFields = {
  supplier: { name: { value: 'Furnizor SRL', confidence: 0.91, ...at }, cif: { value: 'RO18547290', confidence: 0.97, ...at } },
  buyer: { cif: { value: '14399840', confidence: 0.88, ...at } },
  series: { value: 'FCT', confidence: 0.9, ...at },
  number: { value: '00123', confidence: 0.95, ...at },
  issueDate: { value: '2026-03-15', confidence: 0.93, ...at },
  payableTotal: { value: '1210.00', confidence: 0.6, ...at },
  vat: [{ rate: '21', base: '1000.00', amount: '210.00', confidence: 0.8, ...at }],
  iban: { value: 'RO49AAAA1B31007593840000', confidence: 0.9, ...at },
  warnings: ['net + VAT differs from the total'],
};

describe('field corrections', () => {
  it('keeps what is left out, removes what is null, marks what is given as corrected with confidence 1 at the same place', () => {
    const out = applyCorrections(read, { payableTotal: '1200.00', dueDate: '2026-04-14', iban: null, supplier: { name: 'Furnizor Nou SRL' } });
    expect(out.payableTotal).toEqual({ value: '1200.00', confidence: 1, corrected: true, ...at });
    expect(out.dueDate).toEqual({ value: '2026-04-14', confidence: 1, corrected: true });
    expect(out.iban).toBeUndefined();
    expect(out.supplier.name).toMatchObject({ value: 'Furnizor Nou SRL', corrected: true, page: 1 });
    expect(out.supplier.cif).toEqual(read.supplier.cif);
    expect(out.number).toEqual(read.number);
    expect(read.payableTotal?.value).toBe('1210.00'); // the input is not modified
  });

  it('a VAT list given replaces the breakdown; a failed document starts from no fields', () => {
    expect(applyCorrections(read, { vat: [{ rate: '11', base: '100.00', amount: '11.00' }] }).vat).toEqual([{ rate: '11', base: '100.00', amount: '11.00', confidence: 1, corrected: true }]);
    const typed = applyCorrections(null, { number: 'A1', supplier: { cif: '18547290' } });
    expect(typed).toMatchObject({ supplier: { cif: { value: '18547290', confidence: 1 } }, buyer: {}, vat: [], warnings: [], number: { value: 'A1' } });
  });

  it('finds check digits that fail and, for an invoice, the missing BT-1/BT-2/supplier CUI', () => {
    expect(fieldProblems(read, true)).toEqual([]);
    const bad = applyCorrections(read, { supplier: { cif: 'RO18547291' }, iban: 'RO49AAAA1B31007593840001', number: null, issueDate: null });
    expect(fieldProblems(bad, false).map((p) => p.path)).toEqual(['supplier.cif', 'iban']);
    expect(fieldProblems(bad, true).map((p) => p.path)).toEqual(['supplier.cif', 'iban', 'number', 'issueDate']);
  });

  it('makes the draft purchase invoice with EN 16931 terms: CUI digits as the key, BT-31 kept, BT-1 from series + number', () => {
    const p = purchaseInvoiceFrom('11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', read, 'ana');
    expect(p).toMatchObject({
      source: 'ocr',
      supplierCif: '18547290',
      supplierVatId: 'RO18547290',
      buyerCif: '14399840',
      series: 'FCT',
      number: 'FCT00123',
      issueDate: '2026-03-15',
      currency: 'RON',
      payableTotal: '1210.00',
      netTotal: null,
      vat: [{ rate: '21', base: '1000.00', amount: '210.00' }],
    });
    expect(invoiceNumber('FCT', 'FCT-00123')).toBe('FCT-00123');
    expect(invoiceNumber(undefined, '77')).toBe('77');
  });
});

describe('upload type and name', () => {
  it('decides the type by the first bytes', () => {
    expect(detectDocumentMime(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
    expect(detectDocumentMime(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(detectDocumentMime(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(detectDocumentMime(Buffer.from('II*\0xxxx', 'latin1'))).toBe('image/tiff');
    expect(detectDocumentMime(Buffer.from('MM\0*xxxx', 'latin1'))).toBe('image/tiff');
    expect(detectDocumentMime(Buffer.from('<?xml version="1.0"?><Invoice/>'))).toBeUndefined();
    expect(detectDocumentMime(Buffer.from('GIF89a'))).toBeUndefined();
    expect(detectDocumentMime(Buffer.alloc(0))).toBeUndefined();
  });

  it('takes the file name from the query or Content-Disposition, last path segment only', () => {
    expect(uploadFilename('factura.pdf', undefined, 'document')).toBe('factura.pdf');
    expect(uploadFilename(undefined, `attachment; filename*=UTF-8''factur%C4%83%20%C8%99.pdf`, 'document')).toBe('factură ș.pdf');
    expect(uploadFilename(undefined, 'attachment; filename="C:\\scan\\f1.png"', 'document')).toBe('f1.png');
    expect(uploadFilename(undefined, undefined, 'document')).toBe('document');
    expect(uploadFilename('../../etc/passwd', undefined, 'document')).toBe('passwd');
  });
});
