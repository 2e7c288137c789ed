import { describe, expect, it } from 'vitest';
import { cuiDigits, isValidCui } from './cui.js';

describe('CUI check digit (ANAF key 753217532)', () => {
  it('accepts the CUIs of the ANAF simulator taxpayer fixture, with or without RO and spaces', () => {
    for (const c of ['41832096', '35246718', '12345674', '23456783', '34567892', '45678900', '10000008', '14399840']) expect(isValidCui(c), c).toBe(true);
    expect(isValidCui('RO35246718')).toBe(true);
    expect(isValidCui('ro 35246718')).toBe(true);
  });

  it('refuses a wrong last digit, letters, too short or too long', () => {
    expect(isValidCui('14399841')).toBe(false);
    expect(isValidCui('35246719')).toBe(false);
    expect(isValidCui('RO')).toBe(false);
    expect(isValidCui('1')).toBe(false);
    expect(isValidCui('12345678901')).toBe(false);
    expect(isValidCui('DE123456789')).toBe(false);
    expect(cuiDigits(' RO 123 ')).toBe('123');
    expect(cuiDigits('1234567890123')).toBeNull();
  });
});
