import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cifControlDigit, cifDigits, compactCif, isValidCif, readCif } from './cif.js';

describe('cifControlDigit', () => {
  it('computes the ANAF control digit (key 753217532, ×10 mod 11, 10 → 0)', () => {
    // 0·7+0·5+1·3+8·2+5·1+4·7+7·5+2·3+9·2 = 111; 1110 mod 11 = 10 → 0
    expect(cifControlDigit('1854729')).toBe(0);
    // padded 001439984: 0·7+0·5+1·3+4·2+3·1+9·7+9·5+8·3+4·2 = 154; 1540 mod 11 = 0
    expect(cifControlDigit('1439984')).toBe(0);
    // 2·2 = 4 (padded 000000002); 40 mod 11 = 7
    expect(cifControlDigit('2')).toBe(7);
  });
  it('rejects bodies that are not 1-9 digits', () => {
    expect(() => cifControlDigit('')).toThrow(RangeError);
    expect(() => cifControlDigit('1234567890')).toThrow(RangeError);
    expect(() => cifControlDigit('12a')).toThrow(RangeError);
  });
  it('any body with its computed control digit is valid, any other last digit is not (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9]\d{0,8}$/), fc.integer({ min: 1, max: 9 }), (body, shift) => {
        const control = cifControlDigit(body);
        expect(isValidCif(`${body}${control}`)).toBe(true);
        expect(isValidCif(`RO${body}${control}`)).toBe(true);
        expect(isValidCif(`${body}${(control + shift) % 10}`)).toBe(false);
      }),
    );
  });
});

describe('isValidCif', () => {
  it('accepts the RO prefix, spaces and dots', () => {
    expect(isValidCif('18547290')).toBe(true);
    expect(isValidCif('RO18547290')).toBe(true);
    expect(isValidCif('ro 18547290')).toBe(true);
    expect(isValidCif('RO 185 472 90')).toBe(true);
    expect(isValidCif('27')).toBe(true);
  });
  it('rejects a wrong control digit, too short/long numbers and other prefixes', () => {
    expect(isValidCif('18547291')).toBe(false);
    expect(isValidCif('7')).toBe(false);
    expect(isValidCif('12345678901')).toBe(false);
    expect(isValidCif('DE18547290')).toBe(false);
    expect(isValidCif('CIF 18547290')).toBe(false);
    expect(isValidCif('018547290')).toBe(false); // valid sum, but a CUI never starts with 0
  });
});

describe('compactCif / cifDigits', () => {
  it('compacts without checking', () => {
    expect(compactCif('ro 185.472.91')).toBe('RO18547291');
    expect(compactCif('J40/1/2020')).toBeUndefined();
    expect(cifDigits('RO 18547290')).toBe('18547290');
  });
});

describe('readCif', () => {
  it('reads the CIF after a label, with or without RO', () => {
    expect(readCif('CIF: RO18547290 Reg. Com.', 4)).toMatchObject({ value: 'RO18547290', valid: true, repaired: false });
    expect(readCif('C.U.I. 14399840')).toMatchObject({ value: '14399840', valid: true });
    expect(readCif('Cod fiscal RO 18547290')).toMatchObject({ value: 'RO18547290', valid: true });
  });
  it('reads O/l look-alikes as digits only when the control digit then passes', () => {
    expect(readCif('CUI: RO1854729O')).toMatchObject({ value: 'RO18547290', valid: true, repaired: true });
    expect(readCif('CUI: l4399840')).toMatchObject({ value: '14399840', valid: true, repaired: true });
    // with a wrong control digit the look-alike is not forced: reported invalid as read
    expect(readCif('CUI: 18547291')).toMatchObject({ value: '18547291', valid: false });
  });
  it('reads "R 0…" (RO split by the OCR engine, a CUI never starts with 0)', () => {
    expect(readCif('CIF:R 018547290')).toMatchObject({ value: 'RO18547290', valid: true });
    expect(readCif('C.I.F.: R 01854729O')).toMatchObject({ value: 'RO18547290', valid: true, repaired: true });
  });
  it('drops a zero between RO and the number when the control digit then passes (a CUI never starts with 0)', () => {
    expect(readCif('CIF:RO018547290')).toMatchObject({ value: 'RO18547290', valid: true, repaired: true });
    expect(readCif('CIF: 018547290')).toMatchObject({ valid: false });
  });
  it('does not read a trade register or an IBAN as a CIF', () => {
    expect(readCif('J2012000750528')).toBeUndefined();
    expect(readCif('RO49AAAA1B31007593840000')).toBeUndefined();
  });
});
