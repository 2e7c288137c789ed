/**
 * readDocument against the real programs (pdftotext, pdftoppm, Tesseract with `ron`): documents made by
 * the test-set generator at test time (nothing binary is committed). The OCR cases read 3 pages in
 * all (a few seconds); the refusals prove that nothing was spawned by pointing the programs at paths
 * that do not exist (a spawn would then fail with OCR_ENGINE_MISSING instead of the expected code).
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument } from '@cantoo/pdf-lib';
import { encodePng, imagePdf, randomInvoice, rasterizePdfPage, renderInvoicePdf, type GrayImage, type TestInvoice } from './test-set/index.js';
import { DocumentReadError, MAX_DOCUMENT_BYTES, extractInvoiceFromDocument, fittingDpi, readDocument, type PageProgress } from './index.js';

const NO_PROGRAMS = { tesseract: '/nonexistent/tesseract', pdftoppm: '/nonexistent/pdftoppm', pdftotext: '/nonexistent/pdftotext' };
const NO_OCR = { tesseract: '/nonexistent/tesseract', pdftoppm: '/nonexistent/pdftoppm' };

let work: string;
let inv: TestInvoice;
let textPdf: Uint8Array;
let page: GrayImage;
let png: Uint8Array;

/** Rejection of `p` as a DocumentReadError (fails the test when it resolves or throws something else). */
async function refusal(p: Promise<unknown>): Promise<DocumentReadError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DocumentReadError);
  return err as DocumentReadError;
}

const joined = (words: { text: string }[]) => words.map((w) => w.text).join(' ');

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'read-document-spec-'));
  inv = randomInvoice('read-document-spec');
  textPdf = await renderInvoicePdf(inv);
  writeFileSync(join(work, 'text.pdf'), textPdf);
  page = await rasterizePdfPage(join(work, 'text.pdf'), 300);
  png = encodePng(page);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('readDocument: text layer, OCR, progress', () => {
  it('a PDF with a text layer is read without OCR (Tesseract and pdftoppm unreachable), words in points with confidence 1', async () => {
    const events: PageProgress[] = [];
    const r = await readDocument(textPdf, { tools: NO_OCR, onPage: (p) => events.push(p) });
    expect(r).toMatchObject({ type: 'pdf', source: 'text-layer', pageCount: 1, pageSources: ['text-layer'] });
    const [p] = r.pages;
    expect(p).toMatchObject({ page: 1, width: 595.28, height: 841.89 });
    expect(p!.words.every((w) => w.confidence === 1 && w.bbox.x0 < w.bbox.x1 && w.bbox.x1 <= 595.28 && w.bbox.y1 <= 841.89)).toBe(true);
    const text = joined(p!.words);
    for (const word of inv.truth.supplier.name.split(' ')) expect(text).toContain(word); // diacritics as printed
    expect(text).toContain(inv.truth.buyer.cif);
    expect(events).toEqual([{ page: 1, pages: 1, source: 'text-layer', ms: expect.any(Number) }]);
  });

  it('extractInvoiceFromDocument on the text-layer PDF finds the printed CIF, number and total to pay', async () => {
    const r = await extractInvoiceFromDocument(textPdf, { tools: NO_OCR });
    expect(r.document.source).toBe('text-layer');
    expect(r.invoice.supplier.cif?.value).toBe(inv.truth.supplier.cif);
    expect(r.invoice.payableTotal?.value).toBe(inv.truth.payableTotal);
    expect(r.timings.readMs).toBeGreaterThan(0);
  });

  it('a scanned page (PNG, 300 dpi) is read by Tesseract: words, pixel boxes inside the page, confidences 0..1', { timeout: 60_000 }, async () => {
    const events: PageProgress[] = [];
    const r = await readDocument(png, { onPage: (p) => events.push(p) });
    expect(r).toMatchObject({ type: 'png', source: 'ocr', pageCount: 1 });
    const [p] = r.pages;
    expect([p!.width, p!.height]).toEqual([page.width, page.height]);
    expect(p!.words.length).toBeGreaterThan(60);
    expect(p!.words.every((w) => w.confidence >= 0 && w.confidence <= 1 && w.bbox.x1 <= page.width && w.bbox.y1 <= page.height)).toBe(true);
    const text = joined(p!.words);
    expect(text).toContain(inv.truth.series);
    expect(text).toContain(inv.truth.buyer.cif.replace(/^RO/, ''));
    expect(events).toMatchObject([{ page: 1, pages: 1, source: 'ocr' }]);
  });

  it('a PDF mixing text-layer and scanned pages: one progress event per page, scanned page OCRed in points, source mixed', { timeout: 60_000 }, async () => {
    const scan = await PDFDocument.load(await imagePdf(page));
    const text = await PDFDocument.load(textPdf);
    const doc = await PDFDocument.create();
    const [t1] = await doc.copyPages(text, [0]);
    const [s] = await doc.copyPages(scan, [0]);
    const [t3] = await doc.copyPages(text, [0]);
    doc.addPage(t1!);
    doc.addPage(s!);
    doc.addPage(t3!);
    const events: PageProgress[] = [];
    const r = await readDocument(await doc.save(), { dpi: 200, onPage: (p) => events.push(p) });
    expect(r).toMatchObject({ source: 'mixed', pageCount: 3, pageSources: ['text-layer', 'ocr', 'text-layer'] });
    expect(events.map((e) => [e.page, e.pages, e.source]).sort()).toEqual([
      [1, 3, 'text-layer'],
      [2, 3, 'ocr'],
      [3, 3, 'text-layer'],
    ]);
    const ocr = r.pages[1]!;
    expect(ocr.page).toBe(2);
    expect(ocr.width).toBeCloseTo(595.28, 0);
    expect(ocr.words.some((w) => w.confidence < 1)).toBe(true);
    expect(joined(ocr.words)).toContain(inv.truth.series);
  });
});

