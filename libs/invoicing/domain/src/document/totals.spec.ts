import DecimalJs from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { FIXTURES, TRICKY_ROUNDING, EUR_WITH_RON_VAT, RON_MIXED } from './test-fixtures.js';
import { computeTotals, type InvoiceTotals } from './totals.js';
import { formatMoney, roundMoney, Dec } from './money.js';

const D = (s: string) => new DecimalJs(s);
const AMOUNT = /^-?(0|[1-9][0-9]*)\.[0-9]{2}$/;

/** EN 16931 BR-CO-10..17 with exact decimals. */
function assertAddsUp(t: InvoiceTotals) {
  const all = [
    t.lineExtensionAmount, t.allowanceTotalAmount, t.chargeTotalAmount, t.taxExclusiveAmount, t.taxAmount,
    t.taxInclusiveAmount, t.prepaidAmount, t.payableAmount, ...t.lines.map((l) => l.netAmount),
    ...t.vatBreakdown.flatMap((v) => [v.taxableAmount, v.taxAmount]),
  ];
  for (const a of all) {
    expect(a).toMatch(AMOUNT);
    expect(a).not.toBe('-0.00');
  }
  const sum = (xs: string[]) => xs.reduce((acc, x) => acc.plus(D(x)), D('0'));
  expect(sum(t.lines.map((l) => l.netAmount)).equals(D(t.lineExtensionAmount))).toBe(true); // BR-CO-10
  expect(D(t.lineExtensionAmount).minus(D(t.allowanceTotalAmount)).plus(D(t.chargeTotalAmount)).equals(D(t.taxExclusiveAmount))).toBe(true); // BR-CO-13
  expect(sum(t.vatBreakdown.map((v) => v.taxAmount)).equals(D(t.taxAmount))).toBe(true); // BR-CO-14
  expect(D(t.taxExclusiveAmount).plus(D(t.taxAmount)).equals(D(t.taxInclusiveAmount))).toBe(true); // BR-CO-15
  expect(D(t.taxInclusiveAmount).minus(D(t.prepaidAmount)).equals(D(t.payableAmount))).toBe(true); // BR-CO-16
  expect(sum(t.vatBreakdown.map((v) => v.taxableAmount)).equals(D(t.taxExclusiveAmount))).toBe(true);
  for (const v of t.vatBreakdown) {
    const rate = v.vatRate ?? '0';
    const expected = D(v.taxableAmount).times(D(rate)).dividedBy(100).toDecimalPlaces(2, DecimalJs.ROUND_HALF_UP);
    expect(D(v.taxAmount).equals(expected), `BR-CO-17 ${v.vatCategory} ${rate}`).toBe(true);
  }
}

describe('money rounding', () => {
  it('rounds half away from zero and never writes -0.00', () => {
    expect(formatMoney(new Dec('100.005'))).toBe('100.01');
    expect(formatMoney(new Dec('2.345'))).toBe('2.35');
    expect(formatMoney(new Dec('2.3449999'))).toBe('2.34');
    expect(formatMoney(new Dec('-2.345'))).toBe('-2.35');
    expect(formatMoney(new Dec('-0.004'))).toBe('0.00');
    expect(formatMoney(new Dec('-0'))).toBe('0.00');
    expect(roundMoney(new Dec('-0.001')).isNegative()).toBe(false);
    expect(formatMoney(new Dec('1e21'))).toBe('1000000000000000000000.00');
  });
});

