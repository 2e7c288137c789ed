import { describe, expect, it } from 'vitest';
import { amountsAgree, vatOf, vatRatesInForce } from './totals.js';

describe('vatOf', () => {
  it('is base × rate rounded half up to 2 decimals', () => {
    expect(vatOf('1000', '21')).toBe('210.00');
    expect(vatOf('123.45', '19')).toBe('23.46'); // 23.4555
    expect(vatOf('0.50', '9')).toBe('0.05'); // 0.045 → half up
    expect(vatOf('-100', '21')).toBe('-21.00');
    expect(vatOf('100', '0')).toBe('0.00');
  });
});

describe('amountsAgree', () => {
  it('allows the tolerance, no more', () => {
    expect(amountsAgree('210.00', '210.01')).toBe(true);
    expect(amountsAgree('210.00', '210.02')).toBe(false);
    expect(amountsAgree('210.00', '210.03', '0.03')).toBe(true);
  });
});

describe('vatRatesInForce', () => {
  it('follows the Romanian fiscal code history', () => {
    expect(vatRatesInForce('2025-08-01')).toEqual([21, 11, 0]);
    expect(vatRatesInForce('2025-07-31')).toEqual([19, 9, 5, 0]);
    expect(vatRatesInForce('2017-01-01')).toEqual([19, 9, 5, 0]);
    expect(vatRatesInForce('2016-06-30')).toEqual([20, 9, 5, 0]);
    expect(vatRatesInForce('2015-12-31')).toEqual([24, 9, 5, 0]);
  });
});
