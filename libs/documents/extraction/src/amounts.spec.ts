import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findAmounts, formatMoney, parseRomanianAmount } from './amounts.js';

const value = (s: string) => parseRomanianAmount(s)?.value;

describe('parseRomanianAmount', () => {
  it('reads the Romanian forms: comma decimals, dot or space thousands', () => {
    expect(value('1.234,56')).toBe('1234.56');
    expect(value('1234,56')).toBe('1234.56');
    expect(value('1 234,56')).toBe('1234.56');
    expect(value('1 234 567,89')).toBe('1234567.89');
    expect(value('1.234.567,8')).toBe('1234567.8');
    expect(value('0,50')).toBe('0.5');
    expect(value('210,00')).toBe('210');
  });
  it('reads the English form: the last separator decides', () => {
    expect(value('1,234.56')).toBe('1234.56');
    expect(value('1,234,567.89')).toBe('1234567.89');
    expect(value('12.5')).toBe('12.5');
  });
  it('reads negatives with a minus or parentheses', () => {
    expect(value('-1.234,56')).toBe('-1234.56');
    expect(value('(1.234,56)')).toBe('-1234.56');
    expect(value('\u2212 5,00')).toBe('-5');
  });
  it('reads one separator before exactly 3 digits as thousands, flagged ambiguous', () => {
    expect(parseRomanianAmount('1.234')).toEqual({ value: '1234', ambiguous: true });
    expect(parseRomanianAmount('1,234')).toEqual({ value: '1234', ambiguous: true });
    expect(parseRomanianAmount('0,125')).toEqual({ value: '0.125', ambiguous: false });
    expect(parseRomanianAmount('1.234.567')).toEqual({ value: '1234567', ambiguous: false });
  });
  it('reads a thousands separator misread as the decimal one ("9,537,53"), flagged ambiguous', () => {
    expect(parseRomanianAmount('9,537,53')).toEqual({ value: '9537.53', ambiguous: true });
    expect(parseRomanianAmount('1.234.567.89')).toEqual({ value: '1234567.89', ambiguous: true });
    expect(parseRomanianAmount('1,23,45')).toBeUndefined();
  });
  it('rejects what is not an amount', () => {
    for (const s of ['', 'abc', '1,234,5', '12.03.2025', '1.23.456', '1 23,45', '1234 567', '1,2.3', '1..2', '1,', '(-5)', '0123', '1,23456', '12%', 'RO123', '1.234.567,8.9']) {
      expect(parseRomanianAmount(s), s).toBeUndefined();
    }
  });
  it('reads back what Romanian formatting writes (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), (cents) => {
        const int = (cents / 100n).toString();
        const dec = (cents % 100n).toString().padStart(2, '0');
        const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
        const spaced = int.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
        const english = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
        const expected = formatMoney(`${int}.${dec}`);
        expect(formatMoney(value(`${grouped},${dec}`)!)).toBe(expected);
        expect(formatMoney(value(`${spaced},${dec}`)!)).toBe(expected);
        expect(formatMoney(value(`${english}.${dec}`)!)).toBe(expected);
      }),
    );
  });
});

describe('formatMoney', () => {
  it('rounds half up to 2 decimals and never writes -0.00', () => {
    expect(formatMoney('2.345')).toBe('2.35');
    expect(formatMoney('-2.345')).toBe('-2.35');
    expect(formatMoney('-0.001')).toBe('0.00');
    expect(formatMoney('1234')).toBe('1234.00');
  });
});

describe('findAmounts', () => {
  const values = (s: string) => findAmounts(s).map((a) => a.value);
  it('finds the amounts of a VAT line, not the rate', () => {
    expect(values('tva 21%\t1.000,00\t210,00')).toEqual(['1000', '210']);
    expect(values('tva 21 % 1.000,00 210,00')).toEqual(['1000', '210']);
  });
  it('joins groups split by single spaces, never across a column gap', () => {
    expect(values('total 1 234 567,89 lei')).toEqual(['1234567.89']);
    expect(values('total\t1\t234,56')).toEqual(['1', '234.56']);
    expect(values('1.000,00 210,00')).toEqual(['1000', '210']);
  });
  it('joins a thousands separator set apart by a space (Tesseract on Courier), only before a full group and decimals', () => {
    expect(values('21% 22 .466,05 4.717,87')).toEqual(['22466.05', '4717.87']);
    expect(values('total 1 .234.567,89 lei')).toEqual(['1234567.89']);
    expect(values('total 1 ,234.56')).toEqual(['1234.56']);
    expect(values('nr 22 .46')).toEqual(['22']); // not a group of 3: the dot is punctuation
    expect(values('1234 .567,89')).toEqual(['1234']); // the left run is not a first group
  });
  it('joins 2 decimals set apart by a space after the decimal separator (Tesseract on Courier), nothing else', () => {
    expect(values('baza 21 o 304246. 56 tva 21%: 63891.78')).toEqual(['21', '304246.56', '63891.78']);
    expect(values('total 1.234, 56 lei')).toEqual(['1234.56']);
    expect(values('total 102.753, 66')).toEqual(['102753.66']);
    expect(values('nr. 7. 25 buc')).toEqual(['7', '25']); // one integer digit: a numbered item, not an amount
    expect(values('1234. 567')).toEqual(['1234', '567']); // 3 digits after: not decimals
    expect(values('1234. 56%')).toEqual(['1234']); // a percentage
    expect(values('total 1.210,00. 56')).toEqual(['1210', '56']); // decimals already there
    expect(values('baza 21%: 137247 ,35 tva 21%: 28821 ,94')).toEqual(['137247.35', '28821.94']);
    expect(values('total 1.234 ,56')).toEqual(['1234.56']);
    expect(values('cant 12 ,50')).toEqual(['12']); // 2 integer digits: too short to be sure
    expect(values('137247 ,356')).toEqual(['137247']); // 3 digits after the comma: not decimals
  });
  it('ignores dates, identifiers and numbers glued to letters', () => {
    expect(values('data 12.03.2025 2025-03-12')).toEqual([]);
    expect(values('ro18547290 j40/123/2020')).toEqual([]);
    expect(values('1.210,00lei')).toEqual(['1210']);
    expect(values('12abc')).toEqual([]);
  });
  it('reads parentheses and trailing punctuation', () => {
    expect(values('discount (100,00).')).toEqual(['-100']);
    expect(values('total: 1.210,00.')).toEqual(['1210']);
  });
  it('respects the from/to window', () => {
    const s = 'a 1,00 b 2,00 c 3,00';
    expect(findAmounts(s, 3, 13).map((a) => a.value)).toEqual(['2']);
  });
});