describe('readDocument: bad input ends as a typed error', () => {
  it('more than 20 MiB (30 MB): DOCUMENT_TOO_LARGE before anything is spawned', async () => {
    const big = new Uint8Array(30 * 1000 * 1000);
    big.set(new TextEncoder().encode('%PDF-1.7\n'));
    const t = performance.now();
    const err = await refusal(readDocument(big, { tools: NO_PROGRAMS }));
    expect(err.code).toBe('DOCUMENT_TOO_LARGE');
    expect(err.documentFault).toBe(true);
    expect(performance.now() - t).toBeLessThan(500);
    expect(big.byteLength).toBeGreaterThan(MAX_DOCUMENT_BYTES);
  });

  it('a wrong type: DOCUMENT_UNSUPPORTED_TYPE whatever the declared MIME type; 0 bytes: DOCUMENT_EMPTY', async () => {
    const gif = new TextEncoder().encode('GIF89a\u0001\u0000\u0001\u0000');
    const err = await refusal(readDocument(gif, { mime: 'application/pdf', tools: NO_PROGRAMS }));
    expect(err.code).toBe('DOCUMENT_UNSUPPORTED_TYPE');
    expect(err.message).toContain('application/pdf');
    expect((await refusal(readDocument(new Uint8Array(0), { tools: NO_PROGRAMS }))).code).toBe('DOCUMENT_EMPTY');
  });

  it('a PDF that needs a password: DOCUMENT_ENCRYPTED; one with only an owner password is read', async () => {
    const locked = await PDFDocument.load(textPdf);
    locked.encrypt({ userPassword: 'secret', ownerPassword: 'owner' });
    const err = await refusal(readDocument(await locked.save(), { tools: NO_OCR }));
    expect(err.code).toBe('DOCUMENT_ENCRYPTED');
    expect(err.documentFault).toBe(true);
    const restricted = await PDFDocument.load(textPdf);
    restricted.encrypt({ ownerPassword: 'owner' });
    const r = await readDocument(await restricted.save(), { tools: NO_OCR });
    expect(r.source).toBe('text-layer');
    expect(joined(r.pages[0]!.words)).toContain(inv.truth.buyer.cif);
  });

  it('a corrupt PDF (truncated, garbage after the header) and a corrupt PNG: DOCUMENT_CORRUPT', async () => {
    expect((await refusal(readDocument(textPdf.slice(0, 400), { tools: NO_OCR }))).code).toBe('DOCUMENT_CORRUPT');
    const garbage = new Uint8Array(4000).fill(0x41);
    garbage.set(new TextEncoder().encode('%PDF-1.7\n'));
    expect((await refusal(readDocument(garbage, { tools: NO_OCR }))).code).toBe('DOCUMENT_CORRUPT');
    const badPng = png.slice(0, 2000);
    expect((await refusal(readDocument(badPng))).code).toBe('DOCUMENT_CORRUPT');
  });

  it('an empty page (blank PDF page, white picture): DOCUMENT_EMPTY after OCR found nothing', { timeout: 60_000 }, async () => {
    const blank = await PDFDocument.create();
    blank.addPage();
    const err = await refusal(readDocument(await blank.save(), { dpi: 100 }));
    expect(err.code).toBe('DOCUMENT_EMPTY');
    const white: GrayImage = { width: 800, height: 1100, dpi: 100, data: new Uint8Array(800 * 1100).fill(255) };
    expect((await refusal(readDocument(encodePng(white)))).code).toBe('DOCUMENT_EMPTY');
  });

  it('a 200-page PDF is refused fast with DOCUMENT_TOO_MANY_PAGES, no page rasterised or OCRed', async () => {
    const doc = await PDFDocument.create();
    for (let i = 0; i < 200; i++) doc.addPage();
    const bytes = await doc.save();
    const t = performance.now();
    const err = await refusal(readDocument(bytes, { tools: NO_OCR }));
    expect(err.code).toBe('DOCUMENT_TOO_MANY_PAGES');
    expect(err.message).toContain('50');
    expect(performance.now() - t).toBeLessThan(3000);
    const three = await PDFDocument.create();
    for (let i = 0; i < 3; i++) three.addPage();
    expect((await refusal(readDocument(await three.save(), { maxPages: 2, tools: NO_OCR }))).code).toBe('DOCUMENT_TOO_MANY_PAGES');
  });

  it('a picture announcing more than maxPixels (a decompression bomb): DOCUMENT_TOO_LARGE from its header, nothing decoded', async () => {
    const bomb = png.slice();
    new DataView(bomb.buffer).setUint32(16, 20_000);
    new DataView(bomb.buffer).setUint32(20, 20_000);
    const err = await refusal(readDocument(bomb, { tools: NO_PROGRAMS }));
    expect(err.code).toBe('DOCUMENT_TOO_LARGE');
    expect(err.message).toContain('20000 × 20000');
  });

  it('an oversized PDF page is rasterised at a resolution that fits maxPixels', () => {
    expect(fittingDpi(595.28, 841.89, 300, 50_000_000)).toBe(300);
    const dpi = fittingDpi(7200, 7200, 300, 50_000_000); // a 100 × 100 inch page
    expect(dpi).toBeLessThan(300);
    expect(((7200 * dpi) / 72) ** 2).toBeLessThanOrEqual(50_000_000);
    expect(dpi).toBe(70);
  });

  it('a TIFF with more directories than maxPages is refused before Tesseract runs', async () => {
    const pages = 60;
    const buf = new Uint8Array(8 + pages * 6);
    const v = new DataView(buf.buffer);
    buf.set([0x49, 0x49, 0x2a, 0x00]);
    v.setUint32(4, 8, true);
    for (let i = 0; i < pages; i++) v.setUint32(8 + i * 6 + 2, i === pages - 1 ? 0 : 8 + (i + 1) * 6, true);
    expect((await refusal(readDocument(buf, { tools: NO_PROGRAMS }))).code).toBe('DOCUMENT_TOO_MANY_PAGES');
  });
});

