import { describe, expect, it } from 'vitest';
import { addDays, findDates, isoDate, parseRomanianDate } from './dates.js';

describe('parseRomanianDate', () => {
  it('reads day-month-year with dots, slashes or dashes, and ISO', () => {
    expect(parseRomanianDate('12.03.2025')).toBe('2025-03-12');
    expect(parseRomanianDate('12/03/2025')).toBe('2025-03-12');
    expect(parseRomanianDate('12-03-2025')).toBe('2025-03-12');
    expect(parseRomanianDate('1.3.2025')).toBe('2025-03-01');
    expect(parseRomanianDate('2025-03-12')).toBe('2025-03-12');
    expect(parseRomanianDate('12.03.25')).toBe('2025-03-12');
  });
  it('reads Romanian month names, with or without diacritics, and abbreviations', () => {
    expect(parseRomanianDate('12 martie 2025')).toBe('2025-03-12');
    expect(parseRomanianDate('1 Mai 2025')).toBe('2025-05-01');
    expect(parseRomanianDate('3 ian. 2025')).toBe('2025-01-03');
    expect(parseRomanianDate('30 noiembrie 2024')).toBe('2024-11-30');
    expect(parseRomanianDate('5 Decembrie 2025')).toBe('2025-12-05');
    expect(parseRomanianDate('7 septembrie 2025')).toBe('2025-09-07');
    expect(parseRomanianDate('7 sept. 2025')).toBe('2025-09-07');
  });
  it('rejects impossible dates and mixed separators', () => {
    expect(parseRomanianDate('31.04.2025')).toBeUndefined();
    expect(parseRomanianDate('29.02.2025')).toBeUndefined();
    expect(parseRomanianDate('29.02.2024')).toBe('2024-02-29');
    expect(parseRomanianDate('12.03/2025')).toBeUndefined();
    expect(parseRomanianDate('13.13.2025')).toBeUndefined();
    expect(parseRomanianDate('12 martyr 2025')).toBeUndefined();
    expect(parseRomanianDate('1.234,56')).toBeUndefined();
  });
});

describe('findDates', () => {
  it('finds every date of a line key, in order', () => {
    const found = findDates('factura nr. 123 din 12.03.2025, scadenta: 11 aprilie 2025');
    expect(found.map((d) => d.value)).toEqual(['2025-03-12', '2025-04-11']);
    expect(found[0]!.shortYear).toBe(false);
  });
  it('does not read amounts or trade register numbers as dates', () => {
    expect(findDates('total 1.234,56 j40/1234/2020')).toEqual([]);
  });
  it('flags 2-digit years', () => {
    expect(findDates('data: 12.03.25')[0]).toMatchObject({ value: '2025-03-12', shortYear: true });
  });
});

describe('isoDate / addDays', () => {
  it('checks the calendar', () => {
    expect(isoDate(2025, 2, 28)).toBe('2025-02-28');
    expect(isoDate(2025, 2, 29)).toBeUndefined();
  });
  it('adds days across months and years', () => {
    expect(addDays('2025-03-12', 30)).toBe('2025-04-11');
    expect(addDays('2024-12-15', 30)).toBe('2025-01-14');
  });
});