describe('computeTotals', () => {
  it('computes the demo invoice exactly (19 % and 9 % mixed, line discount)', () => {
    const t = computeTotals(RON_MIXED);
    expect(t.lines.map((l) => l.netAmount)).toEqual(['3988.86', '1000.05', '513.34']);
    expect(t.lines[0]).toMatchObject({ grossAmount: '4198.80', allowanceTotal: '209.94' });
    expect(t.vatBreakdown).toEqual([
      { vatCategory: 'S', vatRate: '19', taxableAmount: '4988.91', taxAmount: '947.89' },
      { vatCategory: 'S', vatRate: '9', taxableAmount: '513.34', taxAmount: '46.20' },
    ]);
    expect(t).toMatchObject({
      lineExtensionAmount: '5502.25',
      taxExclusiveAmount: '5502.25',
      taxAmount: '994.09',
      taxInclusiveAmount: '6496.34',
      payableAmount: '6496.34',
      taxCurrencyCode: null,
      taxAmountInTaxCurrency: null,
    });
  });

  it('handles tricky roundings: 3 × 33.335, half cents, negative near-zero, "9" vs "9.00" grouping', () => {
    const t = computeTotals(TRICKY_ROUNDING);
    expect(t.lines.map((l) => l.netAmount)).toEqual(['100.01', '0.01', '100.00', '49.95', '0.00']);
    // 19 %: 100.01 + 0.01 + 49.95 + 0.00 − 0.05 allowance = 149.92 → VAT 28.4848 → 28.48
    // 9 %: 100.00 + 10.00 charge = 110.00 → VAT 9.90
    expect(t.vatBreakdown).toEqual([
      { vatCategory: 'S', vatRate: '19', taxableAmount: '149.92', taxAmount: '28.48' },
      { vatCategory: 'S', vatRate: '9.00', taxableAmount: '110.00', taxAmount: '9.90' },
    ]);
    expect(t).toMatchObject({
      lineExtensionAmount: '249.97',
      allowanceTotalAmount: '0.05',
      chargeTotalAmount: '10.00',
      taxExclusiveAmount: '259.92',
      taxAmount: '38.38',
      taxInclusiveAmount: '298.30',
      payableAmount: '298.30',
    });
  });

  it('computes BT-111 in RON from the exchange rate, or takes the given amount', () => {
    const t = computeTotals(EUR_WITH_RON_VAT);
    // 1280.00 + 1199.99 = 2479.99; VAT 471.1981 → 471.20; × 4.9771 = 2345.209… → 2345.21
    expect(t).toMatchObject({ taxExclusiveAmount: '2479.99', taxAmount: '471.20', taxCurrencyCode: 'RON', taxAmountInTaxCurrency: '2345.21' });
    const given = computeTotals({ ...EUR_WITH_RON_VAT, exchangeRate: undefined, taxTotalInTaxCurrency: '2345.2' });
    expect(given.taxAmountInTaxCurrency).toBe('2345.20');
  });

  it('subtracts prepaid amounts (BR-CO-16)', () => {
    const t = computeTotals({ ...RON_MIXED, prepaidAmount: '1000' });
    expect(t.prepaidAmount).toBe('1000.00');
    expect(t.payableAmount).toBe('5496.34');
  });

  it.each(Object.entries(FIXTURES))('%s adds up exactly (BR-CO-10..17)', (_name, doc) => {
    assertAddsUp(computeTotals(doc));
  });

  it('adds up for 300 pseudo-random documents', () => {
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const rates = ['19', '9', '5', '0'];
    for (let k = 0; k < 300; k++) {
      const lines = Array.from({ length: 1 + rnd(8) }, (_, i) => {
        const rate = rates[rnd(rates.length)]!;
        return {
          id: String(i + 1),
          quantity: `${rnd(50)}.${String(rnd(1000)).padStart(3, '0')}`,
          unitCode: 'H87',
          itemName: 'x',
          priceAmount: `${rnd(5000)}.${String(rnd(10000)).padStart(4, '0')}`,
          vatCategory: (rate === '0' ? 'Z' : 'S') as 'S' | 'Z',
          vatRate: rate,
          allowances: rnd(3) === 0 ? [{ amount: `0.${String(rnd(100)).padStart(2, '0')}`, reason: 'd' }] : undefined,
        };
      });
      assertAddsUp(computeTotals({ ...RON_MIXED, lines }));
    }
  });
});
