import { describe, expect, it } from 'vitest';
import { below, estimateSkew, groupLines, layoutPage, makeLine, spanInfo } from './layout.js';
import { rows, syntheticPage } from './testing/synthetic-page.js';
import type { OcrWord } from './types.js';

const word = (text: string, x0: number, y0: number, confidence = 0.9, line?: number): OcrWord => ({
  text,
  bbox: { x0, y0, x1: x0 + text.length * 11, y1: y0 + 20 },
  confidence,
  ...(line !== undefined ? { line } : {}),
});

describe('groupLines by geometry', () => {
  it('puts words of one row on one line, left to right, whatever the input order', () => {
    const lines = groupLines({ page: 1, width: 1000, height: 1000, words: [word('plată:', 99, 101), word('Total', 10, 100), word('de', 71, 99)] });
    expect(lines.map((l) => l.text)).toEqual(['Total de plată:']);
  });
  it('separates rows one line height apart and orders them top to bottom', () => {
    const lines = groupLines({ page: 1, width: 1000, height: 1000, words: [word('doi', 10, 130), word('unu', 10, 100), word('trei', 10, 160)] });
    expect(lines.map((l) => l.text)).toEqual(['unu', 'doi', 'trei']);
  });
  it('writes a TAB across a column gap and a space between words', () => {
    const lines = groupLines(syntheticPage(rows([100, [80, 'Furnizor: Alfa SRL'], [900, 'Client: Beta SA']])));
    expect(lines.map((l) => l.text)).toEqual(['Furnizor: Alfa SRL\tClient: Beta SA']);
  });
  it('a monospace word space (a whole character) is a space, a wider gap a TAB', () => {
    // Courier at 300 dpi: 25 px per character, word boxes 30 px high, one space = 25 px (+ side bearings)
    const mono = (text: string, x0: number): OcrWord => ({ text, bbox: { x0, y0: 100, x1: x0 + text.length * 25 - 6, y1: 130 }, confidence: 0.9 });
    const words = [mono('Total', 100), mono('fara', 100 + 6 * 25), mono('TVA:', 100 + 11 * 25), mono('407000.22', 100 + 20 * 25)];
    expect(makeLine(1, words).text).toBe('Total fara TVA:\t407000.22');
  });
  it('drops empty words and clamps confidences', () => {
    const [line] = groupLines({ page: 1, width: 1000, height: 1000, words: [word(' ', 0, 100), word('A', 50, 100, 7), word('B', 66, 100, Number.NaN)] });
    expect(line!.text).toBe('A B');
    expect(line!.words.map((w) => w.confidence)).toEqual([1, 0]);
  });
});

describe('groupLines with engine line ids', () => {
  it('keeps the engine lines even when two columns share a row', () => {
    const lines = groupLines(syntheticPage(rows([100, [80, 'Furnizor: Alfa SRL'], [900, 'Client: Beta SA']]), { lineIds: true }));
    expect(lines.map((l) => l.text)).toEqual(['Furnizor: Alfa SRL', 'Client: Beta SA']);
  });
  it('keeps a tilted line whole', () => {
    const page = syntheticPage(rows([100, [80, 'Total de plată: 1.210,00 lei aaaaaaaaaaaaaaaaaaaaa bbbbbbbbbbbbbbbbbbbbbbbbbbb cccccccc']]), { lineIds: true, skewDegrees: 2 });
    expect(groupLines(page)).toHaveLength(1);
  });
});

describe('estimateSkew and deskewing', () => {
  const text = rows(
    [100, [80, 'Furnizor: Alfa Construct SRL'], [900, 'Client: Beta Trading SA']],
    [130, [80, 'CIF: RO18547290 Nr. Reg. Com. J40/1/2020'], [900, 'CUI: 42338156 Str. Mare 1']],
    [160, [80, 'Total fără TVA 1.000,00 lei de plată']],
  );
  it.each([-2, -1, 0.5, 1.5, 2])('measures a %s° rotation from neighbouring words, with or without line ids', (deg) => {
    for (const lineIds of [false, true]) {
      const slope = estimateSkew(syntheticPage(text, { skewDegrees: deg, lineIds }).words);
      expect(Math.atan(slope) * (180 / Math.PI)).toBeCloseTo(deg, 1);
    }
  });
  it('returns 0 for a straight page and for too few words', () => {
    expect(estimateSkew(syntheticPage(text).words)).toBe(0);
    expect(estimateSkew(syntheticPage(rows([100, [80, 'Total 1,00']]), { skewDegrees: 2 }).words)).toBe(0);
  });
  it('groups the rows of a 2° page by geometry, and reports the engine boxes', () => {
    const page = syntheticPage(text, { skewDegrees: 2 });
    const lines = groupLines(page);
    expect(lines.map((l) => l.text.split('\t')[0])).toEqual(['Furnizor: Alfa Construct SRL', 'CIF: RO18547290 Nr. Reg. Com. J40/1/2020', 'Total fără TVA 1.000,00 lei de plată']);
    const cif = lines[1]!;
    const at = cif.text.indexOf('RO18547290');
    const source = page.words.find((w) => w.text === 'RO18547290')!.bbox;
    expect(spanInfo(cif, at, at + 10).bbox).toEqual(source);
    expect(spanInfo(cif, at, at + 10).box).not.toEqual(source);
  });
});

describe('line key', () => {
  it('has the length of the text, folded and with look-alikes read as digits in numbers', () => {
    const line = makeLine(1, [word('Scadenţa:', 0, 0), word('l2.O3.2025', 105, 0)]);
    expect(line.text).toBe('Scadența: l2.O3.2025');
    expect(line.key).toBe('scadenta: 12.03.2025');
    expect(line.repaired).toEqual([false, true]);
  });
  it('maps a span back to its words: box, lowest confidence, repair flag', () => {
    const line = makeLine(1, [word('Total:', 0, 0, 0.9), word('1.2l0,00', 80, 0, 0.4), word('lei', 200, 0, 0.95)]);
    const start = line.key.indexOf('1.210,00');
    const info = spanInfo(line, start, start + 8);
    expect(info).toMatchObject({ page: 1, ocr: 0.4, repaired: true });
    expect(info.bbox).toEqual(line.words[1]!.bbox);
  });
});

describe('below', () => {
  it('finds the value printed under a header cell, not the neighbouring columns', () => {
    const layout = layoutPage(syntheticPage(rows([100, [80, 'Seria'], [400, 'Număr'], [700, 'Data']], [130, [80, 'ABC'], [400, '00123'], [700, '12.03.2025']])));
    const header = layout.lines[0]!;
    const at = header.text.indexOf('Număr');
    expect(below(layout, spanInfo(header, at, at + 5).bbox)?.text).toBe('00123');
  });
  it('finds nothing when the next line is too far down', () => {
    const layout = layoutPage(syntheticPage(rows([100, [80, 'Seria']], [400, [80, 'ABC']])));
    expect(below(layout, layout.lines[0]!.bbox)).toBeUndefined();
  });
});
