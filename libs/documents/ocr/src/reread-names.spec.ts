/**
 * The second reading of the party names (`ron` only, one Tesseract run over UNLV zones) against the
 * real Tesseract: an invoice whose supplier is "Argeș Țăranu S.R.L." is printed, rasterised at 300 dpi
 * and read with `ron+eng`; the name line read again gives the name with its diacritics, and a name
 * that the second reading does not confirm up to diacritics is never replaced.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractInvoice, type OcrPage } from '@cetate/documents-extraction';
import { encodePng, imagePdf, randomInvoice, rasterizePdfPage, renderInvoicePdf, type TestInvoice } from './test-set/index.js';
import { readDocument } from './read-document.js';
import { rereadNames, sameUpToDiacritics } from './reread-names.js';

const NAME = 'Argeș Țăranu S.R.L.';
const OPTS = { languages: 'ron', timeoutMs: 60_000, threads: 1 };

let work: string;
let png: string;
let inv: TestInvoice;
/** The page as the page run (`ron+eng`, no second reading) reads it. */
let firstReading: OcrPage;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'reread-names-spec-'));
  inv = randomInvoice('reread-names-spec');
  inv.truth.supplier.name = NAME;
  inv.style = { ...inv.style, layout: 'classic', font: 'Helvetica', cedilla: false };
  writeFileSync(join(work, 'invoice.pdf'), await renderInvoicePdf(inv));
  const bytes = encodePng(await rasterizePdfPage(join(work, 'invoice.pdf'), 300));
  png = join(work, 'page.png');
  writeFileSync(png, bytes);
  firstReading = (await readDocument(bytes, { nameLanguages: '' })).pages[0]!;
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('sameUpToDiacritics', () => {
  it('ignores diacritics (comma below or cedilla), case and runs of spaces; nothing else', () => {
    expect(sameUpToDiacritics('Arges Taranu S.R.L.', NAME)).toBe(true);
    expect(sameUpToDiacritics('ARGEŞ  ŢĂRANU S.R.L.', NAME)).toBe(true); // cedilla forms, upper case, two spaces
    expect(sameUpToDiacritics('Arges Taranu SRL', NAME)).toBe(false);
    expect(sameUpToDiacritics('Ilfov Țăranu S.R.L.', NAME)).toBe(false);
    expect(sameUpToDiacritics('ArgesTaranu S.R.L.', NAME)).toBe(false);
  });
});

describe('rereadNames (Tesseract `ron`, real run)', () => {
  it('reads the supplier name line again: the name comes back with ș/ț/ă, confidences of the second reading', { timeout: 60_000 }, async () => {
    // why it exists: `ron+eng` reads this line as "Argeș Taranu S.R.L." (Tesseract 5.3, Debian traineddata)
    expect(extractInvoice([firstReading]).supplier.name?.value).not.toBe(NAME);
    const r = await rereadNames(firstReading, png, 1, OPTS);
    expect(r.report.zones).toBeGreaterThanOrEqual(1);
    const name = extractInvoice([r.page]).supplier.name!;
    expect(name.value).toBe(NAME);
    expect(name.confidence).toBeGreaterThan(0);
    expect(name.confidence).toBeLessThanOrEqual(1);
    // the words of the name are the second reading's; every other word is the page run's, untouched
    const before = firstReading.words.filter((w) => !r.page.words.includes(w));
    expect(before.length).toBeLessThanOrEqual(8);
    expect(r.page.words.length - (firstReading.words.length - before.length)).toBe(r.page.words.filter((w) => !firstReading.words.includes(w)).length);
    expect(readdirSync(work).filter((f) => f.endsWith('.uzn'))).toEqual([]); // the zone file is removed
  });

  it('never replaces a name the second reading does not confirm up to diacritics', { timeout: 60_000 }, async () => {
    // the page run "read" another first word: the crop still shows "Argeș", so the reading is refused
    const altered: OcrPage = {
      ...firstReading,
      words: firstReading.words.map((w) => (/^arge/i.test(w.text) ? { ...w, text: 'Ilfov' } : w)),
    };
    const before = extractInvoice([altered]).supplier.name!;
    expect(before.value.startsWith('Ilfov ')).toBe(true);
    const r = await rereadNames(altered, png, 1, OPTS);
    expect(r.report.zones).toBeGreaterThanOrEqual(1);
    expect(extractInvoice([r.page]).supplier.name).toEqual(before);
  });

  it('readDocument reads the names twice by default: the name keeps its diacritics in a PNG and in a scanned PDF (cut-out path)', { timeout: 120_000 }, async () => {
    const image = await rasterizePdfPage(join(work, 'invoice.pdf'), 300);
    const fromPng = await readDocument(encodePng(image));
    expect(extractInvoice(fromPng.pages).supplier.name?.value).toBe(NAME);
    const fromPdf = await readDocument(await imagePdf(image));
    expect(fromPdf.source).toBe('ocr');
    const name = extractInvoice(fromPdf.pages).supplier.name!;
    expect(name.value).toBe(NAME);
    // boxes of the second reading are back in the page's frame (PDF points), where the name is printed
    const pngName = extractInvoice(fromPng.pages).supplier.name!;
    expect(Math.abs(name.bbox.x0 - (pngName.bbox.x0 * 72) / 300)).toBeLessThan(3);
    expect(Math.abs(name.bbox.y0 - (pngName.bbox.y0 * 72) / 300)).toBeLessThan(3);
  });

  it('a page turned a quarter (lines not left to right) is returned as it is, nothing run', async () => {
    const turned: OcrPage = { ...firstReading, words: firstReading.words.map((w) => ({ ...w, bbox: { x0: w.bbox.y0, y0: w.bbox.x0, x1: w.bbox.y1, y1: w.bbox.x1 } })) };
    const r = await rereadNames(turned, png, 1, { ...OPTS, tools: { tesseract: '/nonexistent/tesseract' } });
    expect(r).toEqual({ page: turned, report: { zones: 0, replaced: 0 } });
  });
});
