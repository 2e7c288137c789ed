import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findIbans, isValidIban, repairIban } from './iban.js';

/** Check digits of an IBAN computed with BigInt (an implementation independent of iban.ts). */
function withCheckDigits(country: string, bban: string): string {
  const digits = [...`${bban}${country}00`].map((c) => (/\d/.test(c) ? c : String(c.charCodeAt(0) - 55))).join('');
  const check = 98n - (BigInt(digits) % 97n);
  return `${country}${check.toString().padStart(2, '0')}${bban}`;
}

describe('isValidIban', () => {
  it('accepts published example IBANs, compact or in groups of 4, any case', () => {
    expect(isValidIban('RO49 AAAA 1B31 0075 9384 0000')).toBe(true);
    expect(isValidIban('RO49AAAA1B31007593840000')).toBe(true);
    expect(isValidIban('ro49aaaa1b31007593840000')).toBe(true);
    expect(isValidIban('DE89 3704 0044 0532 0130 00')).toBe(true);
    expect(isValidIban('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(isValidIban('NL91 ABNA 0417 1643 00')).toBe(true);
  });
  it('rejects a wrong check, a wrong length, a Romanian IBAN without a 4-letter bank code', () => {
    expect(isValidIban('RO49AAAA1B31007593840001')).toBe(false);
    expect(isValidIban('RO49AAAA1B3100759384000')).toBe(false);
    expect(isValidIban('DE89370400440532013000X')).toBe(false);
    expect(isValidIban(withCheckDigits('RO', '1AAA1B31007593840000'))).toBe(false); // digit in the bank code
    expect(isValidIban(withCheckDigits('RO', 'AAAA1B31007593840000'))).toBe(true); // the same, shape right
  });
});

describe('repairIban', () => {
  it('returns a correct IBAN unchanged', () => {
    expect(repairIban('RO49 AAAA 1B31 0075 9384 0000')).toEqual({ value: 'RO49AAAA1B31007593840000', changes: 0 });
  });
  it('repairs O/0, I/1, l/1 confusions where the checksum then passes', () => {
    expect(repairIban('R049 AAAA 1B31 0075 9384 0000')?.value).toBe('RO49AAAA1B31007593840000');
    expect(repairIban('RO49 AAAA 1B31 OO75 9384 0000')?.value).toBe('RO49AAAA1B31007593840000');
    expect(repairIban('RO49 AAAA lB31 0075 9384 OOOO')).toBeUndefined(); // 5 changes: beyond the limit
    expect(repairIban('RO49 AAAA lB31 0075 9384 0000')?.value).toBe('RO49AAAA1B31007593840000');
  });
  it('repairs one look-alike in a digits-only account number (property)', () => {
    const swap: Record<string, string> = { '0': 'O', '1': 'I', '5': 'S', '8': 'B' };
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z]{4}$/), fc.stringMatching(/^\d{16}$/), fc.nat(), (bank, account, pick) => {
        const iban = withCheckDigits('RO', bank + account);
        const positions = [...account].map((c, i) => (swap[c] ? i : -1)).filter((i) => i >= 0);
        fc.pre(positions.length > 0);
        const i = 8 + positions[pick % positions.length]!;
        const misread = iban.slice(0, i) + swap[iban[i]!]! + iban.slice(i + 1);
        // a letter for a digit changes the MOD 97 number: 1 time in 97 it still passes, undetectably
        fc.pre(!isValidIban(misread));
        expect(repairIban(misread)).toEqual({ value: iban, changes: 1 });
      }),
    );
  });
  it('reads the check digits as digits (property)', () => {
    const swap: Record<string, string> = { '0': 'O', '1': 'I', '5': 'S', '8': 'B' };
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z]{4}\d{16}$/), (bban) => {
        const iban = withCheckDigits('RO', bban);
        const i = [2, 3].find((p) => swap[iban[p]!] !== undefined);
        fc.pre(i !== undefined);
        const misread = iban.slice(0, i) + swap[iban[i!]!]! + iban.slice(i! + 1);
        expect(isValidIban(misread)).toBe(false);
        expect(repairIban(misread)).toEqual({ value: iban, changes: 1 });
      }),
    );
  });
  it('prefers the digit reading of a lone look-alike letter when both readings pass', () => {
    // an account where both "…O0" (as printed) and "…00" pass MOD 97 (about 1 account in 97)
    let withLetter = '';
    let withDigit = '';
    for (let n = 0; n < 100_000 && !withDigit; n++) {
      const letter = withCheckDigits('RO', `RNCB${String(n).padStart(14, '0')}O0`);
      const digit = `${letter.slice(0, 22)}00`;
      if (isValidIban(digit)) [withLetter, withDigit] = [letter, digit];
    }
    expect(isValidIban(withLetter)).toBe(true);
    expect(isValidIban(withDigit)).toBe(true);
    expect(repairIban(withLetter)).toEqual({ value: withDigit, changes: 1 });
    // when only the letter reading passes, it is kept
    const onlyLetter = withCheckDigits('RO', 'RNCB00000000000000O0');
    if (!isValidIban(`${onlyLetter.slice(0, 22)}00`)) expect(repairIban(onlyLetter)).toEqual({ value: onlyLetter, changes: 0 });
    // letters that belong to the account (RONCRT of Banca Transilvania) are never touched
    const bt = withCheckDigits('RO', 'BTRLRONCRT0123456789');
    expect(repairIban(bt)).toEqual({ value: bt, changes: 0 });
  });
  it('gives up when nothing passes', () => {
    expect(repairIban('RO00 AAAA 2222 3333 4444 7777')).toBeUndefined();
  });
});

describe('findIbans', () => {
  it('finds IBANs in a line, grouped or compact, and stops at the next word', () => {
    const found = findIbans('IBAN: RO49 AAAA 1B31 0075 9384 0000 Banca Transilvania');
    expect(found.map((f) => f.value)).toEqual(['RO49AAAA1B31007593840000']);
    expect(findIbans('Cont RO49AAAA1B31007593840000, DE89370400440532013000').map((f) => f.value)).toEqual([
      'RO49AAAA1B31007593840000',
      'DE89370400440532013000',
    ]);
  });
  it('takes the groups however the OCR engine cut them (odd spaces, column gaps)', () => {
    expect(findIbans('Cont: RO49AAAA1B31 0075 93840000').map((f) => f.value)).toEqual(['RO49AAAA1B31007593840000']);
    expect(findIbans('IBAN:\tRO49\tAAAA\t1B31\t0075\t9384\t0000, Banca').map((f) => f.value)).toEqual(['RO49AAAA1B31007593840000']);
    // one character too many: no IBAN (the length must end a word)
    expect(findIbans('RO49 AAAA 1B31 0075 9384 00001')).toEqual([]);
  });
  it('does not take a CIF or a partial IBAN', () => {
    expect(findIbans('CIF RO18547290')).toEqual([]);
    expect(findIbans('RO49 AAAA 1B31 0075')).toEqual([]);
  });
});
