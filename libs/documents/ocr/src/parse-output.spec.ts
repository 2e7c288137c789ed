import { describe, expect, it } from 'vitest';
import type { OcrPage } from '@cetate/documents-extraction';
import { parseBboxLayout, parseTesseractTsv, textOrientation, uprightPage } from './parse-output.js';

/** The form `pdftotext -bbox-layout` (poppler 22) writes: two pages, the second without text. */
const BBOX = `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd"><html xmlns="http://www.w3.org/1999/xhtml">
<head>
</head>
<body>
<doc>
  <page width="595.280000" height="841.890000">
    <flow>
      <block xMin="40.000000" yMin="52.820000" xMax="215.257000" yMax="62.070000">
        <line xMin="40.000000" yMin="52.820000" xMax="215.257000" yMax="62.070000">
          <word xMin="40.000000" yMin="53.538000" xMax="75.505000" yMax="61.863000">Furnizor:</word>
          <word xMin="78.007000" yMin="52.820000" xMax="115.797000" yMax="62.070000">Țăranu&amp;Fiii</word>
        </line>
        <line xMin="40.000000" yMin="66.000000" xMax="100.000000" yMax="75.000000">
          <word xMin="40.000000" yMin="66.000000" xMax="60.000000" yMax="75.000000">&lt;C.I.F.&gt;</word>
          <word xMin="62.000000" yMin="66.000000" xMax="64.000000" yMax="75.000000"> </word>
          <word xMin="66.000000" yMin="66.000000" xMax="100.000000" yMax="75.000000">RO18547290</word>
        </line>
      </block>
    </flow>
  </page>
  <page width="612.000000" height="792.000000">
  </page>
</doc>
</body>
</html>`;

const TSV = [
  'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext',
  '1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t',
  '2\t1\t1\t0\t0\t0\t169\t217\t1862\t43\t-1\t',
  '4\t1\t1\t1\t1\t0\t169\t217\t1862\t43\t-1\t',
  '5\t1\t1\t1\t1\t1\t169\t217\t150\t40\t95.5\tFurnizor:',
  '5\t1\t1\t1\t1\t2\t330\t217\t200\t43\t12\tȚăranu',
  '5\t1\t1\t1\t1\t3\t540\t217\t10\t43\t95\t ',
  '5\t1\t1\t1\t2\t1\t169\t300\t300\t40\t88\tRO18547290',
  '5\t1\t2\t1\t1\t1\t169\t900\t300\t40\t101\tTotal',
  '1\t2\t0\t0\t0\t0\t0\t0\t1000\t2000\t-1\t',
].join('\n');

describe('parseBboxLayout', () => {
  it('reads pages, sizes and words with boxes in points, confidence 1, line index, entities decoded', () => {
    const pages = parseBboxLayout(BBOX);
    expect(pages).toHaveLength(2);
    expect(pages[0]).toMatchObject({ page: 1, width: 595.28, height: 841.89 });
    expect(pages[0]!.words).toEqual([
      { text: 'Furnizor:', bbox: { x0: 40, y0: 53.538, x1: 75.505, y1: 61.863 }, confidence: 1, line: 0 },
      { text: 'Țăranu&Fiii', bbox: { x0: 78.007, y0: 52.82, x1: 115.797, y1: 62.07 }, confidence: 1, line: 0 },
      { text: '<C.I.F.>', bbox: { x0: 40, y0: 66, x1: 60, y1: 75 }, confidence: 1, line: 1 },
      { text: 'RO18547290', bbox: { x0: 66, y0: 66, x1: 100, y1: 75 }, confidence: 1, line: 1 },
    ]);
    expect(pages[1]).toEqual({ page: 2, width: 612, height: 792, words: [] });
  });

  it('gives no page for output that is not poppler XHTML', () => {
    expect(parseBboxLayout('')).toEqual([]);
    expect(parseBboxLayout('<html><body>hello</body></html>')).toEqual([]);
  });
});

describe('parseTesseractTsv', () => {
  it('reads page size, words with pixel boxes, confidence / 100 clamped, one line id per block/paragraph/line', () => {
    const pages = parseTesseractTsv(TSV);
    expect(pages.map((p) => [p.page, p.width, p.height, p.words.length])).toEqual([
      [1, 2480, 3508, 4],
      [2, 1000, 2000, 0],
    ]);
    const [a, b, c, d] = pages[0]!.words;
    expect(a).toEqual({ text: 'Furnizor:', bbox: { x0: 169, y0: 217, x1: 319, y1: 257 }, confidence: 0.955, line: 0 });
    expect(b).toMatchObject({ text: 'Țăranu', confidence: 0.12, line: 0 });
    expect(c).toMatchObject({ text: 'RO18547290', line: 1 });
    expect(d).toMatchObject({ text: 'Total', confidence: 1, line: 2 });
  });

  it('scales coordinates and offsets page numbers (a PDF page read alone, 300 dpi → points)', () => {
    const [p] = parseTesseractTsv(TSV, 4, 72 / 300);
    expect(p!.page).toBe(5);
    expect(p!.width).toBeCloseTo(595.2, 6);
    expect(p!.words[0]!.bbox.x0).toBeCloseTo(40.56, 6);
  });
});

describe('textOrientation / uprightPage', () => {
  // an upright 1000 × 1400 page: two lines of three words
  const upright: OcrPage = {
    page: 1,
    width: 1000,
    height: 1400,
    words: [0, 1].flatMap((line) =>
      [0, 1, 2].map((i) => ({ text: `w${line}${i}`, bbox: { x0: 100 + i * 200, y0: 100 + line * 60, x1: 250 + i * 200, y1: 140 + line * 60 }, confidence: 0.9, line })),
    ),
  };
  /** The page as a scanner turned it: every box mapped by `f`, the picture `w` × `h`. */
  const turned = (w: number, h: number, f: (x: number, y: number) => [number, number]): OcrPage => ({
    ...upright,
    width: w,
    height: h,
    words: upright.words.map((word) => {
      const [ax, ay] = f(word.bbox.x0, word.bbox.y0);
      const [bx, by] = f(word.bbox.x1, word.bbox.y1);
      return { ...word, bbox: { x0: Math.min(ax, bx), y0: Math.min(ay, by), x1: Math.max(ax, bx), y1: Math.max(ay, by) } };
    }),
  });
  const cases = [
    ['clockwise', turned(1400, 1000, (x, y) => [1400 - y, x])],
    ['counter-clockwise', turned(1400, 1000, (x, y) => [y, 1000 - x])],
    ['upside-down', turned(1000, 1400, (x, y) => [1000 - x, 1400 - y])],
  ] as const;

  it('an upright page is left as it is', () => {
    expect(textOrientation(upright)).toBe('upright');
    expect(uprightPage(upright)).toBe(upright);
  });

  for (const [orientation, page] of cases) {
    it(`a page turned ${orientation} is recognised and turned back (boxes, size)`, () => {
      expect(textOrientation(page)).toBe(orientation);
      expect(uprightPage(page)).toEqual(upright);
    });
  }
});
