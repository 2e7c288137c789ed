import { describe, expect, it } from 'vitest';
import { isTradeRegisterCounty, normalizeTradeRegister, readTradeRegister, tradeRegisterCheckDigit } from './trade-register.js';

describe('normalizeTradeRegister: old format J/F/C + county / number / year', () => {
  it('normalises separators, the county to 2 digits and a full date to its year', () => {
    expect(normalizeTradeRegister('J40/123/2020')).toBe('J40/123/2020');
    expect(normalizeTradeRegister('J40/1234/12.03.2020')).toBe('J40/1234/2020');
    expect(normalizeTradeRegister('J52/750/22.11.2012')).toBe('J52/750/2012');
    expect(normalizeTradeRegister('j 40 1234 2020')).toBe('J40/1234/2020');
    expect(normalizeTradeRegister('J/2/750/2012')).toBe('J02/750/2012');
    expect(normalizeTradeRegister('F01 /592 /2013')).toBe('F01/592/2013');
    expect(normalizeTradeRegister('J22-1515-2007')).toBe('J22/1515/2007');
    expect(normalizeTradeRegister('C04/32/2005')).toBe('C04/32/2005');
    expect(normalizeTradeRegister('J40.1234.2020')).toBe('J40/1234/2020');
  });
  it('rejects unknown type letters, counties 41-50 and above 52, bad years and dates', () => {
    expect(normalizeTradeRegister('X52/750/2012')).toBeUndefined();
    expect(normalizeTradeRegister('J49/750/2012')).toBeUndefined();
    expect(normalizeTradeRegister('J53/750/2012')).toBeUndefined();
    expect(normalizeTradeRegister('J00/750/2012')).toBeUndefined();
    expect(normalizeTradeRegister('J40/750/1989')).toBeUndefined();
    expect(normalizeTradeRegister('J40/750/2025')).toBeUndefined(); // old numbers were last issued in 2024
    expect(normalizeTradeRegister('J40/750/31.04.2012')).toBeUndefined();
    expect(normalizeTradeRegister('J40/0/2012')).toBeUndefined();
    expect(normalizeTradeRegister('J40/750')).toBeUndefined();
  });
  it('knows the county codes: 1-40, 51, 52', () => {
    expect([1, 40, 51, 52].every(isTradeRegisterCounty)).toBe(true);
    expect([0, 41, 50, 53].some(isTradeRegisterCounty)).toBe(false);
  });
});

describe('normalizeTradeRegister: 2024 format (letter, year, 6-digit number, county, check digit)', () => {
  it('accepts numbers whose check digit, year and county fit (python-stdnum published examples)', () => {
    expect(normalizeTradeRegister('J2012000750528')).toBe('J2012000750528'); // the old J52/750/2012
    expect(normalizeTradeRegister('J2016012984401')).toBe('J2016012984401');
    expect(normalizeTradeRegister('ROONRC.J2012000750528')).toBe('J2012000750528'); // EUID prefix
  });
  it('rejects a wrong check digit, length, year, or county for the year', () => {
    expect(normalizeTradeRegister('J2012000750529')).toBeUndefined(); // check digit
    expect(normalizeTradeRegister('J201601298440')).toBeUndefined(); // 13 characters
    expect(normalizeTradeRegister('J1822012984405')).toBeUndefined(); // year 1822
    expect(normalizeTradeRegister('J2016012984007')).toBeUndefined(); // county 00 before 2024
    expect(normalizeTradeRegister('J2024012984994')).toBeUndefined(); // county 99
    expect(normalizeTradeRegister('J2025012984401')).toBeUndefined(); // after 2024 the county is 00
  });
  it('computes the check digit as the digit sum plus the last digit of the letter code, mod 10', () => {
    // J = 74 → 4; 2+0+1+2+0+0+0+7+5+0+5+2 = 24; 28 mod 10 = 8
    expect(tradeRegisterCheckDigit('J201200075052')).toBe(8);
    // F = 70 → 0, C = 67 → 7: same digits, different check digits
    expect(tradeRegisterCheckDigit('F202500012300')).toBe(5);
    expect(tradeRegisterCheckDigit('C202500012300')).toBe(2);
    expect(normalizeTradeRegister('F2025000123005')).toBe('F2025000123005');
    expect(normalizeTradeRegister('J2025000123005')).toBeUndefined();
  });
});

describe('readTradeRegister', () => {
  it('finds the number in a line, after its label', () => {
    expect(readTradeRegister('Nr. Reg. Com.: J40/1234/12.03.2020, CIF RO18547290')).toMatchObject({ value: 'J40/1234/2020', repaired: false });
    expect(readTradeRegister('Reg. com. J2012000750528')).toMatchObject({ value: 'J2012000750528' });
  });
  it('reads O for 0 and l for 1 in the digit positions when the result is valid', () => {
    expect(readTradeRegister('J4O/l234/2O2O')).toMatchObject({ value: 'J40/1234/2020', repaired: true });
  });
  it('reads what OCR engines make of it: a space after the letter, a bracket for J', () => {
    expect(readTradeRegister('Reg. com.: J 2012000750528')).toMatchObject({ value: 'J2012000750528' });
    expect(readTradeRegister('Reg. com.: J 40/1234/2019')).toMatchObject({ value: 'J40/1234/2019' });
    expect(readTradeRegister('Nr. ord. reg. com.: ]40/21582/2017')).toMatchObject({ value: 'J40/21582/2017', repaired: true });
  });
  it('finds nothing in texts without one', () => {
    expect(readTradeRegister('Str. Jiului 40/12 2020')).toBeUndefined();
    expect(readTradeRegister('CIF RO18547290')).toBeUndefined();
  });
});