describe('readDocument: engine problems, limits, clean-up', () => {
  it('Tesseract not installed: OCR_ENGINE_MISSING naming the Debian package, not the document’s fault', async () => {
    const err = await refusal(readDocument(png, { tools: { tesseract: '/nonexistent/tesseract' } }));
    expect(err.code).toBe('OCR_ENGINE_MISSING');
    expect(err.message).toContain('tesseract-ocr');
    expect(err.documentFault).toBe(false);
    const pdfErr = await refusal(readDocument(textPdf, { tools: { pdftotext: '/nonexistent/pdftotext' } }));
    expect(pdfErr.code).toBe('OCR_ENGINE_MISSING');
    expect(pdfErr.message).toContain('poppler-utils');
  });

  it('a language pack that is not installed: OCR_ENGINE_MISSING naming tesseract-ocr-<lang>', async () => {
    const err = await refusal(readDocument(png, { ocrLanguages: 'xyz' }));
    expect(err.code).toBe('OCR_ENGINE_MISSING');
    expect(err.message).toContain('tesseract-ocr-xyz');
  });

  it('a page over the time limit: OCR_TIMEOUT, the process killed, the temporary directory removed', async () => {
    const own = mkdtempSync(join(tmpdir(), 'read-document-tmp-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = own;
    try {
      const t = performance.now();
      const err = await refusal(readDocument(png, { pageTimeoutMs: 50 }));
      expect(err.code).toBe('OCR_TIMEOUT');
      expect(err.documentFault).toBe(false);
      expect(performance.now() - t).toBeLessThan(5000);
      expect(readdirSync(own)).toEqual([]);
      // after a successful read and after a refusal too
      await readDocument(textPdf, { tools: NO_OCR });
      await refusal(readDocument(textPdf.slice(0, 400), { tools: NO_OCR }));
      expect(readdirSync(own)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      rmSync(own, { recursive: true, force: true });
    }
  });

  it('an abort signal stops the read with the signal’s reason', async () => {
    const ac = new AbortController();
    const reading = readDocument(png, { signal: ac.signal });
    setTimeout(() => ac.abort(new Error('stop now')), 100);
    await expect(reading).rejects.toThrow('stop now');
    await expect(readDocument(png, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
