import { describe, expect, it } from 'vitest';
import { findLabels, type LabelKind } from './labels.js';
import { makeLine } from './layout.js';
import { rows, syntheticPage } from './testing/synthetic-page.js';

/** Kinds of the labels of a line made from cells (x, text). */
function kinds(...cells: [number, string][]): LabelKind[] {
  return findLabels(makeLine(1, syntheticPage(rows([100, ...cells])).words)).map((h) => h.kind);
}

describe('findLabels', () => {
  it('matches labels with and without diacritics', () => {
    expect(kinds([0, 'Data scadenței: 12.04.2025'])).toEqual(['dueDate']);
    expect(kinds([0, 'Data scadentei: 12.04.2025'])).toEqual(['dueDate']);
    expect(kinds([0, 'Termen de plată: 30 zile'])).toEqual(['dueDate']);
    expect(kinds([0, 'Total fara TVA'])).toEqual(['netTotal']);
    expect(kinds([0, 'Total fără TVA'])).toEqual(['netTotal']);
  });
  it('keeps the longest of overlapping labels', () => {
    expect(kinds([0, 'Total de plată: 1.210,00'])).toEqual(['payableTotal']);
    expect(kinds([0, 'Total TVA: 210,00'])).toEqual(['vatTotal']);
    expect(kinds([0, 'Total: 1.210,00'])).toEqual(['total']);
    expect(kinds([0, 'Data emiterii: 12.03.2025'])).toEqual(['issueDate']);
    expect(kinds([0, 'Nr. Reg. Com.: J40/1/2020'])).toEqual(['tradeRegister']);
    expect(kinds([0, 'CUI/CIF: RO18547290'])).toEqual(['cif']);
  });
  it('reads the CIF label in its usual spellings', () => {
    for (const l of ['CIF:', 'C.I.F.', 'CUI', 'C.U.I.:', 'Cod fiscal', 'Cod de înregistrare fiscală', 'Cod unic de înregistrare', 'C.F.:']) {
      expect(kinds([0, `${l} RO18547290`]), l).toEqual(['cif']);
    }
  });
  it('accepts the OCR misreadings seen on scans: rn as m, I as L or 1', () => {
    expect(kinds([0, 'Fumizor: Alfa SRL'])).toEqual(['supplier']);
    for (const l of ['C.L.F.:', 'C.LF.:', 'C.1.F.:', 'C..F.:']) expect(kinds([0, `${l} 18547290`]), l).toEqual(['cif']);
  });
  it('does not see a label inside a word', () => {
    expect(kinds([0, 'Cifra totală'])).toEqual([]);
    expect(kinds([0, 'Contract 12'])).toEqual([]);
  });
  it('takes a party label only at a segment start or before a colon', () => {
    expect(kinds([0, 'Furnizor'], [900, 'Cumpărător'])).toEqual(['supplier', 'buyer']);
    expect(kinds([0, 'Beneficiar: Beta SA'])).toEqual(['buyer']);
    expect(kinds([0, 'Cod client 123'])).toEqual([]);
  });
  it('never joins two table cells into one label', () => {
    expect(kinds([0, 'Valoare'], [400, 'TVA'])).toEqual(['vatTotal']);
    expect(kinds([0, 'Valoare TVA'])).toEqual(['vatTotal']);
    // a stray ':' in the next column does not hide the label before it
    expect(kinds([0, 'FURNIZOR'], [400, 'CLIENT'], [800, ':'])).toEqual(['supplier', 'buyer']);
  });
  it('a bare "Data" is the issue date, "Data livrării" is not', () => {
    expect(kinds([0, 'Data: 12.03.2025'])).toEqual(['issueDate']);
    expect(kinds([0, 'Data livrării: 12.03.2025'])).toEqual([]);
  });
});
