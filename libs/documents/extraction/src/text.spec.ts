import { describe, expect, it } from 'vitest';
import { foldForMatch, normalizeDiacritics, repairDigitWord } from './text.js';

describe('normalizeDiacritics', () => {
  it('writes the cedilla letters ş ţ Ş Ţ with the comma below', () => {
    expect(normalizeDiacritics('Scadenţa şi Ţara Ştefan')).toBe('Scadența și Țara Ștefan');
    expect(normalizeDiacritics('Scadenţa')).not.toBe('Scadenţa');
  });
  it('composes decomposed letters (NFD from some PDFs) and plain-spaces no-break spaces', () => {
    expect(normalizeDiacritics('Factura\u0306')).toBe('Factură');
    expect(normalizeDiacritics('1\u00A0234,56')).toBe('1 234,56');
    expect(normalizeDiacritics('\u22125,00')).toBe('-5,00');
  });
  it('leaves correct Romanian text alone', () => {
    expect(normalizeDiacritics('Cumpărător: Învățământ SRL')).toBe('Cumpărător: Învățământ SRL');
  });
});

describe('foldForMatch', () => {
  it('matches labels with and without diacritics, any case', () => {
    expect(foldForMatch('Data Scadenței')).toBe('data scadentei');
    expect(foldForMatch('DATA SCADENTEI')).toBe('data scadentei');
    expect(foldForMatch('Total fără TVA')).toBe('total fara tva');
    expect(foldForMatch('Vânzător')).toBe('vanzator');
    expect(foldForMatch('Scadenţa')).toBe('scadenta'); // cedilla form too
  });
  it('keeps the length (offsets map back to the words)', () => {
    for (const s of ['Țară ĂÎȘȚÂ', 'İstanbul', 'ß straße']) expect(foldForMatch(s)).toHaveLength(s.length);
  });
});

describe('repairDigitWord', () => {
  it('reads look-alike letters as digits in number words', () => {
    expect(repairDigitWord('1.2O0,5O')).toEqual({ text: '1.200,50', repaired: true });
    expect(repairDigitWord('2O25')).toEqual({ text: '2025', repaired: true });
    expect(repairDigitWord('l2.03.2025')).toEqual({ text: '12.03.2025', repaired: true });
    expect(repairDigitWord('(l.000,00)')).toEqual({ text: '(1.000,00)', repaired: true });
  });
  it('leaves words that are not numbers alone', () => {
    for (const w of ['SRL', 'lei', 'RO49', 'Total', 'OO', 'S.R.L.', 'ABC-12', '1.000,00']) {
      expect(repairDigitWord(w)).toEqual({ text: w, repaired: false });
    }
  });
  it('does not repair a word with more look-alikes than digits, unless it has an amount or date shape', () => {
    expect(repairDigitWord('SOl1').repaired).toBe(false);
    expect(repairDigitWord('lOl').repaired).toBe(false);
    expect(repairDigitWord('l.OOO,OO')).toEqual({ text: '1.000,00', repaired: true });
    expect(repairDigitWord('l2.O3.2O2S')).toEqual({ text: '12.03.2025', repaired: true });
    expect(repairDigitWord('O,S').repaired).toBe(false);
  });
});
