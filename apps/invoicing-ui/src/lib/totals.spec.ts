import { describe, expect, it } from 'vitest';
import { draftTotals } from './totals.js';
import { emptyLine, type LineDraft } from './invoice-draft.js';

const line = (quantity: string, priceAmount: string, vat: LineDraft['vat']): LineDraft => ({ ...emptyLine(), itemName: 'x', quantity, priceAmount, vat });

describe('draftTotals', () => {
  it('groups VAT per rate (21 % and 11 %) and adds up exactly, without floats', () => {
    const t = draftTotals([line('3', '0.10', 'S21'), line('1', '0.20', 'S21'), line('2', '50,50', 'S11')]);
    // 0.30 + 0.20 = 0.50 (a float sum would give 0.30000000000000004 + ...)
    expect(t.vatBreakdown).toEqual([
      { vatCategory: 'S', vatRate: '21', taxableAmount: '0.50', taxAmount: '0.11' },
      { vatCategory: 'S', vatRate: '11', taxableAmount: '101.00', taxAmount: '11.11' },
    ]);
    expect(t.taxExclusiveAmount).toBe('101.50');
    expect(t.taxAmount).toBe('11.22');
    expect(t.payableAmount).toBe('112.72');
    expect(t.lineNet).toEqual(['0.30', '0.20', '101.00']);
    expect(t.incompleteLines).toEqual([]);
  });

  it('rounds each line net half up to 2 decimals before summing (BT-131, like the UBL builder)', () => {
    const t = draftTotals([line('1', '0.005', 'S21'), line('1', '0.005', 'S21')]);
    expect(t.lineNet).toEqual(['0.01', '0.01']);
    expect(t.taxExclusiveAmount).toBe('0.02');
    expect(t.taxAmount).toBe('0.00');
  });

  it('reads Romanian input (thousands dots, decimal comma)', () => {
    const t = draftTotals([line('1', '1.234,56', 'S21')]);
    expect(t.taxExclusiveAmount).toBe('1234.56');
    expect(t.taxAmount).toBe('259.26'); // 1234.56 × 21 % = 259.2576
  });

  it('leaves out lines being typed and reports them', () => {
    const t = draftTotals([line('2', '10', 'S21'), line('', '5', 'S21'), line('1', 'abc', 'S11'), line('1', '-3', 'S21')]);
    expect(t.incompleteLines).toEqual([1, 2, 3]);
    expect(t.lineNet).toEqual(['20.00', null, null, null]);
    expect(t.payableAmount).toBe('24.20');
  });

  it('carries no VAT for zero-rated, exempt and outside-scope categories', () => {
    const t = draftTotals([line('1', '100', 'Z'), line('1', '50', 'E'), line('1', '10', 'S21')]);
    expect(t.vatBreakdown.map((b) => [b.vatCategory, b.vatRate, b.taxAmount])).toEqual([
      ['S', '21', '2.10'],
      ['Z', '0', '0.00'],
      ['E', '0', '0.00'],
    ]);
    expect(t.taxAmount).toBe('2.10');
    expect(draftTotals([line('2', '5', 'O')]).vatBreakdown).toEqual([expect.objectContaining({ vatCategory: 'O', vatRate: null, taxAmount: '0.00' })]);
  });
});
